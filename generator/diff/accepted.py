"""Accepted drift: differences a team keeps on purpose, listed in a file beside the profile.

The file (default name :data:`FILE_NAME`, ``stackgen-drift.yml``) holds one key::

    accepted:
      - service: backend            # a glob on the service name; leave out for top-level paths
        path: ports[target=2345]    # a glob on the path below the service (or the whole path)
        reason: delve debug port for the on-call team    # required
        expires: 2026-03-31         # optional: from the day after, the difference is reported again

A change is accepted by the first entry whose ``service`` glob matches its service and whose
``path`` glob matches its path below ``services.SERVICE.`` (or a parent of it), with the
``--ignore`` glob rules (:func:`stackgen.diff.filters.path_matches`: ``*`` also matches dots,
``[`` and ``]`` are literal). An entry without ``service`` matches the whole dotted path
(``volumes.debug``, ``services.*.labels.com.example.*``). Accepted changes leave the drift
(the exit code and ``--fail-on`` no longer see them) and are reported apart, with the reason.

An expired entry accepts nothing (its differences are reported again) and is warned about, as is
an entry that matches no difference (most likely the drift was fixed, or the glob has a typo).
Dates are ISO 8601 (``YYYY-MM-DD``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, InputError
from ..yamlio.files import read_text
from ..yamlio.loader import load_text
from ..yamlio.nodes import Mark, dotted
from .compare import Change, Drift
from .filters import _ancestors, path_matches

#: the accepted-drift file looked up beside LEFT's first file
FILE_NAME = "stackgen-drift.yml"
_KEYS = ("service", "path", "reason", "expires")
#: the reason ``--accept`` writes for the user to replace
TODO_REASON = "TODO: why is this difference kept?"


@dataclass(frozen=True)
class Entry:
    """One accepted difference.

    Attributes:
        service: glob on the service name, or None (``path`` is then the whole dotted path).
        path: glob on the path below the service (or the whole path).
        reason: why the difference is kept.
        expires: the last day the entry accepts anything, or None.
        mark: where the entry stands in its file.
        index: its 0-based position in ``accepted``.
    """

    service: str | None
    path: str
    reason: str
    expires: date | None
    mark: Mark
    index: int

    def pattern(self) -> str:
        """The glob on the whole dotted path."""
        if self.service is None:
            return self.path
        return f"services.{self.service}.{self.path}"


@dataclass(frozen=True)
class Accepted:
    """A change an entry accepts.

    Attributes:
        change: the change.
        reason: the entry's reason.
        expires: the entry's expiry date, or None.
    """

    change: Change
    reason: str
    expires: date | None = None


def _error(mark: Mark, path: str, message: str) -> Diagnostic:
    return Diagnostic(mark.file, mark.line, mark.col, path, message)


def load_entries(path: Path) -> list[Entry]:
    """Read an accepted-drift file.

    Args:
        path: the file.

    Returns:
        Its entries in file order (none for an empty file).

    Raises:
        InputError: every problem at once, ``file:line:col: accepted[N].key: message``:
            not a mapping with an ``accepted`` list, an unknown key, a missing or empty
            ``path`` or ``reason``, a value that is not text, a date that is not
            ``YYYY-MM-DD``.
    """
    display = path.as_posix()
    doc = load_text(read_text(path, display), display)
    if doc.data is None:
        return []
    top = doc.mark(())
    data = doc.data
    if not isinstance(data, Mapping) or set(map(str, data)) - {"accepted"}:
        extra = "" if not isinstance(data, Mapping) else ", ".join(sorted(map(str, data)))
        raise InputError(
            [_error(top, "", f"must hold only an `accepted` list (found: {extra or 'no mapping'})")]
        )
    items = data.get("accepted")
    if items is None:
        return []
    if not isinstance(items, list):
        raise InputError([_error(doc.mark(("accepted",)), "accepted", "must be a list")])
    problems: list[Diagnostic] = []
    entries: list[Entry] = []
    for index, item in enumerate(items):
        here = ("accepted", index)
        mark = doc.mark(here)
        name = dotted(here)
        if not isinstance(item, Mapping):
            problems.append(_error(mark, name, "must be a mapping (service, path, reason)"))
            continue
        for key in item:
            if str(key) not in _KEYS:
                where = doc.mark((*here, str(key)))
                problems.append(
                    _error(where, f"{name}.{key}", f"unknown key; use {', '.join(_KEYS)}")
                )
        values: dict[str, str | None] = {}
        for key in _KEYS:
            value = item.get(key)
            if value is not None and not isinstance(value, str):
                problems.append(_error(doc.mark((*here, key)), f"{name}.{key}", "must be text"))
                value = None
            values[key] = value
        for key in ("path", "reason"):
            if not (values[key] or "").strip():
                why = "say why this difference is kept" if key == "reason" else "a path glob"
                problems.append(_error(mark, f"{name}.{key}", f"required: {why}"))
        expires = None
        if values["expires"] is not None:
            try:
                expires = date.fromisoformat(values["expires"])
            except ValueError:
                problems.append(
                    _error(
                        doc.mark((*here, "expires")),
                        f"{name}.expires",
                        f"{json.dumps(values['expires'])} is not a date (YYYY-MM-DD)",
                    )
                )
        if values["path"] and values["reason"]:
            entries.append(
                Entry(values["service"], values["path"], values["reason"], expires, mark, index)
            )
    if problems:
        raise InputError(problems)
    return entries


def find_file(lefts: Sequence[Path]) -> Path | None:
    """The :data:`FILE_NAME` beside LEFT's first file, when there is one."""
    if not lefts:
        return None
    candidate = lefts[0].parent / FILE_NAME
    return candidate if candidate.is_file() else None


