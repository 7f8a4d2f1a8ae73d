"""Scalar quoting proven for every YAML 1.1 and 1.2 implicit type (issue 15, point 1): a
string the renderer writes reads back as that string under PyYAML (YAML 1.1), stackgen's
YAML 1.2 core reader and ruamel.yaml (YAML 1.2); numbers read back as the same numbers."""

from __future__ import annotations

import math
import re

import yaml
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from stackgen.yamlio.loader import load_text
from stackgen.yamlio.scalars import needs_quotes, quote

# One example (or several) of each implicit type of PyYAML's resolver (YAML 1.1, the types of
# yaml.resolver.Resolver.yaml_implicit_resolvers) and of the YAML 1.2 core schema, and the
# extra forms Go yaml.v3 (compose v2) reads as numbers or timestamps.
IMPLICIT = {
    "bool 1.1": ["yes", "No", "ON", "off", "y", "N", "true", "FALSE"],
    "int 1.1": ["0b101", "0644", "0x_1F", "1_000", "+12", "190:20:30", "-0"],
    "float 1.1": ["1.5", "1_000.5", "6.8523015e+5", "190:20:30.15", ".5", "+.inf", ".NaN", "1."],
    "null 1.1": ["~", "null", "Null", "NULL"],
    "timestamp 1.1": [
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "2001-12-15T02:59:43.1Z",
        "2024-01-01T00:00:00Z",
        "2002-1-2 1:59:43",
    ],
    "merge 1.1": ["<<"],
    "value 1.1": ["="],
    "int 1.2": ["0o17", "0x1f", "-17", "08"],
    "float 1.2": ["1e3", "-1E-3", ".inf", "-.Inf", ".nan"],
    "go yaml.v3": ["-0o17", "0O17", "10_0.5", "2024-1-2T1:2:3Z", "2024-1-2 1:2:3", "2024-01-01 x"],
}

_ruamel = YAML(typ="safe", pure=True)
_ruamel.version = (1, 2)


def _read_back(text: str) -> list[object]:
    """The value of key k under YAML 1.1 (PyYAML), stackgen's 1.2 core reader and ruamel 1.2."""
    document = f"k: {text}\n"
    return [
        yaml.safe_load(document)["k"],
        load_text(document, "t").data["k"],
        _ruamel.load(document)["k"],
    ]


def test_every_implicit_type_is_quoted_and_reads_back_as_the_string() -> None:
    for kind, examples in IMPLICIT.items():
        for value in examples:
            assert needs_quotes(value), (kind, value)
            assert _read_back(quote(value)) == [value] * 3, (kind, value)


def test_text_that_is_a_string_everywhere_stays_plain() -> None:
    for value in ("postgres:16", "nginx:1.27", "on-failure", "unless-stopped", "2024", "a-1"):
        # 2024 is an int: quoted; the others are plain strings for every reader
        assert quote(value) == (f'"{value}"' if value == "2024" else value)


def test_floats_are_written_so_both_yaml_versions_read_the_same_float() -> None:
    for value in (1e16, 1e-05, 0.5, -2.5e-300, 1.7976931348623157e308, float("inf"), -float("inf")):
        assert _read_back(quote(value)) == [value] * 3, value
    assert [quote(v) for v in (1e16, 1e-05, float("inf"), -float("inf"))] == [
        "1.0e+16",
        "1.0e-05",
        ".inf",
        "-.inf",
    ]
    assert quote(float("nan")) == ".nan"
    assert all(math.isnan(v) for v in _read_back(".nan"))  # type: ignore[arg-type]


# YAML-significant characters, digits and letters of the implicit types, a few non-ASCII ones
_ALPHABET = st.sampled_from(
    [
        *list("0123456789-+.:_eExXoObBtTzZ yYnN~<=#,[]{}&*!|>'\"%@`\t$"),
        "٣",
        "²",
        "é",
        "\u2028",
        "\x85",
    ]
)


@given(st.lists(_ALPHABET, max_size=24).map("".join))
def test_any_text_quoted_reads_back_as_itself(text: str) -> None:
    assert _read_back(quote(text)) == [text] * 3


def test_the_date_pattern_of_go_is_anchored_at_the_start_only() -> None:
    # a version or an id that merely contains a date-like run stays plain
    assert not needs_quotes("release-2024-01-01")
    assert re.fullmatch(r'"[^"]+"', quote("2024-01-01"))


@given(
    st.lists(
        st.sampled_from("aZyYnNoO0123456789_./@+=-: #,[]{}$'\"\t\n~<>!&*|%`?ü\x85"), max_size=12
    ).map("".join)
)
def test_the_shortcut_for_names_and_references_agrees_with_every_rule(text: str) -> None:
    """needs_quotes skips the readers for text like ``api-0``, ``host:8080`` or an image
    reference: it decides exactly as the full check does."""
    from stackgen.yamlio.scalars import _read_otherwise

    assert needs_quotes(text) == _read_otherwise(text)
    for word in ("yes", "No", "nULL", "oN", "y", "N", "TRUE", "tRUE", "api-0", "a:b", "a:"):
        assert needs_quotes(word) == _read_otherwise(word), word
