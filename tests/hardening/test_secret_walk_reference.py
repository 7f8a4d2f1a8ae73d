"""``secret_values`` judges scalars where they stand, without a call of their own: the
values, line-holding strings and keys it finds are those of the walk as first written
(kept here as the reference), on documents mixing names of things, secret names,
``KEY=value`` entries, scalars of every kind and ``sensitive:`` lists."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from stackgen.output.secret_rule import (
    _NAME_LISTS,
    _NAMED_SECTIONS,
    is_secret_key,
    secret_values,
)


def _reference(data: Any, multiline: list[str], keys: set[str]) -> set[str]:
    """The walk before scalars were judged in place (one call per node)."""
    names: set[str] = set()
    if isinstance(data, dict) and isinstance(data.get("sensitive"), list):
        names.update(str(n) for n in data["sensitive"])
    found: set[str] = set()

    def named(key: str, path: tuple[str, ...]) -> bool:
        index = len(path)
        if (index == 0 and key in _NAMED_SECTIONS) or (index == 1 and path[0] in _NAMED_SECTIONS):
            return False
        if index == 2 and path[0] == "services" and key in _NAME_LISTS:
            return False
        return is_secret_key(key, names)

    def leaf(node: Any, secret: bool) -> None:
        if secret and node is not None and not isinstance(node, bool):
            found.add(str(node))
        elif isinstance(node, str) and "\n" in node:
            multiline.append(node)

    def walk(node: Any, secret: bool, path: tuple[str, ...] = ()) -> None:
        if isinstance(node, dict):
            keys.update(map(str, node))
            shallow = len(path) < 3
            for key, value in node.items():
                here = (*path, str(key)) if shallow else path
                inner = secret or (named(str(key), path) if shallow else is_secret_key(key, names))
                if isinstance(value, (dict, list)):
                    walk(value, inner, here)
                else:
                    leaf(value, inner)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, str) and "=" in item:
                    key, _, value = item.partition("=")
                    if secret or is_secret_key(key, names):
                        found.add(value)
                        if "\n" in item:
                            multiline.append(item)
                        continue
                walk(item, secret, path)
        else:
            leaf(node, secret)

    walk(data, False)
    found.discard("")
    return found


_KEYS = st.sampled_from(
    [
        "services",
        "api",
        "secrets",
        "environment",
        "depends_on",
        "DB_PASSWORD",
        "x",
        "ſecret",
        "sensitive",
        "plain",
    ]
)
_SCALARS = (
    st.sampled_from(["hunter22", "a=b", "TOKEN=t0k", "=x", "k=\nv", "l1\nl2", "", "plain"])
    | st.integers(0, 2)
    | st.booleans()
    | st.none()
    | st.floats(0, 1)
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


@given(_DATA)
@settings(max_examples=400)
@example({"DB_PASSWORD": ["hunter22", 1, None, "a=b"], "x": [{"TOKEN": True}]})
@example({"services": {"api": {"depends_on": ["DB_PASSWORD=x"], "x": {"y": {"KEY": 0.5}}}}})
@example({"sensitive": ["plain"], "x": {"plain": "l1\nl2", "y": ["l1\nl2", "plain=k=\nv"]}})
@example(["TOKEN=t0k", ["l1\nl2"], "hunter22"])
@example("l1\nl2")
def test_the_walk_finds_what_the_reference_finds(data: Any) -> None:
    lines: list[str] = []
    keys: set[str] = set()
    want_lines: list[str] = []
    want_keys: set[str] = set()
    assert secret_values(data, multiline=lines, keys=keys) == _reference(
        data, want_lines, want_keys
    )
    assert lines == want_lines
    assert keys == want_keys
    assert secret_values(data) == _reference(data, [], set())
