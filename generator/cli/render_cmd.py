"""``stackgen render``: profiles → compose files (or ``--check`` committed ones)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..output.writer import check_target, write_output
from .console import STYLE, ColorOption, make_console
from .output import warn


def register(app: typer.Typer) -> None:
    """Add the ``render`` command to ``app``."""

    @app.command(
        help=(
            "Render profiles into docker compose files.\n\n"
            "Each PROFILE is written to out/<its file name without .yml>/compose.yml unless -o is given "
            "(-o - prints to stdout).\n\n"
            "Examples:\n\n"
            "  stackgen render profiles/highlight-hobby.yml\n\n"
            "  stackgen render profiles/minimal.yml -o - --set services.web.image=nginx:1.28-alpine\n\n"
            "  stackgen render --check profiles/*.yml"
        )
    )
    def render(
        profiles: list[Path] = typer.Argument(..., help="Profile files.", show_default=False),
        output: str | None = typer.Option(
            None, "-o", "--output", help="Output file, or - for stdout (one profile only)."
        ),
        check: bool = typer.Option(
            False, "--check", help="Write nothing; exit 1 naming outputs that are stale."
        ),
        sets: list[str] = typer.Option(
            [], "--set", help="Override a profile value: path.to.key=value (repeatable)."
        ),
        templates: Path | None = typer.Option(
            None,
            "--templates",
            exists=True,
            file_okay=False,
            help="Directory of templates looked up before stackgen's own.",
        ),
        force: bool = typer.Option(
            False,
            "--force",
            help="Replace an output file stackgen did not write (kept as FILE.bak).",
        ),
        color: ColorOption = "auto",
    ) -> None:
        console = make_console(color)
        # imported here: the render pipeline (jinja2, the planner) costs start-up time that
        # the other commands never need
        from .. import api

        targets = api.output_targets(profiles, output)
        results = [api.render_profile(p, sets=sets, templates=templates) for p in profiles]
        for rendered in results:
            for warning in rendered.warnings:
                warn(console, warning)
        if not check:
            for target in targets:  # refuse before writing any file, not halfway through
                if target is not None:
                    check_target(target, force=force)
        problems: list[tuple[str, str]] = []
        for rendered, target in zip(results, targets, strict=True):
            if check:
                state = api.staleness(rendered, target) if target is not None else None
                if state and target is not None:  # -o - with --check compares nothing
                    problems.append(
                        (f"{state}: {target.as_posix()} (run stackgen render to update it)", state)
                    )
            elif target is None:
                console.out.write(rendered.text)
            else:
                written = write_output(target, rendered.text, force=force)
                kept = (
                    f" (kept the old file as {written.backup.as_posix()})" if written.backup else ""
                )
                console.err.line(f"wrote {target.as_posix()}{kept}", STYLE["ok"])
        for line, state in problems:
            console.err.line(line, STYLE["error" if state == "missing" else "changed"])
        if problems:
            raise typer.Exit(1)
