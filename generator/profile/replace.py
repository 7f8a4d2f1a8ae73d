"""Replacing instead of merging in a profile overlay: ``!replace`` (or compose's own
``!override``) on a value, or a mapping ``{$replace: VALUE}``.

The overlay rule (:mod:`stackgen.profile.overlay`) merges a mapping into a mapping key by key; to
rename every domain, or drop all of a service's environment but two keys, an overlay says
that its value *replaces* the base's whole::

    domains: !replace
      app.prod.example.test: frontend:3001
    services:
      backend:
        environment: {$replace: {LOG_LEVEL: info}}

Lists and scalars always replace, so the marker matters only for mappings; it is accepted on
any value. Once the overlay is merged the markers are gone: the profile model never sees them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from ..yamlio.nodes import REPLACE_KEY, Document, Path_, Tagged

_V = TypeVar("_V")

#: tags that make an overlay value replace the base value whole
REPLACE_TAGS = frozenset({"!replace", "!override"})


def replacement(value: Any) -> tuple[bool, Any]:
    """``(True, VALUE)`` when ``value`` is marked to replace (``!replace VALUE`` or
    ``{$replace: VALUE}``), else ``(False, value)``."""
    if isinstance(value, Tagged) and value.tag in REPLACE_TAGS:
        return True, value.value
    if isinstance(value, dict) and len(value) == 1 and REPLACE_KEY in value:
        return True, value[REPLACE_KEY]
    return False, value


#: the types of a parsed scalar: never a marker (a tagged value is a Tagged)
_SCALARS = frozenset({str, int, float, bool, type(None)})


def unmarked(value: Any) -> Any:
    """``value`` with every replace marker, at any depth, taken off (a marked value on a key
    the base does not have, or in a profile without a base, is just its value).

    Copies only what changes: a mapping or list holding no marker is returned itself (the
    common case, a whole profile without any, costs one walk and no copy); one that holds
    some is a new one sharing its unchanged values.
    """
    marked, inner = replacement(value)
    if marked:
        return unmarked(inner)
    if isinstance(value, dict):
        out: dict[Any, Any] | None = None
        for key, item in value.items():
            if type(item) in _SCALARS:
                continue  # most values: nothing to take off, no call
            new = unmarked(item)
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if isinstance(value, list):
        items: list[Any] | None = None
        for index, item in enumerate(value):
            if type(item) in _SCALARS:
                continue
            new = unmarked(item)
            if new is not item:
                if items is None:
                    items = list(value)
                items[index] = new
        return value if items is None else items
    return value


def unmarked_tables(doc: Document) -> Document:
    """``doc`` with the paths of its marks and texts as they read once its replace markers are
    taken off: the key of a ``{$replace: VALUE}`` mapping leaves every path through it, as the
    mapping leaves the data (``services.web.environment.$replace.A`` is
    ``services.web.environment.A``). A tag adds no key to a path, so ``!replace`` moves none.

    Without this, the source text of a number or boolean inside the marked value was put back
    at a path the data no longer has: lost (``{$replace: {A: 1.10}}`` rendered ``A: "1.1"``)
    or written into a scalar (``{$replace: 3}`` failed with a TypeError).

    Args:
        doc: a document as read, markers still in its data (the overlay needs them).

    Returns:
        ``doc`` itself when no path holds the key; else a copy with new tables (where a moved
        path meets one already there, the one there stays: a marker mapping's own mark).
    """
    if doc.replace_free:
        return doc
    marks = _moved(doc.data, doc.marks)
    texts = _moved(doc.data, doc.texts)
    if marks is doc.marks and texts is doc.texts:
        return doc
    return replace(doc, marks=marks, texts=texts)


def _moved(data: Any, table: dict[Path_, _V]) -> dict[Path_, _V]:
    """``table`` re-keyed by :func:`_unmarked_path` (itself when no path holds the key)."""
    through = [path for path in table if REPLACE_KEY in path]
    if not through:
        return table
    out = {path: value for path, value in table.items() if REPLACE_KEY not in path}
    for path in through:
        out.setdefault(_unmarked_path(data, path), table[path])
    return out


def _unmarked_path(data: Any, path: Path_) -> Path_:
    """``path`` into ``data`` without the key of each ``{$replace: VALUE}`` mapping it
    passes through (the path of the same value once :func:`unmarked` has run)."""
    out: list[Any] = []
    node = data
    for part in path:
        while isinstance(node, Tagged):
            node = node.value  # a tagged value's paths are its value's
        if part == REPLACE_KEY and replacement(node)[0]:
            node = node[REPLACE_KEY]
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and type(part) is int and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)
