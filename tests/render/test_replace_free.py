"""A profile the one-pass reader proved free of replace markers (``Document.replace_free``) is
not walked to take them off (:func:`stackgen.profile.overlay.read_chain`): the data is exactly
what the walk (:func:`stackgen.profile.replace.unmarked`) would give; and every way of
writing a marker still makes the reader say it may hold one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stackgen.profile.load import load_profile
from stackgen.profile.overlay import read_chain
from stackgen.profile.replace import unmarked
from stackgen.yamlio import loader
from stackgen.yamlio.nodes import REPLACE_KEY, Document, Tagged


class _Dumper(yaml.SafeDumper):
    """Writes a :class:`Tagged` as its tag on its value (how a profile spells it)."""


def _tagged(dumper: yaml.SafeDumper, value: Tagged) -> yaml.Node:
    node: yaml.Node = dumper.represent_data(value.value)
    node.tag = value.tag
    return node


_Dumper.add_representer(Tagged, _tagged)

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=6))
# `$replace` often, alone or beside other keys; `$replace` spelt otherwise never counts
_keys = st.one_of(
    st.sampled_from([REPLACE_KEY, "a", "b", "$replac", "$replace "]), st.text(max_size=4)
)
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(_keys, inner, max_size=3),
        st.builds(Tagged, st.sampled_from(["!replace", "!override", "!reset"]), inner),
    ),
    max_leaves=20,
)


def _has_marker(value: Any) -> bool:
    """Whether ``value`` holds a replace marker anywhere (by hand, not by unmarked)."""
    if isinstance(value, Tagged):
        return value.tag in ("!replace", "!override") or _has_marker(value.value)
    if isinstance(value, dict):
        if len(value) == 1 and REPLACE_KEY in value:
            return True
        return any(_has_marker(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_marker(v) for v in value)
    return False


def _general(text: str) -> Document:
    """``text`` read the general way (the one pass switched off)."""
    saved = loader.build_from_events
    loader.build_from_events = lambda *a, **k: None  # type: ignore[assignment]
    try:
        return loader.load_text(text, "p.yml")
    finally:
        loader.build_from_events = saved


@settings(max_examples=300, deadline=None)
@given(_data, st.booleans(), st.sampled_from([None, '"', "'"]))
def test_the_skip_gives_what_the_walk_gives(data: Any, flow: bool, style: str | None) -> None:
    text = yaml.dump(
        {"name": "p", "v": data},
        Dumper=_Dumper,
        default_flow_style=flow,
        default_style=style,
        sort_keys=False,
        allow_unicode=False,  # (escapes: a key `$replace` may be written `"\x24replace"`)
    )
    doc = loader.load_text(text, "p.yml")
    if doc.replace_free:
        assert not _has_marker(doc.data), text  # never claimed where a marker stands
        assert unmarked(doc.data) is doc.data
    elif style is None and not _has_marker(data) and not _tagged_anywhere(data):
        pytest.fail(f"a plain document without a marker was not proved free:\n{text}")
    # the profile as read_chain gives it, against the general reading walked for markers
    got = read_chain(Path("p.yml"), parsed=doc).data
    assert got == unmarked(_general(text).data), text


def _tagged_anywhere(value: Any) -> bool:
    if isinstance(value, Tagged):
        return True
    if isinstance(value, dict):
        return any(_tagged_anywhere(v) for v in value.values())
    if isinstance(value, list):
        return any(_tagged_anywhere(v) for v in value)
    return False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: p\nv: {$replace: 1}\n", 1),  # flow mapping
        ("name: p\nv:\n  $replace:\n    a: 1\n", {"a": 1}),  # block mapping
        ('name: p\nv: {"$replace": [1]}\n', [1]),  # double-quoted key
        ("name: p\nv:\n  '$replace': x\n", "x"),  # single-quoted key
        ('name: p\nv: {"\\x24replace": x}\n', "x"),  # an escape spells the `$`
        ('name: p\nv: {"\\u0024replace": x}\n', "x"),
        ('name: p\nv:\n  ? "$rep\\\n    lace"\n  : x\n', "x"),  # an escaped line break
        ("name: p\nv: [a, {$replace: {b: 2}}]\n", ["a", {"b": 2}]),  # inside a list
        ("name: p\nv: {w: {x: {y: {$replace: z}}}}\n", {"w": {"x": {"y": "z"}}}),  # deep
        ("name: p\nv: {$replace : 1}\n", 1),  # (a space before the colon: the same key)
        ("name: p\nv: !replace {a: 1}\n", {"a": 1}),  # the tags
        ("name: p\nv: !override [1]\n", [1]),
        ("name: p\nv: &m {$replace: 1}\nw: *m\n", 1),  # read the general way (an alias)
    ],
)
def test_a_marker_written_any_way_is_still_taken_off(text: str, expected: Any) -> None:
    doc = loader.load_text(text, "p.yml")
    assert not doc.replace_free
    assert read_chain(Path("p.yml"), parsed=doc).data["v"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "name: p\nv: {$replace: 1, a: 2}\n",  # beside another key: plain data, kept
        "name: p\nv: {$replaced: 1}\n",
        "name: p\nv: '$replace'\n",  # a value, not a key
        "name: p\n# v: {$replace: 1}\n",  # a comment
    ],
)
def test_what_is_no_marker_keeps_the_skip_exact(text: str) -> None:
    doc = loader.load_text(text, "p.yml")
    assert doc.replace_free is (not _has_marker(doc.data))
    general = unmarked(_general(text).data)
    assert read_chain(Path("p.yml"), parsed=doc).data == general


_PROFILE = (
    "name: p\nservices:\n  web:\n    image: 'nginx:1.27'\n    environment: {A: '1', B: '2'}\n"
)


def test_markers_in_set_values_and_bases_are_still_taken_off(tmp_path: Path) -> None:
    # the profile itself holds no marker (its walk is skipped); a --set value's is taken off
    # by the overlay
    profile = tmp_path / "p.yml"
    profile.write_text(_PROFILE, encoding="utf-8")
    assert loader.load_file(profile).replace_free
    sets = ["services.web.environment={$replace: {C: '3'}}", "services.web.labels=!replace {x: y}"]
    web = load_profile(profile, sets).profile.services["web"]
    assert dict(web.environment) == {"C": "3"}
    assert dict(web.labels) == {"x": "y"}
    # a base holding a marker (read without a base of its own), under a marker-free overlay
    base = tmp_path / "base.yml"
    base.write_text(_PROFILE.replace("{A: '1', B: '2'}", "{$replace: {D: '4'}}"), encoding="utf-8")
    top = tmp_path / "top.yml"
    top.write_text("extends: base.yml\nname: top\n", encoding="utf-8")
    assert loader.load_file(top).replace_free and not loader.load_file(base).replace_free
    web = load_profile(top).profile.services["web"]
    assert dict(web.environment) == {"D": "4"}


def test_a_marker_inside_a_value_replacing_a_value_of_another_type_is_taken_off(
    tmp_path: Path,
) -> None:
    # the base's environment is a list and its command a string: the overlay's mapping and
    # list replace them whole, and the markers inside them are taken off like any other
    base = tmp_path / "base.yml"
    base.write_text(
        "name: p\nservices:\n  web:\n    image: 'nginx:1.27'\n    environment: [A=1]\n"
        "    command: run\n",
        encoding="utf-8",
    )
    top = tmp_path / "top.yml"
    top.write_text(
        "extends: base.yml\nname: p\nservices:\n  web:\n"
        "    environment: {B: !replace '2', C: {$replace: '3'}}\n"
        "    command: [sh, !override -c, {$replace: exit}]\n",
        encoding="utf-8",
    )
    web = load_profile(top).profile.services["web"]
    assert dict(web.environment) == {"B": "2", "C": "3"}
    assert list(web.command or ()) == ["sh", "-c", "exit"]
