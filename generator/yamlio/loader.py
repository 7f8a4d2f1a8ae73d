"""YAML reading with positions: every node's file:line:col, duplicate keys rejected.

All YAML parsing of stackgen goes through this module. Plain scalars of a profile are resolved
with the YAML 1.2 core schema (``yes``/``no``/``on``/``off`` stay strings, ``0644`` is the
integer 644); those of a compose file (``compose=True``) as docker compose reads them (Go
``yaml.v3``: the same words, but ``0644`` is octal 420 and ``1_000`` is 1000). Merge keys
(``<<``, also tagged ``!!merge`` and lists of merges) are resolved; ``!reset`` and
``!override`` tags are kept as :class:`Tagged` values for the compose merge stage.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic, InputError
from .events import build_from_events
from .files import read_text as read_text  # re-exported: callers read files here
from .limits import (
    MAX_ALIAS_BYTES,
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    BaseLoader,
    check_services,
    check_shape,
    too_deep,
)
from .nodes import KEPT_TAGS, Document, Mark, Path_, Tagged, dotted
from .resolve import is_go_timestamp, resolve_plain, resolve_plain_go
from .yaml_errors import yaml_input_error


class _ComposerLoader(BaseLoader):  # type: ignore[misc]
    """Safe loader that leaves plain scalars untyped, to be resolved the YAML 1.2 way."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Plain scalars are resolved later by the YAML 1.2 core schema, not PyYAML's 1.1 one.
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)


_MERGE_TAGS = {"tag:yaml.org,2002:merge"}
_PLAIN = "?plain"
#: the first characters of plain scalars the two resolvers may read differently (numbers)
_NUMBER_START = frozenset("+-.0123456789")
_DIGITS = frozenset("0123456789")


class _Builder:
    """Turns a composed node graph into Python data, recording positions."""

    def __init__(
        self,
        file: str,
        plain: set[str] | None = None,
        plain_keys: set[str] | None = None,
        *,
        compose: bool = False,
    ) -> None:
        self.file = file
        self.plain = plain
        self.plain_keys = plain_keys
        self.doc = Document(data=None, file=file, compose=compose)
        self._resolve = resolve_plain_go if compose else resolve_plain
        self._other = resolve_plain if compose else resolve_plain_go
        self._expanding: set[int] = set()
        self.duplicates: list[Diagnostic] = []
        self._done: set[int] = set()  # nodes built once; building one again expands an alias
        self._in_alias = 0
        self._alias_nodes = 0
        self._alias_bytes = 0

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

    def _count_alias_bytes(self, node: yaml.Node, path: Path_, size: int) -> None:
        """Count text an alias expansion copies (scalars and keys, in characters): the node
        count alone lets a 1 MB file alias a 1 MiB string 2,000 times."""
        self._alias_bytes += size
        if self._alias_bytes > MAX_ALIAS_BYTES:
            raise self.error(
                node,
                path,
                f"aliases expand to more than {MAX_ALIAS_BYTES // 2**20} MiB of text; "
                "write the values out or use fewer aliases of long values",
            )

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
            if isinstance(node, yaml.ScalarNode):
                self._count_alias_bytes(node, path, len(node.value))
        if len(path) > MAX_DEPTH:
            # aliases can nest deeper than the text itself (checked by check_shape)
            raise self.error(node, path[:MAX_DEPTH], too_deep())
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
        if tag in KEPT_TAGS:
            return Tagged(tag, value)
        return value

    def scalar(self, node: yaml.ScalarNode, path: Path_, record: bool) -> Any:
        text: str = node.value
        tag = node.tag
        if tag in KEPT_TAGS:
            # the tag is wrapped around the value by build(); the value resolves as usual
            return self.resolve(node, path, text) if not node.style else text
        if tag != _PLAIN:
            if tag == "tag:yaml.org,2002:null":
                return None
            if tag in (
                "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool",
            ):
                return self.resolve(node, path, text)
            return text
        if self.plain is not None:
            self.plain.add(text)
        value = self.resolve(node, path, text)
        if record and not isinstance(value, str) and value is not None:
            self.doc.texts[path] = text
        if self.doc.compose and text[:1] in _DIGITS and is_go_timestamp(text):
            self.doc.timestamps.append(path)
        if not self.doc.readings_differ and text[:1] in _NUMBER_START:
            try:
                other = self._other(text)
            except ValueError:  # too many digits for YAML 1.2 core: yaml.v3 reads a float
                other = None
            # (type, value): 1 == 1.0 == True in Python; nan != nan is no difference
            if type(other) is not type(value) or (other != value and other == other):
                self.doc.readings_differ = True
        return value

    def resolve(self, node: yaml.ScalarNode, path: Path_, text: str) -> Any:
        """The document's resolver (:func:`resolve_plain` or :func:`resolve_plain_go`), its
        refusal reported at the node."""
        try:
            return self._resolve(text)
        except ValueError as exc:
            raise self.error(node, path, str(exc)) from None

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
            if self._in_alias:
                self._count_alias_bytes(key_node, path, len(key))
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


