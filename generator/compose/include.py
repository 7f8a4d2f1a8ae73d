"""The top-level ``include`` of a compose file: other compose projects' resources brought in.

Compose spec "include" (compose-go ``loader/include.go``, ``ApplyInclude``): each entry is a
path or ``{path: one or a list, project_directory, env_file}``; its files are read as their
own project (the first file's folder is the project directory unless one is given; later
files of the entry override it as ``-f`` files do), interpolated with the including
project's variables plus the entry's ``env_file`` (default: the project directory's
``.env``), and their services, volumes, networks, secrets, configs and models are added to
the including file. A name defined on both sides with different content is an error
("conflicts with imported resource"), as is a missing file or a cycle of includes.

stackgen writes the included files' relative host paths relative to the including file's
folder, so the model reaches the same files compose would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from ..errors import Diagnostic, InputError
from ..yamlio.nodes import Path_, dotted
from .envfile import parse_env_file
from .interpolation import interpolate
from .merge import Sourced, merge_files
from .paths import rebase

#: the resources compose-go's importResources brings in, in its order
RESOURCES = ("services", "volumes", "networks", "secrets", "configs", "models")
#: reads and checks one compose file: ``(path, env, first) -> (source, warnings)``
ReadOne = Callable[[Path, Mapping[str, str] | None, bool], tuple[Sourced, list[Diagnostic]]]


def apply_includes(
    source: Sourced,
    folder: Path,
    env: Mapping[str, str] | None,
    read_one: ReadOne,
    chain: tuple[Path, ...] = (),
) -> tuple[Sourced, list[Diagnostic]]:
    """``source`` with the resources of its ``include`` entries added and ``include`` gone.

    Args:
        source: one compose file as read (interpolated).
        folder: its project directory (relative include paths start there).
        env: the variables it was interpolated with (None: ``${VAR}`` kept literally; an
            included project then gets none either).
        read_one: reads and validates one included file (the caller's own reading).
        chain: the files including this one (a cycle is an error).

    Returns:
        The file with the included resources (their marks name their own files), and the
        warnings of reading them.

    Raises:
        InputError: at the entry: a file that does not exist, a cycle; at the resource: a
            name both sides define differently; and whatever reading an included file raises.
    """
    entries = source.data.get("include") if isinstance(source.data, Mapping) else None
    if not isinstance(entries, list):
        return source, []
    data = {k: v for k, v in source.data.items() if k != "include"}
    marks = dict(source.marks)
    warnings: list[Diagnostic] = []
    for index, entry in enumerate(entries):
        where = ("include", index)
        paths, project, env_files = _entry(entry, source, where)
        files = [_existing(folder / _path(p, env, source, where), source, where) for p in paths]
        if not files:
            continue
        project_dir = folder / project if project else files[0].parent
        key = files[0].resolve()
        if key in chain:
            _fail(source, where, f"include cycle: {files[0]} is included again while being read")
        own = _env_from(project_dir, env_files, folder, source, where)
        # the including project's variables win over the entry's env_file (compose-go
        # Mapping.Merge keeps the keys it has)
        inner_env = None if env is None else {**own, **env}
        read = [read_one(f, inner_env, i == 0) for i, f in enumerate(files)]
        for _, found in read:
            warnings.extend(found)
        included, found = merge_files([s for s, _ in read])
        warnings.extend(found)
        included, found = apply_includes(included, project_dir, inner_env, read_one, (*chain, key))
        warnings.extend(found)
        moved = rebase(included.data, project_dir, folder)
        _import(data, marks, moved, included, source)
    return Sourced(data, marks, source.file, source.written, source.untagged), warnings


def _entry(entry: Any, source: Sourced, where: Path_) -> tuple[list[str], str | None, list[str]]:
    """``(paths, project_directory, env_files)`` of one include entry: a path, or a mapping
    with ``path`` (one or a list); other keys are ignored, as compose ignores them."""
    if isinstance(entry, str):
        return [entry], None, []
    paths = entry.get("path") if isinstance(entry, Mapping) else None
    if isinstance(paths, str):
        paths = [paths]
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        _fail(source, where, "must be a path, or a mapping whose path is a path or a list of them")
    env_files = entry.get("env_file")
    project = entry.get("project_directory")
    return (
        list(paths),
        project if isinstance(project, str) else None,
        [env_files] if isinstance(env_files, str) else [str(f) for f in env_files or ()],
    )


def _path(text: str, env: Mapping[str, str] | None, source: Sourced, where: Path_) -> str:
    """An include path as compose reads it: interpolated (``${DIR:-sub}/db.yml``; a file
    read without variables gets its references' defaults)."""
    if "$" in text:
        text = interpolate(text, env or {})
    if "$" in text or not text:
        _fail(
            source,
            where,
            "the path names a variable without a value here; give it with --env-file (check "
            "also reads the .env beside the file)",
        )
    return text


def _existing(path: Path, source: Sourced, where: Path_) -> Path:
    if not path.is_file():
        _fail(source, where, f"{path}: no such file (docker compose refuses the include)")
    return path


def _env_from(
    project_dir: Path, env_files: list[str], folder: Path, source: Sourced, where: Path_
) -> dict[str, str]:
    """The entry's ``env_file`` variables (relative to the including folder; each must
    exist, as compose requires), else the project directory's ``.env`` when there is one."""
    values: dict[str, str] = {}
    for name in env_files:
        path = folder / name
        if not path.is_file():
            _fail(source, where, f"env_file {name}: no such file (docker compose refuses it)")
        values.update(parse_env_file(path))
    if not env_files and (project_dir / ".env").is_file():
        values.update(parse_env_file(project_dir / ".env"))
    return values


def _import(
    data: dict[str, Any],
    marks: dict[Path_, Any],
    moved: Any,
    included: Sourced,
    source: Sourced,
) -> None:
    """compose-go ``importResources``: each resource of ``moved`` added to ``data`` (with its
    marks); one defined on both sides alike is kept once, differently is an error."""
    for kind in RESOURCES:
        theirs = moved.get(kind) if isinstance(moved, Mapping) else None
        if not isinstance(theirs, Mapping):
            continue
        ours = dict(data.get(kind) or {})
        for name, value in theirs.items():
            if name in ours:
                if ours[name] != value:
                    _fail(source, (kind, name), f"{kind}.{name} conflicts with imported resource")
                continue
            ours[name] = value
            for path, mark in included.marks.items():
                if path[:2] == (kind, name):
                    marks[path] = mark
        data[kind] = ours


def _fail(source: Sourced, path: Path_, message: str) -> NoReturn:
    mark = source.mark(path)
    raise InputError.single(mark.file, mark.line, mark.col, dotted(path), message)
