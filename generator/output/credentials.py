"""Credentials recognised by their *form*, wherever a value shows them: those one string shows
(:mod:`stackgen.output.forms`: a URL's password, ``?password=X``, ``Basic X``, an htpasswd
hash) and the credential argument of common command lines (``curl -u user:PASS``,
``curl -fsu user:PASS``, ``--password=X``/``--password X``, ``redis-server --requirepass X``,
``mysql -pX``, ``redis-cli -a X``, ``sqlcmd -P X``, ``Authorization: Bearer X``,
``PGPASSWORD=X``). For
stackgen's one secret rule (:mod:`stackgen.output.masking`) they are secret values, whatever
the name of the variable holding them: shown as :data:`MASK`, the rest of the value readable
(``postgres://app:***@db/app``), a ``${VAR}`` (or a container shell's ``$VAR``) in that place
shown as the reference.

Everything here is linear in the text: one pass over its words, ``str.find`` for URLs, and
patterns without nested quantifiers.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from .forms import Span, form_spans
from .secret_rule import MASK, is_secret_key, masked_reference
from .triggers import NEXT_PASSWORD_FLAGS as _NEXT_FLAGS
from .triggers import PASS_OPTIONS as _PASS_OPTIONS
from .triggers import QUOTES as _QUOTES
from .triggers import has_trigger, triggering, words_may_hold

_WORDS = re.compile(r"\S+")
#: a container shell's own variable (``$VAR``, ``$$VAR`` in compose): a reference, not a value
_SHELL_REF = re.compile(r"\$\$?[A-Za-z_][A-Za-z0-9_]*")

#: clients whose ``-u``/``--user`` takes ``user:password`` (curl, etcdctl; wget's ``--user``
#: a user)
_USER_CLIENTS = frozenset({"curl", "wget", "etcdctl"})
#: a cluster of curl's argument-less short options ending in ``-u`` (``-fsu``), then ``-u``'s
#: argument if attached (``-fsuadmin:pw``); the letters are curl's boolean options (curl(1))
_CURL_CLUSTER = re.compile(r"-[0-9#BGIJLMNORSZafgijklnpqsv]+u(.*)")
_USER_OPTIONS = frozenset({"-u", "--user", "--proxy-user", "-U"})
#: MySQL-style clients, whose ``-pX`` (attached only) is the password
_P_CLIENTS = frozenset(
    {"mysql", "mysqladmin", "mysqldump", "mysqlcheck", "mysqlshow", "mysqlimport"}
    | {"mariadb", "mariadb-admin", "mariadb-dump", "mariadb-check", "mariadb-show"}
)
#: the name of an assignment (``PGPASSWORD=X``, ``spring.datasource.password=X``); a URL's
#: query (``https://h/?auth=true``) is no assignment, its parameters are read by form
_ASSIGNED = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
#: words that end a command (its clients no longer apply)
_SEPARATORS = frozenset({";", "&&", "||", "|", "&"})


def _stream_spans(
    items: Sequence[Any], sensitive: Collection[str], named: bool = True
) -> list[list[Span]]:
    """For each item of a command line (one string, or the items of an exec-form list), the
    spans of its credentials, the words of all items read as one command line; ``named``:
    the forms that rest on the name rule (``NAME=X``, ``--NAME X``) too. The same spans as
    :func:`_parsed_spans`, whose word by word reading is skipped where no word can hold a
    credential (:func:`stackgen.output.triggers.words_may_hold`): most strings that trigger
    (a URL's ``@``, a ``wget`` health check, a message) hold none."""
    if sensitive or words_may_hold(items, named):
        return _parsed_spans(items, sensitive, named)
    out: list[list[Span]] = [[] for _ in items]
    for item, spans in zip(items, out, strict=True):
        if isinstance(item, str):
            form_spans(item, spans, sensitive)
    return out


def _parsed_spans(
    items: Sequence[Any], sensitive: Collection[str], named: bool = True
) -> list[list[Span]]:
    """:func:`_stream_spans`, every word read."""
    out: list[list[Span]] = [[] for _ in items]
    clients: set[str] = set()
    expect: str | None = None  # what the next word is: "value", "userpass" or "auth"
    for index, item in enumerate(items):
        if not isinstance(item, str):
            expect = None
            continue
        spans = out[index]
        form_spans(item, spans, sensitive)
        for hit in _WORDS.finditer(item):
            raw = hit.group()
            start, end = hit.span()
            while start < end and item[start] in _QUOTES:
                start += 1
            while end > start and item[end - 1] in _QUOTES + ";,":
                end -= 1
            word = item[start:end]
            if word and raw not in _SEPARATORS:
                if expect is not None:
                    expect = _expected(expect, word, start, end, spans)
                else:
                    expect = _word(word, start, end, clients, spans, sensitive if named else None)
            if raw in _SEPARATORS or raw.endswith(";"):
                clients.clear()  # the command ends
                expect = None
    return out


def _expected(expect: str, word: str, start: int, end: int, spans: list[Span]) -> str | None:
    """Take ``word`` as the argument an earlier word announced; the next expectation."""
    if expect == "userpass":
        colon = word.find(":")
        if 0 <= colon < len(word) - 1:
            spans.append((start + colon + 1, end))
        return None
    if expect == "auth" and word.isalpha():
        return "value"  # the scheme (Bearer, Basic, Token): the credential follows
    if expect == "value" and word.startswith("-"):
        return None  # another option: the flag took no argument (psql --password)
    spans.append((start, end))
    return None


def _names_secret(name: str, sensitive: Collection[str] | None) -> bool:
    """Whether an option or variable ``name`` takes a secret: by the name rule, or (free
    text, ``sensitive`` None, whose ``path.to.key=value`` is no assignment) when it names a
    password (``--password``, ``PGPASSWORD``, ``DB_PASSWORD``)."""
    low = name.lower()
    if low in _PASS_OPTIONS or "password" in low or "passwd" in low:
        return True
    return sensitive is not None and is_secret_key(name, sensitive)


def _word(
    word: str,
    start: int,
    end: int,
    clients: set[str],
    spans: list[Span],
    sensitive: Collection[str] | None,
) -> str | None:
    """Read one word of a command line; what the next word is expected to be (``sensitive``
    None: not the forms resting on the name rule)."""
    low = word.lower()
    base = low.rsplit("/", 1)[-1]
    if base in _USER_CLIENTS or base in _P_CLIENTS or base in _NEXT_FLAGS:
        clients.add(base)
        return None
    if low == "authorization:":
        return "auth"
    if low == "bearer":
        return "value"
    name, eq, value = word.partition("=")
    if word.startswith("-"):
        if clients & _USER_CLIENTS:
            if name in _USER_OPTIONS:
                if not eq:
                    return "userpass"
                colon = value.find(":")
                if 0 <= colon < len(value) - 1:
                    spans.append((start + len(name) + 2 + colon, end))
                return None
            if word.startswith("-u") and not word.startswith("--") and ":" in word:
                colon = word.find(":")
                if colon < len(word) - 1:
                    spans.append((start + colon + 1, end))
                return None
            cluster = _CURL_CLUSTER.fullmatch(word) if "curl" in clients else None
            if cluster is not None:
                if not cluster.group(1):
                    return "userpass"  # curl -fsu admin:pw
                colon = word.find(":", cluster.start(1))
                if 0 <= colon < len(word) - 1:
                    spans.append((start + colon + 1, end))
                return None
        if clients & _P_CLIENTS and word.startswith("-p") and len(word) > 2:
            spans.append((start + 2, end))
            return None
        if any(_NEXT_FLAGS.get(client) == word for client in clients):
            return "value"  # redis-cli -a X, sqlcmd -P X
        option = name.lstrip("-")
        if option and _names_secret(option, sensitive):
            if not eq:
                return "value"
            if value:
                spans.append((start + len(name) + 1, end))
        return None
    if eq and value and _ASSIGNED.fullmatch(name) and _names_secret(name, sensitive):
        spans.append((start + len(name) + 1, end))  # PGPASSWORD=x, export API_TOKEN=x
    return None


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif start < end:
            merged.append((start, end))
    return merged


def _replacement(credential: str) -> str:
    """How a credential shows: a reference as itself (a literal default inside it masked,
    :func:`masked_reference`), anything else as :data:`MASK`."""
    if _SHELL_REF.fullmatch(credential):
        return credential
    if credential.startswith("$${"):
        return "$" + masked_reference(credential[1:])
    return masked_reference(credential)


def _triggered(items: Sequence[Any], sensitive: Collection[str]) -> bool:
    return any(isinstance(item, str) and (bool(sensitive) or has_trigger(item)) for item in items)


def mask_items(
    items: Sequence[Any], sensitive: Collection[str] = (), named: bool = True
) -> list[Any]:
    """``items`` (the words of one command line: an exec-form list, or ``[text]``) with each
    credential found by form replaced (:func:`_replacement`); other items unchanged.

    Args:
        items: strings (other items are kept and break a command line's context).
        sensitive: extra secret names (a profile's ``sensitive:``) for ``NAME=X`` and
            ``--NAME X`` forms, besides :func:`stackgen.output.secret_rule.is_secret_key`'s.
        named: whether the ``NAME=X`` and ``--NAME X`` forms apply; free text (a message,
            whose ``path.to.key=value`` is no assignment) leaves them to the known values.
    """
    if not _triggered(items, sensitive):
        return list(items)
    out: list[Any] = []
    for item, spans in zip(items, _stream_spans(items, sensitive, named), strict=True):
        if not spans:
            out.append(item)
            continue
        parts: list[str] = []
        pos = 0
        for start, end in _merged(spans):
            parts += [item[pos:start], _replacement(item[start:end])]
            pos = end
        parts.append(item[pos:])
        out.append("".join(parts))
    return out


def mask_credentials(text: str, sensitive: Collection[str] = (), named: bool = True) -> str:
    """``text`` with each credential found by form masked: ``postgres://app:pw@db/app`` ->
    ``postgres://app:***@db/app``, ``curl -u admin:pw URL`` -> ``curl -u admin:*** URL``,
    ``-p${DB_PASSWORD}`` kept (``named``: as :func:`mask_items`). Linear in ``text``."""
    return str(mask_items([text], sensitive, named)[0])


def credentials_in(items: Sequence[Any], sensitive: Collection[str] = ()) -> set[str]:
    """The literal credentials (not references) found by form in ``items`` (as
    :func:`mask_items` reads them)."""
    if not _triggered(items, sensitive):
        return set()
    return _found(items, sensitive)


def _found(
    items: Sequence[Any], sensitive: Collection[str] = (), verdicts: dict[str, bool] | None = None
) -> set[str]:
    """:func:`credentials_in` of ``items`` known to trigger; ``verdicts``: whether each
    credential text read so far is a literal, kept across calls."""
    found: set[str] = set()
    if verdicts is None:
        verdicts = {}
    for item, spans in zip(items, _stream_spans(items, sensitive), strict=True):
        for start, end in _merged(spans):
            credential = item[start:end]
            literal = verdicts.get(credential)
            if literal is None:
                literal = verdicts[credential] = _replacement(credential) == MASK
            if literal:
                found.add(credential)
    return found


def credential_values(
    data: Any,
    sensitive: Collection[str] = (),
    strings: tuple[list[str], list[list[Any]]] | None = None,
) -> set[str]:
    """Every literal credential found by form in the strings of parsed YAML ``data`` (a
    list of strings read as one command line), for the known secret values that masking
    searches free text for (:mod:`stackgen.output.inputs`).

    Args:
        data: parsed YAML (mappings, lists, scalars).
        sensitive: extra secret names (:func:`mask_items`).
        strings: the strings standing alone in ``data`` and its lists, as
            :func:`stackgen.output.secret_rule.secret_values` collects them in its walk:
            read from there; None: found by walking ``data``.
    """
    # each string standing alone (a mapping's value, the root) and each list's strings read
    # as one command line: the items :func:`credentials_in` reads
    singles, lines = _strings(data) if strings is None else strings
    found: set[str] = set()
    if sensitive:  # every string is read (the name rule applies to any of them)
        for text in singles:
            found |= credentials_in([text], sensitive)
        for items in lines:
            found |= credentials_in(items, sensitive)
        return found
    # a large file repeats many strings and command lines: each is read once
    singles = list(dict.fromkeys(singles))
    lines = list({_line_key(items): items for items in lines}.values())
    texts = singles + ["\0".join(i for i in items if isinstance(i, str)) for items in lines]
    verdicts: dict[str, bool] = {}  # (a file repeats its references: `${DB_PASSWORD}`)
    for index in triggering(texts):
        items = [texts[index]] if index < len(singles) else lines[index - len(singles)]
        found |= _found(items, verdicts=verdicts)  # (the search found them triggering)
    return found


def _strings(data: Any) -> tuple[list[str], list[list[Any]]]:
    """The strings standing alone in ``data`` (a mapping's values, ``data`` itself) and the
    lists of ``data``, found by one walk."""
    singles: list[str] = []
    lines: list[list[Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for value in node.values():  # a mapping's strings taken here, not stacked
                if type(value) is str:
                    singles.append(value)
                elif isinstance(value, (dict, list, str)):
                    stack.append(value)
        elif isinstance(node, list):
            lines.append(node)
            stack.extend(item for item in node if isinstance(item, (dict, list)))
        elif isinstance(node, str):
            singles.append(node)
    return singles, lines


def _line_key(items: list[Any]) -> Any:
    """What tells two lists apart as command lines (their items, when all are scalars)."""
    key = tuple(items)
    try:
        hash(key)
    except TypeError:  # a mapping or list inside: kept apart
        return id(items)
    return key
