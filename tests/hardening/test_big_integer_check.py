"""The integers beyond Go's int64 in a document compose is about to read
(:func:`stackgen.compose.readable.value_errors`) are looked for by one cheap loop first
(``_may_hold_big_integer``), and the walk that names their paths runs only when it may find
one: the problems are exactly those of the walk alone, and a big integer anywhere (deep, in a
list, at the root, in a mapping of another type) is still found."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stackgen.compose import readable
from stackgen.compose.goparse import INT64_MAX, INT64_MIN
from stackgen.yamlio.nodes import Tagged

_EDGES = [INT64_MAX, INT64_MAX + 1, INT64_MIN, INT64_MIN - 1, 2**64, -(2**100), 0, 5]
_SCALARS = (
    st.sampled_from(_EDGES)
    | st.integers()
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=False)
    | st.text(max_size=4)
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=3) | st.integers(0, 3), inner, max_size=4)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3).map(MappingProxyType)
        | st.builds(Tagged, st.just("!reset"), inner)
    ),
    max_leaves=25,
)


def _walk_alone(data: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str]]:
    """value_errors as it was: the walk on every document."""
    with monkeypatch.context() as patched:
        patched.setattr(readable, "_may_hold_big_integer", lambda data: True)
        return readable.value_errors(data)


@settings(max_examples=400, deadline=None)
@given(_DATA)
@example({"services": {"a": {"deploy": {"replicas": INT64_MAX + 1}}}})
@example({"services": {"a": {"ulimits": {"nofile": [1, INT64_MIN - 1]}}}})
@example({"x": MappingProxyType({"y": 2**70})})
@example(2**64)
@example([True, INT64_MAX, INT64_MIN])
def test_the_check_finds_what_the_walk_finds(data: Any) -> None:
    found = readable._big_integers(data, ())
    if found:  # the loop never says no where the walk finds one
        assert readable._may_hold_big_integer(data)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert readable.value_errors(data) == _walk_alone(data, monkeypatch)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"services": {"a": {"x": [{"y": INT64_MAX + 1}]}}}, ("services", "a", "x", 0, "y")),
        ({"services": {"a": {"cpu_shares": INT64_MIN - 1}}}, ("services", "a", "cpu_shares")),
        ({"volumes": MappingProxyType({"v": {"n": 2**64}})}, ("volumes", "v", "n")),
        ([1, [2, [3, -(2**80)]]], (1, 1, 1)),
    ],
)
def test_a_big_integer_anywhere_is_still_found(data: Any, path: tuple[Any, ...]) -> None:
    assert readable._may_hold_big_integer(data)
    assert [p for p, _ in readable.value_errors(data)] == [path]


def test_the_int64_bounds_and_booleans_are_no_problem() -> None:
    data = {"services": {"a": {"n": [INT64_MAX, INT64_MIN, True, False, 1.0e18]}}}
    assert not readable._may_hold_big_integer(data)
    assert readable.value_errors(data) == []
    # a float beyond int64 makes the pre-check walk (compose refuses it where it makes an
    # integer of it: tests/hardening/test_big_float_casts.py); elsewhere it is no problem
    data = {"services": {"a": {"n": [1.0e30]}}}
    assert readable._may_hold_big_integer(data)
    assert readable.value_errors(data) == []
