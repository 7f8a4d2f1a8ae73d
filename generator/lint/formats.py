"""Reporters for a :class:`~stackgen.lint.check.CheckResult`, chosen by name; each returns a
string and prints nothing.

* ``text`` — one finding per line in yamllint's shape, ``file:line:col: severity: message
  (rule)``, its fix hint indented below, then a count; nothing at all when there is no
  finding. Plain text, no colour codes (a caller may colour it).
* ``json`` — ``{"inputs": [{"file", "type"}], "summary": {"errors", "warnings", "info"},
  "findings": [{"rule", "severity", "file", "line", "col", "path", "message", "hint"}]}``.
* ``github`` — workflow commands (``::error``/``::warning``/``::notice`` with ``file``,
  ``line``, ``col`` and ``title``), GitHub Actions' "Workflow commands" escaping.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from ..choices import CHECK_FORMATS
from ..errors import InputError
from ..output.github import escape_data, escape_property
from .check import CheckResult
from .findings import SEVERITIES

FORMATS = CHECK_FORMATS
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _counts(result: CheckResult) -> dict[str, int]:
    return {s: sum(f.severity == s for f in result.findings) for s in SEVERITIES}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _text(result: CheckResult) -> str:
    if not result.findings:
        return ""
    lines = []
    for f in result.findings:
        where = f"{f.file}:{f.line}:{f.col}" if f.line else f.file  # whole file: no position
        lines.append(f"{where}: {f.severity}: {f.message} ({f.rule})")
        lines.append(f"    hint: {f.hint}")
    counts = _counts(result)
    parts = [_plural(counts["error"], "error"), _plural(counts["warning"], "warning")]
    if counts["info"]:
        parts.append(f"{counts['info']} info")
    files = len({f.file for f in result.findings})
    lines.append(f"{', '.join(parts)} in {_plural(files, 'file')}")
    return "\n".join(lines) + "\n"


def _json(result: CheckResult) -> str:
    counts = _counts(result)
    data = {
        "inputs": [{"file": file, "type": kind} for file, kind in result.inputs],
        "summary": {
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
        },
        "findings": [f._asdict() for f in result.findings],
    }
    return json.dumps(data, indent=2) + "\n"


def _github(result: CheckResult) -> str:
    out = []
    for f in result.findings:
        props = (
            f"file={escape_property(f.file)},line={f.line},col={f.col},"
            f"title={escape_property(f'stackgen check ({f.rule})')}"
        )
        out.append(
            f"::{_GITHUB_LEVEL[f.severity]} {props}::{escape_data(f'{f.message}. Fix: {f.hint}')}\n"
        )
    return "".join(out)


_REPORTERS: dict[str, Callable[[CheckResult], str]] = {
    "text": _text,
    "json": _json,
    "github": _github,
}


def render_findings(result: CheckResult, fmt: str = "text") -> str:
    """Render ``result`` in format ``fmt`` (one of :data:`FORMATS`).

    Returns:
        The report; empty for ``text`` and ``github`` without findings.

    Raises:
        InputError: unknown format.
    """
    reporter = _REPORTERS.get(fmt)
    if reporter is None:
        raise InputError.single(
            "<--format>", 0, 0, "", f"unknown format {fmt!r}; use {', '.join(FORMATS)}"
        )
    return reporter(result)
