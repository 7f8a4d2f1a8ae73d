"""The overlay merge (extends, --set), Helm's values rule: mappings merge key by key, null removes a key, anything else replaces the base value whole; a value marked ``!replace`` (or ``!override``, or ``{$replace: VALUE}``) replaces the base value whole, mapping or not (:mod:`stackgen.profile.replace`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import InputError, require_utf8
from ..yamlio.loader import load_file, load_text
from ..yamlio.nodes import Document, Mark, Path_, dotted
from .diagnostics import describe
from .replace import replacement, unmarked

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


def _matches(path: Path_, pattern: tuple[str, ...]) -> bool:
    return len(path) == len(pattern) and all(
        p == "*" or p == q for p, q in zip(pattern, path, strict=True)
    )


def _restore_text(doc: Document) -> None:
    for path, text in doc.texts.items():
        if any(_matches(path, pat) for pat in _TEXT_FIELDS):
            _set_in(doc.data, path, text)


def _set_in(data: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def overlay(base: Document, top: Document, *, keep_merged_marks: bool = False) -> Document:
    """Merge ``top`` over ``base`` by the module's rule; marks follow the winning values.

    Args:
        keep_merged_marks: for ``--set``: a mapping both sides have keeps the base file's
            position (the command line only names it on the way to the key it sets).

    Returns:
        A new :class:`Document` (inputs are not changed).
    """
    marks = dict(base.marks)
    texts = dict(base.texts)
    merged: set[Path_] = set()

    def merge(b: Any, t: Any, path: Path_) -> Any:
        replaces, value = replacement(t)
        if replaces:
            return unmarked(value)
        if isinstance(b, dict) and isinstance(t, dict):
            merged.add(path)
            out = dict(b)
            for key, value in t.items():
                if value is None:
                    # null removes the key; on a key the base lacks it does nothing
                    out.pop(key, None)
                    _drop_under(marks, (*path, key))
                    _drop_under(texts, (*path, key))
                    continue
                out[key] = merge(b.get(key), value, (*path, key)) if key in b else unmarked(value)
                merges = isinstance(b.get(key), dict) and isinstance(value, dict)
                if key not in b or not merges or replacement(value)[0]:
                    _drop_under(marks, (*path, key))
                    _drop_under(texts, (*path, key))
            return out
        return t

    data = merge(base.data, top.data, ())
    for path, mark in top.marks.items():
        if path and not (keep_merged_marks and path in merged):
            marks[path] = mark
    texts.update(top.texts)
    return Document(data=data, marks=marks, texts=texts, file=top.file)


def _drop_under(table: dict[Path_, Any], prefix: Path_) -> None:
    n = len(prefix)
    for key in [k for k in table if k[:n] == prefix]:
        del table[key]


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
        reason = re.sub(r" \(while .*\)$", "", first.message.removeprefix("YAML syntax error: "))
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
    return Document(data=value, marks=marks, texts=texts, file=name)


def read_chain(path: Path, seen: tuple[Path, ...] = ()) -> Document:
    """Read a profile file and, recursively, the bases it ``extends``; returns the overlay.

    Raises:
        InputError: unreadable file, YAML error, ``extends`` cycle or missing base.
    """
    doc = load_file(path)
    if doc.data is None and not seen:
        raise InputError.single(
            doc.file, 1, 1, "", "the profile is empty; it needs at least name and services"
        )
    if doc.data is None:
        doc.data = {}  # an empty base adds nothing
    if not isinstance(doc.data, dict):
        mark = doc.mark(())
        raise InputError.single(
            mark.file,
            mark.line,
            mark.col,
            "",
            f"a profile must be a mapping of keys (name, services, …), not {describe(doc.data)}",
        )
    base_name = doc.data.get("extends")
    if base_name is None:
        doc.data = unmarked(doc.data)
        return doc
    mark = doc.mark(("extends",))
    if not isinstance(base_name, str):
        raise InputError.single(mark.file, mark.line, mark.col, "extends", "must be a file path")
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