def load_text(
    text: str,
    file: str,
    *,
    limits: bool = True,
    positions: bool = True,
    plain: set[str] | None = None,
    plain_keys: set[str] | None = None,
    compose: bool = False,
) -> Document:
    """Parse one YAML document with positions.

    Args:
        text: YAML source.
        file: name used in marks and error messages.
        limits: check :data:`MAX_DEPTH`, :data:`MAX_NODES` and :data:`MAX_SERVICES` (off
            only for text stackgen wrote itself; :data:`MAX_ALIAS_NODES` always applies).
        positions: record :attr:`Document.marks` and :attr:`Document.texts` (False: only the
            root's mark; for text stackgen wrote itself, whose positions nobody reports).
        plain: when a set is given, the source text of every plain (untagged, unquoted)
            scalar value is added to it.
        plain_keys: the same for mapping keys.
        compose: resolve plain scalars as docker compose does (a compose file), not by
            YAML 1.2 core (a profile); see :class:`Document`.

    Returns:
        The :class:`Document`; ``data`` is None for an empty file.

    Raises:
        InputError: syntax error, duplicate key, more than one document, too deep, too many
            nodes or alias expansions.
    """
    fast = build_from_events(
        text,
        file,
        limits=limits,
        positions=positions,
        plain=plain,
        plain_keys=plain_keys,
        compose=compose,
    )
    if fast is not None:
        if limits:
            check_services(fast.data, fast.marks, file)
        return fast
    if plain is not None:  # the events pass may have added some before it gave up
        plain.clear()
    if plain_keys is not None:
        plain_keys.clear()
    loader = _ComposerLoader(text)
    try:
        if limits:
            check_shape(text, file)
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise yaml_input_error(exc, text, file) from None
    finally:
        loader.dispose()
    builder = _Builder(file, plain, plain_keys, compose=compose)
    if node is None:
        builder.doc.marks[()] = Mark(file, 1, 1)
        return builder.doc
    if not positions:
        builder.doc.marks[()] = builder.mark_of(node)
    builder.doc.data = builder.build(node, (), positions)
    if builder.duplicates:
        raise InputError(builder.duplicates)
    if limits:
        check_services(builder.doc.data, builder.doc.marks, file)
    return builder.doc


#: Called as ``hook(path, text, data)`` each time :func:`load_file` has parsed an input file,
#: before anyone changes ``data``: how the CLI's masking learns the secret values of its inputs
#: from the parse the command made anyway, instead of reading every file again
#: (:func:`stackgen.output.masking.watch_inputs`). Empty unless the CLI asked.
FILE_PARSED: list[Callable[[Path, str, Any], None]] = []


def load_file(
    path: Path, display: str | None = None, *, text: str | None = None, compose: bool = False
) -> Document:
    """Read and parse a YAML file.

    Args:
        path: the file.
        display: name for messages (default: ``path`` as given).
        text: the file's text when the caller has read it already (:func:`read_text`).
        compose: a compose file: plain scalars read as docker compose reads them
            (:func:`load_text`).

    Raises:
        InputError: unreadable file or invalid YAML (see :func:`read_text`, :func:`load_text`).
    """
    name = display or str(path)
    if text is None:
        text = read_text(path, name)
    doc = load_text(text, name, compose=compose)
    for hook in FILE_PARSED:
        hook(path, text, doc.data)
    return doc


def load_multi(text: str, file: str) -> list[Document]:
    """Parse every document of a multi-document stream (``---`` separated).

    Raises:
        InputError: as :func:`load_text`.
    """
    loader = _ComposerLoader(text)
    docs: list[Document] = []
    try:
        check_shape(text, file)
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


def load_yaml11(text: str) -> Any:
    """Parse with PyYAML's YAML 1.1 safe loader (how older tools read a file), no positions.

    Raises:
        InputError: invalid YAML.
    """
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise InputError.single("<string>", 1, 1, "", f"YAML error: {exc}") from None
