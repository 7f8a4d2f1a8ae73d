"""How the compose-spec check sees a file (compose/validate ``_schema_view``): copy on write."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stackgen.compose.validate import _schema_view
from stackgen.yamlio.nodes import Tagged


def _copied(value: Any) -> Any:
    """The view as defined: ``!reset`` entries dropped, ``!override`` unwrapped, keys as
    text, every container a new one."""
    if isinstance(value, Tagged):
        return _copied(value.value)
    if isinstance(value, dict):
        return {
            str(k): _copied(v)
            for k, v in value.items()
            if not (isinstance(v, Tagged) and v.tag == "!reset")
        }
    if isinstance(value, list):
        return [_copied(v) for v in value if not (isinstance(v, Tagged) and v.tag == "!reset")]
    return value


_SCALAR = (
    st.text(max_size=3) | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
)
_DATA = st.recursive(
    _SCALAR,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=2) | st.integers(0, 3), inner, max_size=4)
        | st.builds(Tagged, st.sampled_from(["!reset", "!override"]), inner)
    ),
    max_leaves=25,
)


@given(_DATA)
def test_the_view_is_the_copy_and_shares_what_does_not_change(data: Any) -> None:
    view = _schema_view(data)
    expected = _copied(data)
    assert view == expected
    assert type(view) is type(expected)
    if view == data and repr(view) == repr(data):
        # nothing to change (no tag, text keys only): the data itself, not a copy
        assert view is data