def split(
    drift: Drift, entries: Sequence[Entry], today: date
) -> tuple[Drift, tuple[Accepted, ...], list[Diagnostic]]:
    """Take the changes ``entries`` accept out of ``drift``.

    Args:
        drift: the diff's changes (after ``--ignore``).
        entries: from :func:`load_entries`.
        today: the date expiry is judged against.

    Returns:
        ``(drift without them, the accepted changes in drift order, warnings)``: an expired
        entry (it accepts nothing), an entry that matched no change.
    """
    live = [e for e in entries if e.expires is None or e.expires >= today]
    used: set[int] = set()
    kept: list[Change] = []
    accepted: list[Accepted] = []
    for change in drift.changes:
        entry = next((e for e in live if _accepts(e, change, path_matches)), None)
        if entry is None:
            kept.append(change)
        else:
            used.add(entry.index)
            accepted.append(Accepted(change, entry.reason, entry.expires))
    warnings: list[Diagnostic] = []
    for entry in entries:
        name = f"accepted[{entry.index}]"
        if entry.expires is not None and entry.expires < today:
            warnings.append(
                _error(
                    entry.mark,
                    name,
                    f"expired on {entry.expires.isoformat()} ({entry.reason}); its "
                    "differences are reported again: renew or remove the entry",
                )
            )
        elif entry.index not in used:
            warnings.append(
                _error(
                    entry.mark,
                    name,
                    f"{entry.pattern()!r} matches no difference; remove the entry if the "
                    "drift is gone",
                )
            )
    rest = Drift(tuple(kept), drift.hints)
    return rest, tuple(accepted), warnings


def _accepts(entry: Entry, change: Change, matches: Any) -> bool:
    if entry.service is not None and change.service is None:
        return False
    return any(matches(p, entry.pattern()) for p in _ancestors(change.path))


def entry_text(change: Change) -> str:
    """The YAML text of an entry accepting ``change`` (for ``--accept``), its reason
    :data:`TODO_REASON` for the user to replace."""
    if change.service is not None:
        prefix = f"services.{change.service}."
        head = f"  - service: {json.dumps(change.service)}\n"
        path = change.path[len(prefix) :]
    else:
        head, path = "  - ", change.path
    lines = head + ("    " if change.service is not None else "") + f"path: {json.dumps(path)}\n"
    return lines + f"    reason: {json.dumps(TODO_REASON)}\n"


