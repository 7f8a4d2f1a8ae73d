"""Read one compose file into plain data with positions: interpolation, ``$$`` and ``extends``.

Rules (compose spec, "Interpolation" and "extends"):

* ``${VAR}``, ``$VAR``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?err}``,
  ``${VAR?err}``, ``${VAR:+alt}``, ``${VAR+alt}``; ``$$`` is a literal ``$``.
  Without an env file references are kept literally (``${VAR}`` stays ``${VAR}``) so a diff
  compares what is written; ``$VAR`` is kept as ``${VAR}``, the same reference (so the two
  spellings are no drift); ``$$`` is still read as ``$``. With an env file they are
  substituted from that file only (not the shell environment, so a diff is reproducible);
  an unset variable without default becomes ``""`` with a warning, as compose does.
* ``extends: name`` / ``extends: {service: name, file: other.yml}``: the base service is
  merged under the extending one with the ``-f`` merge rules (:mod:`stackgen.compose.merge`); the
  other file is read relative to the extending file; chains are followed, cycles rejected.
* ``x-`` keys are kept here (the normaliser drops them).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, InputError
from ..yamlio.limits import MAX_EXTENDS
from ..yamlio.loader import load_file
from ..yamlio.nodes import Document, Mark, Path_, Tagged, dotted
from .interpolation import _Interpolator, fill_bare_names
from .merge import Sourced, merge_value
from .paths import rebase
from .paths import resolve as resolve_path

#: scalars interpolation leaves as they are (no call made for them)
_NOTHING_TO_FILL = frozenset({int, float, bool, type(None)})


def _interpolate(
    value: Any,
    path: list[str | int],
    doc: Document,
    env: Mapping[str, str] | None,
    warnings: list[Diagnostic],
) -> Any:
    """``value`` with every ``$`` expression interpolated. Copy on write: a mapping or list
    in which nothing changes is returned as it is (so a file without ``$`` is not copied),
    and ``path`` (the keys down to ``value``, one list changed in place on the way down) is
    made a tuple only where a mark is needed."""
    if isinstance(value, dict):
        out: dict[Any, Any] | None = None
        for key, item in value.items():
            kind = type(item)
            if (kind is str and "$" not in item) or kind in _NOTHING_TO_FILL:
                continue  # most values
            path.append(key)
            new = _interpolate(item, path, doc, env, warnings)
            path.pop()
            if new is not item:
                if out is None:
                    out = dict(value)
                out[key] = new
        return value if out is None else out
    if isinstance(value, list):
        items: list[Any] | None = None
        for index, item in enumerate(value):
            kind = type(item)
            if (kind is str and "$" not in item) or kind in _NOTHING_TO_FILL:
                continue
            path.append(index)
            new = _interpolate(item, path, doc, env, warnings)
            path.pop()
            if new is not item:
                if items is None:
                    items = list(value)
                items[index] = new
        return value if items is None else items
    if isinstance(value, Tagged):
        inner = _interpolate(value.value, path, doc, env, warnings)
        return value if inner is value.value else Tagged(value.tag, inner)
    if not isinstance(value, str) or "$" not in value:
        return value
    return _interpolate_text(value, tuple(path), doc, env, warnings)


def _interpolate_text(
    value: str,
    path: Path_,
    doc: Document,
    env: Mapping[str, str] | None,
    warnings: list[Diagnostic],
) -> str:
    worker = _Interpolator(env)
    result = worker.run(value)
    mark = doc.mark(path)
    if worker.errors:
        raise InputError(
            [Diagnostic(mark.file, mark.line, mark.col, dotted(path), e) for e in worker.errors]
        )
    for name in worker.unset:
        warnings.append(
            Diagnostic(
                mark.file,
                mark.line,
                mark.col,
                dotted(path),
                f"variable {name} is not set; defaulting to a blank string",
            )
        )
    return value if result == value else result  # unchanged: the same object (no copy)


class _Reader:
    """Reads files (each once) and resolves ``extends`` across them."""

    def __init__(self, env: Mapping[str, str] | None, *, raw: bool = False) -> None:
        self.env = env
        self.raw = raw
        self.cache: dict[Path, Sourced] = {}
        self.warnings: list[Diagnostic] = []
        self.reading: list[Path] = []

    def read(self, path: Path, display: str, parsed: Document | None = None) -> Sourced:
        key = path.resolve()
        if key in self.cache:
            return self.cache[key]
        if key in self.reading:
            raise InputError.single(
                display, 1, 1, "", "extends: files extend each other in a cycle"
            )
        self.reading.append(key)
        try:
            if parsed is None or not (parsed.compose or not parsed.readings_differ):
                # compose reads plain numbers as Go yaml.v3 does (022 is 18); a parse made
                # the profile way (diff's LEFT detection) is used when both read it alike
                parsed = load_file(path, display, compose=True)
            doc = parsed
            result = self._read_doc(doc, path.parent, display)
        finally:
            self.reading.pop()
        self.cache[key] = result
        return result

    def _read_doc(self, doc: Document, folder: Path, display: str) -> Sourced:
        data = doc.data if doc.data is not None else {}
        if not isinstance(data, dict):
            kind = {"str": "string", "list": "list", "bool": "boolean"}.get(
                type(data).__name__, "scalar"
            )
            raise InputError.single(
                display,
                1,
                1,
                "services",
                f"not a compose file: the document is a {kind}, not a mapping with a services "
                "mapping",
            )
        services = data.get("services")
        if services is not None and not isinstance(services, dict):
            mark = doc.mark(("services",))
            raise InputError.single(
                mark.file, mark.line, mark.col, "services", "must be a mapping of services"
            )
        for name, spec in (services or {}).items():
            if spec is not None and not isinstance(spec, dict | Tagged):
                mark = doc.mark(("services", name))
                raise InputError.single(
                    mark.file, mark.line, mark.col, f"services.{name}", "must be a mapping"
                )
        written = data
        if not self.raw:
            data = _interpolate(data, [], doc, self.env, self.warnings)
            if self.env is not None:  # `- KEY` takes KEY's value, as in compose
                data = fill_bare_names(data, self.env, escape=False)
        # interpolation adds no tag: a file read without any still has none
        source = Sourced(data, doc.marks, display, written, doc.untagged)
        if any(
            isinstance(s, dict) and "extends" in s for s in (data.get("services") or {}).values()
        ):
            source = self._extends(source, folder, display)
        return source

    def _extends(self, source: Sourced, folder: Path, display: str) -> Sourced:
        services: dict[str, Any] = dict(source.data["services"])
        marks: dict[Path_, Mark] = dict(source.marks)
        done: set[str] = set()

        def resolve(name: str, chain: tuple[str, ...]) -> None:
            if name in done:
                return
            spec = services[name]
            if not isinstance(spec, dict) or "extends" not in spec:
                done.add(name)
                return
            where = source.mark(("services", name, "extends"))
            if len(chain) >= MAX_EXTENDS or len(self.reading) > MAX_EXTENDS:
                raise InputError.single(
                    where.file,
                    where.line,
                    where.col,
                    f"services.{name}.extends",
                    f"extends chain longer than {MAX_EXTENDS} services; flatten some of them",
                )
            if name in chain:
                cycle = " -> ".join((*chain, name))
                raise InputError.single(
                    where.file,
                    where.line,
                    where.col,
                    f"services.{name}.extends",
                    f"extends cycle: {cycle}",
                )
            ext = spec["extends"]
            other_file, base_name = (
                (None, ext)
                if isinstance(ext, str)
                else (
                    (ext.get("file"), ext.get("service")) if isinstance(ext, dict) else (None, None)
                )
            )
            if not isinstance(base_name, str):
                raise InputError.single(
                    where.file,
                    where.line,
                    where.col,
                    f"services.{name}.extends",
                    "needs a service name (extends: NAME or extends: {service: NAME})",
                )
            if other_file is not None:
                if not isinstance(other_file, str) or "\0" in other_file:
                    raise InputError.single(
                        where.file,
                        where.line,
                        where.col,
                        f"services.{name}.extends.file",
                        "must be a file path (text without NUL characters)",
                    )
                # no `~` expansion: compose-go reads extends.file as written (checked with
                # the binary: `file: ~/base.yml` is <folder>/~/base.yml)
                other_path = resolve_path(other_file, folder, expand_home=False)
                other = self.read(other_path, str(Path(display).parent / str(other_file)))
                base_services = other.data.get("services") or {}
                base_marks: Mapping[Path_, Mark] = other.marks
                if base_name in base_services:
                    # the base's relative paths reach its own file's folder's files (compose
                    # resolves them there: compose-go getExtendsBaseFromFile)
                    moved = rebase(
                        {"services": {base_name: base_services[base_name]}},
                        other_path.parent,
                        folder,
                    )
                    base_services = moved["services"]
            else:
                if base_name in services:
                    resolve(base_name, (*chain, name))
                base_services, base_marks = services, marks
            if base_name not in base_services:
                target = other_file or display
                raise InputError.single(
                    where.file,
                    where.line,
                    where.col,
                    f"services.{name}.extends",
                    f"no service {base_name!r} in {target}",
                )
            local = {k: v for k, v in spec.items() if k != "extends"}
            merged, new_marks, warns = merge_value(
                base_services[base_name],
                base_marks,
                ("services", base_name),
                local,
                marks,
                ("services", name),
                ("services", name),
            )
            self.warnings.extend(warns)
            marks.update(new_marks)
            services[name] = merged if merged is not None else {}
            done.add(name)

        for service_name in list(services):
            resolve(service_name, ())
        data = dict(source.data)
        data["services"] = services
        return Sourced(data, marks, source.file, source.written)


def read_compose(
    path: Path,
    *,
    env: Mapping[str, str] | None = None,
    display: str | None = None,
    raw: bool = False,
    parsed: Document | None = None,
) -> tuple[Sourced, list[Diagnostic]]:
    """Read one compose file: YAML with positions, interpolation, ``extends``.

    Args:
        path: the compose file.
        env: variables from ``--env-file`` (None keeps ``${VAR}`` literally).
        display: the file's name in marks and messages (default: ``path`` as given).
        raw: no interpolation at all: every string stays as written, ``$$`` included (for
            ``stackgen import``, which must tell ``$${VAR}`` from ``${VAR}``).
        parsed: the file as the caller has parsed it already (:func:`stackgen.yamlio.loader.load_file`
            of ``path``, with the same ``display``), not read again; it may be changed.

    Returns:
        The file as :class:`~stackgen.compose.merge.Sourced` (``!reset``/``!override`` still tagged,
        for the merge; ``written`` holds the data as written, for validation) and warnings
        (unset variables).

    Raises:
        InputError: unreadable or invalid YAML, not a mapping, ``${VAR:?err}`` unset, bad or
            cyclic ``extends``.
    """
    reader = _Reader(env, raw=raw)
    source = reader.read(path, display or str(path), parsed)
    return source, reader.warnings


def read_compose_doc(
    doc: Document, *, env: Mapping[str, str] | None = None, folder: Path | None = None
) -> tuple[Sourced, list[Diagnostic]]:
    """As :func:`read_compose`, for a file already parsed (a rendered profile, with
    positions; :attr:`Document.file` names it).

    Args:
        doc: the parsed compose file.
        env: as for :func:`read_compose`.
        folder: where ``extends.file`` paths are looked up (default: the working directory).
    """
    reader = _Reader(env)
    source = reader._read_doc(doc, folder or Path("."), doc.file)
    return source, reader.warnings


def compose_view(
    data: Any, file: str, env: Mapping[str, str] | None = None
) -> tuple[Any, list[Diagnostic]]:
    """How docker compose reads a compose mapping held in memory (a rendered profile):
    ``$$`` is ``$``, ``${VAR}`` comes from ``env`` (kept as written when ``env`` is None).
    ``graph``, ``diff`` and ``check`` read a profile through this one path, so the same
    profile value is the same value to each of them.

    Args:
        data: the compose mapping (stackgen's own output data: no tags).
        file: the name messages give.
        env: variables, or None.

    Returns:
        The mapping as compose reads it, and warnings (unset variables, at ``file:1:1``).

    Raises:
        InputError: a ``${VAR:?message}`` whose variable is unset.
    """
    warnings: list[Diagnostic] = []
    doc = Document(data=data, marks={}, texts={}, file=file)
    return _interpolate(data, [], doc, env, warnings), warnings
