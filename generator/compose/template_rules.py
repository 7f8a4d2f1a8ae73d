"""Interpolation text Docker Compose v2 refuses whatever the environment holds.

Compose interpolates every text value of a file (not its keys) with compose-go's
``template`` package: a ``$`` starts ``$$`` (a literal ``$``), ``$NAME`` or ``${…}``; a
``${`` that is not ``${NAME}`` / ``${NAME<sep>TEXT}`` (``:-``, ``-``, ``:?``, ``?``, ``:+``,
``+``) is an "invalid interpolation format" and the file is refused (``${X``, ``${1X}``,
``${X:x}``, ``${}``); a ``$`` before anything else is literal. :func:`template_error` follows
that package's steps (its pattern, the cut at the first closing brace, the text after it
read again when a separator applies). The default, alternative or error text inside
``${…}`` is not judged: compose 2.40 (compose-go 2.9) reads it always, later releases only
when it is used (compose-go ddb94f1, "avoid eager default interpolation"), which depends on
the environment; so stackgen never refuses what a current compose may accept. ``tests/hardening/test_template_rules.py``
compares the verdicts with the real binary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..yamlio.nodes import Path_, Tagged

# compose-go template.DefaultPattern (Go's leftmost-first matching is Python's)
_PATTERN = re.compile(
    r"\$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)"
    r"|\{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)\}|(?P<invalid>)))"
)
_SEPARATORS = (":?", "?", ":-", "-", ":+", "+")  # compose-go's order (ties keep it)
MESSAGE = (
    "holds ${ that is not a variable reference docker compose reads (invalid interpolation "
    "format); write ${NAME} or ${NAME:-default}, and a literal $ as $$"
)


def template_error(text: str) -> bool:
    """Whether Docker Compose v2 refuses ``text`` as an invalid interpolation format
    whatever the variables hold (see the module docstring)."""
    if "${" not in text:  # only a brace after $ can be invalid
        return False
    return any(_invalid(match.group(0)) for match in _PATTERN.finditer(text))


def _separator(substring: str) -> str:
    """compose-go ``getSubstitutionFunctionForTemplate``: the separator found first in the
    whole match (``:?`` when there is none)."""
    found = [(substring.find(sep), sep) for sep in _SEPARATORS if sep in substring]
    return min(found)[1] if found else ":?"


def _closing(substring: str) -> int:
    """compose-go ``getFirstBraceClosingIndex``: where the first ``{`` closes (-1: never)."""
    depth, i = 0, 0
    while i < len(substring):
        if substring[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        if substring[i] == "{":
            depth += 1
            i += 1  # the character after an opening brace is skipped, as there
        i += 1
    return -1


def _invalid(substring: str) -> bool:
    """compose-go ``DefaultReplacementAppliedFunc`` on one match: whether it ends in an
    ``InvalidTemplateError`` regardless of the variables."""
    separator = _separator(substring)
    rest = ""
    close = _closing(substring)
    if close > -1:
        substring, rest = substring[: close + 1], substring[close + 1 :]
    match = _PATTERN.match(substring)
    if match is None:
        return True
    if match.group("escaped"):
        return False
    if match.group("named"):
        return False
    braced = match.group("braced")
    if not braced:
        return True
    # a separator that applies reads the text after the cut again, whatever the value
    return separator in braced and template_error(rest)


def template_errors(data: Any) -> list[tuple[Path_, str]]:
    """``(path, message)`` for every text value in ``data`` (keys are not interpolated) that
    :func:`template_error` finds compose refuses, in document order."""
    found: list[tuple[Path_, str]] = []
    _walk(data, (), found)
    return found


def _walk(node: Any, here: Path_, found: list[tuple[Path_, str]]) -> None:
    """:func:`template_errors` below ``node``: a call per container only, a path made only
    for a text holding ``${`` (a stack's many other values cost a type test each)."""
    if isinstance(node, Tagged):
        node = node.value
    if type(node) is dict or (type(node) is not list and isinstance(node, Mapping)):
        items: Any = node.items()
    elif type(node) is list:
        items = enumerate(node)
    else:
        if type(node) is str and "${" in node and template_error(node):
            found.append((here, MESSAGE))
        return
    for key, value in items:
        kind = type(value)
        if kind is str:
            if "${" in value and template_error(value):
                found.append(((*here, key), MESSAGE))
        elif kind is dict or kind is list or isinstance(value, Mapping | Tagged):
            _walk(value, (*here, key), found)
