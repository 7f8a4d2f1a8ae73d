"""Compose text -> profile text for stackgen import: $$ and ${VAR} told apart, and the header of an imported profile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..compose.interpolation import Reference, scan
from ..errors import printable
from ..yamlio.scalars import escape_all, escape_literal


def header(sources: Sequence[str], *, as_is: bool) -> str:
    """The comment lines the profile starts with (the one place they are written).

    Args:
        sources: the compose files as named on the command line, in ``-f`` order.
        as_is: whether ``--as-is`` was given.

    Returns:
        Comment lines, each ending with a newline.
    """
    how = "stackgen import --as-is" if as_is else "stackgen import"
    # a file name may hold line breaks or bytes that are not UTF-8: the comment stays one
    # printable line (as the render header's `comment` filter keeps it)
    return f"# Imported by {how} from {printable(', '.join(sources))}; see docs/import.md\n"


def _tokens(text: str) -> list[str]:
    """Compose text as single literal characters and references (``$NAME`` as ``${NAME}``,
    marked with a leading NUL), so two texts compare by meaning."""
    out: list[str] = []
    for part in scan(text):
        if isinstance(part, Reference):
            out.append("\x00" + part.braced)
        else:
            out.extend(part)
    return out


def profile_text(text: str, *, container_side: bool) -> str | None:
    """The profile text that renders back to compose text meaning what ``text`` means.

    Args:
        text: a string as written in a compose file.
        container_side: the profile escapes every ``$`` of this value (``command``,
            ``entrypoint``, healthcheck ``test``); else it keeps ``${VAR}`` for compose.

    Returns:
        The profile text, or None when the profile's ``$`` rules cannot say it (a
        reference compose interpolates in a container-side value; a literal ``${NAME}``
        elsewhere).
    """
    tokens = _tokens(text)
    if container_side:
        if any(t.startswith("\x00") for t in tokens):
            return None
        result = "".join(tokens)
        return result if _tokens(escape_all(result)) == tokens else None
    result = "".join(t[1:] if t.startswith("\x00") else t for t in tokens)
    return result if _tokens(escape_literal(result)) == tokens else None


class _Unsayable(Exception):
    """A value the profile cannot express in its own terms."""


def _convert(value: Any, *, container_side: bool) -> Any:
    """``value`` (any YAML tree) with each string made profile text; raises _Unsayable."""
    if isinstance(value, str):
        out = profile_text(value, container_side=container_side)
        if out is None:
            raise _Unsayable(value)
        return out
    if isinstance(value, list):
        return [_convert(v, container_side=container_side) for v in value]
    if isinstance(value, dict):
        return {k: _convert(v, container_side=container_side) for k, v in value.items()}
    return value
