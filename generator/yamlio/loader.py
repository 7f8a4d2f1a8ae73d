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
from typing import Any, NamedTuple

import yaml

from ..errors import Diagnostic, InputError

Path_ = tuple[str | int, ...]

#: Limits on untrusted input, documented in README "Limits". A profile of 10,000 services
#: with a dozen keys each is about 1 MiB and 200,000 nodes, well inside all of them.
#: Largest YAML file read, in bytes.
MAX_BYTES = 10 * 1024 * 1024
#: Deepest nesting of mappings and sequences (a compose file needs about 8).
MAX_DEPTH = 64
#: Nodes (scalars, sequences, mappings) in one document as written, before composing it.
MAX_NODES = 1_000_000
#: Nodes built by expanding aliases, per document ("billion laughs" guard).
MAX_ALIAS_NODES = 100_000

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
# every non-string form above starts with one of these (or is empty): others skip the regexes
_NON_STRING_START = frozenset("~nNtTfF-+.0123456789")


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema.

    Args:
        text: the scalar's source text.

    Returns:
        None, bool, int, float or the text itself.
    """
    if text and text[0] not in _NON_STRING_START:
        return text
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


class Mark(NamedTuple):
    """Where a value stands: 1-based line and column in ``file``.

    A named tuple rather than a frozen dataclass: one is made per node of every file read,
    and a tuple is built several times faster.
    """

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

    def __init__(
        self, file: str, plain: set[str] | None = None, plain_keys: set[str] | None = None
    ) -> None:
        self.file = file
        self.plain = plain
        self.plain_keys = plain_keys
        self.doc = Document(data=None, file=file)
        self._expanding: set[int] = set()
        self.duplicates: list[Diagnostic] = []
        self._done: set[int] = set()  # nodes built once; building one again expands an alias
        self._in_alias = 0
        self._alias_nodes = 0

    def mark_of(self, node: yaml.Node) -> Mark:
        m = node.start_mark
        return Mark(self.file, m.line + 1, m.column + 1)

    def error(self, node: yaml.Node, path: Path_, msg: str) -> InputError:
        m = self.mark_of(node)
        return InputError.single(m.file, m.line, m.col, dotted(path), msg)

    def build(self, node: yaml.Node, path: Path_, record: bool = True) -> Any:
        key = id(node)
        if key in self._done:  # built before: this is an alias being expanded
            self._in_alias += 1
            try:
                return self._build(node, path, record)
            finally:
                self._in_alias -= 1
        try:
            return self._build(node, path, record)
        finally:
            self._done.add(key)

    def _build(self, node: yaml.Node, path: Path_, record: bool) -> Any:
        if self._in_alias:
            self._alias_nodes += 1
            if self._alias_nodes > MAX_ALIAS_NODES:
                raise self.error(
                    node,
                    path,
                    f"aliases expand to more than {MAX_ALIAS_NODES} nodes; "
                    "write the values out or use fewer nested aliases",
                )
        if len(path) > MAX_DEPTH:
            # aliases can nest deeper than the text itself (checked by _check_shape)
            raise self.error(node, path[:MAX_DEPTH], _too_deep())
        if record and path not in self.doc.marks:  # a mapping value keeps its key's mark
            self.doc.marks[path] = self.mark_of(node)
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
        if self.plain is not None:
            self.plain.add(text)
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
            if self.plain_keys is not None and not key_node.style and key_node.tag == _PLAIN:
                self.plain_keys.add(key)
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


def _too_deep() -> str:
    return f"nested deeper than {MAX_DEPTH} levels of mappings and sequences"


def _check_shape(text: str, file: str) -> None:
    """Refuse a stream nested deeper than :data:`MAX_DEPTH` or holding more than
    :data:`MAX_NODES` nodes in one document, from the parser's events: no node tree is built
    yet, so refusing stays cheap (and Python's recursion limit is never reached later).

    Raises:
        InputError: at the position of the first node past the limit.
        yaml.YAMLError: a syntax error (the caller reports it).
    """
    # Hot path for every input file: only depth and count per event, no path bookkeeping.
    # The position and path of a refusal are worked out by _shape_error on a second walk.
    kinds = _EVENT_KINDS
    depth = 0
    nodes = 0
    parser = _BaseLoader(text)
    try:
        get_event = parser.get_event
        while True:
            event = get_event()
            kind = kinds.get(type(event), 0)
            if kind == 1:  # scalar or alias
                nodes += 1
                if nodes > MAX_NODES:
                    break
            elif kind == 2:  # collection start
                nodes += 1
                depth += 1
                if nodes > MAX_NODES or depth > MAX_DEPTH:
                    break
            elif kind == 3:  # collection end
                depth -= 1
            elif kind == 4:  # document start
                nodes = 0
            elif event is None or kind == 5:  # end of the stream
                return
    finally:
        parser.dispose()
    _shape_error(text, file)


# event classes as _check_shape counts them (other events: 0)
_EVENT_KINDS: dict[type, int] = {
    yaml.ScalarEvent: 1,
    yaml.AliasEvent: 1,
    yaml.MappingStartEvent: 2,
    yaml.SequenceStartEvent: 2,
    yaml.MappingEndEvent: 3,
    yaml.SequenceEndEvent: 3,
    yaml.DocumentStartEvent: 4,
    yaml.StreamEndEvent: 5,
}


def _shape_error(text: str, file: str) -> None:
    """Raise the :class:`InputError` for the first node of ``text`` past :data:`MAX_DEPTH` or
    :data:`MAX_NODES`, with its position and path (walks the events again, tracking paths).

    Raises:
        InputError: always, when ``text`` breaks a limit.
        yaml.YAMLError: a syntax error (the caller reports it).
    """
    frames: list[list[Any]] = []  # per open collection: [is_mapping, children seen, key]
    nodes = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.DocumentStartEvent):
            nodes = 0
        elif isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
        elif isinstance(event, yaml.NodeEvent):
            if frames:
                top = frames[-1]
                if not top[0]:
                    top[2] = top[1]  # sequence: the index
                elif top[1] % 2 == 0:  # mapping: a key (complex keys are refused later)
                    top[2] = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                top[1] += 1
            nodes += 1
            mark = event.start_mark
            where = (file, mark.line + 1, mark.column + 1) if mark else (file, 1, 1)
            if nodes > MAX_NODES:
                path = dotted(tuple(f[2] for f in frames))
                raise InputError.single(
                    *where, path, f"more than {MAX_NODES} nodes in one document"
                )
            if isinstance(event, yaml.CollectionStartEvent):
                if len(frames) >= MAX_DEPTH:
                    path = dotted(tuple(f[2] for f in frames))
                    raise InputError.single(*where, path, _too_deep())
                frames.append([isinstance(event, yaml.MappingStartEvent), 0, None])


def load_text(
    text: str,
    file: str,
    *,
    limits: bool = True,
    positions: bool = True,
    plain: set[str] | None = None,
    plain_keys: set[str] | None = None,
) -> Document:
    """Parse one YAML document with positions.

    Args:
        text: YAML source.
        file: name used in marks and error messages.
        limits: check :data:`MAX_DEPTH` and :data:`MAX_NODES` (off only for text stackgen
            rendered itself; :data:`MAX_ALIAS_NODES` always applies).
        positions: record :attr:`Document.marks` and :attr:`Document.texts` (False: only the
            root's mark; for text stackgen wrote itself, whose positions nobody reports).
        plain: when a set is given, the source text of every plain (untagged, unquoted)
            scalar value is added to it.
        plain_keys: the same for mapping keys.

    Returns:
        The :class:`Document`; ``data`` is None for an empty file.

    Raises:
        InputError: syntax error, duplicate key, more than one document, too deep, too many
            nodes or alias expansions.
    """
    loader = _ComposerLoader(text)
    try:
        if limits:
            _check_shape(text, file)
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise yaml_input_error(exc, text, file) from None
    finally:
        loader.dispose()
    builder = _Builder(file, plain, plain_keys)
    if node is None:
        builder.doc.marks[()] = Mark(file, 1, 1)
        return builder.doc
    if not positions:
        builder.doc.marks[()] = builder.mark_of(node)
    builder.doc.data = builder.build(node, (), positions)
    if builder.duplicates:
        raise InputError(builder.duplicates)
    return builder.doc


def load_file(path: Path, display: str | None = None) -> Document:
    """Read and parse a YAML file.

    Args:
        path: the file.
        display: name for messages (default: ``path`` as given).

    Raises:
        InputError: unreadable file or invalid YAML (see :func:`read_text`, :func:`load_text`).
    """
    name = display or str(path)
    return load_text(read_text(path, name), name)


def read_text(path: Path, display: str, what: str = "file") -> str:
    """Read a UTF-8 text file of at most :data:`MAX_BYTES` bytes (a UTF-8 BOM is allowed).

    Args:
        path: the file.
        display: its name in messages.
        what: what the file is, for messages ("file", "env file").

    Raises:
        InputError: ``display:0:0: cannot read <what>: <reason>`` (missing, a directory,
            unreadable), a file over the size cap, or ``display:line:col:`` of the first byte
            that is not UTF-8.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError.single(display, 0, 0, "", f"cannot read {what}: {reason}") from None
    if len(data) > MAX_BYTES:
        raise InputError.single(
            display, 0, 0, "", f"{what} is larger than {MAX_BYTES // 2**20} MiB, the input limit"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8")) + 1
        raise InputError.single(
            display,
            line,
            col,
            "",
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; save the {what} as UTF-8",
        ) from None


def load_multi(text: str, file: str) -> list[Document]:
    """Parse every document of a multi-document stream (``---`` separated).

    Raises:
        InputError: as :func:`load_text`.
    """
    loader = _ComposerLoader(text)
    docs: list[Document] = []
    try:
        _check_shape(text, file)
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
        if "maximum nesting depth" in problem:
            # libyaml's own cap (1000 levels) can fire before _check_shape sees the events
            return InputError.single(file, line, col, "", _too_deep())
        context = exc.context_mark
        if exc.context and context and (context.line, context.column) != (line - 1, col - 1):
            # libyaml names the construct left open, e.g. "while parsing a flow sequence"
            problem += f" ({exc.context} that starts at {context.line + 1}:{context.column + 1})"
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


class _Dumper(yaml.SafeDumper):
    """Block-style YAML whose strings read back as the same strings under YAML 1.1 and 1.2."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        # list items indented under their key, as compose files are usually written
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> Any:
    from .scalars import needs_quotes  # scalars reads plain scalars through this module

    tag = "tag:yaml.org,2002:str"
    if "\n" in value:
        # multi-line text (scripts, config files) as a literal block; PyYAML falls back to
        # double quotes when a block cannot hold the text exactly
        return dumper.represent_scalar(tag, value, style="|")
    return dumper.represent_scalar(tag, value, style='"' if needs_quotes(value) else None)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data (dicts, lists, str, int, float, bool, None), keys in their
    insertion order, block style, no line folding; every string that a YAML 1.1 or 1.2 reader
    would take for something else (``yes``, ``0644``, ``1e3``, ``""``) double-quoted.

    Args:
        data: the value to write.

    Returns:
        The text, ending with a newline.
    """
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1_000_000,
    )
    return text
