"""The library API behind the CLI: render profiles, check committed output.

Nothing here prints or exits; results are values, problems are exceptions from
:mod:`stackgen.errors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Diagnostic, InputError
from .gcpause import paused
from .plan import plan
from .profile import load_profile
from .render import render
from .writer import read_existing


@dataclass(frozen=True)
class Rendered:
    """One rendered profile.

    Attributes:
        profile: the profile file.
        text: the compose file text.
        data: the compose mapping the text parses to.
        warnings: non-fatal diagnostics.
        sensitive: env names the profile marks as secret (masked in diff reports).
    """

    profile: Path
    text: str
    data: dict[str, Any]
    warnings: tuple[Diagnostic, ...]
    sensitive: tuple[str, ...] = ()


def display_name(path: Path) -> str:
    """How a profile is named in headers: relative to the working directory when inside it,
    else its file name, so output does not depend on where the checkout lives."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


@paused()  # builds large graphs that all stay alive: see gcpause
def render_profile(
    path: Path, *, sets: list[str] | None = None, templates: Path | None = None
) -> Rendered:
    """Load, plan and render one profile, in memory.

    Args:
        path: the profile file.
        sets: ``--set path.to.key=value`` overrides.
        templates: optional user template directory.

    Raises:
        InputError: invalid profile (all problems, each with file:line:col).
        TemplateError, InternalError: see :func:`stackgen.render.render`.
    """
    loaded = load_profile(path, sets)
    sensitive = tuple(loaded.profile.sensitive)
    stack = plan(loaded, source=display_name(path), templates=templates)
    # the profile's data, positions and model are not needed past planning: free them before
    # the text is rendered and read back (peak memory on large stacks)
    del loaded
    text = render(stack, templates)
    # render() has proved the text reads back as exactly this mapping: no second parse
    data = stack.to_compose()
    return Rendered(path, text, data, stack.warnings, sensitive)


def default_output(path: Path) -> Path:
    """``out/<profile file stem>/compose.yml`` (relative to the working directory)."""
    return Path("out") / path.stem / "compose.yml"


def output_targets(profiles: list[Path], output: str | None) -> list[Path | None]:
    """Where each profile's compose file goes: ``output`` (None for ``-``, stdout) or
    :func:`default_output`.

    Raises:
        InputError: ``-o`` with several profiles, or two profiles that would write one file
            (``a/x.yml`` and ``b/x.yml`` both go to ``out/x/compose.yml``).
    """
    if output is not None and len(profiles) > 1:
        raise InputError.single(
            "<command line>", 0, 0, "--output", "-o takes one profile; omit it to render several"
        )
    if output is not None:
        return [None if output == "-" else Path(output)]
    targets: list[Path | None] = []
    seen: dict[Path, Path] = {}
    for profile in profiles:
        target = default_output(profile)
        if target in seen and seen[target].resolve() != profile.resolve():
            raise InputError.single(
                str(profile),
                0,
                0,
                "",
                f"would write {target.as_posix()}, as {seen[target]} does; "
                "render them in separate calls with -o",
            )
        seen[target] = profile
        targets.append(target)
    return targets


def staleness(rendered: Rendered, output: Path) -> str | None:
    """``"missing"`` or ``"stale"`` when ``output`` does not hold exactly ``rendered.text``,
    else None."""
    existing = read_existing(output)
    if existing is None:
        return "missing"
    return None if existing == rendered.text else "stale"
