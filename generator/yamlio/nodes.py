"""Positioned YAML data: paths, marks (file:line:col), tagged values, documents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

Path_ = tuple[str | int, ...]


class Mark(NamedTuple):
    """Where a value stands: 1-based line and column in ``file``.

    A named tuple rather than a frozen dataclass: one is made per node of every file read,
    and a tuple is built several times faster.
    """

    file: str
    line: int
    col: int


#: tags the loader keeps as :class:`Tagged`: compose's merge tags, and a profile overlay's
#: ``!replace`` (:mod:`stackgen.profile.replace`)
KEPT_TAGS = ("!reset", "!override", "!replace")
#: the only key of a profile overlay's mapping form ``{$replace: VALUE}``
#: (:mod:`stackgen.profile.replace`); here so that the reader can note it (:class:`Document`)
REPLACE_KEY = "$replace"


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
        compose: plain scalars were resolved as docker compose reads them (Go yaml.v3,
            :func:`~stackgen.yamlio.resolve.resolve_plain_go`), not by YAML 1.2 core.
        readings_differ: some plain scalar reads otherwise under the other resolver (``022``:
            22 or 18, ``1_000``: text or 1000); a document read the profile way must then be
            read again to be taken as a compose file.
        timestamps: paths of plain scalars docker compose reads as timestamps (only with
            ``compose``; also inside merged anchors, at the merged path).
        untagged: ``data`` certainly holds no :class:`Tagged` value (the one-pass reader
            built it, which gives up at any tag), so no one need walk it to look for one;
            False: it may hold some.
        replace_free: ``data`` certainly holds no profile replace marker: no
            :class:`Tagged` value (``untagged``) and no mapping whose only key is
            :data:`REPLACE_KEY` (the one-pass reader looks at each mapping as it closes), so
            :func:`stackgen.profile.replace.unmarked` would return it unchanged; False: it
            may hold some.
    """

    data: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    texts: dict[Path_, str] = field(default_factory=dict)
    file: str = "<string>"
    compose: bool = False
    readings_differ: bool = False
    timestamps: list[Path_] = field(default_factory=list)
    untagged: bool = field(default=False, compare=False)
    replace_free: bool = field(default=False, compare=False)

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


def dotted(path: Path_) -> str:
    """Render a path tuple as ``a.b[0].c``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def value_at(data: Any, path: Path_) -> Any:
    """The value at ``path`` in ``data`` (mapping keys and list indices), or None when a
    part is missing or ``data`` is not a mapping or list there."""
    for part in path:
        if isinstance(data, Mapping) and part in data:
            data = data[part]
        elif isinstance(data, list) and type(part) is int and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def describe(value: Any) -> str:
    """What a YAML value is, in the words of a message (``a mapping``, ``null``, ``a tagged
    value``), never its content (which may be a secret) nor a Python class name."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Tagged):
        return "a tagged value"
    return "a value of another kind"
