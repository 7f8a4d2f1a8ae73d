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

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, InputError
from ..yamlio.loader import Document, Mark, Path_, Tagged, dotted, load_file, load_text, read_text
from ..yamlio.scalars import closing_brace
from .merge import Sourced, merge_value

_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([^\s=#]+)\s*(=)?\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Reference:
    """A variable reference as written: ``${…}`` (with any default/error/alternative) or
    ``$NAME``."""

    text: str

    @property
    def braced(self) -> str:
        """The reference in ``${…}`` form (``$NAME`` and ``${NAME}`` are the same one)."""
        return self.text if self.text.startswith("${") else "${" + self.text[1:] + "}"


def scan(text: str) -> list[str | Reference]:
    """Split compose text into literal text and variable references (compose spec
    "Interpolation"): ``$$`` is a literal ``$``; ``${…}`` (nesting allowed) and ``$NAME`` are
    references; a ``$`` followed by anything else, or an unclosed ``${``, is literal.

    Returns:
        Literal pieces (strings, ``$$`` already as ``$``) and :class:`Reference` items, in order.
    """
    out: list[str | Reference] = []
    i = 0
    while i < len(text):
        if text[i] != "$":
            nxt_dollar = text.find("$", i)
            end = len(text) if nxt_dollar < 0 else nxt_dollar
            out.append(text[i:end])
            i = end
            continue
        nxt = text[i + 1 : i + 2]
        if nxt == "$":
            out.append("$")
            i += 2
        elif nxt == "{" and (end := closing_brace(text, i + 2)) >= 0:
            out.append(Reference(text[i : end + 1]))
            i = end + 1
        elif nxt == "{":
            out.append(text[i:])  # unclosed: compose would refuse it; kept as written
            break
        elif m := _NAME.match(text, i + 1):
            out.append(Reference(text[i : m.end()]))
            i = m.end()
        else:
            out.append("$")
            i += 1
    return out


class _Interpolator:
    """Substitutes one string; ``env`` None keeps references literally."""

    def __init__(self, env: Mapping[str, str] | None) -> None:
        self.env = env
        self.unset: list[str] = []
        self.errors: list[str] = []

    def run(self, text: str) -> str:
        out: list[str] = []
        for part in scan(text):
            if not isinstance(part, Reference):
                out.append(part)
            elif part.text.startswith("${"):
                out.append(self._braced(part.text[2:-1], part.text))
            else:
                out.append(self._lookup(part.text[1:], part.text))
        return "".join(out)

    def _lookup(self, name: str, raw: str) -> str:
        if self.env is None:
            # `$VAR` and `${VAR}` name the same variable (compose spec "Interpolation")
            return raw if raw.startswith("${") else "${" + name + "}"
        if name not in self.env:
            self.unset.append(name)
            return ""
        return self.env[name]

    def _braced(self, body: str, raw: str) -> str:
        m = _NAME.match(body)
        if self.env is None or not m:
            return raw
        name, rest = m.group(0), body[m.end() :]
        if not rest:
            return self._lookup(name, raw)
        value = self.env.get(name)
        colon = rest.startswith(":")
        op, arg = (rest[1:2], rest[2:]) if colon else (rest[:1], rest[1:])
        present = value is not None and (value != "" or not colon)
        if op == "-":
            return value if present and value is not None else self.run(arg)
        if op == "+":
            return self.run(arg) if present else ""
        if op == "?":
            if present and value is not None:
                return value
            self.errors.append(f"required variable {name} is missing a value: {self.run(arg)}")
            return ""
        return raw


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """``text`` with ``${VAR}``/``$VAR`` substituted from ``env`` by the rules above (unset
    without default → ``""``; ``${VAR:?err}`` unset → ``""`` too: the caller only peeks)."""
    return _Interpolator(env).run(text)


def parse_env_file(path: Path, display: str | None = None) -> dict[str, str]:
    """Read a ``.env`` file by compose's dotenv rules.

    ``KEY=VALUE`` lines, optional ``export``, ``#`` comments (whole line, or after a space in
    an unquoted value); single-quoted values are literal, double-quoted ones understand
    ``\\n``, ``\\t``, ``\\"``, ``\\\\`` and may span lines; unquoted and double-quoted
    values expand ``${VAR}`` from earlier lines. ``KEY`` alone (no ``=``) means "take it from
    the shell" and is left unset here.

    Args:
        path: the env file.
        display: its name in messages.

    Returns:
        Variable name → value.

    Raises:
        InputError: the file cannot be read, or a quoted value is not closed.
    """
    name = display or str(path)
    text = read_text(path, name, "env file")
    env: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line_no = i + 1
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _ENV_LINE.match(line)
        if not m or not m.group(2):
            continue
        key, raw = m.group(1), m.group(3)
        if raw[:1] in ("'", '"'):
            quote = raw[0]
            body = raw[1:]
            while not _closed(body, quote):
                if i >= len(lines):
                    raise InputError.single(name, line_no, 1, key, f"unclosed {quote} quote")
                body += "\n" + lines[i]
                i += 1
            content = body[: _close_index(body, quote)]
            if quote == "'":
                env[key] = content
            else:
                env[key] = _Interpolator(env).run(_unescape(content))
        else:
            value = re.split(r"\s#", raw, maxsplit=1)[0].strip()
            env[key] = _Interpolator(env).run(value)
    return env


def _close_index(body: str, quote: str) -> int:
    i = 0
    while i < len(body):
        if body[i] == "\\" and quote == '"':
            i += 2
            continue
        if body[i] == quote:
            return i
        i += 1
    return -1


def _closed(body: str, quote: str) -> bool:
    return _close_index(body, quote) >= 0


def _unescape(text: str) -> str:
    table = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: table.get(m.group(1), "\\" + m.group(1)), text)


def _interpolate(
    value: Any,
    path: Path_,
    doc: Document,
    env: Mapping[str, str] | None,
    warnings: list[Diagnostic],
) -> Any:
    if isinstance(value, Tagged):
        return Tagged(value.tag, _interpolate(value.value, path, doc, env, warnings))
    if isinstance(value, dict):
        return {k: _interpolate(v, (*path, k), doc, env, warnings) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, (*path, i), doc, env, warnings) for i, v in enumerate(value)]
    if not isinstance(value, str) or "$" not in value:
        return value
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
    return result


