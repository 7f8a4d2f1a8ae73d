"""``stackgen render``: profiles → compose files (or ``--check`` committed ones)."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import api
from ..writer import write_atomic
from .output import echo_diag


def register(app: typer.Typer) -> None:
    """Add the ``render`` command to ``app``."""

    @app.command(
        help=(
            "Render profiles into docker compose files.\n\n"
            "Each PROFILE is written to out/<profile name>/compose.yml unless -o is given "
            "(-o - prints to stdout).\n\n"
            "Examples:\n\n"
            "  stackgen render profiles/highlight-hobby.yml\n\n"
            "  stackgen render profiles/minimal.yml -o - --set services.web.replicas=2\n\n"
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
    ) -> None:
        targets = api.output_targets(profiles, output)
        results = [api.render_profile(p, sets=sets, templates=templates) for p in profiles]
        for rendered in results:
            for warning in rendered.warnings:
                echo_diag(warning, " (warning)")
        problems = []
        for rendered, target in zip(results, targets, strict=True):
            if check:
                state = api.staleness(rendered, target) if target is not None else None
                if state and target is not None:  # -o - with --check compares nothing
                    problems.append(
                        f"{state}: {target.as_posix()} (run stackgen render to update it)"
                    )
            elif target is None:
                typer.echo(rendered.text, nl=False)
            else:
                write_atomic(target, rendered.text)
                typer.echo(f"wrote {target.as_posix()}", err=True)
        for line in problems:
            typer.echo(line, err=True)
        if problems:
            raise typer.Exit(1)
