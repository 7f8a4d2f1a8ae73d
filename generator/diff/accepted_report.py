"""How each report format shows accepted drift (:mod:`stackgen.diff.accepted`): apart from
the drift, each change with its reason, folded in markdown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..output.github import escape_data, escape_property
from .accepted import Accepted

#: ``(path, description)`` of a change, secrets masked (supplied by :mod:`stackgen.diff.report`)
Describe = Callable[[Any], str]
ACCEPTED = "accepted"


def count_note(accepted: Sequence[Accepted]) -> str:
    """``"2 accepted"`` (empty for none)."""
    return f"{len(accepted)} {ACCEPTED}" if accepted else ""


def _reason(item: Accepted) -> str:
    until = f", until {item.expires.isoformat()}" if item.expires else ""
    return f"{item.reason}{until}"


def text_lines(
    accepted: Sequence[Accepted], file: str | None, describe: Describe, symbols: dict[str, str]
) -> list[tuple[str, str | None]]:
    """The text report's ``accepted`` section as ``(line, kind)`` pairs (kind ``accepted``)."""
    if not accepted:
        return []
    lines: list[tuple[str, str | None]] = [("", None), (f"accepted ({file})", "heading")]
    for item in accepted:
        c = item.change
        lines.append(
            (
                f"  {symbols[c.kind]} {c.path}: {describe(c)}  [{c.category}] "
                f"{c.file}:{c.line}  {ACCEPTED}: {_reason(item)}",
                ACCEPTED,
            )
        )
    return lines


def markdown_lines(
    accepted: Sequence[Accepted],
    file: str | None,
    describe: Describe,
    symbols: dict[str, str],
    cell: Callable[[str], str],
) -> list[str]:
    """The markdown report's folded ``accepted`` section."""
    if not accepted:
        return []
    n = len(accepted)
    lines = [
        "",
        f"<details><summary>{n} accepted difference{'s' if n != 1 else ''} "
        f"(<code>{cell(file or '')}</code>)</summary>",
        "",
        "| | path | change | category | reason | where |",
        "|---|---|---|---|---|---|",
    ]
    for item in accepted:
        c = item.change
        lines.append(
            f"| {symbols[c.kind]} | `{cell(c.path)}` | {cell(describe(c))} | {c.category} "
            f"| {cell(_reason(item))} | `{c.file}:{c.line}` |"
        )
    return [*lines, "", "</details>"]


def github_lines(accepted: Sequence[Accepted], describe: Describe) -> list[str]:
    """One ``::notice`` workflow command per accepted change."""
    out = []
    for item in accepted:
        c = item.change
        message = f"{c.path}: {describe(c)} [{c.category}] {ACCEPTED}: {_reason(item)}"
        out.append(
            f"::notice file={escape_property(c.file)},line={c.line},"
            f"title={escape_property('stackgen diff (accepted)')}::{escape_data(message)}"
        )
    return out


def json_records(
    accepted: Sequence[Accepted], record: Callable[[Any], dict[str, Any]]
) -> list[dict[str, Any]]:
    """The JSON report's ``accepted`` list: each change's record plus ``reason`` and
    ``expires`` (``YYYY-MM-DD`` or null)."""
    return [
        {
            **record(item.change),
            "reason": item.reason,
            "expires": item.expires.isoformat() if item.expires else None,
        }
        for item in accepted
    ]
