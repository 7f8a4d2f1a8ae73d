"""Finding known secret values in free text and replacing them by :data:`MASK`, in time
linear in the text, where they stand as values (never as a part of a name or path)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from .secret_rule import MASK

#: shorter values are not replaced in free text: masking "1" or "yes" would garble messages
#: (line numbers, words) while hiding nothing a reader could not guess
MIN_MASKED = 4
#: values that only switch something on or off (``- ENABLE_AUTH=true`` under a secret name):
#: they reveal nothing, and searching free text for them would garble every message saying
#: ``true``; they stay masked where they stand under a secret name
SWITCHES = frozenset({"true", "false", "yes", "no", "on", "off", "null", "none"})


def redact(text: str, values: Iterable[str]) -> str:
    """``text`` with each of ``values`` (at least :data:`MIN_MASKED` characters) replaced by
    :data:`MASK`, the longest at each position (so a value containing another is masked
    whole); linear in the length of ``text`` (:class:`KnownValues`)."""
    known = values if isinstance(values, KnownValues) else KnownValues(values)
    return known.redact(text)


#: up to this many distinct value prefixes, :class:`KnownValues` finds where values may start
#: with one regex search; with more, it looks each position up in a dict
_FEW_PREFIXES = 32

#: what joins the parts of a name or path (``plausible-events-data``, ``/var/lib/postgresql``,
#: ``sentry_cleanup``, ``events.example.test``), and what a part is made of
_JOINTS = frozenset("-_./")
_PART = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _whole(text: str, pos: int, form: str) -> bool:
    """Whether ``form``, found in ``text`` at ``pos``, stands there as a value and not as a
    part of a longer name or path: joined to another part by ``-``, ``_``, ``.`` or ``/``.
    A secret ``events`` is no secret in the volume ``plausible-events-data`` or the path
    ``/srv/events/x`` (names and paths are never masked, and show it anyway), but is one in
    ``postgres://app:events@db/app``, ``-pevents`` or ``token events``."""
    end = pos + len(form)
    if pos >= 2 and text[pos - 1] in _JOINTS and text[pos - 2] in _PART and form[0] in _PART:
        return False
    return not (
        end + 1 < len(text)
        and text[end] in _JOINTS
        and text[end + 1] in _PART
        and form[-1] in _PART
    )


