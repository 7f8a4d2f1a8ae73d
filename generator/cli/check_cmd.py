"""``stackgen check``: parse options, call :func:`stackgen.api.check`, print the findings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..choices import CHECK_FORMATS as FORMATS
from ..choices import LEFT_TYPES
from .console import STYLE, ColorOption, format_option, make_console


def _line_style(line: str) -> str | None:
    """The colour meaning of one line of the text format (finding, hint or summary)."""
    if ": error: " in line:
        return STYLE["error"]
    if ": warning: " in line:
        return STYLE["warning"]
    if line.startswith("    hint: "):
        return STYLE["hint"]
    return None


def register(app: typer.Typer) -> None:
    """Add the ``check`` command to ``app``."""

    @app.command(
        name="check",
        help=(
            "Lint profiles and compose files: each finding has a rule id, a severity, "
            "file:line:col, a message and a fix hint (rules: docs/check.md).\n\n"
            "Exit codes: 0 no error-level finding, 1 an error-level finding, 2 bad input.\n\n"
            "Examples:\n\n"
            "  stackgen check profiles/highlight-hobby.yml\n\n"
            "  stackgen check compose.yml compose.hobby.yml --format github"
        ),
    )
    def check_command(
        files: Annotated[
            list[Path], typer.Argument(help="Profiles and/or compose files.", show_default=False)
        ],
        fmt: Annotated[str, format_option(FORMATS)] = "text",
        env_file: Annotated[
            Path | None,
            typer.Option(
                "--env-file",
                help="Interpolate compose files from this file (default: the .env beside each).",
            ),
        ] = None,
        input_type: Annotated[
            str,
            typer.Option(
                "--type",
                help=(
                    f"Read every file as {', '.join(LEFT_TYPES[1:])}, or detect each "
                    "(auto; as stackgen diff detects its LEFT)."
                ),
            ),
        ] = "auto",
        color: ColorOption = "auto",
    ) -> None:
        # when it runs: see stackgen.choices
        from .. import api
        from ..lint.formats import render_findings

        console = make_console(color)
        if input_type not in LEFT_TYPES:
            raise typer.BadParameter(f"use one of {', '.join(LEFT_TYPES)}", param_hint="--type")
        result = api.check(files, env_file=env_file, input_type=input_type)
        text = render_findings(result, fmt)
        if fmt != "text":
            console.out.write(text)  # machine formats are never coloured
        else:
            for line in text.splitlines():
                console.out.line(line, _line_style(line))
        raise typer.Exit(result.exit_code)
