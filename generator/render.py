"""Render stage: :class:`Stack` → compose YAML text, proven by reading it back.

The text comes from ``templates/compose.yml.j2``. Before anyone writes it, it is parsed back
with both a YAML 1.2 reader (how compose v2 reads) and a YAML 1.1 reader (PyYAML), compared
value for value with the stack, and validated against the compose-spec schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import compose
from .errors import InternalError
from .loader import dotted, load_text, load_yaml11
from .masking import is_secret_path
from .stack import Stack
from .templating import render_template

TEMPLATE = "compose.yml.j2"


def render(stack: Stack, templates: Path | None = None) -> str:
    """Render ``stack`` to compose text.

    Args:
        stack: the planned stack.
        templates: optional user template directory (looked up first).

    Returns:
        The compose file text (ends with a newline).

    Raises:
        TemplateError: a template failed (names template and line).
        InternalError: the text does not read back as the stack, or fails the compose schema.
    """
    text = render_template(TEMPLATE, {"stack": stack, "source": stack.source}, templates)
    text = "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"
    verify(text, stack.to_compose())
    return text


def verify(text: str, expected: dict[str, Any]) -> None:
    """Check that ``text`` parses (YAML 1.2 and 1.1) to ``expected`` and passes the schema.

    Raises:
        InternalError: naming the first path that differs, or the schema errors.
    """
    parsed12 = load_text(text, "<rendered>").data
    parsed11 = load_yaml11(text)
    for label, parsed in (("YAML 1.2", parsed12), ("YAML 1.1", parsed11)):
        where = _first_difference(parsed, expected, ())
        if where is not None:
            raise InternalError(f"rendered text reads back differently under {label} at {where}")
    errors = compose.schema_errors(parsed12)
    if errors:
        lines = "; ".join(f"{dotted(p) or '(root)'}: {m}" for p, m in errors[:10])
        raise InternalError(f"rendered file fails the compose-spec schema: {lines}")


def _first_difference(got: Any, want: Any, path: tuple[Any, ...]) -> str | None:
    if isinstance(want, dict):
        if not isinstance(got, dict) or list(got) != list(want):
            return dotted(path) or "(root)"
        for key in want:
            found = _first_difference(got[key], want[key], (*path, key))
            if found:
                return found
        return None
    if isinstance(want, list | tuple):
        if not isinstance(got, list) or len(got) != len(want):
            return dotted(path)
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            found = _first_difference(g, w, (*path, i))
            if found:
                return found
        return None
    if type(got) is not type(want) or got != want:
        if is_secret_path(path):
            return f"{dotted(path)} (secret values differ)"
        return f"{dotted(path)} ({got!r} != {want!r})"
    return None
