"""Where rendered files go: the default output path of a profile and target, the folder
compose resolves an output's relative paths against, and whether a committed file is stale."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ..errors import InputError
from .writer import read_existing


class HasText(Protocol):
    """A rendered file: its text."""

    @property
    def text(self) -> str:
        """The file text."""
        ...


class RenderedTarget(Protocol):
    """One rendered target of one profile."""

    @property
    def profile(self) -> Path:
        """The profile file."""
        ...

    @property
    def target(self) -> str:
        """``compose`` or ``kubernetes``."""
        ...


def output_dir(target: Path | None) -> Path:
    """The folder docker compose resolves the output's relative paths against: the target's
    folder, or the working directory for stdout (None)."""
    return Path.cwd() if target is None else target.parent


def default_output(path: Path, target: str = "compose") -> Path:
    """``out/<profile file stem>/compose.yml`` (``kubernetes.yml`` for the Kubernetes target),
    relative to the working directory."""
    return Path("out") / path.stem / f"{target}.yml"


def staleness(rendered: HasText, output: Path) -> str | None:
    """``"missing"`` or ``"stale"`` when ``output`` does not hold exactly ``rendered.text``,
    else None."""
    existing = read_existing(output)
    if existing is None:
        return "missing"
    return None if existing == rendered.text else "stale"


def target_outputs(outputs: Sequence[RenderedTarget], output: str | None) -> list[Path | None]:
    """Where each rendered target goes: ``output`` (None for ``-``, stdout) or
    :func:`default_output`.

    Raises:
        InputError: ``-o`` with several outputs (profiles or targets), or two profiles that
            would write one file.
    """
    if output is not None and len(outputs) > 1:
        raise InputError.single(
            "<command line>",
            0,
            0,
            "--output",
            "-o takes one profile; omit it to render several",
        )
    if output is not None:
        return [None if output == "-" else Path(output)]
    paths: list[Path | None] = []
    seen: dict[Path, Path] = {}
    for item in outputs:
        where = default_output(item.profile, item.target)
        if where in seen and seen[where].resolve() != item.profile.resolve():
            raise InputError.single(
                str(item.profile),
                0,
                0,
                "",
                f"would write {where.as_posix()}, as {seen[where]} does; "
                "render them in separate calls with -o",
            )
        seen[where] = item.profile
        paths.append(where)
    return paths
