"""What ``stackgen diff`` does once its options are parsed: compare, print the report (no
CLI framework imported: typer's command in :mod:`stackgen.cli.diff_cmd` and the fast path in
:mod:`stackgen.cli.fastpath` both call :func:`run_diff`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .console import STYLE, Console, make_console
from .output import warn

if TYPE_CHECKING:
    from ..diff.pipeline import DiffResult
    from ..diff.sides import RenderedProfile
    from ..yamlio.nodes import Document


def _render_profile(
    path: Path,
    *,
    sets: list[str] | None = None,
    parsed: Document | None = None,
    lint: bool = True,
    positions: str | None = None,
) -> RenderedProfile:
    """:func:`stackgen.api.render_profile`, imported when a side is a profile: the render
    pipeline (profile models, planner, templates: pydantic, jinja2) is not imported to
    compare two compose files."""
    from ..api import render_profile

    return render_profile(path, sets=sets, parsed=parsed, lint=lint, positions=positions)


def run_diff(
    left: Path,
    rights: list[Path] | None = None,
    *,
    more_left: list[Path] | None = None,
    fmt: str = "text",
    fail_on: str | None = None,
    ignore: list[str] | None = None,
    env_file: Path | None = None,
    show_secrets: bool = False,
    sets: list[str] | None = None,
    left_type: str = "auto",
    right_type: str = "auto",
    graph: str | None = None,
    accepted_file: Path | None = None,
    no_accepted: bool = False,
    accept: list[str] | None = None,
    color: str = "auto",
) -> int:
    """Run ``stackgen diff`` (the options are its own, already checked: ``fmt``, ``graph``,
    ``left_type``, ``right_type`` and ``color`` among their choices, ``graph`` only with
    ``markdown``, a RIGHT file given or ``more_left``).

    Returns:
        The exit status: 0 no drift, 1 drift in the ``fail_on`` categories; 0 after
        ``accept`` wrote its entries.

    Raises:
        StackgenError: bad input (exit 2), as :func:`stackgen.diff.pipeline.diff` raises it.
    """
    # imported when the command runs: see stackgen.choices; the diff pipeline itself (what
    # stackgen.api.diff calls), not stackgen.api, which imports the render pipeline
    from ..diff.filters import parse_categories
    from ..diff.pipeline import diff
    from ..diff.report import graph_section, render_report, text_lines

    console = make_console(color)
    categories = parse_categories(fail_on) if fail_on is not None else None
    lefts: list[Path] = [left]
    files = list(rights or [])
    if more_left:
        lefts, files = list(more_left), [left, *files]
    result = diff(
        lefts,
        files,
        env_file=env_file,
        ignore=ignore or [],
        fail_on=categories,
        sets=sets or [],
        left_type=left_type,
        right_type=right_type,
        accepted_file=accepted_file,
        use_accepted=not no_accepted,
        render_profile=_render_profile,
    )
    for warning in result.warnings:
        warn(console, warning)
    for pattern in result.unmatched_ignores:
        warn(console, f"warning: --ignore '{pattern}' matched nothing")
    if accept:
        from ..diff.accepted import FILE_NAME
        from ..diff.accepted import accept as add_entries

        target = accepted_file or lefts[0].parent / FILE_NAME
        written = add_entries(result.changes, accept, target)
        for pattern in written.unmatched:
            warn(console, f"warning: --accept '{pattern}' matched no change")
        console.out.line(
            f"{written.path.as_posix()}: {written.entries} "
            f"entr{'ies' if written.entries != 1 else 'y'} added; give each a reason"
        )
        return 0
    if fmt == "text" and console.out.terminal:
        _tables(console, result, show_secrets)
    elif fmt == "text":
        for line, kind in text_lines(result, show_secrets=show_secrets):
            console.out.line(line, STYLE.get(kind or ""))
    else:
        blocks = []
        if graph is not None:
            from ..diff.graphs import graph_blocks  # (stackgen.graph): when one is drawn

            blocks = graph_blocks(
                graph,
                result.left_stack,
                result.right_stack,
                result.left,
                " + ".join(result.rights),
            )
        report = render_report(result, fmt, show_secrets=show_secrets)
        for title, drawing in blocks:
            report += graph_section(title, drawing)
        console.out.write(report)
    return result.exit_code


def run_fast(paths: list[Path], **options: object) -> int:
    """:func:`run_diff` as :mod:`stackgen.cli.fastpath` calls it: the positional arguments
    in one list (LEFT, then the RIGHT files)."""
    return run_diff(paths[0], paths[1:], **options)  # type: ignore[arg-type]


def _tables(console: Console, result: DiffResult, show_secrets: bool) -> None:
    """The text report as one table per service (on a terminal)."""
    from ..diff.report import rows, summary_line

    out = console.out
    out.line(summary_line(result), STYLE["heading"])
    by_service: dict[str, list[tuple[list[str], str | None]]] = {}
    for row in rows(result, show_secrets=show_secrets):
        cells = [row.symbol, _below(row.path, row.service), row.description, row.category]
        by_service.setdefault(row.service, []).append(([*cells, row.where], STYLE[row.kind]))
    for service, table_rows in by_service.items():
        out.line("")
        # titled with the service (paths start below services.<name>.) and, when every row
        # stands in one file, that file (the last column is then the line number alone)
        files = {cells[-1].rpartition(":")[0] for cells, _ in table_rows}
        title, last = service, "where"
        if len(files) == 1:
            (file,) = files
            title, last = f"{service}  ({file})", "line"
            table_rows = [([*c[:-1], c[-1].rpartition(":")[2]], st) for c, st in table_rows]
        elif len({Path(f).name for f in files}) == len(files):
            # several files: their names (the summary line above gives the full paths)
            table_rows = [([*c[:-1], Path(c[-1]).name], st) for c, st in table_rows]
        columns = ("", "path", "change", "category", last)
        out.table(title, columns, table_rows, wrap=("change",))
    if result.accepted:
        from ..diff.report import accepted_rows

        out.line("")
        table = [
            ([r.symbol, r.path, r.description, r.category, r.where], STYLE["accepted"])
            for r in accepted_rows(result, show_secrets=show_secrets)
        ]
        title = f"accepted ({result.accepted_file})"
        change = "change (accepted: reason)"
        out.table(title, ("", "path", change, "category", "where"), table, wrap=(change, "path"))
    if result.drift.hints:
        out.line("")
        for hint in result.drift.hints:
            out.line(f"hint: {hint}", STYLE["hint"])


def _below(path: str, service: str) -> str:
    """``path`` without its ``services.<service>.`` prefix (the table's title names it)."""
    prefix = f"services.{service}"
    if path == prefix:
        return "(the service)"
    if path.startswith(prefix + ".") or path.startswith(prefix + "["):
        return path[len(prefix) :].lstrip(".")
    return path
