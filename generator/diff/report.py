"""Reporters for a :class:`~stackgen.diff.pipeline.DiffResult`, chosen by name; each returns a string.

* ``text`` — grouped by service, ``+`` added / ``-`` removed / ``~`` changed, each with the
  RIGHT ``file:line`` and category; plain text (the CLI colours it from :func:`text_lines`,
  or shows :func:`rows` as tables on a terminal).
* ``markdown`` — a pull-request comment: one summary line, a table per service, full values
  and hints folded in ``<details>``, optionally a Mermaid startup graph at the end.
* ``json`` — the stable shape documented in ``docs/diff.md``.
* ``github`` — workflow commands ``::warning file=…,line=…::…`` (GitHub Actions "Workflow
  commands" syntax, with its ``%``/``,``/``:`` escaping).

Values are printed as JSON scalars so ``"20"`` and ``20`` stay distinguishable (B35). Values
of environment keys naming a credential (:data:`stackgen.output.secret_rule.SECRET_KEY`) or
listed as sensitive by the profile are shown as ``***`` unless ``show_secrets``; ``""`` and ``null`` are shown as
they are, and a change between two masked values shows its RIGHT side as ``*** (changed)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..choices import DIFF_FORMATS
from ..errors import InputError
from ..output.github import escape_data, escape_property
from ..output.masking import MASK, KnownValues, marked_changed, shown
from . import accepted_report
from .categories import CATEGORIES
from .compare import Change
from .markdown_text import cell, code, fenced
from .pipeline import DiffResult

FORMATS = DIFF_FORMATS
#: the RIGHT side of a change whose two sides are both masked
MASK_CHANGED = "*** (changed)"
_SYMBOL = {"added": "+", "removed": "-", "changed": "~"}
_TOP = "(top level)"

#: a list entry named by its identity in a change path (`[target=80]`, `[source=db_key]`)
_ENTRY = re.compile(r"\[[^\]]*\]")


class _Masker:
    """Shows the two sides of a change by stackgen's one secret rule
    (:func:`stackgen.masking.shown`): a value at a secret path (a key naming a secret, or a
    name the profile lists as ``sensitive:``), or holding a secret value of the inputs (a
    password interpolated into a URL), shows as ``***``; a ``${VAR}`` reference shows as the
    reference. ``""`` and ``null`` show as they are (they reveal nothing). When both sides of a
    change show the same but differ, the RIGHT one shows as ``*** (changed)`` so the change
    stays visible."""

    def __init__(self, result: DiffResult, show: bool) -> None:
        self.sensitive = result.sensitive
        self.known = KnownValues(result.secret_values)
        self.show = show

    def _path(self, change: Change) -> tuple[str, ...]:
        if change.service is None:
            return tuple(change.path.split("."))
        rel = change.path[len(f"services.{change.service}") :].lstrip(".")
        # keys with dots (labels) split into parts: the name rule searches each part; a list
        # entry's identity (`volumes[target=/etc/ssl/server.key]`) is a label, not a key
        return ("services", change.service, *(p for p in _ENTRY.sub("", rel).split(".") if p))

    def pair(self, change: Change) -> tuple[Any, Any]:
        """``(left, right)`` of ``change`` as reports show them."""
        left, right = change.left, change.right
        if self.show:
            return left, right
        path = self._path(change)
        shown_left = shown(left, path, self.sensitive, self.known)
        shown_right = shown(right, path, self.sensitive, self.known)
        if change.kind == "changed":
            shown_right = _mark_changed(left, right, shown_left, shown_right)
        return shown_left, shown_right


def _mark_changed(left: Any, right: Any, shown_left: Any, shown_right: Any) -> Any:
    """``shown_right`` with each masked value whose two sides differ (but show alike) shown
    as :data:`MASK_CHANGED`, at any depth of mappings."""
    if isinstance(right, Mapping) and isinstance(left, Mapping) and isinstance(shown_right, dict):
        return {
            key: _mark_changed(left[key], right[key], shown_left[key], value)
            if key in left and isinstance(shown_left, dict) and key in shown_left
            else value
            for key, value in shown_right.items()
        }
    if shown_right == MASK and shown_left == MASK and left != right:
        return MASK_CHANGED
    if shown_right == shown_left and left != right:
        return marked_changed(left, right, shown_right)  # a credential masked by form
    return shown_right


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


#: how reports name a change a stackgen policy made (see Change.policy)
POLICY_NOTE = "added by stackgen policy"


def _describe(change: Change, left: Any, right: Any) -> str:
    if change.policy is not None:
        shown = f"{_show(left)}" if change.kind == "removed" else f"{_show(left)} -> {_show(right)}"
        return f"{shown}, {POLICY_NOTE} ({change.policy})"
    if change.kind == "added":
        return f"added {_show(right)}"
    if change.kind == "removed":
        return f"removed (was {_show(left)})"
    return f"{_show(left)} -> {_show(right)}"


def _groups(result: DiffResult) -> dict[str, list[Change]]:
    groups: dict[str, list[Change]] = {}
    for change in result.changes:
        groups.setdefault(change.service or _TOP, []).append(change)
    return groups


def _summary(result: DiffResult) -> str:
    n = len(result.changes)
    services = len(result.drift.services)
    accepted = accepted_report.count_note(result.accepted)
    if not n:
        return f"no drift ({accepted})" if accepted else "no drift"
    text = f"{n} change{'s' if n != 1 else ''} in {services} service{'s' if services != 1 else ''}"
    by_policy = sum(1 for c in result.changes if c.policy is not None)
    notes = [f"{by_policy} {POLICY_NOTE}" if by_policy else "", accepted]
    notes = [note for note in notes if note]
    return f"{text} ({'; '.join(notes)})" if notes else text


@dataclass(frozen=True)
class Row:
    """One change as the text report and the terminal table show it.

    Attributes:
        service: the service name, or ``(top level)``.
        kind: ``added``, ``removed`` or ``changed``.
        symbol: ``+``, ``-`` or ``~``.
        path: dotted path of the change.
        description: ``added V``, ``removed (was V)`` or ``L -> R`` (secrets masked).
        category: the drift category.
        where: RIGHT ``file:line``.
    """

    service: str
    kind: str
    symbol: str
    path: str
    description: str
    category: str
    where: str


def rows(result: DiffResult, *, show_secrets: bool = False) -> list[Row]:
    """The changes of ``result`` in report order, values shown as JSON, secrets masked."""
    mask = _Masker(result, show_secrets)
    return [
        Row(
            service,
            c.kind,
            _SYMBOL[c.kind],
            c.path,
            _describe(c, *mask.pair(c)),
            c.category,
            f"{c.file}:{c.line}",
        )
        for service, changes in _groups(result).items()
        for c in changes
    ]


def accepted_rows(result: DiffResult, *, show_secrets: bool = False) -> list[Row]:
    """The accepted changes of ``result`` as rows; the description ends with
    ``accepted: REASON``."""
    mask = _Masker(result, show_secrets)
    return [
        Row(
            a.change.service or _TOP,
            a.change.kind,
            _SYMBOL[a.change.kind],
            a.change.path,
            f"{_describe(a.change, *mask.pair(a.change))}; accepted: {a.reason}",
            a.change.category,
            f"{a.change.file}:{a.change.line}",
        )
        for a in result.accepted
    ]


def summary_line(result: DiffResult) -> str:
    """``stackgen diff: LEFT vs RIGHT: N changes in M services`` (or ``no drift``)."""
    return f"stackgen diff: {result.left} vs {' + '.join(result.rights)}: {_summary(result)}"


def text_lines(result: DiffResult, *, show_secrets: bool = False) -> list[tuple[str, str | None]]:
    """The text report as ``(line, kind)`` pairs; ``kind`` is ``added``/``removed``/``changed``
    for change lines, ``heading`` for the summary and service names, ``hint``, or None for
    blank lines. Joining the lines with newlines gives the ``text`` format."""
    lines: list[tuple[str, str | None]] = [(summary_line(result), "heading")]
    service = None
    for row in rows(result, show_secrets=show_secrets):
        if row.service != service:
            service = row.service
            lines += [("", None), (service, "heading")]
        text = f"  {row.symbol} {row.path}: {row.description}  [{row.category}] {row.where}"
        lines.append((text, row.kind))
    mask = _Masker(result, show_secrets)
    lines += accepted_report.text_lines(
        result.accepted, result.accepted_file, lambda c: _describe(c, *mask.pair(c)), _SYMBOL
    )
    if result.drift.hints:
        lines.append(("", None))
        lines.extend((f"hint: {h}", "hint") for h in result.drift.hints)
    return lines


def _text(result: DiffResult, mask: _Masker) -> str:
    return "\n".join(line for line, _ in text_lines(result, show_secrets=mask.show)) + "\n"


def _short(value: Any, limit: int = 60) -> tuple[str, bool]:
    text = _show(value)
    return (text, False) if len(text) <= limit else (text[: limit - 1] + "…", True)


def _markdown(result: DiffResult, mask: _Masker) -> str:
    right = ", ".join(code(r) for r in result.rights)
    lines = [f"**stackgen diff**: {_summary(result)} between {code(result.left)} and {right}."]
    folded_accepted = accepted_report.markdown_lines(
        result.accepted,
        result.accepted_file,
        lambda c: _describe(c, *mask.pair(c)),
        _SYMBOL,
        cell,
    )
    if not result.changes:
        return "\n".join(lines + folded_accepted) + "\n"
    folded: list[str] = []
    for service, unsorted in _groups(result).items():
        # what a reviewer checks first (routes, replicas, resources, probes) leads each table
        order = {name: index for index, name in enumerate(CATEGORIES)}
        changes = sorted(unsorted, key=lambda c: order.get(c.category, len(order)))
        lines += ["", f"#### {cell(service)}", "", "| | path | left | right | category | where |"]
        lines.append("|---|---|---|---|---|---|")
        for c in changes:
            left, right_value = mask.pair(c)
            lt, lcut = _short(left) if c.kind != "added" else ("", False)
            rt, rcut = _short(right_value) if c.kind != "removed" else ("", False)
            category = c.category if c.policy is None else f"{c.category}, {POLICY_NOTE}"
            lines.append(
                f"| {_SYMBOL[c.kind]} | {code(c.path)} | {cell(lt)} | {cell(rt)} "
                f"| {cell(category)} | {code(f'{c.file}:{c.line}')} |"
            )
            if lcut or rcut:
                folded += [code(c.path), ""]
                folded += fenced(_show({"left": left, "right": right_value}), "json")
                folded.append("")
    if folded:
        lines += ["", "<details><summary>Full values</summary>", "", *folded, "</details>"]
    lines += folded_accepted
    if result.drift.hints:
        lines += ["", "<details><summary>Hints</summary>", ""]
        lines += [f"- {cell(h)}" for h in result.drift.hints]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def as_json_data(result: DiffResult, show_secrets: bool = False) -> dict[str, Any]:
    """The JSON report as data (stable shape; see ``docs/diff.md``)."""
    mask = _Masker(result, show_secrets)

    def record(c: Change) -> dict[str, Any]:
        left, right = mask.pair(c)
        return {
            "service": c.service,
            "path": c.path,
            "kind": c.kind,
            "left": left,
            "right": right,
            "file": c.file,
            "line": c.line,
            "category": c.category,
            "policy": c.policy,
        }

    return {
        "left": result.left,
        "right": list(result.rights),
        "summary": {
            "changes": len(result.changes),
            "services": len(result.drift.services),
            "accepted": len(result.accepted),
        },
        "changes": [record(c) for c in result.changes],
        "accepted": accepted_report.json_records(result.accepted, record),
        "accepted_file": result.accepted_file,
    }


def _json(result: DiffResult, mask: _Masker) -> str:
    return json.dumps(as_json_data(result, mask.show), indent=2, default=str) + "\n"


def _github(result: DiffResult, mask: _Masker) -> str:
    lines = []
    for c in result.changes:
        message = f"{c.path}: {_describe(c, *mask.pair(c))} [{c.category}]"
        lines.append(
            f"::warning file={escape_property(c.file)},line={c.line},"
            f"title={escape_property('stackgen diff')}::{escape_data(message)}"
        )
    lines += accepted_report.github_lines(result.accepted, lambda c: _describe(c, *mask.pair(c)))
    lines.extend(f"::notice::{escape_data(h)}" for h in result.drift.hints)
    return "".join(line + "\n" for line in lines)


_REPORTERS: dict[str, Callable[[DiffResult, _Masker], str]] = {
    "text": _text,
    "markdown": _markdown,
    "json": _json,
    "github": _github,
}


def render_report(
    result: DiffResult,
    fmt: str = "text",
    *,
    show_secrets: bool = False,
    graph: str | None = None,
    graph_title: str = "Startup order",
) -> str:
    """Render ``result`` in format ``fmt`` (one of :data:`FORMATS`).

    Args:
        result: what :func:`stackgen.diff.pipeline.diff` returned.
        fmt: reporter name.
        show_secrets: print secret env values instead of ``***``.
        graph: Mermaid text (:func:`stackgen.graph.to_mermaid`) appended to a ``markdown``
            report as a fenced ``mermaid`` block under a ``graph_title`` heading.

    Returns:
        The report text, ending with a newline (empty for ``github`` with no changes).

    Raises:
        InputError: unknown format, or ``graph`` with a format other than ``markdown``.
    """
    reporter = _REPORTERS.get(fmt)
    if reporter is None:
        raise InputError.single(
            "<--format>", 0, 0, "", f"unknown format {fmt!r}; use {', '.join(FORMATS)}"
        )
    text = reporter(result, _Masker(result, show_secrets))
    if graph is not None:
        if fmt != "markdown":
            raise InputError.single(
                "<--graph>", 0, 0, "", "a startup graph goes only into --format markdown"
            )
        text += graph_section(graph_title, graph)
    return text


def graph_section(title: str, mermaid: str) -> str:
    """A markdown section: ``#### title`` and a fenced ``mermaid`` block."""
    return f"\n#### {title}\n\n```mermaid\n{mermaid}```\n"
