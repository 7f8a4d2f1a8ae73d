"""Cheap tests of whether text can hold a credential by form
(:mod:`stackgen.output.credentials`), so that most strings are never read word by word:
each is exact against the reading it spares (property-tested), and linear in the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from .secret_rule import SECRET_HINT, SECRET_KEY, SECRET_WORDS, holds_secret_word

#: the quotes a command line's word is stripped of
QUOTES = "'\"`"
#: option names (without dashes) that take a password, besides the secret-name rule's
#: (:mod:`stackgen.output.credentials`); each is a trigger word, so that the two cannot drift.
#: ``requirepass``/``masterauth``/``primaryauth``: the server's password options of the Redis,
#: Valkey and KeyDB images (redis.conf, also given as ``redis-server --requirepass X``)
PASS_OPTIONS = frozenset({"pass", "passwd", "pwd", "requirepass", "masterauth", "primaryauth"})
#: clients of common images and the short option whose next word is their password (each
#: client's manual): redis-cli ``-a``, SQL Server's sqlcmd ``-P``, Cassandra's cqlsh and
#: Neo4j's cypher-shell ``-p``, the MongoDB shells ``-p``, OpenLDAP's clients ``-w``
NEXT_PASSWORD_FLAGS: dict[str, str] = {
    **dict.fromkeys(("redis-cli", "valkey-cli", "keydb-cli"), "-a"),
    **dict.fromkeys(("sqlcmd",), "-P"),
    **dict.fromkeys(("cqlsh", "cypher-shell", "mongo", "mongosh"), "-p"),
    **dict.fromkeys(("ldapsearch", "ldapwhoami", "ldapadd", "ldapmodify", "ldapdelete"), "-w"),
}
#: the prefixes of a password hash in an htpasswd line (``user:HASH``: Apache's MD5, bcrypt,
#: SHA-1, as Traefik's and nginx's basic auth take them), a ``$`` possibly doubled in compose
HASH_PREFIXES = ("$apr1$", "$2a$", "$2b$", "$2y$", "{sha}")


def _fewest(words: Sequence[str]) -> tuple[str, ...]:
    """``words`` without those holding another of them (which finds them anyway), in order."""
    return tuple(w for w in dict.fromkeys(words) if not any(o != w and o in w for o in words))


#: :data:`TRIGGER`'s alternatives: plain words, lower case (for :func:`has_trigger`,
#: :func:`triggering`); a word holding another is left out (``auth`` finds ``authorization``)
TRIGGER_WORDS = _fewest(
    (
        *("@", "bearer", "basic", "authorization", *sorted(PASS_OPTIONS), *SECRET_WORDS),
        *("curl", "wget", "etcdctl", "mysql", "mariadb", "-cli", "ldap", "="),
        *sorted(NEXT_PASSWORD_FLAGS),
        *HASH_PREFIXES,
    )
)
#: where a string may hold a credential by form; others are not split into words
TRIGGER = re.compile("|".join(map(re.escape, TRIGGER_WORDS)), re.IGNORECASE)


def _grouped(words: Sequence[str]) -> re.Pattern[str]:
    """A case-sensitive pattern finding any of ``words``, its alternatives grouped by their
    first character (``b(?:earer|asic)``): at each position the engine tries one group, so
    one search of lower-case ASCII text costs less than a ``str.find`` per word."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return re.compile(
        "|".join(
            re.escape(first) + ("" if "" in rests else f"(?:{'|'.join(rests)})")
            for first, rests in groups.items()
        )
    )


#: :data:`TRIGGER` for lower-case ASCII text (where the two find the same)
_LOW_TRIGGER = _grouped(TRIGGER_WORDS)
#: a short option cluster that may end in curl's ``-u`` (``-fsu``), lower case
_U_CLUSTER = re.compile(r"-[a-z0-9#]*u")
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
    curl = "curl" in low
    if (curl or "wget" in low or "etcdctl" in low) and (
        "-u" in low or (curl and _U_CLUSTER.search(low))
    ):
        return True  # a client's -u/-U/--user/--proxy-user, curl's -fsu (after the client)
    if "-p" in low and ("mysql" in low or "mariadb" in low):
        return True  # mysql -pX
    if ("-a" in low or "-p" in low or "-w" in low) and any(
        client in low and flag.lower() in low for client, flag in NEXT_PASSWORD_FLAGS.items()
    ):
        return True  # redis-cli -a X, sqlcmd -P X
    # (each of PASS_OPTIONS holds `pass`, `pwd` or `auth`)
    if not ("pass" in low or "pwd" in low or "auth" in low):
        if not named:
            return False
        # the name rule's words (ASCII: as lower case; else by its regex: `ſecret`)
        joined = "\0".join(texts)
        if joined.isascii():
            if not holds_secret_word(low):
                return False
        elif SECRET_HINT.search(joined) is None:
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
    :data:`_LOW_TRIGGER` in a lower-case copy, many times faster than the case-blind
    pattern; other text by the pattern (Unicode case folding: ``ſ`` is an ``s``)."""
    if text.isascii():
        return _LOW_TRIGGER.search(text.lower()) is not None
    return TRIGGER.search(text) is not None


def triggering(texts: list[str]) -> set[int]:
    """The indexes of the ``texts`` :data:`TRIGGER` finds something in (most hold nothing),
    searched all at once, joined by NUL: no alternative of the pattern holds one, so a hit
    never spans two texts. ASCII text (the common case) is searched by :data:`_LOW_TRIGGER`
    in a lower-case copy, many times faster than the case-blind pattern; other text by the
    pattern itself (Unicode case folding: ``ſ`` is an ``s``)."""
    starts: list[int] = []
    at = 0
    for text in texts:
        starts.append(at)
        at += len(text) + 1
    starts.append(at)  # (the end)
    joined = "\0".join(texts)
    hits: set[int] = set()
    pattern, text = (_LOW_TRIGGER, joined.lower()) if joined.isascii() else (TRIGGER, joined)
    hit = pattern.search(text)
    while hit is not None:
        index = bisect_right(starts, hit.start()) - 1
        hits.add(index)
        hit = pattern.search(text, starts[index + 1])
    return hits
