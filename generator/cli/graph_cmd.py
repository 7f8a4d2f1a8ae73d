"""``stackgen graph``: parse options, call :func:`stackgen.api.graph_of`, print the drawing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..choices import GRAPH_FORMATS as FORMATS
from ..choices import LEFT_TYPES, TIMELINE_FORMATS
from .console import STYLE, make_console
from .options import ColorOption, choice_option, format_option
from .output import warn


def register(app: typer.Typer) -> None:
    """Add the ``graph`` command to ``app``."""

    @app.command(
        name="graph",
        help=(
            "Draw the startup order of a stack: each depends_on edge labelled with its "
            "condition, services with a healthcheck marked.\n\n"
            "INPUT is a profile (rendered in memory) or compose files (merged like docker "
            "compose -f a -f b).\n\n"
            "Examples:\n\n"
            "  stackgen graph profiles/highlight-hobby.yml\n\n"
            "  stackgen graph compose.yml compose.hobby.yml --format dot | dot -Tsvg > g.svg\n\n"
            "  stackgen graph profiles/highlight-hobby.yml --timeline --format text"
        ),
    )
    def graph_command(
        inputs: Annotated[
            list[Path],
            typer.Argument(help="A profile, or compose file(s).", show_default=False),
        ],
        fmt: Annotated[
            str,
            format_option(
                (*FORMATS, "text"),
                "Drawing format (mermaid or dot; with --timeline, mermaid or text)",
            ),
        ] = "mermaid",
        show_timeline: Annotated[
            bool,
            typer.Option(
                "--timeline",
                help="Draw the worst-case startup timeline instead (a Mermaid Gantt chart "
                "headed by the table as comments, or --format text for the table).",
            ),
        ] = False,
        input_type: Annotated[
            str,
            choice_option(
                "--type",
                LEFT_TYPES,
                f"Read INPUT as {', '.join(LEFT_TYPES[1:])}, or detect it (auto); as check "
                "--type (--input-type: the former name).",
                "--input-type",
            ),
        ] = "auto",
        env_file: Annotated[
            Path | None, typer.Option("--env-file", help="Interpolate ${VAR} from this .env file.")
        ] = None,
        sets: Annotated[
            list[str] | None,
            typer.Option("--set", help="Override a profile value: path.to.key=value (repeatable)."),
        ] = None,
        color: ColorOption = "auto",
    ) -> None:
        # imported when the command runs: see stackgen.choices
        from .. import api
        from ..graph import render_graph

        console = make_console(color)
        if show_timeline:
            if fmt not in TIMELINE_FORMATS:
                raise typer.BadParameter(
                    f"with --timeline use one of {', '.join(TIMELINE_FORMATS)}",
                    param_hint="--format",
                )
            from ..timeline import to_gantt, to_text

            line, found = api.timeline_of(
                inputs, input_type=input_type, env_file=env_file, sets=sets or []
            )
            for warning in found:
                warn(console, warning)
            console.out.write(to_text(line) if fmt == "text" else to_gantt(line))
            return
        if fmt not in FORMATS:
            raise typer.BadParameter(
                f"{fmt!r} is for --timeline; use one of {', '.join(FORMATS)}",
                param_hint="--format",
            )
        graph, warnings = api.graph_of(
            inputs, input_type=input_type, env_file=env_file, sets=sets or []
        )
        for warning in warnings:
            warn(console, warning)
        if graph.cycle:
            cycle = " -> ".join(graph.cycle)
            console.err.line(
                f"dependency cycle: {cycle} (docker compose refuses it)", STYLE["error"]
            )
        console.out.write(render_graph(graph, fmt))
