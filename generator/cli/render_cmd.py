"""``stackgen render``: profiles → compose files and Kubernetes manifests (or ``--check``
committed ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..choices import KUBERNETES_REPORT_FORMATS, TARGETS
from .options import ColorOption, choice_option
from .render_run import run_render


def register(app: typer.Typer) -> None:
    """Add the ``render`` command to ``app``."""

    @app.command(
        help=(
            "Render profiles into docker compose files and Kubernetes manifests.\n\n"
            "Each PROFILE is written to out/<its file name without .yml>/compose.yml (and "
            "kubernetes.yml when its targets: list kubernetes) unless -o is given (-o - prints "
            "to stdout); -o writes one file: the --target given, else the profile's first "
            "target.\n\n"
            "Examples:\n\n"
            "  stackgen render profiles/highlight-hobby.yml\n\n"
            "  stackgen render profiles/highlight-hobby.yml --target kubernetes --report text\n\n"
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
            False,
            "--check",
            help="Write nothing; exit 1 naming outputs that are stale (not with -o -: "
            "stdout is no file to compare).",
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
        only: Annotated[
            str | None,
            choice_option(
                "--target",
                TARGETS,
                "Render only this target: compose or kubernetes (default: the profile's "
                "targets:, else compose).",
            ),
        ] = None,
        report: Annotated[
            str | None,
            choice_option(
                "--report",
                KUBERNETES_REPORT_FORMATS,
                "Print the Kubernetes translation report as text, markdown or json (stdout; "
                "stderr with -o -). A profile that renders no Kubernetes manifests (its "
                "targets: lack kubernetes, or --target / -o chose compose) has no report: a "
                "warning names it, and when no profile has one it is an error (exit 2), "
                "before anything is written.",
            ),
        ] = None,
        color: ColorOption = "auto",
    ) -> None:
        if check and output == "-":
            raise typer.BadParameter(
                "cannot be used with -o - (stdout is no file to compare): give -o FILE, "
                "or no -o to check out/<profile>/",
                param_hint="--check",
            )
        code = run_render(
            profiles,
            output=output,
            check=check,
            sets=sets,
            templates=templates,
            force=force,
            only=only,
            report=report,
            color=color,
        )
        if code:
            raise typer.Exit(code)
