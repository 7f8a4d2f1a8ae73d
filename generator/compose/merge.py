"""Merge compose files the way ``docker compose -f a.yml -f b.yml`` does, keeping positions.

Rules (compose spec, "Merge and override"; compose-go ``override/merge.go``):

* mappings merge key by key, recursively; a scalar from a later file replaces the earlier one;
* sequences are appended, except ``command``, ``entrypoint`` and ``healthcheck.test``, which
  the later file replaces;
* ``ports``, ``volumes``, ``secrets``, ``configs`` and ``expose`` merge by their unique key
  (port: host ip, published, target, protocol; volume/secret/config: target): a later entry
  with the same key replaces the earlier one, others are appended;
* ``dns``, ``cap_add`` and the other plain-string sets append only values not yet present; a
  single string there (``dns: 1.1.1.1``) is a list of one (compose-go ``mergeToSequence``);
* ``security_opt``, ``group_add``, ``volumes_from``, ``external_links`` and
  ``device_cgroup_rules`` are appended as they are, and compose refuses the result when an
  entry is there twice: a warning that ends like a refused value of
  :func:`stackgen.compose.validate.validate_compose` (:data:`REFUSED_NOTE`), at the repeat;
* ``devices`` merge by container path (compose-go ``deviceMappingIndexer``);
* ``extra_hosts`` append the later file's lines not written alike before (a mapping is read
  as ``host=address`` lines; a host may get several addresses: ``mergeExtraHosts``);
* ``environment``, ``labels``, ``sysctls``, ``build.args`` merge as mappings (a list is read
  as ``KEY=value`` first); ``depends_on`` and ``networks`` as mappings;
* ``logging`` with another ``driver`` replaces the earlier block (``mergeLogging``);
* ``!reset`` removes the value (and the key); ``!override`` replaces without merging.

Each value of the result keeps the :class:`~stackgen.yamlio.loader.Mark` of the file that supplied
it, so a diff can point at the file and line where a value stands.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostic
from ..yamlio.nodes import Mark, Path_, Tagged, dotted, nearest_mark
from .merge_keys import (
    AS_MAP,
    KEYED,
    REPEATS_REFUSED_MERGED,
    STRING_AS_LIST,
    UNIQUE_VALUES,
    Marks,
    as_map,
    host_lines,
    names_as_map,
    one_item,
    untag,
)
from .values import parse_port, scalar_text

_RESET = object()
#: how a merge's refused repeat ends: as validate.AS_WRITTEN_NOTE (validate imports this
#: module), so check and diff take it as a value docker compose refuses
REFUSED_NOTE = "(docker compose rejects this; compared as written)"
_REPLACE: set[Path_] = {
    ("services", "*", "command"),
    ("services", "*", "entrypoint"),
    ("services", "*", "healthcheck", "test"),
}


@dataclass(frozen=True)
class Sourced:
    """A compose mapping with the position of each value.

    Attributes:
        data: plain data (no :class:`~stackgen.yamlio.loader.Tagged` values left after a merge).
        marks: path tuple → :class:`Mark` (file, 1-based line and column) where it stands.
        file: display name of the first file (fallback position).
        written: for one file as read, its data as written (before interpolation and
            ``extends``; ``${VAR}`` text kept, merge tags still :class:`Tagged`), for schema
            validation; None after a merge.
        untagged: ``data`` and ``written`` certainly hold no :class:`Tagged` value and only
            text keys (a file as the one-pass reader read it,
            :attr:`stackgen.yamlio.nodes.Document.untagged`): nothing to walk for tags.
    """

    data: Any
    marks: Marks
    file: str
    written: Any = None
    untagged: bool = False

    def mark(self, path: Path_) -> Mark:
        """The mark of ``path``, or of its nearest ancestor that has one."""
        return nearest_mark(self.marks, path, self.file)


def _pattern(path: Path_) -> Path_:
    if len(path) >= 2 and path[0] in ("services", "networks", "volumes"):
        return (path[0], "*", *path[2:])
    return path


class _Merger:
    """One merge: collects the result's marks and warnings."""

    def __init__(self) -> None:
        self.marks: dict[Path_, Mark] = {}
        self.warnings: list[Diagnostic] = []

    def copy(self, value: Any, marks: Marks, src: Path_, dst: Path_) -> Any:
        """Copy ``value`` (tags resolved) from ``src`` to ``dst``, with its marks."""
        if src in marks:
            self.marks[dst] = marks[src]
        if isinstance(value, str):  # most nodes: skip the (slower) Tagged and Mapping checks
            return value
        if isinstance(value, Tagged):
            return _RESET if value.tag == "!reset" else self.copy(value.value, marks, src, dst)
        if isinstance(value, Mapping):
            out: dict[str, Any] = {}
            for key, item in value.items():
                copied = self.copy(item, marks, (*src, key), (*dst, key))
                if copied is not _RESET:
                    out[key] = copied
            return out
        if isinstance(value, list):
            return [self.copy(item, marks, (*src, i), (*dst, i)) for i, item in enumerate(value)]
        return value

    def merge(
        self, base: Any, bm: Marks, bp: Path_, over: Any, om: Marks, op: Path_, dst: Path_
    ) -> Any:
        """Merge ``over`` (at ``op`` in marks ``om``) onto ``base`` (``bp`` in ``bm``)."""
        if isinstance(over, Tagged):
            if over.tag == "!reset":
                return _RESET
            return self.copy(over.value, om, op, dst)
        if isinstance(base, Tagged):
            base = base.value
        pattern = _pattern(dst)
        if pattern in _REPLACE:
            return self.copy(over, om, op, dst)
        if pattern in AS_MAP:
            base, bm = as_map(base, bm, bp, AS_MAP[pattern])
            over, om = as_map(over, om, op, AS_MAP[pattern])
        elif pattern == ("services", "*", "depends_on"):
            base, bm = names_as_map(base, bm, bp, lambda: {"condition": "service_started"})
            over, om = names_as_map(over, om, op, lambda: {"condition": "service_started"})
        elif pattern == ("services", "*", "networks"):
            base, bm = names_as_map(base, bm, bp, None)
            over, om = names_as_map(over, om, op, None)
        elif pattern in STRING_AS_LIST:
            base, bm = one_item(base, bm, bp)
            over, om = one_item(over, om, op)
        elif pattern == ("services", "*", "extra_hosts"):
            base, bm = host_lines(base, bm, bp)
            over, om = host_lines(over, om, op)
        elif (
            pattern == ("services", "*", "logging")
            and isinstance(base, Mapping)
            and isinstance(over, Mapping)
            and "driver" in base
            and "driver" in over
            and untag(base["driver"]) != untag(over["driver"])
        ):
            return self.copy(over, om, op, dst)  # another driver: its options only
        if isinstance(base, Mapping) and isinstance(over, Mapping):
            return self._merge_maps(base, bm, bp, over, om, op, dst)
        if isinstance(base, list) and isinstance(over, list):
            return self._merge_lists(base, bm, bp, over, om, op, dst)
        return self.copy(over, om, op, dst)

    def _merge_maps(
        self,
        base: Mapping[str, Any],
        bm: Marks,
        bp: Path_,
        over: Mapping[str, Any],
        om: Marks,
        op: Path_,
        dst: Path_,
    ) -> Any:
        self.marks[dst] = om.get(op) or bm.get(bp) or Mark("", 0, 0)
        out: dict[str, Any] = {}
        env = _pattern(dst) == ("services", "*", "environment")
        for key, value in base.items():
            if key in over:
                new = over[key]
                if env and new is None and value is not None and not isinstance(value, Tagged):
                    self._null_warning(om, (*op, key), (*dst, key))
                merged = self.merge(value, bm, (*bp, key), new, om, (*op, key), (*dst, key))
            else:
                merged = self.copy(value, bm, (*bp, key), (*dst, key))
            if merged is not _RESET:
                out[key] = merged
        for key, value in over.items():
            if key not in base:
                copied = self.copy(value, om, (*op, key), (*dst, key))
                if copied is not _RESET:
                    out[key] = copied
        return out

    def _warn(self, mark: Mark, dst: Path_, message: str) -> None:
        self.warnings.append(Diagnostic(mark.file, mark.line, mark.col, dotted(dst), message))

    def _null_warning(self, om: Marks, op: Path_, dst: Path_) -> None:
        # B27: compose versions disagree on whether a plain null unsets the base value
        self._warn(
            om.get(op, Mark("", 0, 0)),
            dst,
            "set to null in an override; Compose versions disagree on whether this unsets "
            'the base value. Use "!reset null".',
        )

    def _repeats(self, base: list[Any], over: list[Any], om: Marks, op: Path_, dst: Path_) -> None:
        """A warning at each entry of ``over`` that ``base`` holds already (compose refuses
        the merged list: :data:`REPEATS_REFUSED_MERGED`), equal as JSON values are (the
        schema's ``uniqueItems``: ``5`` and ``"5"`` differ)."""
        earlier = {_json_key(untag(item)) for item in base}
        for j, item in enumerate(over):
            if _json_key(untag(item)) in earlier:
                self._warn(
                    om.get((*op, j)) or om.get(op) or Mark("", 0, 0),
                    dst,
                    f"lists {json.dumps(untag(item), default=str)} again: the file it merges "
                    f"onto lists it already, and docker compose refuses a repeat here "
                    f"{REFUSED_NOTE}",
                )

    def _merge_lists(
        self,
        base: list[Any],
        bm: Marks,
        bp: Path_,
        over: list[Any],
        om: Marks,
        op: Path_,
        dst: Path_,
    ) -> Any:
        pattern = _pattern(dst)
        self.marks[dst] = om.get(op) or bm.get(bp) or Mark("", 0, 0)
        if pattern in REPEATS_REFUSED_MERGED:
            self._repeats(base, over, om, op, dst)
        ranges = pattern == _PORTS
        base_items = _entries(base, bp, ranges)
        out = [self.copy(item, bm, src, (*dst, i)) for i, (item, src) in enumerate(base_items)]
        keyer = KEYED.get(pattern)
        if keyer is None and pattern in UNIQUE_VALUES:
            keyer = scalar_text
        keys = [keyer(untag(item)) for item, _ in base_items] if keyer else []
        for item, src in _entries(over, op, ranges):
            if keyer is not None:
                key = keyer(untag(item))
                if key in keys:
                    at = keys.index(key)
                    out[at] = self.copy(item, om, src, (*dst, at))
                    continue
                keys.append(key)
            out.append(self.copy(item, om, src, (*dst, len(out))))
        return [item for item in out if item is not _RESET]


