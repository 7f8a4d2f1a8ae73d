"""``stackgen diff``: parse options, call :func:`stackgen.api.diff`, print the report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..choices import DIFF_FORMATS as FORMATS
from ..choices import GRAPH_SIDES, LEFT_TYPES
from .console import STYLE, ColorOption, Console, choice_option, format_option, make_console
from .output import warn

if TYPE_CHECKING:
    from ..diff.pipeline import DiffResult


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


def register(app: typer.Typer) -> None:
    """Add the ``diff`` command to ``app``."""

    @app.command(
        name="diff",
        help=(
            "Show the differences in meaning between LEFT and RIGHT: each a profile (rendered "
            "in memory), one compose file or several merged like docker compose -f a -f b, or "
            "/dev/null (a new file: everything is an addition).\n\n"
            "Exit codes: 0 no drift, 1 drift (in --fail-on categories), 2 bad input.\n\n"
            "Examples:\n\n"
            "  stackgen diff profiles/highlight-hobby.yml compose.yml compose.hobby.yml\n\n"
            "  stackgen diff profiles/highlight-hobby.yml profiles/highlight-staging.yml "
            "--format markdown\n\n"
            "  stackgen diff out/highlight-hobby/compose.yml compose.yml compose.hobby.yml "
            "--ignore 'services.*.labels' --fail-on readiness,restart --format github\n\n"
            "  stackgen diff --left compose.yml --left compose.hobby.yml "
            "out/highlight-hobby/compose.yml\n\n"
            "  stackgen diff out/minimal/compose.yml compose.yml --left-type compose\n\n"
            "  stackgen diff profiles/highlight-hobby.yml compose.yml compose.hobby.yml "
            "--accept 'services.backend.ports*'\n\n"
            "  stackgen diff /dev/null out/minimal/compose.yml"
        ),
    )
    def diff_command(
        left: Annotated[
            Path,
            typer.Argument(
                help="Profile or compose file, or /dev/null (nothing: all is new). With --left: "
                "the first RIGHT file.",
                show_default=False,
            ),
        ],
        rights: Annotated[
            list[Path] | None,
            typer.Argument(
                help="Compose file(s) merged in order, or a profile then compose overrides.",
                show_default=False,
            ),
        ] = None,
        more_left: Annotated[
            list[Path] | None,
            typer.Option(
                "--left",
                help="A LEFT file (repeatable, merged in order); every argument is then RIGHT.",
                show_default=False,
            ),
        ] = None,
        fmt: Annotated[str, format_option(FORMATS, "Report format")] = "text",
        fail_on: Annotated[
            str | None,
            typer.Option(
                "--fail-on",
                help="Comma-separated categories that make the exit code 1 (default: all).",
            ),
        ] = None,
        ignore: Annotated[
            list[str] | None,
            typer.Option("--ignore", help="Dotted-path glob to leave out: 'services.*.labels'."),
        ] = None,
        env_file: Annotated[
            Path | None, typer.Option("--env-file", help="Interpolate ${VAR} from this .env file.")
        ] = None,
        show_secrets: Annotated[
            bool, typer.Option("--show-secrets", help="Print secret env values instead of ***.")
        ] = False,
        sets: Annotated[
            list[str] | None,
            typer.Option("--set", help="Override a profile value: path.to.key=value (repeatable)."),
        ] = None,
        left_type: Annotated[
            str,
            typer.Option(
                "--left-type",
                help=(
                    f"Read LEFT as {', '.join(LEFT_TYPES[1:])}, or detect it (auto; see "
                    "docs/diff.md)."
                ),
            ),
        ] = "auto",
        right_type: Annotated[
            str,
            typer.Option(
                "--right-type",
                help=(
                    f"Read RIGHT's first file as {', '.join(LEFT_TYPES[1:])}, or detect it "
                    "(auto: a profile only when certain)."
                ),
            ),
        ] = "auto",
        graph: Annotated[
            str | None,
            choice_option(
                "--graph",
                GRAPH_SIDES,
                "With --format markdown: append the Mermaid startup graph of the left or "
                "right stack, or both (before/after) only when the dependency graph changed.",
            ),
        ] = None,
        accepted_file: Annotated[
            Path | None,
            typer.Option(
                "--accepted",
                help="Accepted-drift file (default: stackgen-drift.yml beside LEFT, if any; "
                "see docs/diff.md).",
                show_default=False,
            ),
        ] = None,
        no_accepted: Annotated[
            bool, typer.Option("--no-accepted", help="Read no accepted-drift file.")
        ] = False,
        accept: Annotated[
            list[str] | None,
            typer.Option(
                "--accept",
                help="Add an entry for each change under this dotted-path glob to the "
                "accepted-drift file, for you to give a reason (repeatable).",
                show_default=False,
            ),
        ] = None,
        color: ColorOption = "auto",
    ) -> None:
        # imported when the command runs: see stackgen.choices
        from .. import api
        from ..diff.filters import parse_categories
        from ..diff.graphs import graph_blocks
        from ..diff.report import graph_section, render_report, text_lines

        console = make_console(color)
        categories = parse_categories(fail_on) if fail_on is not None else None
        if graph is not None and fmt != "markdown":
            raise typer.BadParameter("goes with --format markdown", param_hint="--graph")
        for hint, value in (("--left-type", left_type), ("--right-type", right_type)):
            if value not in LEFT_TYPES:
                raise typer.BadParameter(f"use one of {', '.join(LEFT_TYPES)}", param_hint=hint)
        lefts: list[Path] = [left]
        files = list(rights or [])
        if more_left:
            lefts, files = list(more_left), [left, *files]
        if not files:
            raise typer.BadParameter("give at least one RIGHT file", param_hint="RIGHTS")
        result = api.diff(
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
            raise typer.Exit(0)
        if fmt == "text" and console.out.terminal:
            _tables(console, result, show_secrets)
        elif fmt == "text":
            for line, kind in text_lines(result, show_secrets=show_secrets):
                console.out.line(line, STYLE.get(kind or ""))
        else:
            blocks = []
            if graph is not None:
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
        raise typer.Exit(result.exit_code)