class KnownValues:
    """A set of secret values (each at least :data:`MIN_MASKED` characters), found in text in
    time linear in the text: indexed by their first :data:`MIN_MASKED` characters, so each
    position of a text is looked up once, however many values there are. A value counts
    where it stands as a value (:func:`_whole`), never as a part of a longer name or path.

    Args:
        values: the secret values; each is also known in the forms a message may quote it in
            (JSON and Python escapes).
    """

    def __init__(self, values: Iterable[str]) -> None:
        self._value_of: dict[str, str] = {}
        for value in values:
            if len(value) >= MIN_MASKED and value.lower() not in SWITCHES:
                for form in (value, json.dumps(value, ensure_ascii=False)[1:-1], repr(value)[1:-1]):
                    self._value_of.setdefault(form, value)
        forms = set(self._value_of)
        self._by_prefix: dict[str, list[str]] = {}
        for form in sorted(forms, key=len, reverse=True):  # longest first at each position
            self._by_prefix.setdefault(form[:MIN_MASKED], []).append(form)
        # where a value may start: with few prefixes, one regex search (C speed, at most
        # _FEW_PREFIXES literal checks per position) jumps to the next position holding one,
        # instead of a Python step per character of the text; the prefixes all have the
        # same length, so the leftmost match is the next such position whichever prefix
        # the alternation tries first. With many, each position is looked up once.
        self._next: re.Pattern[str] | None = (
            re.compile("|".join(map(re.escape, sorted(self._by_prefix))))
            if 0 < len(self._by_prefix) <= _FEW_PREFIXES
            else None
        )

    def __bool__(self) -> bool:
        return bool(self._by_prefix)

    def _match(self, text: str, pos: int) -> str | None:
        for form in self._by_prefix.get(text[pos : pos + MIN_MASKED], ()):
            if text.startswith(form, pos) and _whole(text, pos, form):
                return form
        return None

    def occurring(self, text: str) -> set[str]:
        """The values (as given, any of their forms matching) that occur in ``text`` as
        values (:func:`_whole`)."""
        found: set[str] = set()
        for pos in self._candidates(text):
            for form in self._by_prefix.get(text[pos : pos + MIN_MASKED], ()):
                if text.startswith(form, pos) and _whole(text, pos, form):
                    found.add(self._value_of[form])
        return found

    def _candidates(self, text: str, pos: int = 0) -> Iterator[int]:
        """Every position from ``pos`` on where one of the prefixes starts (overlapping
        ones included), in order."""
        if self._next is None:
            if self._by_prefix:
                yield from range(pos, len(text) - MIN_MASKED + 1)
            return
        search = self._next.search
        hit = search(text, pos)
        while hit is not None:
            at = hit.start()
            yield at
            hit = search(text, at + 1)

    def contains(self, text: str) -> bool:
        """Whether ``text`` holds one of the values."""
        return any(self._match(text, pos) for pos in self._candidates(text))

    def redact(self, text: str) -> str:
        """``text`` with every occurrence of a value replaced by :data:`MASK`, left to right,
        the longest value at each position."""
        if not self._by_prefix:
            return text
        out: list[str] = []
        start = 0
        candidates = self._candidates(text)
        for pos in candidates:
            if pos < start:
                continue  # inside a value already masked
            form = self._match(text, pos)
            if form is not None:
                out += [text[start:pos], MASK]
                start = pos + len(form)
        out.append(text[start:])
        return "".join(out)


def keys_of(data: Any) -> list[str]:
    """Every mapping key in ``data``, at any depth (the names and paths of a document)."""
    keys: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            keys.extend(map(str, node))
            # only containers hold keys: scalars are not pushed (most values are scalars)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return keys


#: the sections whose entries may give their thing's name as a ``name:`` value
_NAMED_SECTIONS = ("networks", "volumes", "secrets", "configs")


def names_of(data: Any, keys: bool = False) -> list[str]:
    """The names of things a compose file or profile gives as values, not keys: the
    project's ``name``, each service's ``container_name`` and ``hostname``, and the ``name``
    of each network, volume, secret and config (compose spec). ``keys``: the keys of the top
    three levels too (the sections, the names of services, networks…, and their own keys),
    where the names of things stand. Reads the top three levels only."""
    if not isinstance(data, dict):
        return []
    names: list[str] = list(map(str, data)) if keys else []
    if isinstance(data.get("name"), str):
        names.append(data["name"])
    for section, entries in data.items():
        if not isinstance(entries, dict):
            continue
        if keys:
            names.extend(map(str, entries))
        for entry in entries.values():
            if not isinstance(entry, dict):
                continue
            if keys:
                names.extend(map(str, entry))
            if section == "services":
                given = [entry.get("container_name"), entry.get("hostname")]
            elif section in _NAMED_SECTIONS:
                given = [entry.get("name")]
            else:
                continue
            names.extend(name for name in given if isinstance(name, str))
    return names


def unnamed(values: Iterable[str], names: Iterable[str]) -> set[str]:
    """The secret ``values`` that occur in none of ``names`` (keys, :func:`names_of`, paths).

    A value that is also part of a name (``AWS_SECRET_ACCESS_KEY: sentry`` beside a service
    ``sentry-cleanup``) cannot be hidden in free text without garbling the name, and the name
    shows it anyway: it stays masked where it stands as a value (by the name rule), but is
    not searched for inside other text. Linear in the total length of the names.
    """
    values = set(values)
    found = KnownValues(values).occurring("\n".join(names))
    return values - found
