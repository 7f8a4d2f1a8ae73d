"""What ``stackgen render`` does once its options are parsed: render, check or write each
profile's outputs and print what happened (no CLI framework imported: typer's command in
:mod:`stackgen.cli.render_cmd` and the fast path in :mod:`stackgen.cli.fastpath` both call
:func:`run_render`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..errors import Diagnostic, InputError
from ..output.writer import check_target, write_output
from .console import STYLE, Console, make_console
from .output import warn

if TYPE_CHECKING:
    from ..api import TargetOutput


def run_render(
    profiles: list[Path],
    output: str | None = None,
    check: bool = False,
    sets: list[str] | None = None,
    templates: Path | None = None,
    force: bool = False,
    only: str | None = None,
    report: str | None = None,
    color: str = "auto",
) -> int:
    """Render ``profiles`` as ``stackgen render`` does (the options are its own, already
    checked: ``only`` is a target name or None, ``report`` a report format or None,
    ``templates`` an existing folder or None).

    Returns:
        The exit status: 0, or 1 when ``check`` found a stale or missing output.

    Raises:
        StackgenError: bad input (exit 2) or a refused write, as :mod:`stackgen.api` raises it.
        InputError: ``report`` asked of profiles none of which renders Kubernetes manifests.
    """
    console = make_console(color)
    # imported here: the render pipeline (jinja2, the planner) costs start-up time that the
    # other commands never need
    from .. import api
    from ..profile.kubernetes import TargetName

    def folder(profile: Path) -> Path:
        # where docker compose resolves the output's relative paths (api.output_dir)
        if output is None:
            return api.output_dir(api.default_output(profile))
        return api.output_dir(None if output == "-" else Path(output))

    results = [
        out
        for p in profiles
        for out in api.render_targets(
            p,
            target=cast("TargetName | None", only),
            first_only=output is not None,  # -o writes one file: the first target
            sets=sets,
            templates=templates,
            output_dir=folder(p),
        )
    ]
    if report is not None:
        _reports_exist(console, profiles, results)
    targets = api.target_outputs(results, output)
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
            kept = f" (kept the old file as {written.backup.as_posix()})" if written.backup else ""
            console.err.line(f"wrote {target.as_posix()}{kept}", STYLE["ok"])
    if report is not None:
        from ..targets.kubernetes.report import format_report

        for rendered, where in zip(results, targets, strict=True):
            if rendered.report is not None:
                text = format_report(rendered.report, report)
                # with -o - the manifests own stdout
                (console.err if where is None and not check else console.out).write(text)
    for line, state in problems:
        console.err.line(line, STYLE["error" if state == "missing" else "changed"])
    return 1 if problems else 0


def _reports_exist(console: Console, profiles: list[Path], results: list[TargetOutput]) -> None:
    """``--report`` prints the Kubernetes translation report: a profile that renders no
    Kubernetes manifests has none, which is said (a warning), and a command line where no
    profile has one asks for nothing that exists: an error, as kubectl and Helm refuse an
    option that cannot apply, before any file is written.

    Raises:
        InputError: no profile renders Kubernetes manifests (exit 2).
    """
    having = {result.profile for result in results if result.report is not None}
    why = (
        "renders no Kubernetes manifests, so there is no translation report for --report "
        "(its targets: lack kubernetes, or --target / -o chose compose; add --target kubernetes)"
    )
    if not having:
        raise InputError([Diagnostic(p.as_posix(), 0, 0, "", why) for p in profiles])
    for p in profiles:
        if p not in having:
            warn(console, Diagnostic(p.as_posix(), 0, 0, "", why))
