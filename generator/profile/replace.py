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

from typing import Any

from ..yamlio.nodes import REPLACE_KEY, Tagged

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
