"""Compare two canonical compose mappings into :class:`Change` records (a :class:`Drift`).

deepdiff (pinned) walks the two trees; it is imported here only, and its result types never
leave this module. Before the walk, lists are prepared so deepdiff compares them the way
compose means them:

* set-like lists (``ports``, ``expose``, ``volumes``, ``secrets``, ``configs``,
  ``cap_add`` … and network ``aliases``) become mappings keyed by each entry's identity
  (``[target=8082]`` for a port, ``[target=/data]`` for a volume, the text for strings).
  Equal entries are matched as a multiset first, so order is ignored but a repeated entry is
  not hidden (B38: deepdiff's own ``ignore_order`` reports nothing for it); the second copy
  of a label is keyed ``[label#2]``.
* mappings are always compared key by key (never as one whole-value replacement, even when
  the two sides share no key): a renamed service is one service removed and one added.
* every other list (``command``, ``entrypoint``, healthcheck ``test``, ``env_file`` …) is
  one value compared in order: reordering it is one change at the list's path (B36).

``None``, ``""`` and a missing key stay three different things.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..compose.merge import Sourced
from ..yamlio.nodes import Path_
from .categories import Category, ChangeKind, category, dotted_path
from .equal import ENTRY_MAPS, without_equal_entries
from .normalise import Canonical

_SET_FIELDS = {
    "ports",
    "expose",
    "volumes",
    "secrets",
    "configs",
    # not dns/dns_search: resolv.conf tries nameservers and search domains in order
    "dns_opt",
    "cap_add",
    "cap_drop",
    "security_opt",
    "devices",
    "group_add",
    "profiles",
    "links",
    "external_links",
    "tmpfs",
    "volumes_from",
}
_ATOM = "\x00atom:"
_KAFKA_HINT = (
    "apply with: docker compose up -d {service} (restart does not pick up new environment)"
)


@dataclass(frozen=True)
class Change:
    """One difference in meaning between LEFT and RIGHT.

    Attributes:
        service: the service it belongs to, or None for top-level keys (networks, volumes …).
        path: dotted path, e.g. ``services.backend.healthcheck.interval`` or
            ``services.backend.ports[target=8082].published``.
        kind: ``added`` (only in RIGHT), ``removed`` (only in LEFT) or ``changed``.
        left: the canonical LEFT value (None when added — see ``kind``).
        right: the canonical RIGHT value (None when removed).
        file: the RIGHT file where the value stands (or would stand: its nearest parent).
        line: 1-based line in ``file``.
        category: one of :data:`CATEGORIES`.
        policy: when LEFT is a profile and a stackgen policy (not the profile) put the LEFT
            value there, why (``policies.restart: defaults.restart``); else None.
    """

    service: str | None
    path: str
    kind: ChangeKind
    left: Any
    right: Any
    file: str
    line: int
    category: Category
    policy: str | None = None


@dataclass(frozen=True)
class Drift:
    """All changes between two compose models, and hints for applying them.

    Attributes:
        changes: sorted by service, then RIGHT line, then path.
        hints: advice lines (B31: recreate a Kafka container after ``KAFKA_LOG_*`` changes).
    """

    changes: tuple[Change, ...]
    hints: tuple[str, ...] = ()

    @property
    def services(self) -> tuple[str, ...]:
        """Distinct services with changes, in change order (top-level changes excluded)."""
        return tuple(dict.fromkeys(c.service for c in self.changes if c.service is not None))


def _freeze(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _label(field: str, entry: Any) -> str:
    if isinstance(entry, Mapping):
        if field == "ports":
            proto = entry.get("protocol", "tcp")
            return f"target={entry.get('target')}" + ("" if proto == "tcp" else f"/{proto}")
        if field == "volumes" and "target" in entry:
            return f"target={entry['target']}"
        if field in ("secrets", "configs") and "source" in entry:
            return f"source={entry['source']}"
        return _freeze(entry)
    return str(entry)


def _is_set_like(path: Path_) -> bool:
    if len(path) == 3 and path[0] == "services":
        return str(path[2]) in _SET_FIELDS
    return (
        len(path) == 5 and path[0] == "services" and path[2] == "networks" and path[4] == "aliases"
    )


def _keyed(field: str, items: list[Any], matched: Counter[str]) -> dict[str, tuple[int, Any]]:
    """Key list entries by label: matched (equal on both sides) entries first, so both sides
    give them the same keys; then the rest in a stable order."""
    remaining = Counter(matched)
    first: list[tuple[int, Any]] = []
    rest: list[tuple[int, Any]] = []
    for index, item in enumerate(items):
        frozen = _freeze(item)
        if remaining[frozen] > 0:
            remaining[frozen] -= 1
            first.append((index, item))
        else:
            rest.append((index, item))
    first.sort(key=lambda pair: _freeze(pair[1]))
    rest.sort(key=lambda pair: _freeze(pair[1]))
    counts: Counter[str] = Counter()
    out: dict[str, tuple[int, Any]] = {}
    for index, item in first + rest:
        label = _label(field, item)
        counts[label] += 1
        key = f"[{label}]" if counts[label] == 1 else f"[{label}#{counts[label]}]"
        out[key] = (index, item)
    return out


class _Prepared:
    """Both sides with lists made deepdiff-friendly, and keyed path → canonical path maps."""

    def __init__(self) -> None:
        self.left_paths: dict[Path_, Path_] = {}
        self.right_paths: dict[Path_, Path_] = {}

    def pair(self, a: Any, b: Any, path: Path_, canon_a: Path_, canon_b: Path_) -> tuple[Any, Any]:
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            out_a: dict[str, Any] = {}
            out_b: dict[str, Any] = {}
            for key in list(a) + [k for k in b if k not in a]:
                if key in a and key in b:
                    out_a[key], out_b[key] = self.pair(
                        a[key], b[key], (*path, key), (*canon_a, key), (*canon_b, key)
                    )
                elif key in a:
                    out_a[key] = self.one(a[key], (*path, key), (*canon_a, key), self.left_paths)
                else:
                    out_b[key] = self.one(b[key], (*path, key), (*canon_b, key), self.right_paths)
            return out_a, out_b
        if _is_set_like(path) and isinstance(a, list) and isinstance(b, list):
            field = str(path[-1])
            matched = Counter(map(_freeze, a)) & Counter(map(_freeze, b))
            return (
                self._entries(field, a, matched, path, canon_a, self.left_paths),
                self._entries(field, b, matched, path, canon_b, self.right_paths),
            )
        return (
            self.one(a, path, canon_a, self.left_paths),
            self.one(b, path, canon_b, self.right_paths),
        )

    def _entries(
        self,
        field: str,
        items: list[Any],
        matched: Counter[str],
        path: Path_,
        canon: Path_,
        paths: dict[Path_, Path_],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, (index, item) in _keyed(field, items, matched).items():
            paths[(*path, key)] = (*canon, index)
            out[key] = self.one(item, (*path, key), (*canon, index), paths)
        return out

    def one(self, value: Any, path: Path_, canon: Path_, paths: dict[Path_, Path_]) -> Any:
        if isinstance(value, Mapping):
            return {k: self.one(v, (*path, k), (*canon, k), paths) for k, v in value.items()}
        if isinstance(value, list):
            if _is_set_like(path):
                return self._entries(str(path[-1]), value, Counter(), path, canon, paths)
            return _ATOM + json.dumps(value, default=str)
        return value


def _is_split(parts: Path_) -> bool:
    """Whether a whole added/removed mapping at ``parts`` is reported per key instead: a
    ``deploy`` block (its keys span categories) or a top-level mapping of named entries (a
    file adding ``volumes: {a: …, b: …}`` adds two volumes)."""
    if len(parts) == 1:
        return str(parts[0]) in ENTRY_MAPS
    return len(parts) == 3 and parts[0] == "services" and parts[2] == "deploy"


def _value(data: Any, paths: Mapping[Path_, Path_], parts: Path_) -> Any:
    """The canonical value at keyed path ``parts`` (list entries looked up by index)."""
    value = data
    for part in _canonical_path(paths, parts):
        if isinstance(value, Mapping):
            value = value.get(str(part))
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value


def _canonical_path(paths: Mapping[Path_, Path_], path: Path_) -> Path_:
    for cut in range(len(path), 0, -1):
        if path[:cut] in paths:
            return paths[path[:cut]] + path[cut:]
    return path


def compare(left: Canonical, right: Canonical, right_source: Sourced) -> Drift:
    """Compare two canonical models.

    Args:
        left: the reference model (profile output or a compose file), canonical.
        right: the hand-edited model, canonical.
        right_source: RIGHT as read and merged, for the file:line of each change.

    Returns:
        The :class:`Drift`; empty when the two mean the same.
    """
    # imported here: deepdiff costs ~0.13 s of start-up that render and --version never need
    with _without_pydantic():
        from deepdiff import DeepDiff
        from deepdiff.helper import notpresent

    prepared = _Prepared()
    a, b = prepared.pair(*without_equal_entries(left.data, right.data), (), (), ())
    # threshold_to_diff_deeper=0: deepdiff (>= 8) otherwise reports two mappings sharing
    # fewer than a third of their keys as one whole-value change (a renamed service, or
    # `volumes: {a: …}` vs `{b: …}`, became one blob under "(top level)"); every key is
    # compared on its own, always.
    tree = DeepDiff(
        a, b, view="tree", ignore_order=False, verbose_level=2, threshold_to_diff_deeper=0
    )
    found: list[tuple[Path_, ChangeKind]] = []
    for report_type in tree:
        for level in tree[report_type]:
            parts = tuple(level.path(output_format="list"))
            kind: ChangeKind = (
                "added"
                if level.t1 is notpresent
                else "removed"
                if level.t2 is notpresent
                else "changed"
            )
            side = level.t2 if kind == "added" else level.t1
            if kind != "changed" and _is_split(parts) and isinstance(side, Mapping) and side:
                # a deploy block spans categories; a definitions mapping holds separate entries
                found.extend(((*parts, key), kind) for key in side)
            else:
                found.append((parts, kind))
    changes: list[Change] = []
    for parts, kind in found:
        lv = None if kind == "added" else _value(left.data, prepared.left_paths, parts)
        rv = None if kind == "removed" else _value(right.data, prepared.right_paths, parts)
        mark = right_source.mark(right.raw_path(_canonical_path(prepared.right_paths, parts)))
        service = str(parts[1]) if len(parts) >= 2 and parts[0] == "services" else None
        changes.append(
            Change(service, dotted_path(parts), kind, lv, rv, mark.file, mark.line, category(parts))
        )
    changes.sort(key=lambda c: (c.service is None, c.service or "", c.line, c.path))
    return Drift(tuple(changes), _hints(changes))


def all_paths(left: Canonical, right: Canonical) -> frozenset[str]:
    """Every dotted path (as :attr:`Change.path` names them) of either canonical model.

    Mapping keys at every depth and set-like list entries (``services.web.ports[target=80]``)
    are paths; the items of an ordered list are not (the list is one value).
    """
    a, b = _Prepared().pair(left.data, right.data, (), (), ())
    out: set[str] = set()

    def walk(value: Any, parts: Path_) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                here = (*parts, key)
                out.add(dotted_path(here))
                walk(item, here)

    walk(a, ())
    walk(b, ())
    return frozenset(out)


def without(drift: Drift, drop: Callable[[Change], bool]) -> Drift:
    """``drift`` without the changes ``drop`` selects (e.g. ``--ignore``); hints recomputed."""
    kept = [c for c in drift.changes if not drop(c)]
    return Drift(tuple(kept), _hints(kept))


def _hints(changes: Iterable[Change]) -> tuple[str, ...]:
    hints: dict[str, None] = {}
    for change in changes:
        parts = change.path.split(".")
        if (
            change.service is not None
            and len(parts) >= 4
            and parts[2] == "environment"
            and parts[3].startswith("KAFKA_LOG_")
        ):
            hints[_KAFKA_HINT.format(service=change.service)] = None
    return tuple(hints)


@contextmanager
def _without_pydantic() -> Iterator[None]:
    """Imports made inside find no pydantic, unless it is imported already: deepdiff tries it
    (to compare pydantic models, which the compared trees never hold) and falls back to a
    stand-in class, and a diff of two compose files otherwise imports it for that alone
    (~70 ms of start-up). A diff that rendered a profile has it, and deepdiff uses it."""
    if "pydantic" in sys.modules:
        yield
        return
    sys.modules["pydantic"] = None  # type: ignore[assignment]  # import finds no module
    try:
        yield
    finally:
        if sys.modules.get("pydantic", False) is None:
            del sys.modules["pydantic"]
