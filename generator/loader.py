"""YAML reading with positions: every node's file:line:col, duplicate keys rejected.

All YAML parsing of stackgen goes through this module. Plain scalars are resolved with the
YAML 1.2 core schema (``yes``/``no``/``on``/``off`` stay strings, ``0644`` is an integer
only in its 1.2 sense), which is how docker compose (Go ``yaml.v3``) reads a file. Merge keys
(``<<``, also tagged ``!!merge`` and lists of merges) are resolved; ``!reset`` and
``!override`` tags are kept as :class:`Tagged` values for the compose merge stage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, InputError

Path_ = tuple[str | int, ...]

#: Nodes built per document, aliases expanded, before we refuse ("billion laughs" guard).
MAX_NODES = 250_000

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema.

    Args:
        text: the scalar's source text.

    Returns:
        None, bool, int, float or the text itself.
    """
    if _NULL.match(text):
        return None
    if _BOOL_TRUE.match(text):
        return True
    if _BOOL_FALSE.match(text):
        return False
    if _INT10.match(text):
        return int(text, 10)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


@dataclass(frozen=True)
class Mark:
    """Where a value stands: 1-based line and column in ``file``."""

    file: str
    line: int
    col: int


@dataclass(frozen=True)
class Tagged:
    """A value carrying compose's merge tags ``!reset`` or ``!override``."""

    tag: str
    value: Any


@dataclass
class Document:
    """A parsed YAML document.

    Attributes:
        data: plain Python data (dict, list, str, int, float, bool, None, :class:`Tagged`).
        marks: dotted-path tuple → :class:`Mark` of the node (for mappings, of the key).
        texts: source text of plain scalars that resolved to a non-string (``1``, ``true``).
        file: the file name used in marks.
    """

    data: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    texts: dict[Path_, str] = field(default_factory=dict)
    file: str = "<string>"

    def mark(self, path: Path_) -> Mark:
        """The mark of ``path``, or of its nearest ancestor that has one."""
        return nearest_mark(self.marks, path, self.file)


def nearest_mark(marks: Mapping[Path_, Mark], path: Path_, file: str) -> Mark:
    """The mark of ``path`` in ``marks``, or of its nearest ancestor; ``file:1:1`` if none."""
    p = tuple(path)
    while p:
        if p in marks:
            return marks[p]
        p = p[:-1]
    return marks.get((), Mark(file, 1, 1))


# libyaml's parser when PyYAML was built with it (about 10× faster), else the pure-Python one
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ComposerLoader(_BaseLoader):  # type: ignore[misc]
    """Safe loader that leaves plain scalars untyped, to be resolved the YAML 1.2 way."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Plain scalars are resolved later by the YAML 1.2 core schema, not PyYAML's 1.1 one.
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)


_MERGE_TAGS = {"tag:yaml.org,2002:merge"}
_PLAIN = "?plain"


class _Builder:
    """Turns a composed node graph into Python data, recording positions."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.doc = Document(data=None, file=file)
        self._expanding: set[int] = set()
        self.duplicates: list[Diagnostic] = []
        self._built = 0

    def mark_of(self, node: yaml.Node) -> Mark:
        m = node.start_mark
        return Mark(self.file, m.line + 1, m.column + 1)

    def error(self, node: yaml.Node, path: Path_, msg: str) -> InputError:
        m = self.mark_of(node)
        return InputError.single(m.file, m.line, m.col, dotted(path), msg)

    def build(self, node: yaml.Node, path: Path_, record: bool = True) -> Any:
        self._built += 1
        if self._built > MAX_NODES:
            raise self.error(node, path, f"more than {MAX_NODES} nodes after alias expansion")
        if record:
            self.doc.marks.setdefault(path, self.mark_of(node))
        if id(node) in self._expanding:
            raise self.error(node, path, "recursive alias")
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node, path, record)
        elif isinstance(node, yaml.SequenceNode):
            self._expanding.add(id(node))
            value = [self.build(n, (*path, i), record) for i, n in enumerate(node.value)]
            self._expanding.discard(id(node))
        else:
            assert isinstance(node, yaml.MappingNode)
            self._expanding.add(id(node))
            value = self.mapping(node, path, record)
            self._expanding.discard(id(node))
        tag = node.tag
        if tag in ("!reset", "!override"):
            return Tagged(tag, value)
        return value

    def scalar(self, node: yaml.ScalarNode, path: Path_, record: bool) -> Any:
        text: str = node.value
        tag = node.tag
        if tag in ("!reset", "!override"):
            # the tag is wrapped around the value by build(); the value resolves as usual
            return resolve_plain(text) if not node.style else text
        if tag != _PLAIN:
            if tag == "tag:yaml.org,2002:null":
                return None
            if tag in (
                "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool",
            ):
                return resolve_plain(text)
            return text
        value = resolve_plain(text)
        if record and not isinstance(value, str) and value is not None:
            self.doc.texts[path] = text
        return value

    def mapping(self, node: yaml.MappingNode, path: Path_, record: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[Any, yaml.Node] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            is_merge = key_node.tag in _MERGE_TAGS or (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == "<<"
                and not key_node.style
            )
            if is_merge:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                # earlier sources win over later ones (YAML merge-key spec)
                for src in reversed(sources):
                    if not isinstance(src, yaml.MappingNode):
                        raise self.error(
                            src, path, "merge key '<<' needs a mapping or list of them"
                        )
                    data = self.build(src, path, record=False)
                    merged.update(data)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, path, "mapping keys must be scalars")
            # keys stay text: compose keys (service names, env names, ports) are strings
            key = key_node.value
            if key in seen:
                # collected, not raised: every duplicate of the file is reported at once
                first = self.mark_of(seen[key])
                self.duplicates.extend(
                    self.error(
                        key_node,
                        (*path, key),
                        f"duplicate key {key!r} (first defined at line {first.line}); "
                        "YAML keeps only one of them",
                    ).diagnostics
                )
                continue
            seen[key] = key_node
            if record:
                self.doc.marks[(*path, key)] = self.mark_of(key_node)
            result[key] = self.build(value_node, (*path, key), record)
        if merged:
            out = dict(merged)
            out.update(result)
            return out
        return result


