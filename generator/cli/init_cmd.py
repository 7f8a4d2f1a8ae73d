"""``stackgen init``: write a new profile copied from a packaged example."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..output.writer import write_new
from ..scaffold import EXAMPLES
from .console import STYLE, ColorOption, choice_option, make_console


def register(app: typer.Typer) -> None:
    """Add the ``init`` command to ``app``."""

    @app.command(
        name="init",
        help=(
            "Write a new profile NAME, copied from an example profile, or a minimal overlay of "
            "an existing profile (--extends BASE).\n\n"
            "The file goes to NAME.yml (or -o PATH; -o - prints it); an existing file is "
            "left alone unless --force.\n\n"
            "Examples:\n\n"
            "  stackgen init shop\n\n"
            "  stackgen init observability --from highlight-hobby -o profiles/obs.yml\n\n"
            "  stackgen init prod --extends profiles/highlight-hobby.yml -o profiles/prod.yml"
        ),
    )
    def init_command(
        name: Annotated[str, typer.Argument(help="Compose project name.", show_default=False)],
        example: Annotated[
            str, choice_option("--from", EXAMPLES, f"Example to start from: {', '.join(EXAMPLES)}.")
        ] = "minimal",
        output: Annotated[
            str | None, typer.Option("-o", "--output", help="Profile file, or - for stdout.")
        ] = None,
        force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
        extends: Annotated[
            Path | None,
            typer.Option(
                "--extends",
                help="Write a minimal overlay of this profile instead of copying an example.",
                show_default=False,
            ),
        ] = None,
        color: ColorOption = "auto",
    ) -> None:
        from .. import api  # when it runs: see stackgen.choices

        console = make_console(color)
        target = Path(output) if output not in (None, "-") else Path(f"{name}.yml")
        if extends is not None:
            if example != "minimal":
                raise typer.BadParameter("give --from or --extends, not both", param_hint="--from")
            text = api.new_overlay(name, extends, target.parent)
        else:
            text = api.new_profile(name, example)
        if output == "-":
            console.out.write(text)
            return
        written = write_new(target, text, force=force)
        kept_note = f" (kept the old file as {written.backup.as_posix()})" if written.backup else ""
        console.err.line(f"wrote {target.as_posix()}{kept_note}", STYLE["ok"])
        console.err.line(f"next: stackgen render {target.as_posix()}", STYLE["muted"])
