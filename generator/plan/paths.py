"""Planning step for host paths: check that each exists, write it for the output's folder.

A relative host path in a profile is relative to the folder of the profile file that states it
(a base profile's values to the base's folder), as compose's are to the compose file. Each is
checked (compose refuses a missing ``env_file`` unless ``required: false``: an error; a missing
bind source, build context or config/secret file: a warning, since it may be created before
``docker compose up``) and rewritten relative to the folder the compose file is written to
(:func:`stackgen.compose.paths.moved`), so the output reaches the same files from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from ..compose.paths import (
    PATH_KIND_NAMES,
    PathRef,
    is_relative,
    missing,
    path_refs,
    rebase_refs,
    resolve,
)
from ..profile.load import LoadedProfile
from ..yamlio.nodes import Path_


class _Reporter(Protocol):
    loaded: LoadedProfile

    def error(self, path: Path_, message: str) -> None: ...

    def warn(self, path: Path_, message: str) -> None: ...


def _profile_where(ref: PathRef, verbatim: Mapping[str, set[str]]) -> Path_:
    """Where the profile states the value ``ref`` points at (``verbatim`` keys sit below it)."""
    where = ref.where
    if where[0] == "services" and len(where) > 2 and where[2] in verbatim.get(str(where[1]), ()):
        return (*where[:2], "verbatim", *where[2:])
    return where


def _folder_of(ctx: _Reporter, where: Path_) -> Path:
    """The folder of the profile file that states the value at ``where``."""
    file = Path(ctx.loaded.source.mark(where).file)
    return file.parent if file.is_file() else ctx.loaded.path.parent


def place_paths(
    ctx: _Reporter,
    data: dict[str, Any],
    output_dir: Path | None,
    *,
    verbatim: Mapping[str, set[str]],
) -> dict[str, Any]:
    """Check every host path of ``data`` and rewrite the relative ones for ``output_dir``.

    Args:
        ctx: the planning context (profile positions; errors and warnings are added to it).
        data: compose-shaped ``{"services": …, "configs": …, "secrets": …}``, paths as the
            profile states them.
        output_dir: the folder the compose file will be read from (None: the profile's).
        verbatim: service → its ``verbatim`` keys (their values are written as given: checked,
            never rewritten).

    Returns:
        ``data`` with relative paths rewritten (a copy when anything changed).
    """
    moves: list[tuple[PathRef, Path, Path]] = []
    for ref in path_refs(data, every=True):
        where = _profile_where(ref, verbatim)
        if "$" in ref.text:
            # compose interpolates it: only compose knows where it points (a leading
            # ${VAR:-default} still has its default written for the output's folder)
            if "verbatim" not in where:
                moves.append((ref, _folder_of(ctx, where), output_dir or ctx.loaded.path.parent))
            continue
        folder = _folder_of(ctx, where)
        if missing(ref, folder):
            target = resolve(ref.text, folder)
            shown = ref.text if not is_relative(ref.text) else f"{ref.text} ({target})"
            if ref.kind == "env_file" and ref.required:
                ctx.error(
                    where,
                    f"env file {shown} not found: docker compose refuses a missing env_file "
                    "(create it, or give {path: …, required: false})",
                )
            elif ref.kind != "env_file":
                ctx.warn(where, f"{PATH_KIND_NAMES[ref.kind]} {shown} does not exist")
        if is_relative(ref.text) and "verbatim" not in where:
            moves.append((ref, folder, output_dir or ctx.loaded.path.parent))
    placed: dict[str, Any] = rebase_refs(data, moves)
    return placed
