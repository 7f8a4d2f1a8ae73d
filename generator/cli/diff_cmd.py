"""``stackgen diff``: parse options, call :func:`stackgen.diffing.diff`, print the report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..diffing import LEFT_TYPES, diff, parse_categories
from ..report import FORMATS, render_report, want_color
from .output import echo_diag


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
        fmt: Annotated[
            str, typer.Option("--format", help=f"Report format: {', '.join(FORMATS)}.")
        ] = "text",
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
    ) -> None:
        categories = parse_categories(fail_on) if fail_on is not None else None
        if fmt not in FORMATS:
            raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
        if left_type not in LEFT_TYPES:
            raise typer.BadParameter(
                f"use one of {', '.join(LEFT_TYPES)}", param_hint="--left-type"
            )
        result = diff(
            left,
            rights,
            env_file=env_file,
            ignore=ignore or [],
            fail_on=categories,
            sets=sets or [],
            left_type=left_type,
        )
        for warning in result.warnings:
            echo_diag(warning, " (warning)")
        for pattern in result.unmatched_ignores:
            typer.echo(f"warning: --ignore '{pattern}' matched nothing", err=True)
        color = want_color(sys.stdout.isatty(), os.environ) and fmt == "text"
        typer.echo(render_report(result, fmt, show_secrets=show_secrets, color=color), nl=False)
        raise typer.Exit(result.exit_code)
