"""``stackgen diff``: parse options, call :func:`stackgen.api.diff`, print the report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..choices import DIFF_FORMATS as FORMATS
from ..choices import LEFT_TYPES
from .console import STYLE, ColorOption, Console, choice_option, format_option, make_console
from .output import warn

if TYPE_CHECKING:
    from ..diff.pipeline import DiffResult

GRAPH_SIDES = ("left", "right")


def _tables(console: Console, result: DiffResult, show_secrets: bool) -> None:
    """The text report as one table per service (on a terminal)."""
    from ..diff.report import rows, summary_line

    out = console.out
    out.line(summary_line(result), STYLE["heading"])
    by_service: dict[str, list[tuple[list[str], str | None]]] = {}
    for row in rows(result, show_secrets=show_secrets):
        cells = [row.symbol, row.path, row.description, row.category, row.where]
        by_service.setdefault(row.service, []).append((cells, STYLE[row.kind]))
    for service, table_rows in by_service.items():
        out.line("")
        out.table(service, ("", "path", "change", "category", "where"), table_rows)
    if result.drift.hints:
        out.line("")
        for hint in result.drift.hints:
            out.line(f"hint: {hint}", STYLE["hint"])


def register(app: typer.Typer) -> None:
    """Add the ``diff`` command to ``app``."""

    @app.command(
        name="diff",
        help=(
            "Show the differences in meaning between LEFT (a profile or a compose file) and "
            "RIGHT (one compose file, or several merged like docker compose -f a -f b).\n\n"
            "Exit codes: 0 no drift, 1 drift (in --fail-on categories), 2 bad input.\n\n"
            "Examples:\n\n"
            "  stackgen diff profiles/highlight-hobby.yml compose.yml compose.hobby.yml\n\n"
            "  stackgen diff a.yml b.yml --format markdown --ignore 'services.*.labels'\n\n"
            "  stackgen diff a.yml b.yml --fail-on readiness,restart --format github\n\n"
            "  stackgen diff my-compose.yml b.yml --left-type compose"
        ),
    )
    def diff_command(
        left: Annotated[Path, typer.Argument(help="Profile or compose file.", show_default=False)],
        rights: Annotated[
            list[Path],
            typer.Argument(help="Compose file(s), merged in order.", show_default=False),
        ],
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
        graph: Annotated[
            str | None,
            choice_option(
                "--graph",
                GRAPH_SIDES,
                "With --format markdown: append the Mermaid startup graph of the left or "
                "right stack.",
            ),
        ] = None,
        color: ColorOption = "auto",
    ) -> None:
        # imported when the command runs: see stackgen.choices
        from .. import api
        from ..diff.filters import parse_categories
        from ..diff.report import render_report, text_lines
        from ..graph import startup_graph, to_mermaid

        console = make_console(color)
        categories = parse_categories(fail_on) if fail_on is not None else None
        if graph is not None and fmt != "markdown":
            raise typer.BadParameter("goes with --format markdown", param_hint="--graph")
        if left_type not in LEFT_TYPES:
            raise typer.BadParameter(
                f"use one of {', '.join(LEFT_TYPES)}", param_hint="--left-type"
            )
        result = api.diff(
            left,
            rights,
            env_file=env_file,
            ignore=ignore or [],
            fail_on=categories,
            sets=sets or [],
            left_type=left_type,
        )
        for warning in result.warnings:
            warn(console, warning)
        for pattern in result.unmatched_ignores:
            warn(console, f"warning: --ignore '{pattern}' matched nothing")
        if fmt == "text" and console.out.terminal:
            _tables(console, result, show_secrets)
        elif fmt == "text":
            for line, kind in text_lines(result, show_secrets=show_secrets):
                console.out.line(line, STYLE.get(kind or ""))
        else:
            drawing, title = None, "Startup order"
            if graph is not None:
                side = result.left_stack if graph == "left" else result.right_stack
                drawing = to_mermaid(startup_graph(side))
                title = f"Startup order ({graph}: {_side_name(result, graph)})"
            report = render_report(
                result, fmt, show_secrets=show_secrets, graph=drawing, graph_title=title
            )
            console.out.write(report)
        raise typer.Exit(result.exit_code)


def _side_name(result: DiffResult, side: str) -> str:
    return result.left if side == "left" else " + ".join(result.rights)
