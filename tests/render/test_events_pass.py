"""The one-pass reading of plain documents (stackgen.yamlio.events) gives exactly what the
general reading gives: data, positions, scalar texts, plain texts, in the same order; and
everything it does not build itself falls back to the general reading, errors included."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stackgen.errors import InputError
from stackgen.yamlio import loader
from stackgen.yamlio.events import _MAYBE_NOT_TEXT, build_from_events
from stackgen.yamlio.limits import MAX_DEPTH
from stackgen.yamlio.nodes import Document

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(
        ["yes", "0644", "0o17", "0x1F", "0b101", "1_000", "~", ".inf", "-.nan", "1e3", "9" * 30]
    ),
)
_keys = st.one_of(st.text(max_size=8), st.sampled_from(["on", "1", "null", "true"]))
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=25,
)


def _general(text: str, **kwargs: Any) -> tuple[Any, ...]:
    plain: set[str] = set()
    keys: set[str] = set()
    saved = loader.build_from_events
    loader.build_from_events = lambda *a, **k: None  # type: ignore[assignment]
    try:
        doc = loader.load_text(text, "f.yml", plain=plain, plain_keys=keys, **kwargs)
    finally:
        loader.build_from_events = saved
    return _seen(doc, plain, keys)


def _seen(doc: Document, plain: set[str], keys: set[str]) -> tuple[Any, ...]:
    return (
        doc.data,
        list(doc.marks.items()),
        list(doc.texts.items()),
        plain,
        keys,
        doc.file,
        doc.compose,
        doc.readings_differ,
    )


def _events(
    text: str, limits: bool = True, positions: bool = True, compose: bool = False
) -> tuple[Any, ...] | None:
    plain: set[str] = set()
    keys: set[str] = set()
    doc = build_from_events(
        text,
        "f.yml",
        limits=limits,
        positions=positions,
        plain=plain,
        plain_keys=keys,
        compose=compose,
    )
    return None if doc is None else _seen(doc, plain, keys)


@settings(max_examples=300, deadline=None)
@given(
    _data,
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, '"', "'", "|"]),
)
def test_the_one_pass_reads_what_the_general_reading_reads(
    data: Any, flow: bool, positions: bool, compose: bool, style: str | None
) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, default_style=style, sort_keys=False)
    got = _events(text, limits=positions, positions=positions, compose=compose)
    if style is None:  # no tags: the one pass builds it
        assert got is not None, text
    # forced quoting tags every value that is not a string (`!!int "1"`): given up on
    if got is not None:
        expected = _general(text, limits=positions, positions=positions, compose=compose)
        assert got == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",  # a merge key
        "a: !reset []\n",  # compose's merge tags
        "a: !!str 1\n",  # an explicit tag
        "? [a]\n: 1\n",  # a complex key
        "a: 1\na: 2\n",  # a duplicate key
        "a: 1\n---\nb: 2\n",  # two documents
        "",  # no document
        "a: [1\n",  # a syntax error
        "n: " + "9" * 5000 + "\n",  # an integer resolve_plain refuses
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",  # past the depth limit
    ],
)
def test_what_the_one_pass_does_not_build_is_read_the_general_way(text: str) -> None:
    assert _events(text) is None
    try:
        expected: Any = _general(text)
    except InputError as exc:
        expected = str(exc)
    try:
        doc = loader.load_text(text, "f.yml")
        got: Any = _seen(doc, set(), set())
    except InputError as exc:
        got = str(exc)
    if not isinstance(expected, str):
        expected = (*expected[:3], set(), set(), *expected[5:])
    assert got == expected


@pytest.mark.parametrize("compose", [False, True])
@pytest.mark.parametrize(
    "text",
    [
        "a: 0644\nb: 1_000\nc: 0b101\nd: [022, 0x1F, .5, -0, +1]\n",  # readings differ
        "a: 1\nb: [2.5, true, null, ~, x]\nc: {d: 'q', e: \"w\"}\n",  # they do not
        "n: " + "9" * 30 + "\n",  # an integer past 64 bits: a float for docker compose
    ],
)
def test_plain_numbers_read_the_same_either_way(text: str, compose: bool) -> None:
    got = _events(text, compose=compose)
    assert got is not None
    assert got == _general(text, compose=compose)


@pytest.mark.parametrize(
    ("text", "untagged"),
    [
        ("a: 1\nb: [x, {c: y}]\n", True),  # the one pass read it: no tag anywhere
        ("a: !reset []\nb: !override {c: 1}\n", False),  # tags: read the general way
        ("a: &x 1\nb: *x\n", False),  # read the general way: not known, so not claimed
    ],
)
def test_a_document_says_it_holds_no_tag_only_when_certain(text: str, untagged: bool) -> None:
    assert loader.load_text(text, "f.yml").untagged is untagged


@given(st.text(min_size=1).filter(lambda t: t[0] not in _MAYBE_NOT_TEXT))
def test_a_plain_scalar_starting_otherwise_is_text_to_either_resolver(text: str) -> None:
    # the one pass does not call the resolvers for such a scalar
    from stackgen.yamlio.resolve import resolve_plain, resolve_plain_go

    assert resolve_plain(text) is text
    assert resolve_plain_go(text) is text


def test_every_word_a_resolver_reads_as_other_than_text_starts_as_the_one_pass_knows() -> None:
    from stackgen.yamlio.resolve import _GO_WORDS, resolve_plain, resolve_plain_go

    words = [*_GO_WORDS, "Null", "TRUE", "False", "FALSE", "-.Inf", ".NaN", "0x1F", "0o17"]
    words += ["0b101", "022", "1_000", "1", "-1", "+1", ".5", "1e3", "2024-01-01"]
    for word in words:
        if resolve_plain(word) is not word or resolve_plain_go(word) is not word:
            assert not word or word[0] in _MAYBE_NOT_TEXT, word


@given(st.text(alphabet="0123456789+-._:sGix eEnNaAfFtTrRuUlLbBoO~/", max_size=10))
@example("8080:80")
@example("1_000")
@example("0x1F")
@example("0b101")
@example("0o17")
@example("-.Inf")
@example(".NaN")
@example("FALSE")
@example("~")
@example("0X1F")
@example("0B1")
@example("0O7")
@example("1e5")
@example("NULL")
@example("True")
def test_text_the_one_pass_does_not_ask_about_is_text_to_both_resolvers(text: str) -> None:
    # (the one pass asks the other resolver only for text it could read as other than text)
    from stackgen.yamlio.events import _MAYBE_READ_OTHERWISE
    from stackgen.yamlio.resolve import resolve_plain, resolve_plain_go

    try:
        core: Any = resolve_plain(text)
    except ValueError:
        return
    go = resolve_plain_go(text)
    if not _MAYBE_READ_OTHERWISE.match(text):
        assert core is text
        assert go is text