_PORTS: Path_ = ("services", "*", "ports")


def _entries(items: list[Any], path: Path_, ranges: bool) -> list[tuple[Any, Path_]]:
    """Each item of a list and its path; with ``ranges``, a short-syntax port range is its
    ports one by one (long syntax, each at the range's path): compose-go turns every port
    into its long syntax before it merges, so a later file's `8080:80` replaces one port of
    an earlier `8080-8081:80-81` (checked with the binary:
    tests/diff/test_merge_keys_engine.py)."""
    out: list[tuple[Any, Path_]] = []
    for i, item in enumerate(items):
        if ranges and isinstance(item, str) and "-" in item:
            entries = parse_port(item)
            if len(entries) > 1:
                out.extend((entry, (*path, i)) for entry in entries)
                continue
        out.append((item, (*path, i)))
    return out


def _json_key(value: Any) -> str:
    """``value`` as JSON, for equality as JSON Schema's (``true`` is not ``1``; ``1`` is
    ``1.0``)."""
    if type(value) is float and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True, default=str)


def merge_value(
    base: Any,
    base_marks: Marks,
    base_path: Path_,
    over: Any,
    over_marks: Marks,
    over_path: Path_,
    dst: Path_,
) -> tuple[Any, dict[Path_, Mark], list[Diagnostic]]:
    """Merge one value onto another by the rules above (used for ``extends`` too).

    Args:
        base, base_marks, base_path: the earlier value, its marks and its path in them.
        over, over_marks, over_path: the later value, likewise.
        dst: the path of the result (decides which special rule applies, e.g.
            ``("services", "web", "ports")``).

    Returns:
        ``(value, marks, warnings)``: the merged value (None when ``!reset``), the marks of
        the result under ``dst``, and B27-style warnings.
    """
    merger = _Merger()
    value = merger.merge(base, base_marks, base_path, over, over_marks, over_path, dst)
    return (None if value is _RESET else value), merger.marks, merger.warnings


