"""render.tidy: the fast path (text returned as it is) gives what the line-by-line filter
gives, on text built from the characters that decide it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stackgen.targets.compose.render import tidy


def _by_lines(text: str) -> str:
    # the filter as it was written before the fast path: the reference
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"


# every ASCII whitespace and line break, two that are not ASCII (NEL, LINE SEPARATOR, both
# whitespace and line breaks to Python) and ordinary text
_CHARS = st.sampled_from(
    [
        "a",
        "b:",
        " ",
        "\n",
        "\t",
        "\r",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x1d",
        "\x1e",
        "\x1f",
        "\x85",
        "\u2028",
        "\xa0",
        "é",
    ]
)


@settings(max_examples=2000)
@given(st.lists(_CHARS, max_size=12).map("".join))
def test_tidy_is_the_line_filter(text: str) -> None:
    assert tidy(text) == _by_lines(text)


def test_exact_values() -> None:
    # kept as it is: nothing to drop
    assert tidy("a: 1\n  b: 2\n") == "a: 1\n  b: 2\n"
    # each thing the fast path refuses, and what the filter makes of it
    assert tidy("a: 1\n\nb: 2\n") == "a: 1\nb: 2\n"
    assert tidy("a: 1 \nb: 2\n") == "a: 1\nb: 2\n"
    assert tidy("\na: 1\n") == "a: 1\n"
    assert tidy("a: 1") == "a: 1\n"
    assert tidy("a: 1\t\n") == "a: 1\n"
    assert tidy("a: 1\rb: 2\n") == "a: 1\nb: 2\n"
    assert tidy("a: 1\u2028b: 2\n") == "a: 1\nb: 2\n"
    assert tidy("") == "\n"
    assert tidy("   \n") == "\n"
