"""Per-process memo of stackgen's own kind partials, keyed on the values they read.

A partial's output is decided by the values of the context variables it reads (its source
fixed): two services whose partial reads the same values get the same defaults. Which names
a partial reads is Jinja's analysis of its source (:func:`template_reads`); running that
analysis costs a template parse (milliseconds a partial, more than a small render spends on
its partials), so the answers for stackgen's own partials are kept in :data:`OWN_READS`,
each with the SHA-256 of the source it was made from: a partial whose source differs (or
that is not listed) is simply not memoised. ``tests/render/test_kind_memo.py`` checks the
table against the analysis of every partial.

A user's ``--templates`` partial is never memoised: its file may change between renders of
one process, and its errors name its own lines, which only a render can find.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from pydantic import BaseModel

from ..targets.compose.templating import own_source

#: stackgen's own partial → (SHA-256 of its source, the names it reads: the context names
#: of :func:`stackgen.targets.compose.templating.template_reads`); kept by the tests
OWN_READS: dict[str, tuple[str, frozenset[str]]] = {
    "kinds/_app.yml.j2": (
        "cb8c3e1c4536db00eb32afe495fafbd2b4536b3a1b27ab54c0fa4afeeaee9188",
        frozenset({"image"}),
    ),
    "kinds/_clickhouse.yml.j2": (
        "8d32af0d10c47cff607838fe7d7d03e0e437cd44d5010a7047737067d0ae205e",
        frozenset({"image", "name"}),
    ),
    "kinds/_kafka.yml.j2": (
        "dd456c2e94e3c4c98ead83faa6d62f85bca9d071c25e21d71cf6ae46926f6f4d",
        frozenset({"image", "kafka", "name", "tool", "zookeeper"}),
    ),
    "kinds/_otel-collector.yml.j2": (
        "935cefdab2302f1dbf04f7c81e90615f8612fca2799f6e2e55bc9581732339c7",
        frozenset({"image"}),
    ),
    "kinds/_postgres.yml.j2": (
        "75b3db6daddfc5a48df27d4e422f2c60cea3ad5658d00b0c3191026f17a11348",
        frozenset({"d", "env", "env_file", "image", "name", "u"}),
    ),
    "kinds/_redis.yml.j2": (
        "21f5e719df0866aee0de003db34c31c53b39a84026b8bab196d13a9009d2a5a3",
        frozenset({"args", "env", "image", "name", "namespace"}),
    ),
    "kinds/_zookeeper.yml.j2": (
        "d22f3e25b954e9bedd9a16d851e54fecaf8b1e64b6e009068bbe0d396fda6536",
        frozenset({"image", "name"}),
    ),
}

#: entries kept at most (the project's cache size); the oldest goes first
MAX_ENTRIES = 1 << 16


class _Unfrozen(Exception):
    """A value with no exact hashable form: the render is not memoised."""


def source_hash(source: str) -> str:
    """SHA-256 (hex) of a template's source, as :data:`OWN_READS` records it."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


@cache
def own_reads(template: str) -> tuple[str, ...] | None:
    """The names stackgen's own ``template`` reads, sorted; None when it is not memoised (not
    in :data:`OWN_READS`, or its source is not the one the table was made from)."""
    entry = OWN_READS.get(template)
    source = own_source(template) if entry is not None else None
    if entry is None or source is None or source_hash(source) != entry[0]:
        return None
    return tuple(sorted(entry[1]))


#: a key's part for a name the template reads that the context lacks (it then resolves to a
#: global or to undefined, alike on every render)
_ABSENT = object()


def freeze(value: Any) -> Any:
    """An exact hashable form of ``value``: equal forms only for values a template cannot
    tell apart. Text and None stand for themselves (neither equals anything else a form can
    be); every other scalar is paired with its type (``True == 1 == 1.0`` in Python, not in
    a template's output), a float with its ``repr`` (``0.0 == -0.0``); a dict keeps its
    order, a pydantic model its class and every field (and extras); any other type raises
    :class:`_Unfrozen`.
    """
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is int or kind is bool:
        return (kind, value)
    if kind is float:
        return (kind, repr(value))
    if kind is dict:
        return (kind, tuple((freeze(k), freeze(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return (kind, tuple(freeze(v) for v in value))
    if isinstance(value, BaseModel) and not value.__pydantic_private__:
        fields = tuple((name, freeze(getattr(value, name))) for name in kind.model_fields)
        return (kind, fields, freeze(dict(value.__pydantic_extra__ or {})))
    raise _Unfrozen(kind.__name__)


def memo_key(template: str, context: dict[str, Any]) -> tuple[Any, ...] | None:
    """The memo key of rendering stackgen's own ``template`` with ``context``: the template
    and the frozen value of each name it reads (:func:`own_reads`: one place a name);
    None when it is not memoised."""
    names = own_reads(template)
    if names is None:
        return None
    try:
        return (template, *[freeze(context[n]) if n in context else _ABSENT for n in names])
    except _Unfrozen:
        return None


class Memo(dict[tuple[Any, ...], Any]):
    """A dict that keeps at most :data:`MAX_ENTRIES` entries (the oldest goes first)."""

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        """Remember ``value`` under ``key``."""
        if len(self) >= MAX_ENTRIES:
            del self[next(iter(self))]
        self[key] = value
