"""Credentials one string shows by its form, found without reading it word by word (for
:mod:`stackgen.output.credentials`, which reads command lines): a URL's password, or its
user when that is a key (a Sentry DSN); a secret-named parameter of a URL's query or of a
connection string (``?password=X``, ``;Pwd=X``); the password hash of an htpasswd entry
(``user:$apr1$...``); and the ``user:password`` of ``Basic X``, recognised by decoding it.

Each finder appends ``(start, end)`` spans and is linear in the text: ``str.find`` and
patterns without nested quantifiers.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection

from .secret_rule import is_secret_key
from .triggers import HASH_PREFIXES, PASS_OPTIONS

Span = tuple[int, int]

#: where a URL's authority ends (RFC 3986 section 3.2), or the word holding it
_AUTHORITY_END = re.compile(r"[/?#\s'\"]")
#: a key standing as a URL's user (``https://KEY@o1.ingest.sentry.io/1``; GitHub's
#: ``https://TOKEN@github.com/``): at least this long, letters and digits (both), no ``$``
_KEY_USER = re.compile(r"(?=[^@]*[0-9])(?=[^@]*[A-Za-z])[A-Za-z0-9_.~-]{20,}")
#: one ``name=value`` parameter of a URL's query (RFC 3986 section 3.4, ``&``-separated) or
#: of a connection string (JDBC's and ODBC's ``;``-separated ones)
_PARAM = re.compile(r"[?&;][ \t]*([A-Za-z_][A-Za-z0-9_.-]*)=([^&;#\s'\"]+)")
#: values a parameter switches on or off (``?auth=true``): no credential
_SWITCHES = frozenset({"true", "false", "yes", "no", "on", "off"})
#: an htpasswd entry's hash (``user:$apr1$...``, ``$$`` for ``$`` in compose, ``{SHA}...``)
_HASH = re.compile(
    r"(?<![^\s,'\"=])[^\s:,'\"=]+:((?:\$\$?(?:apr1|2[aby])\$\$?|\{SHA\})[^\s,'\"]+)",
    re.IGNORECASE,
)
#: the ``Basic`` scheme of HTTP authentication (RFC 7617) and its base64 credentials
_BASIC = re.compile(r"(?<![A-Za-z])basic\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])", re.I)


def url_spans(text: str, spans: list[Span]) -> None:
    """The password of each ``scheme://user:password@host`` in ``text`` (RFC 3986 section
    3.2.1), or its user when that is a key (:data:`_KEY_USER`), appended."""
    pos = text.find("://")
    while pos >= 0:
        start = pos + 3
        end_hit = _AUTHORITY_END.search(text, start)
        end = len(text) if end_hit is None else end_hit.start()
        at = text.rfind("@", start, end)
        if at > start:
            user_end = start
            if text.startswith("${", start):  # a reference as the user: its ':' is its own
                close = text.find("}", start, at)
                user_end = start if close < 0 else close
            colon = text.find(":", user_end, at)
            if 0 <= colon < at - 1:
                spans.append((colon + 1, at))
            elif colon < 0 and at - start >= 20 and _KEY_USER.fullmatch(text, start, at):
                spans.append((start, at))
        pos = text.find("://", max(end, start))


def _param_names_secret(name: str, sensitive: Collection[str]) -> bool:
    """Whether a parameter ``name`` takes a credential: the name rule, or a password option
    (ODBC's ``Pwd``)."""
    return name.lower() in PASS_OPTIONS or is_secret_key(name, sensitive)


def form_spans(text: str, spans: list[Span], sensitive: Collection[str] = ()) -> None:
    """Every credential of ``text`` found by its form alone (this module's), appended;
    ``sensitive``: extra secret names for parameters."""
    url_spans(text, spans)
    if "=" in text and ("?" in text or "&" in text or ";" in text):
        for hit in _PARAM.finditer(text):
            value = hit.group(2)
            if value.lower() not in _SWITCHES and _param_names_secret(hit.group(1), sensitive):
                spans.append(hit.span(2))
    if ("$" in text or "{" in text) and any(p in text.lower() for p in HASH_PREFIXES):
        spans.extend(hit.span(1) for hit in _HASH.finditer(text))
    if "asic" in text or "ASIC" in text:  # (Basic, BASIC: what the pattern reads)
        for hit in _BASIC.finditer(text):
            if _is_user_password(hit.group(1)):
                spans.append(hit.span(1))


def _is_user_password(encoded: str) -> bool:
    """Whether ``encoded`` is base64 of ``user:password`` (RFC 7617 section 2), as text."""
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        text = decoded.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return ":" in text and text.isprintable()
