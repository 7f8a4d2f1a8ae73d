"""Which parts of two canonical models the comparison can leave out as equal (deepdiff's
notion of equal: types kept all the way down), so that deepdiff walks only what differs."""

from __future__ import annotations

from typing import Any

#: top-level mappings of named entries: reported per entry, never as one whole value
ENTRY_MAPS = frozenset({"services", "networks", "volumes", "secrets", "configs"})


def without_equal_entries(a: Any, b: Any) -> tuple[Any, Any]:
    """``a`` and ``b`` (canonical data) less the named entries (services, volumes, …) that are
    the same on both sides, so only what differs is prepared and walked by deepdiff: on a
    large stack with a few edited services that was most of the diff's time, and nothing is
    reported for an equal entry anyway.

    Equal is :func:`_same`: deepdiff's notion (types kept, mapping key order ignored). A
    service on both sides that differs keeps only its fields that differ (each field is
    compared and reported on its own: its equal siblings change nothing).
    """
    if not (isinstance(a, dict) and isinstance(b, dict)):
        return a, b
    a, b = dict(a), dict(b)
    for field in ENTRY_MAPS:
        left, right = a.get(field), b.get(field)
        if not (isinstance(left, dict) and isinstance(right, dict)):
            continue
        left, right = _unequal(left, right)
        if field == "services":
            for name in [k for k in left if k in right]:
                if isinstance(left[name], dict) and isinstance(right[name], dict):
                    left[name], right[name] = _unequal(left[name], right[name])
        a[field], b[field] = left, right
    return a, b


def _unequal(left: dict[Any, Any], right: dict[Any, Any]) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """New copies of ``left`` and ``right`` without the keys both hold equal (:func:`_same`)."""
    drop = {k for k in left if k in right and _same(left[k], right[k])}
    return (
        {k: v for k, v in left.items() if k not in drop},
        {k: v for k, v in right.items() if k not in drop},
    )


def _same(x: Any, y: Any) -> bool:
    """Equal values of the same types all the way down (``1``, ``1.0``, ``True`` and ``"1"``
    differ, as deepdiff reports a type change); mappings in any key order, lists in order."""
    if type(x) is not type(y) or x != y:
        return False
    return _same_inside(x, y)


def _same_inside(x: Any, y: Any) -> bool:
    """:func:`_same` of ``x`` and ``y`` of one type that compare equal: so their items pair
    up (the same keys, the same length) and compare equal (or are the same object); what
    is left is each pair's types and, for a scalar, its own comparison (NaN is not equal to
    itself, though a list holding the same NaN object compares equal)."""
    if isinstance(x, dict):
        pairs: Any = ((value, y[key]) for key, value in x.items())
    elif isinstance(x, list | tuple):
        pairs = zip(x, y, strict=True)  # (equal: the same length)
    else:
        return True
    for a, b in pairs:
        if type(a) is not type(b):
            return False
        if isinstance(a, dict | list | tuple):
            if not _same_inside(a, b):
                return False
        elif a != b:
            return False
    return True
