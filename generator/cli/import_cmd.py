"""``stackgen import``: compose files → a profile."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..gcpause import paused
from ..output.writer import write_new
from .console import STYLE, make_console
from .options import ColorOption
from .output import warn


def register(app: typer.Typer) -> None:
    """Add the ``import`` command to ``app``."""

    @app.command(
        name="import",
        help=(
            "Turn compose files (merged like docker compose -f a -f b) into a profile.\n\n"
            "Services whose image the catalog knows get their kind; everything else is "
            "carried as written. Without --as-is stackgen's policies (restart, healthchecks, "
            "depends_on conditions, project name) apply when the profile is rendered; with "
            "--as-is they are off and the render reproduces the original (no drift).\n\n"
            "Examples:\n\n"
            "  stackgen import compose.yml compose.hobby.yml -o profiles/highlight.yml\n\n"
            "  stackgen import compose.yml compose.hobby.yml --as-is -o - "
        ),
    )
    def import_command(
        files: Annotated[
            list[Path], typer.Argument(help="Compose files, merged in order.", show_default=False)
        ],
        output: Annotated[
            str, typer.Option("-o", "--output", help="Profile file to write, or - for stdout.")
        ],
        as_is: Annotated[
            bool,
            typer.Option("--as-is", help="Switch stackgen's policies off: render = original."),
        ] = False,
        name: Annotated[
            str | None,
            typer.Option("--name", help="Profile name (default: the files' name, or directory)."),
        ] = None,
        force: Annotated[
            bool,
            typer.Option("--force", help="Replace an existing file (kept as FILE.bak)."),
        ] = False,
        env_file: Annotated[
            Path | None,
            typer.Option(
                "--env-file",
                help="Variables whose values replace their ${VAR} references (default: .env "
                'beside FILE; docs/import.md "Variables").',
            ),
        ] = None,
        color: ColorOption = "auto",
    ) -> None:
        with paused():  # warnings mask secrets by parsing the inputs again: see gcpause
            _run(files, output, as_is, name, force, env_file, color)

    def _run(
        files: list[Path],
        output: str,
        as_is: bool,
        name: str | None,
        force: bool,
        env_file: Path | None,
        color: str,
    ) -> None:
        from .. import api  # when it runs: see stackgen.choices

        console = make_console(color)
        shown = "<stdout>" if output == "-" else output
        folder = Path.cwd() if output == "-" else Path(output).parent
        result = api.import_compose(
            files, as_is=as_is, name=name, env_file=env_file, output=shown, output_dir=folder
        )
        for warning in result.warnings:
            warn(console, warning)
        if output == "-":
            console.out.write(result.text)
        else:
            written = write_new(Path(output), result.text, force=force)
            kept_note = (
                f" (kept the old file as {written.backup.as_posix()})" if written.backup else ""
            )
            console.err.line(f"wrote {output}{kept_note}", STYLE["ok"])
