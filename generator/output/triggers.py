"""Cheap tests of whether text can hold a credential by form
(:mod:`stackgen.output.credentials`), so that most strings are never read word by word:
each is exact against the reading it spares (property-tested), and linear in the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from .secret_rule import SECRET_HINT, SECRET_KEY, SECRET_WORDS

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
    if ("curl" in low or "wget" in low or "etcdctl" in low) and _U_CLUSTER.search(low):
        return True  # a client's -u/-U/--user/--proxy-user, -fsu (a word after the client)
    if ("mysql" in low or "mariadb" in low) and "-p" in low:
        return True  # mysql -pX
    if any(c in low and f.lower() in low for c, f in NEXT_PASSWORD_FLAGS.items()):
        return True  # redis-cli -a X, sqlcmd -P X
    if not any(word in low for word in PASS_OPTIONS):
        if not named:
            return False
        # the name rule's words (ASCII: as lower case; else by its regex: `ſecret`)
        joined = "\0".join(texts)
        if joined.isascii():
            if not any(word in low for word in SECRET_WORDS):
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