def _has_tags(value: Any) -> bool:
    """Whether a :class:`~stackgen.yamlio.loader.Tagged` value stands anywhere in ``value``."""
    pending = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            pending.extend(v for v in node.values() if not isinstance(v, str))
        elif isinstance(node, list):
            pending.extend(v for v in node if not isinstance(v, str))
        elif isinstance(node, Tagged):
            return True
    return False


def resolve_tags(source: Sourced) -> Sourced:
    """Drop ``!reset`` keys and unwrap ``!override`` values of a single file.

    A file without merge tags (most) is returned as it is: copying the tree and its marks
    would change nothing.
    """
    if source.untagged or not _has_tags(source.data):
        return Sourced(source.data, source.marks, source.file)
    merger = _Merger()
    data = merger.copy(source.data, source.marks, (), ())
    return Sourced(None if data is _RESET else data, merger.marks, source.file)


def merge_files(files: Sequence[Sourced]) -> tuple[Sourced, list[Diagnostic]]:
    """Merge files in ``-f`` order into one effective compose mapping.

    Args:
        files: the files as read (at least one), earliest first.

    Returns:
        The effective mapping with per-value marks, and warnings (B27: plain ``null``
        overriding an ``environment`` value).

    Raises:
        ValueError: no files.
    """
    if not files:
        raise ValueError("merge_files needs at least one file")
    result = resolve_tags(files[0])
    warnings: list[Diagnostic] = []
    for over in files[1:]:
        base_data = result.data if result.data is not None else {}
        over_data = over.data if over.data is not None else {}
        data, marks, found = merge_value(base_data, result.marks, (), over_data, over.marks, (), ())
        warnings.extend(found)
        result = Sourced(data, marks, result.file)
    return result, warnings
