"""The overlay merge (extends, --set), Helm's values rule: mappings merge key by key, null removes a key, anything else replaces the base value whole; a value marked ``!replace`` (or ``!override``, or ``{$replace: VALUE}``) replaces the base value whole, mapping or not (:mod:`stackgen.profile.replace`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import InputError, require_utf8
from ..yamlio.limits import MAX_EXTENDS
from ..yamlio.loader import load_file, load_text
from ..yamlio.nodes import Document, Mark, Path_, Tagged, describe, dotted
from .replace import replacement, unmarked, unmarked_tables

# Fields whose values the profile keeps as the exact text written, whatever YAML would make
# of it (``KAFKA_BROKER_ID: 1`` → "1", ``ALLOW_PLAINTEXT_LISTENER: yes`` → "yes").
_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("services", "*", "environment", "*"),
    ("services", "*", "labels", "*"),
    ("services", "*", "image"),
    ("services", "*", "restart"),
    ("services", "*", "container_name"),
    ("domains", "*"),
    ("kafka", "topic"),
    ("defaults", "restart"),
    ("target", "engine"),  # `engine: 25.0` is the version 25.0, not the number 25.0
)


_TEXT_FIELDS_BY_HEAD: dict[tuple[int, Path_], list[tuple[str, ...]]] = {}
for _pattern in _TEXT_FIELDS:
    _TEXT_FIELDS_BY_HEAD.setdefault((len(_pattern), _pattern[:1]), []).append(_pattern)


def _matches(path: Path_, pattern: tuple[str, ...]) -> bool:
    return len(path) == len(pattern) and all(
        p == "*" or p == q for p, q in zip(pattern, path, strict=True)
    )


def _restore_text(doc: Document) -> Document:
    """``doc`` with the source text of each text field (:data:`_TEXT_FIELDS`) put back.

    A new document whose mappings and lists along those paths are copies: ``doc``'s data,
    which a caller may still read (``diff`` reads a file it tried as a profile again as
    compose), is not changed. ``doc`` itself when no field needs its text back.
    """
    # a profile's texts are its numbers' and booleans' (thousands at 1,000 services): only
    # the patterns of a path's length and first key are tried
    restore = [
        (path, text)
        for path, text in doc.texts.items()
        if any(_matches(path, pat) for pat in _TEXT_FIELDS_BY_HEAD.get((len(path), path[:1]), ()))
    ]
    if not restore:
        return doc
    root = _shallow_copy(doc.data)
    copies = {id(root)}  # the copies stay referenced, so their ids stay unique
    for path, text in restore:
        node = root
        for part in path[:-1]:
            child = node[part]
            if id(child) not in copies:
                child = node[part] = _shallow_copy(child)
                copies.add(id(child))
            node = child
        node[path[-1]] = text
    return Document(data=root, marks=doc.marks, texts=doc.texts, file=doc.file)


def _shallow_copy(node: Any) -> Any:
    return dict(node) if isinstance(node, dict) else list(node) if isinstance(node, list) else node


def overlay(base: Document, top: Document, *, keep_merged_marks: bool = False) -> Document:
    """Merge ``top`` over ``base`` by the module's rule; marks follow the winning values.

    Args:
        keep_merged_marks: for ``--set``: a mapping both sides have keeps the base file's
            position (the command line only names it on the way to the key it sets).

    Returns:
        A new :class:`Document` (inputs are not changed).
    """
    return overlay_all(base, [top], keep_merged_marks=keep_merged_marks)


def overlay_all(
    base: Document, tops: Iterable[Document], *, keep_merged_marks: bool = False
) -> Document:
    """Merge each of ``tops`` in turn over ``base`` (as :func:`overlay` one after another).

    The work is linear in the size of ``tops`` plus the base values they replace: the base's
    tables are copied once, and a mapping once, on the first change below it (20,000 ``--set``
    options once cost 80 s and 7.3 GB, each copying the whole profile and its marks).

    Args:
        base: the document the others are merged over.
        tops: the overlays, first applied first; each as a :class:`Document`.
        keep_merged_marks: as :func:`overlay`.

    Returns:
        A new :class:`Document` named after the last of ``tops`` (``base``'s name when there
        is none); the inputs are not changed.
    """
    merger = Overlay(base, keep_merged_marks=keep_merged_marks)
    for top in tops:
        merger.apply(top)
    return merger.document()


class Overlay:
    """An overlay in progress over a base :class:`Document`, which is never changed.

    Mappings on the way to a change are copied once (copy on write) and then changed in place;
    the marks and texts of a replaced or removed value are found by walking that value, not by
    scanning the tables, so each :meth:`apply` costs what it merges, not the base's size.
    """

    def __init__(self, base: Document, *, keep_merged_marks: bool = False) -> None:
        """Start from ``base``; ``keep_merged_marks`` as :func:`overlay`."""
        self.data: Any = base.data
        self.file = base.file
        self._marks = dict(base.marks)
        self._texts = dict(base.texts)
        self._keep = keep_merged_marks
        # the mappings this overlay made, by id: only these may be changed in place (the
        # values keep them referenced, so no other object can take one of their ids)
        self._owned: dict[int, dict[Any, Any]] = {}

    def document(self) -> Document:
        """The merged :class:`Document` so far (shares this overlay's tables and data)."""
        return Document(data=self.data, marks=self._marks, texts=self._texts, file=self.file)

    def apply(self, top: Document) -> None:
        """Merge ``top`` over the data so far by the module's rule."""
        merged: set[Path_] = set()
        self.data = self._merge(self.data, top.data, (), merged)
        for path, mark in top.marks.items():
            if path and not (self._keep and path in merged):
                self._marks[path] = mark
        self._texts.update(top.texts)
        self.file = top.file

    def _own(self, node: dict[Any, Any]) -> dict[Any, Any]:
        if id(node) in self._owned:
            return node
        copy = dict(node)
        self._owned[id(copy)] = copy
        return copy

    def _merge(self, b: Any, t: Any, path: Path_, merged: set[Path_]) -> Any:
        replaces, value = replacement(t)
        if replaces:
            return unmarked(value)
        if not (isinstance(b, dict) and isinstance(t, dict)):
            return unmarked(t)  # it replaces the base value: no marker of its own stays
        merged.add(path)
        out = self._own(b)
        for key, value in t.items():
            here = (*path, key)
            had = key in out
            old = out.get(key)
            if value is None:
                # null removes the key; on a key the base lacks it does nothing
                out.pop(key, None)
                self._drop(here, old)
                continue
            out[key] = self._merge(old, value, here, merged) if had else unmarked(value)
            merges = isinstance(old, dict) and isinstance(value, dict)
            if not had or not merges or replacement(value)[0]:
                self._drop(here, old)
        return out

    def _drop(self, path: Path_, old: Any) -> None:
        """Forget the marks and texts of ``path`` and of every value inside ``old``, the
        value that stood there (a mark describes a value the data holds)."""
        stack = [(path, old)]
        while stack:
            here, node = stack.pop()
            self._marks.pop(here, None)
            self._texts.pop(here, None)
            if isinstance(node, Tagged):
                node = node.value  # a tagged value's marks are its value's
            if isinstance(node, dict):
                stack.extend(((*here, k), v) for k, v in node.items())
            elif isinstance(node, list):
                stack.extend(((*here, i), v) for i, v in enumerate(node))


def parse_set(expr: str, index: int) -> Document:
    """Turn one ``--set path.to.key=value`` into a one-path document.

    ``\\.`` escapes a dot inside a key (``domains.app\\.example\\.test=frontend:3001``); the
    value is read as YAML (``3``, ``true``, ``[a, b]``, ``{k: v}``).

    Raises:
        InputError: no ``=``, an empty path, a path or value that is not valid UTF-8
            (``<--set #1>:1:COL: path: the value is not valid UTF-8``), or a value that is
            not valid YAML.
    """
    name = f"<--set #{index + 1}>"
    key, sep, raw = expr.partition("=")
    parts = [p.replace("\x00", ".") for p in key.replace("\\.", "\x00").split(".")]
    # the column where each part starts in the expression (``\.`` takes two characters)
    starts, col = [], 1
    for raw_part in key.replace("\\.", "\x00\x00").split("."):
        starts.append(col)
        col += len(raw_part) + 1
    if not sep:
        # the text is not echoed: without its `=`, a secret value cannot be told from the path
        raise InputError.single(name, 1, 1, "", "--set needs path.to.key=value (no '=' found)")
    if not all(parts):
        raise InputError.single(name, 1, 1, key, "--set needs path.to.key=value (empty key)")
    # a byte that is not UTF-8 (argv is decoded with surrogateescape) reaches no parser
    require_utf8(key, name, dotted(tuple(parts)), what="path")
    require_utf8(raw, name, dotted(tuple(parts)), col=len(key) + 2)
    try:
        value_doc = load_text(raw, name) if raw.strip() else Document(data="", file=name)
    except InputError as exc:
        # the value's own line:col, moved onto the one-line command-line expression
        first = exc.diagnostics[0]
        col = len(key) + 1 + (first.col if first.line == 1 else len(raw) + 1)
        # the parser's own "(while parsing … that starts at L:C)" counts inside the value
        reason = re.sub(r" \(while .*\)\Z", "", first.message.removeprefix("YAML syntax error: "))
        raise InputError.single(
            name,
            1,
            col,
            dotted(tuple(parts)),
            f"the value is not valid YAML ({reason}); quote it to pass it as text",
        ) from None
    value: Any = value_doc.data
    for part in reversed(parts):
        value = {part: value}
    marks: dict[Path_, Mark] = {
        tuple(parts[: i + 1]): Mark(name, 1, starts[i]) for i in range(len(parts))
    }
    # the set key itself keeps its own column (problems point at keys, as in a file);
    # positions inside a structured value point at the value
    marks.update({(*parts, *p): Mark(name, 1, len(key) + 2) for p in value_doc.marks if p})
    texts = {(*parts, *p): t for p, t in value_doc.texts.items()}
    return unmarked_tables(Document(data=value, marks=marks, texts=texts, file=name))


def read_chain(path: Path, seen: tuple[Path, ...] = (), parsed: Document | None = None) -> Document:
    """Read a profile file and, recursively, the bases it ``extends``; returns the overlay.

    ``parsed`` is ``path`` as the caller has parsed it already (not read again, not changed).

    Raises:
        InputError: unreadable file, YAML error, ``extends`` cycle, a chain longer than
            :data:`MAX_EXTENDS` or missing base.
    """
    doc = load_file(path) if parsed is None else parsed
    if doc.data is None and not seen:
        raise InputError.single(
            doc.file, 1, 1, "", "the profile is empty; it needs at least name and services"
        )
    if doc.data is None:
        doc = Document(data={}, marks=doc.marks, texts=doc.texts, file=doc.file)  # adds nothing
    if not isinstance(doc.data, dict):
        mark = doc.mark(())
        raise InputError.single(
            mark.file,
            mark.line,
            mark.col,
            "",
            f"a profile must be a mapping of keys (name, services, …), not {describe(doc.data)}",
        )
    doc = unmarked_tables(doc)  # marks and texts at the paths the unmarked data will have
    base_name = doc.data.get("extends")
    if base_name is None:
        if not doc.replace_free:  # (the reader proved most profiles hold no marker: no walk)
            doc.data = unmarked(doc.data)
        return doc
    mark = doc.mark(("extends",))
    if not isinstance(base_name, str):
        raise InputError.single(mark.file, mark.line, mark.col, "extends", "must be a file path")
    if "\0" in base_name:
        raise InputError.single(
            mark.file, mark.line, mark.col, "extends", "the path holds a NUL character"
        )
    if len(seen) >= MAX_EXTENDS:
        raise InputError.single(
            mark.file,
            mark.line,
            mark.col,
            "extends",
            f"extends chain longer than {MAX_EXTENDS} profiles; flatten some bases",
        )
    base_path = path.parent / base_name
    resolved = base_path.resolve()
    if resolved in seen or resolved == path.resolve():
        chain = " → ".join(str(p.name) for p in (*seen, path.resolve(), resolved))
        raise InputError.single(
            mark.file, mark.line, mark.col, "extends", f"extends cycle: {chain}"
        )
    if not base_path.is_file():
        raise InputError.single(
            mark.file,
            mark.line,
            mark.col,
            "extends",
            f"base profile {base_path.as_posix()!r} not found "
            "(extends paths are relative to the profile that names them)",
        )
    base = read_chain(base_path, (*seen, path.resolve()))
    if isinstance(base.data, dict):
        base.data.pop("extends", None)
    return overlay(base, doc)
