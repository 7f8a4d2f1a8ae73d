"""``stackgen diff``: parse options (typer), then :func:`stackgen.cli.diff_run.run_diff`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..choices import DIFF_FORMATS as FORMATS
from ..choices import GRAPH_SIDES, LEFT_TYPES
from .diff_run import run_diff
from .options import ColorOption, choice_option, format_option


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
        # usage errors are typer's (stackgen.cli.fastpath declines these command lines); a
        # bad --fail-on is reported first, as stackgen's own input error
        if fail_on is not None:
            from ..diff.filters import parse_categories

            parse_categories(fail_on)
        if graph is not None and fmt != "markdown":
            raise typer.BadParameter("goes with --format markdown", param_hint="--graph")
        for hint, value in (("--left-type", left_type), ("--right-type", right_type)):
            if value not in LEFT_TYPES:
                raise typer.BadParameter(f"use one of {', '.join(LEFT_TYPES)}", param_hint=hint)
        if not rights and not more_left:
            raise typer.BadParameter("give at least one RIGHT file", param_hint="RIGHTS")
        raise typer.Exit(
            run_diff(
                left,
                rights,
                more_left=more_left,
                fmt=fmt,
                fail_on=fail_on,
                ignore=ignore,
                env_file=env_file,
                show_secrets=show_secrets,
                sets=sets,
                left_type=left_type,
                right_type=right_type,
                graph=graph,
                accepted_file=accepted_file,
                no_accepted=no_accepted,
                accept=accept,
                color=color,
            )
        )
