"""Host paths in a compose mapping: where they are, where they point, how to move them.

Compose resolves a relative host path against the project directory, the folder of the first
compose file (compose-spec "Compose file" → relative paths). A profile's relative paths are
relative to the profile's folder in the same way. So that a file keeps reaching the same host
files wherever it is written, its relative paths are rewritten from one folder to another
(:func:`rebase`).

The host paths compose resolves (compose-spec services and top-level elements):

* ``services.*.volumes``: a bind source, short syntax (``./data:/x``: a source starting with
  ``.``, ``/`` or ``~``; anything else names a volume) or long syntax ``type: bind``;
* ``services.*.build``: the context, ``build: DIR`` or ``build.context`` (a URL or ``git@``
  remote is not a path; ``build.dockerfile`` is relative to the context and stays as it is);
* ``services.*.env_file``: a path, a list of paths, or ``{path, required}`` entries;
* top-level ``configs.*.file`` and ``secrets.*.file``.

Compose resolves more of them (compose-go ``paths/resolve.go``), which :func:`path_refs` yields
with ``every``: ``build.additional_contexts`` values (not ``service:NAME`` nor a URL),
``build.ssh`` keys' files (``id=path``), ``label_file``, ``develop.watch[].path`` (its symbolic
links resolved too) and a top-level volume's ``driver_opts.device`` when its ``driver`` is
``local`` and ``driver_opts.o`` is ``bind``. ``extends.file`` and ``include`` paths are read
(and their files' paths rebased) by :mod:`stackgen.compose.reader` and
:mod:`stackgen.compose.include`.

:func:`rebase` never rewrites absolute and ``~`` paths; nor a path holding a ``$`` (an
interpolation compose resolves later), except the default of a leading ``${VAR:-default}`` or
``${VAR-default}``: ``${PROJ_DIR:-.}/dags`` keeps reaching ``./dags`` when PROJ_DIR is unset
(a relative value given to PROJ_DIR is read from the new folder, as compose reads it).
:func:`canonical` writes every path, however written, in one form for ``stackgen diff``.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

PathKind = Literal[
    "bind",
    "build",
    "env_file",
    "config",
    "secret",
    "context",
    "ssh",
    "label_file",
    "watch",
    "device",
]

# git remotes and URLs compose accepts as a build context (compose-spec build.md "context")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|github\.com/)", re.IGNORECASE)


@dataclass(frozen=True)
class PathRef:
    """One host path in a compose mapping.

    Attributes:
        where: the path of the value inside the mapping (``("services", "db", "env_file", 0)``;
            for an env_file entry in long form, the ``path`` key's value).
        text: the path as written.
        kind: ``bind``, ``build`` (a context), ``env_file``, ``config`` or ``secret`` (a
            top-level ``file``).
        required: False only for an ``env_file`` entry with ``required: false``.
        head, tail: the text around the path in its value (``./x`` of ``./x:/x:ro`` has the
            tail ``:/x:ro``; ``./id`` of an ssh ``key=./id`` the head ``key=``).
    """

    where: tuple[str | int, ...]
    text: str
    kind: PathKind
    required: bool = True
    head: str = ""
    tail: str = ""


def is_relative(text: str) -> bool:
    """True for a relative host path compose resolves against the project directory (not
    absolute, not ``~``, no ``$`` left to interpolate, not a URL or git remote)."""
    return (
        bool(text)
        and not text.startswith(("/", "~"))
        and "$" not in text
        and _REMOTE.match(text) is None
    )


# a path starting with a reference that has a default: ${VAR:-default}rest, ${VAR-default}rest
_LEADING_DEFAULT = re.compile(r"^(\$\{[A-Za-z_][A-Za-z0-9_]*:?-)([^${}]*)(\})(.*)\Z", re.DOTALL)


def _short_bind_source(entry: str) -> str | None:
    """The host source of a short-syntax volume entry when it is a bind mount, else None
    (a source given by a reference, ``${DIR:-.}/data``, is a path when it holds a ``/``:
    a volume name cannot)."""
    # the source ends at the first colon outside a leading ${…} (a default may hold a colon)
    start = entry.index("}") + 1 if entry.startswith("${") and "}" in entry else 0
    split = entry.find(":", start)
    if split < 0:
        return None  # an anonymous volume: a container path only
    source = entry[:split]
    if source.startswith("$"):
        return source if "/" in source else None
    return source if source.startswith((".", "/", "~")) else None


def path_refs(data: Any, *, every: bool = False) -> Iterator[PathRef]:
    """Every host path in a compose mapping (see the module docstring), in file order; with
    ``every``, also those only compose's own path resolution reaches (``additional_contexts``,
    ``ssh``, ``label_file``, ``develop.watch``, a local volume's bind ``device``)."""
    if not isinstance(data, dict):
        return
    services = data.get("services")
    for name, body in (services or {}).items() if isinstance(services, dict) else ():
        if not isinstance(body, dict):
            continue
        base: tuple[str | int, ...] = ("services", name)
        volumes = body.get("volumes")
        for i, entry in enumerate(volumes if isinstance(volumes, list) else ()):
            if isinstance(entry, str):
                source = _short_bind_source(entry)
                if source is not None:
                    yield PathRef((*base, "volumes", i), source, "bind", tail=entry[len(source) :])
            elif isinstance(entry, dict) and entry.get("type") == "bind":
                source = entry.get("source")
                if isinstance(source, str):
                    yield PathRef((*base, "volumes", i, "source"), source, "bind")
        build = body.get("build")
        if isinstance(build, str):
            yield PathRef((*base, "build"), build, "build")
        elif isinstance(build, dict):
            if isinstance(build.get("context"), str):
                yield PathRef((*base, "build", "context"), build["context"], "build")
            if every:
                yield from _build_refs(build, (*base, "build"))
        env_file = body.get("env_file")
        if isinstance(env_file, str):
            yield PathRef((*base, "env_file"), env_file, "env_file")
        for i, item in enumerate(env_file if isinstance(env_file, list) else ()):
            if isinstance(item, str):
                yield PathRef((*base, "env_file", i), item, "env_file")
            elif isinstance(item, dict) and isinstance(item.get("path"), str):
                required = item.get("required", True) not in (False, "false")
                yield PathRef((*base, "env_file", i, "path"), item["path"], "env_file", required)
        if every and ("label_file" in body or "develop" in body):
            yield from _service_refs(body, base)
    for top, kind in (("configs", "config"), ("secrets", "secret")):
        entries = data.get(top)
        for name, spec in entries.items() if isinstance(entries, dict) else ():
            if isinstance(spec, dict) and isinstance(spec.get("file"), str):
                yield PathRef((top, name, "file"), spec["file"], kind)  # type: ignore[arg-type]
    volumes = data.get("volumes") if every else None
    for name, spec in volumes.items() if isinstance(volumes, dict) else ():
        # compose-go volumeDriverOpts: only a local driver named as such binds a host folder
        if isinstance(spec, dict) and spec.get("driver") == "local":
            opts = spec.get("driver_opts")
            if isinstance(opts, dict) and opts.get("o") == "bind":
                if isinstance(opts.get("device"), str):
                    yield PathRef(
                        ("volumes", name, "driver_opts", "device"), opts["device"], "device"
                    )


def _pairs(value: Any) -> Iterator[tuple[str | int, str, str]]:
    """``(key in value, head, path)`` of a list of ``name=path`` texts or a mapping of
    ``name: path`` (a name without a path yields nothing)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and item:
                yield key, "", item
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str) and "=" in item:
                head, _, path = item.partition("=")
                if path:
                    yield i, head + "=", path


def _build_refs(build: dict[str, Any], here: tuple[str | int, ...]) -> Iterator[PathRef]:
    """``build.additional_contexts`` and ``build.ssh`` paths (compose-go ``absContextPath``,
    ``maybeUnixPath``)."""
    for key, head, path in _pairs(build.get("additional_contexts")):
        if not path.startswith("service:"):  # another service's image, not a folder
            yield PathRef((*here, "additional_contexts", key), path, "context", head=head)
    for key, head, path in _pairs(build.get("ssh")):
        yield PathRef((*here, "ssh", key), path, "ssh", head=head)


def _service_refs(body: dict[str, Any], here: tuple[str | int, ...]) -> Iterator[PathRef]:
    """``label_file`` and ``develop.watch[].path`` paths of one service."""
    label_file = body.get("label_file")
    if isinstance(label_file, str):
        yield PathRef((*here, "label_file"), label_file, "label_file")
    for i, item in enumerate(label_file if isinstance(label_file, list) else ()):
        if isinstance(item, str):
            yield PathRef((*here, "label_file", i), item, "label_file")
    develop = body.get("develop")
    watch = develop.get("watch") if isinstance(develop, dict) else None
    for i, rule in enumerate(watch if isinstance(watch, list) else ()):
        if isinstance(rule, dict) and isinstance(rule.get("path"), str):
            yield PathRef((*here, "develop", "watch", i, "path"), rule["path"], "watch")


def moved(text: str, old_dir: Path, new_dir: Path) -> str:
    """``text``, a host path relative to ``old_dir``, written relative to ``new_dir``.

    Both folders are taken as absolute (symbolic links not resolved, as compose does not).
    The result keeps a leading ``./`` or ``../`` (short volume syntax needs it to tell a bind
    mount from a named volume); a path that is not :func:`is_relative` is returned unchanged,
    as is one whose folders coincide.
    """
    leading = _LEADING_DEFAULT.match(text)
    if leading and is_relative(leading[2]):
        head, default, brace, rest = leading.groups()
        return head + moved(default, old_dir, new_dir) + brace + rest
    if not is_relative(text):
        return text
    old, new = Path(os.path.abspath(old_dir)), Path(os.path.abspath(new_dir))
    if old == new:
        return text
    trailing = "/" if text.endswith("/") and text.rstrip("/") else ""
    target = os.path.normpath(old / text)
    rel = Path(os.path.relpath(target, new)).as_posix()
    if rel == ".":
        return "." + trailing
    if rel != ".." and not rel.startswith("../"):
        rel = "./" + rel
    return rel + trailing


def rebase_refs(data: Any, moves: Sequence[tuple[PathRef, Path, Path]]) -> Any:
    """A copy of ``data`` with each ``(ref, old_dir, new_dir)`` of ``moves`` applied: the path
    at ``ref.where`` (relative to ``old_dir``) written relative to ``new_dir``
    (:func:`moved`). ``data`` itself is not changed; it is returned as it is when no path
    changes."""
    changes = [(ref, moved(ref.text, old, new)) for ref, old, new in moves]
    return _rewrite(data, [(ref, text) for ref, text in changes if text != ref.text])


def _rewrite(data: Any, changes: Sequence[tuple[PathRef, str]]) -> Any:
    """A copy of ``data`` with the path of each ``(ref, text)`` written as ``text`` (its head
    and tail kept); ``data`` itself when there is no change."""
    if not changes:
        return data
    out = copy.deepcopy(data)
    for ref, new_text in changes:
        *parents, last = ref.where
        node = out
        for key in parents:
            node = node[key]
        node[last] = ref.head + new_text + ref.tail
    return out


def rebase(data: Any, old_dir: Path, new_dir: Path) -> Any:
    """A copy of the compose mapping ``data`` with every relative host path compose resolves
    (:func:`path_refs` with ``every``), written relative to ``old_dir``, written relative to
    ``new_dir``, so it reaches the same files from there. ``data`` itself is not changed;
    with equal folders it is returned as it is."""
    return rebase_refs(data, [(ref, old_dir, new_dir) for ref in path_refs(data, every=True)])


def expand_user(text: str) -> str | None:
    """``text`` with a leading ``~`` replaced by ``$HOME`` as compose-go ``ExpandUser`` does
    it (``~/x`` and ``~x`` are both ``$HOME`` joined with the rest: ``~bob`` is not bob's
    home); None when ``HOME`` is unset or empty (compose then keeps the text as written)."""
    if not text.startswith("~"):
        return text
    home = os.environ.get("HOME")
    return os.path.join(home, text[1:].lstrip("/")) if home else None


def same_file(text: str, old_dir: Path, new_dir: Path, kind: PathKind = "bind") -> str:
    """One text for the host file ``text`` reaches when compose resolves it against
    ``old_dir``, whatever form it is written in (relative, absolute, ``~``), for ``stackgen
    diff``: relative to ``new_dir`` (``./data``, ``..``, ``../x/y``; no trailing ``/``) unless
    the file and ``new_dir`` share no folder but ``/`` (then absolute: ``/var/run/x.sock``).
    A ``develop.watch`` path has its symbolic links resolved, as compose does
    (compose-go ``absSymbolicLink``). A path still holding ``$`` (only the default of a
    leading ``${VAR:-default}`` is a path), a URL or git remote, or a ``~`` without ``HOME``
    is returned as written."""
    leading = _LEADING_DEFAULT.match(text)
    if leading and "$" not in leading[2] and leading[2]:
        head, default, brace, rest = leading.groups()
        return head + same_file(default, old_dir, new_dir, kind) + brace + rest
    if not text or "$" in text or _REMOTE.match(text) is not None:
        return text
    expanded = expand_user(text)
    if expanded is None:
        return text
    target = os.path.normpath(os.path.join(os.path.abspath(old_dir), expanded))
    if kind == "watch":
        target = os.path.realpath(target)
    new = os.path.abspath(new_dir)
    if os.path.commonpath((target, new)) == "/":
        return target
    rel = Path(os.path.relpath(target, new)).as_posix()
    return rel if rel in (".", "..") or rel.startswith("../") else "./" + rel


def canonical(data: Any, old_dir: Path, new_dir: Path) -> Any:
    """A copy of the compose mapping ``data`` (its relative paths relative to ``old_dir``)
    with every host path compose resolves written by :func:`same_file` for ``new_dir``, so
    that two mappings whose paths reach the same files compare equal, however each is
    written (``stackgen diff``; ``docker compose config`` writes every path absolute)."""
    refs = path_refs(data, every=True)
    changes = [(ref, same_file(ref.text, old_dir, new_dir, ref.kind)) for ref in refs]
    return _rewrite(data, [(ref, text) for ref, text in changes if text != ref.text])


def resolve(text: str, base_dir: Path, *, expand_home: bool = True) -> Path:
    """The absolute host path ``text`` names when compose resolves it against ``base_dir``
    (``~`` expanded as compose does, :func:`expand_user`, unless ``expand_home`` is False:
    compose reads ``extends.file`` without expanding it, so ``~/x`` there is the folder
    ``~`` of ``base_dir``; ``text`` must not hold an unresolved ``$``)."""
    path = Path((expand_user(text) if expand_home else None) or text)
    return Path(os.path.normpath(path if path.is_absolute() else Path(base_dir).absolute() / path))


#: what each kind of host path is, for messages
PATH_KIND_NAMES: dict[str, str] = {
    "bind": "bind mount source",
    "build": "build context",
    "env_file": "env file",
    "config": "config file",
    "secret": "secret file",
    "context": "build context",
    "ssh": "ssh key file",
    "label_file": "label file",
    "watch": "watched path",
    "device": "volume device",
}


def missing(ref: PathRef, base_dir: Path) -> bool:
    """Whether the host path ``ref`` names does not exist when compose resolves it against
    ``base_dir``; False for what is not a local path (a ``$`` left to interpolate, a URL or
    git remote as a build context)."""
    if "$" in ref.text or _REMOTE.match(ref.text) is not None:
        return False
    return not resolve(ref.text, base_dir).exists()
