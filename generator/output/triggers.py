"""Cheap tests of whether text can hold a credential by form
(:mod:`stackgen.output.credentials`), so that most strings are never read word by word:
each is exact against the reading it spares (property-tested), and linear in the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from .secret_rule import SECRET_KEY

#: the quotes a command line's word is stripped of
QUOTES = "'\"`"
#: option names (without dashes) that take a password, besides the secret-name rule's
#: (:mod:`stackgen.output.credentials`); each is a trigger word, so that the two cannot drift
PASS_OPTIONS = frozenset({"pass", "passwd", "pwd"})
#: :data:`TRIGGER`'s alternatives: plain words, lower case (for :func:`has_trigger`, :func:`triggering`)
TRIGGER_WORDS = (
    *("@", "bearer", "authorization", *sorted(PASS_OPTIONS), "secret", "token", "key"),
    *("curl", "wget", "mysql", "mariadb", "-cli", "-a", "="),
)
#: where a string may hold a credential by form; others are not split into words
TRIGGER = re.compile("|".join(map(re.escape, TRIGGER_WORDS)), re.IGNORECASE)
#: a word's part before its first ``=`` (a word starts where no non-space precedes it)
_NAME_PART = re.compile(r"(?<!\S)[^\s=]+")


def words_may_hold(items: Sequence[Any], named: bool) -> bool:
    """Whether the word by word reading of a command line (``items``: its strings, other
    items skipped) can find a credential, without ``sensitive`` names
    (:func:`stackgen.output.credentials._parsed_spans`): False only when what each of its
    word forms needs is absent, so that only URL passwords can be found. Lower-cased by
    ``str.lower`` as its words are (a substring's lower case is one of the whole's), and the
    name rule's regex on a name itself (Unicode folding: ``ſecret``), as its
    ``_names_secret`` does; ``named``: the forms resting on the name rule apply (else only
    password names count)."""
    texts = [item for item in items if isinstance(item, str)]
    low = "\0".join(texts).lower()
    if "authorization:" in low or "bearer" in low:
        return True  # `Authorization: Basic X`, `Bearer X`
    if ("curl" in low or "wget" in low) and "-u" in low:
        return True  # a client's -u/-U/--user/--proxy-user (a word after the client)
    if (("mysql" in low or "mariadb" in low) and "-p" in low) or ("-cli" in low and "-a" in low):
        return True  # mysql -pX, redis-cli -a X
    if not any(word in low for word in PASS_OPTIONS):
        if not named:
            return False
        # the name rule's words (ASCII: as lower case; else by its own regex: `ſecret`)
        joined = "\0".join(texts)
        if joined.isascii():
            if "secret" not in low and "token" not in low and "key" not in low:
                return False
        elif SECRET_KEY.search(joined) is None:
            return False
    for text in texts:
        for hit in _NAME_PART.finditer(text):
            # a word's part before its first `=`: the name of an option (`--password X`)
            # or of an assignment (`PGPASSWORD=X`); only a name can make what follows secret
            name = hit.group()
            if not (name.lstrip(QUOTES).startswith("-") or text.startswith("=", hit.end())):
                continue
            name_low = name.lower()
            if any(word in name_low for word in PASS_OPTIONS) or (
                named and SECRET_KEY.search(name)
            ):
                return True
    return False


def has_trigger(text: str) -> bool:
    """Whether :data:`TRIGGER` finds something in ``text``: ASCII text (the common case) by
    ``str.find`` of its words in a lower-case copy, many times faster than the case-blind
    pattern; other text by the pattern (Unicode case folding: ``ſ`` is an ``s``)."""
    if text.isascii():
        low = text.lower()
        return any(word in low for word in TRIGGER_WORDS)
    return TRIGGER.search(text) is not None


def triggering(texts: list[str]) -> set[int]:
    """The indexes of the ``texts`` :data:`TRIGGER` finds something in (most hold nothing),
    searched all at once, joined by NUL: no alternative of the pattern holds one, so a hit
    never spans two texts. ASCII text (the common case) is searched with ``str.find`` for
    each of the pattern's words in a lower-case copy, many times faster than the case-blind
    pattern; other text by the pattern itself (Unicode case folding: ``ſ`` is an ``s``)."""
    starts: list[int] = []
    at = 0
    for text in texts:
        starts.append(at)
        at += len(text) + 1
    starts.append(at)  # (the end)
    joined = "\0".join(texts)
    hits: set[int] = set()
    if joined.isascii():
        low = joined.lower()
        for word in TRIGGER_WORDS:
            at = low.find(word)
            while at >= 0:
                index = bisect_right(starts, at) - 1
                hits.add(index)
                at = low.find(word, starts[index + 1])
        return hits
    hit = TRIGGER.search(joined)
    while hit is not None:
        index = bisect_right(starts, hit.start()) - 1
        hits.add(index)
        hit = TRIGGER.search(joined, starts[index + 1])
    return hits
