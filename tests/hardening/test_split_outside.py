"""Short syntax is split around interpolations (compose/syntax ``split_outside``): text
without a token to keep whole splits as plain ``str.split`` does, and text with one as the
token-aware walk does."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from stackgen.compose.syntax import split_outside


def _walk(text: str, sep: str, brackets: bool) -> list[str]:
    """The rule, character by character: ``${…}`` (nested) and, with ``brackets``, ``[…]``
    are opaque; an unclosed one runs to the end."""
    parts: list[str] = []
    start = i = 0
    while i < len(text):
        opener = "{" if text.startswith("${", i) else "[" if brackets and text[i] == "[" else ""
        if opener:
            closer = "}" if opener == "{" else "]"
            i += 2 if opener == "{" else 1
            depth = 1
            while i < len(text) and depth:
                depth += (text[i] == opener) - (text[i] == closer)
                i += 1
        elif text[i] == sep:
            parts.append(text[start:i])
            start = i = i + 1
        else:
            i += 1
    return [*parts, text[start:]]


@given(st.text(alphabet="a1:/-${}[]", max_size=16), st.sampled_from(":/="), st.booleans())
@example("127.0.0.1:8080:80", ":", True)
@example("${A:-1}:80", ":", False)
@example("[::1]:80", ":", True)
def test_split_as_the_rule_says(text: str, sep: str, brackets: bool) -> None:
    assert split_outside(text, sep, brackets=brackets) == _walk(text, sep, brackets)