def with_entries(existing: str | None, changes: Sequence[Change]) -> str:
    """The accepted-drift file text with an entry per change appended.

    Args:
        existing: the file's text, or None when there is none yet.
        changes: the changes to accept.

    Returns:
        The new text: ``existing`` with the entries appended to its ``accepted`` list
        (which must then be its last block), or a new file.
    """
    new = "".join(entry_text(c) for c in changes)
    if existing is None or not existing.strip():
        header = (
            "# Differences from the generated files that are kept on purpose (stackgen diff).\n"
            "# Each entry: service (glob), path (glob below the service), reason, optional\n"
            '# expires: YYYY-MM-DD. See docs/diff.md, "Accepted drift".\n'
        )
        return header + "accepted:\n" + new
    text = existing if existing.endswith("\n") else existing + "\n"
    stripped = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if stripped and stripped[-1].strip() in ("accepted:", "accepted: []"):
        text = text.replace("accepted: []", "accepted:")
    return text + new


def apply_accepted(
    drift: Drift,
    lefts: Sequence[Path],
    explicit: Path | None,
    use: bool,
    today: date | None,
) -> tuple[Drift, tuple[Accepted, ...], list[Diagnostic], str | None]:
    """:func:`split` with the file :func:`stackgen.diff.pipeline.diff` was told to use.

    Args:
        drift: the changes.
        lefts: LEFT's files (the default file is looked up beside the first).
        explicit: the file named by ``--accepted`` (must exist), or None.
        use: False: no file at all.
        today: expiry date (None: today).

    Returns:
        ``(drift, accepted, warnings, the file's name or None)``.

    Raises:
        InputError: see :func:`load_entries`.
    """
    path = explicit if explicit is not None else find_file(lefts) if use else None
    if path is None:
        return drift, (), [], None
    entries = load_entries(path)
    rest, accepted, warnings = split(drift, entries, today or date.today())
    return rest, accepted, warnings, path.as_posix()


@dataclass(frozen=True)
class Written:
    """What :func:`accept` wrote.

    Attributes:
        path: the accepted-drift file.
        entries: how many entries were added.
        unmatched: the globs that matched no change.
    """

    path: Path
    entries: int
    unmatched: tuple[str, ...]


def accept(
    changes: Sequence[Change], globs: Sequence[str], path: Path, *, dry_run: bool = False
) -> Written:
    """Append an entry per change matching one of ``globs`` (the ``--ignore`` glob rules, on
    the whole dotted path or a parent of it) to the accepted-drift file ``path``, its reason
    :data:`TODO_REASON` for the user to fill in. The file is written atomically and must
    stay valid (:func:`load_entries`).

    Args:
        changes: the diff's changes (accepted ones are already out of them).
        globs: ``--accept`` globs (``services.backend.ports*``).
        path: the file (created when missing).
        dry_run: work out the result without writing.

    Returns:
        :class:`Written`.

    Raises:
        InputError: the existing file is invalid, or the entries cannot be appended to it
            (its ``accepted`` list is not the last block); the file cannot be written.
    """
    from ..output.writer import read_existing, replace_file

    chosen = [
        c for c in changes if any(path_matches(p, g) for g in globs for p in _ancestors(c.path))
    ]
    unmatched = tuple(
        g
        for g in dict.fromkeys(globs)
        if not any(path_matches(p, g) for c in changes for p in _ancestors(c.path))
    )
    existing = read_existing(path)
    before = len(load_entries(path)) if existing is not None else 0
    text = with_entries(existing, chosen)
    try:
        doc = load_text(text, path.as_posix())
        count = len(doc.data.get("accepted") or []) if isinstance(doc.data, Mapping) else -1
    except InputError:
        count = -1
    if count != before + len(chosen):
        raise InputError.single(
            path.as_posix(),
            0,
            0,
            "",
            "cannot append entries: make `accepted:` a block list (`- service: …`) and the "
            "file's last key",
        )
    if chosen and not dry_run:
        replace_file(path, text)
    return Written(path, len(chosen), unmatched)
