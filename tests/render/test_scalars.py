"""scalars: every value written by the quoting filter reads back as itself (YAML 1.1 and 1.2)."""

from __future__ import annotations

import pytest
import yaml

from stackgen.yamlio.loader import load_text
from stackgen.yamlio.scalars import escape_all, escape_literal, quote

TRICKY = [
    "yes",
    "no",
    "on",
    "off",
    "NO",
    "y",
    "Y",
    "true",
    "False",
    "null",
    "~",
    "",
    " ",
    "0644",
    "0x1F",
    "0o17",
    "1e3",
    "1_000",
    "22:22",
    "1:20:30",
    ".5",
    "1.",
    "-1",
    "+1",
    ".inf",
    ".nan",
    "#x",
    "a #b",
    "a: b",
    "a:b",
    "- a",
    "? a",
    "[a]",
    "{a}",
    "{{ x }}",
    "*ref",
    "&anchor",
    "!tag",
    "%x",
    "@x",
    "`x`",
    "'q'",
    '"q"',
    "|",
    ">",
    "multi\nline",
    "trailing ",
    " leading",
    "tab\there",
    "2001-12-14",
    "=",
    "<<",
    "x,y",
    "a\u2028b",
    "\x85",
    "ünïcode",
    "$HOME",
    "${VAR:-x}",
    "Host(`a.example.test`)",
    "0.0.0.0:8082:8082",
    "on-failure:5",
]


def test_round_trip_under_both_yaml_versions() -> None:
    for value in TRICKY:
        text = f"k: {quote(value)}\n"
        assert yaml.safe_load(text) == {"k": value}, (value, text)
        assert load_text(text, "t").data == {"k": value}, (value, text)


def test_plain_when_safe() -> None:
    assert quote("postgres:16") == "postgres:16"
    assert quote("on-failure") == "on-failure"
    assert quote("no") == '"no"'
    assert quote("1e3") == '"1e3"'


def test_non_strings() -> None:
    assert [quote(v) for v in (None, True, False, 3, 0.5)] == ["null", "true", "false", "3", "0.5"]


def test_dollar_escaping() -> None:
    # B13: literal dollars double, compose variables stay for interpolation
    assert escape_literal("pa$word$$x") == "pa$$word$$$$x"
    assert escape_literal("$2a$08$abc") == "$$2a$$08$$abc"
    assert escape_literal("${HOME}/x and ${A:-b} and $B") == "${HOME}/x and ${A:-b} and $$B"
    # B12: container-side text escapes everything
    assert escape_all('-U "$U" -d "${DB}"') == '-U "$$U" -d "$${DB}"'


def test_dollar_inside_a_reference_default_is_escaped_by_the_same_rule() -> None:
    # compose interpolates a default/error/alt text again: a literal $ there is doubled too
    assert escape_literal("${A:-pa$word}") == "${A:-pa$$word}"
    assert escape_literal("${A:?need $X}") == "${A:?need $$X}"
    assert escape_literal("${A:-${B:-$c}}x$") == "${A:-${B:-$$c}}x$$"
    assert escape_literal("${A-$$}") == "${A-$$$$}"
    # not a reference: every $ literal
    for text in ("${", "${}", "${1X}", "${A:x}", "${A", "$A", "${A:-x"):
        assert escape_literal(text) == text.replace("$", "$$"), text


def test_double_quoted_escapes_what_yaml_would_not_keep() -> None:
    # controls, DEL, C1, the line breaks YAML folds inside quotes, a BOM, non-characters
    assert quote("\x7f\x85\u2028\u2029\ufeff\ufffe\x00") == (
        '"\\x7f\\x85\\u2028\\u2029\\ufeff\\ufffe\\u0000"'
    )
    # printable text outside ASCII stays raw
    assert quote("ü ✓ 😀 x") == "ü ✓ 😀 x"
    assert quote("ü: 😀") == '"ü: 😀"'


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain ascii", '"plain ascii"'),
        ("a\x7fb", '"a\\x7fb"'),  # DEL: json leaves it raw, YAML may not hold it
        ("tab\there", '"tab\\there"'),
        ("\x85", '"\\x85"'),  # NEL folds as a line break
        ("\u2028\u2029", '"\\u2028\\u2029"'),  # LINE and PARAGRAPH SEPARATOR too
        ("\ufeff", '"\\ufeff"'),  # a byte order mark
        ("é😀", '"é😀"'),  # printable beyond ASCII stays raw
    ],
)
def test_double_quoting_escapes_exactly_what_yaml_may_not_hold_raw(text: str, quoted: str) -> None:
    from stackgen.yamlio.scalars import double_quoted

    assert double_quoted(text) == quoted
