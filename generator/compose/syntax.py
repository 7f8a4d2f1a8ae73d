"""Tokenising compose short syntax (``a:b:c``, ``KEY=value``) around interpolations.

Compose interpolates ``${…}`` before it splits short syntax (compose spec "Interpolation"),
so a separator inside ``${PORT:-8080}`` never splits it.
"""

from __future__ import annotations


def split_outside(text: str, sep: str, *, brackets: bool = False) -> list[str]:
    """Split ``text`` at every ``sep`` that is not inside an interpolation.

    ``${…}`` (nested ones included) is one opaque token, so the ``:`` and ``-`` of
    ``${PORT:-8080}`` never split it; with ``brackets``, ``[…]`` (an IPv6 address) is opaque
    too. An unclosed ``${`` or ``[`` makes the rest of the text one token.

    Args:
        text: the short-syntax text (``"${HOST_IP}:${P}:80"``).
        sep: a one-character separator.
        brackets: also keep ``[…]`` whole.

    Returns:
        The parts, in order (``[text]`` when there is no separator outside a token).
    """
    if "${" not in text and not (brackets and "[" in text):
        return text.split(sep)  # no token to keep whole: most texts
    parts: list[str] = []
    start = i = 0
    while i < len(text):
        if text.startswith("${", i):
            i = _token_end(text, i + 2, "{", "}")
        elif brackets and text[i] == "[":
            i = _token_end(text, i + 1, "[", "]")
        elif text[i] == sep:
            parts.append(text[start:i])
            start = i = i + 1
        else:
            i += 1
    parts.append(text[start:])
    return parts


def _token_end(text: str, i: int, opening: str, closing: str) -> int:
    """The index just after the ``closing`` that matches an opening before ``i`` (or the end)."""
    depth = 1
    while i < len(text):
        if text[i] == opening:
            depth += 1
        elif text[i] == closing:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def is_reference(text: str) -> bool:
    """Whether ``text`` is exactly one braced compose reference, ``${…}`` (nested ones inside
    it allowed), e.g. ``${PORT}`` or ``${PORT:-8080}``."""
    return (
        text.startswith("${")
        and _token_end(text, 2, "{", "}") == len(text)
        and (text.endswith("}"))
    )