def dotted(path: Path_) -> str:
    """Render a path tuple as ``a.b[0].c``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_text(text: str, file: str) -> Document:
    """Parse one YAML document with positions.

    Args:
        text: YAML source.
        file: name used in marks and error messages.

    Returns:
        The :class:`Document`; ``data`` is None for an empty file.

    Raises:
        InputError: syntax error, duplicate key, more than one document, too many aliases.
    """
    loader = _ComposerLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise yaml_input_error(exc, text, file) from None
    finally:
        loader.dispose()
    builder = _Builder(file)
    if node is None:
        builder.doc.marks[()] = Mark(file, 1, 1)
        return builder.doc
    builder.doc.data = builder.build(node, ())
    if builder.duplicates:
        raise InputError(builder.duplicates)
    return builder.doc


def load_file(path: Path, display: str | None = None) -> Document:
    """Read and parse a YAML file.

    Args:
        path: the file.
        display: name for messages (default: ``path`` as given).

    Raises:
        InputError: unreadable file or invalid YAML (see :func:`load_text`).
    """
    name = display or str(path)
    return load_text(read_text(path, name), name)


def read_text(path: Path, display: str, what: str = "file") -> str:
    """Read a UTF-8 text file.

    Raises:
        InputError: ``display:0:0: cannot read <what>: <reason>``.
    """
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError.single(display, 0, 0, "", f"cannot read {what}: {reason}") from None


def load_multi(text: str, file: str) -> list[Document]:
    """Parse every document of a multi-document stream (``---`` separated).

    Raises:
        InputError: as :func:`load_text`.
    """
    loader = _ComposerLoader(text)
    docs: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            builder = _Builder(file)
            builder.doc.data = builder.build(node, ()) if node is not None else None
            if builder.duplicates:
                raise InputError(builder.duplicates)
            docs.append(builder.doc)
    except yaml.YAMLError as exc:
        raise yaml_input_error(exc, text, file) from None
    finally:
        loader.dispose()
    return docs


def yaml_input_error(exc: yaml.YAMLError, text: str, file: str) -> InputError:
    """A PyYAML error as ``file:line:col: message`` (one line).

    Syntax errors carry a mark; a character YAML does not allow in a stream (a control
    character such as NUL, YAML 1.2 section 5.1) carries an offset, turned into line and
    column here.
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        return InputError.single(file, line, col, "", f"YAML syntax error: {problem}")
    if isinstance(exc, yaml.reader.ReaderError):
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        escape = f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"
        message = (
            f"character U+{code:04X} is not allowed in YAML "
            f"(write it as the escape {escape} inside double quotes)"
        )
        return InputError.single(file, line, col, "", message)
    return InputError.single(file, 1, 1, "", f"YAML error: {str(exc).splitlines()[0]}")


def load_yaml11(text: str) -> Any:
    """Parse with PyYAML's YAML 1.1 safe loader (how older tools read a file), no positions.

    Raises:
        InputError: invalid YAML.
    """
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise InputError.single("<string>", 1, 1, "", f"YAML error: {exc}") from None