class _Reader:
    """Reads files (each once) and resolves ``extends`` across them."""

    def __init__(self, env: Mapping[str, str] | None, *, raw: bool = False) -> None:
        self.env = env
        self.raw = raw
        self.cache: dict[Path, Sourced] = {}
        self.warnings: list[Diagnostic] = []
        self.reading: list[Path] = []

    def read(self, path: Path, display: str) -> Sourced:
        key = path.resolve()
        if key in self.cache:
            return self.cache[key]
        if key in self.reading:
            raise InputError.single(
                display, 1, 1, "", "extends: files extend each other in a cycle"
            )
        self.reading.append(key)
        try:
            result = self._read_doc(load_file(path, display), path.parent, display)
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
            data = _interpolate(data, (), doc, self.env, self.warnings)
        source = Sourced(data, doc.marks, display, written)
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
                other = self.read(
                    folder / str(other_file), str(Path(display).parent / str(other_file))
                )
                base_services = other.data.get("services") or {}
                base_marks: Mapping[Path_, Mark] = other.marks
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
) -> tuple[Sourced, list[Diagnostic]]:
    """Read one compose file: YAML with positions, interpolation, ``extends``.

    Args:
        path: the compose file.
        env: variables from ``--env-file`` (None keeps ``${VAR}`` literally).
        display: the file's name in marks and messages (default: ``path`` as given).
        raw: no interpolation at all: every string stays as written, ``$$`` included (for
            ``stackgen import``, which must tell ``$${VAR}`` from ``${VAR}``).

    Returns:
        The file as :class:`~stackgen.compose.merge.Sourced` (``!reset``/``!override`` still tagged,
        for the merge; ``written`` holds the data as written, for validation) and warnings
        (unset variables).

    Raises:
        InputError: unreadable or invalid YAML, not a mapping, ``${VAR:?err}`` unset, bad or
            cyclic ``extends``.
    """
    reader = _Reader(env, raw=raw)
    source = reader.read(path, display or str(path))
    return source, reader.warnings


def read_compose_text(
    text: str, display: str, *, env: Mapping[str, str] | None = None, folder: Path | None = None
) -> tuple[Sourced, list[Diagnostic]]:
    """As :func:`read_compose`, for text already in memory (a rendered profile).

    Args:
        text: compose YAML.
        display: the name used in marks.
        env: as for :func:`read_compose`.
        folder: where ``extends.file`` paths are looked up (default: the working directory).
    """
    reader = _Reader(env)
    source = reader._read_doc(load_text(text, display), folder or Path("."), display)
    return source, reader.warnings
