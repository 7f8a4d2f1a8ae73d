"""Which entries the comparison leaves out as equal (diff/compare ``_same``): deepdiff's
notion of equal, types kept all the way down."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stackgen.diff.equal import _same

NAN = float("nan")


def _defined(x: Any, y: Any) -> bool:
    """The definition, node by node: the same type and equal at every node."""
    if type(x) is not type(y) or x != y:
        return False
    if isinstance(x, dict):
        return all(_defined(value, y[key]) for key, value in x.items())
    if isinstance(x, list | tuple):
        return all(map(_defined, x, y))
    return True


_SCALAR = st.sampled_from([0, 1, 1.0, True, False, None, "1", "", NAN, 2.5])
_DATA = st.recursive(
    _SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(_DATA, _DATA)
def test_same_as_defined_for_any_two_values(x: Any, y: Any) -> None:
    assert _same(x, y) is _defined(x, y)


@given(_DATA)
def test_same_as_defined_for_a_value_and_its_copy(x: Any) -> None:
    # (equal values, with the NaN objects shared: the case a value and its copy make)
    y = copy.copy(x)
    assert _same(x, y) is _defined(x, y)
    assert _same(x, copy.deepcopy(x)) is _defined(x, copy.deepcopy(x))
