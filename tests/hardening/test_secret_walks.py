"""The names a diff's secret values are checked against (masking's ``unnamed``) come from
the same walk that finds the values: the same names, and the same values left."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stackgen.output.masking import keys_of, secret_values, unnamed

_TEXT = st.sampled_from(["db-pass", "pass", "hunter2", "api", "x-token", "a\nb", "b", "a"])
_DATA = st.recursive(
    _TEXT | st.integers(0, 3) | st.none(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["PASSWORD", "api", "db-pass", "TOKEN", "a", "b"]), inner, max_size=3
        )
    ),
    max_leaves=15,
)


@given(_DATA)
def test_the_walk_finds_every_key(data: Any) -> None:
    names: set[str] = set()
    assert secret_values(data, keys=names) == secret_values(data)
    assert names == set(keys_of(data))


@given(_DATA, st.sets(_TEXT.filter(lambda v: "\n" not in v)))
def test_without_a_line_break_the_order_of_the_names_does_not_matter(
    data: Any, values: set[str]
) -> None:
    names = keys_of(data)
    assert unnamed(values, set(names)) == unnamed(values, names)
    assert unnamed(values, sorted(set(names))) == unnamed(values, names)
