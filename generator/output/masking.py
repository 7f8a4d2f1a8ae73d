"""Secrets: which values are secret, and keeping them out of anything stackgen prints.

A value is secret when it stands under a key matching ``PASSWORD|SECRET|TOKEN|KEY`` (any case;
the names docker and most images use for credentials) or under a name the profile lists in
``sensitive:``, in a mapping (``DB_PASSWORD: x``) or in a list-form environment entry
(``- DB_PASSWORD=x``). Messages are built so they do not quote such values; as a second line of
defence the CLI replaces every secret value of its input files and ``--set`` options by
:data:`MASK` in whatever it writes to stderr (diagnostics, warnings, internal errors and
``--debug`` tracebacks), so a message from a library or a bug cannot leak one either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..yamlio.loader import load_multi
from ..yamlio.nodes import Path_
from ..yamlio.scalars import closing_brace

MASK = "***"
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|KEY", re.IGNORECASE)
#: shorter values are not replaced in free text: masking "1" or "yes" would garble messages
#: (line numbers, words) while hiding nothing a reader could not guess
MIN_MASKED = 4
#: input files larger than this are not scanned for values (the loader refuses them anyway)
_MAX_SCAN_BYTES = 10 * 1024 * 1024
# `KEY: value` / `KEY=value` lines, for files too broken to parse
_LINE = re.compile(r"""^\s*(?:-\s*)?["']?(?P<key>[^\s:="'#]+)["']?\s*(?::\s+|=)(?P<value>.*)\Z""")


def is_secret_key(name: object, sensitive: Collection[str] = ()) -> bool:
    """True when a key names a secret: it matches ``PASSWORD|SECRET|TOKEN|KEY`` (any case)
    or is listed in ``sensitive``."""
    text = str(name)
    return bool(SECRET_KEY.search(text)) or text in sensitive


# Top-level sections whose keys name things (a service, a network, a secret): such a name
# is a name, never a secret value, and does not make what it holds secret (a service called
# api-key-rotator, the top-level `secrets:` section, a service's `secrets: [db_password]`).
_NAMED_SECTIONS = frozenset({"services", "networks", "volumes", "secrets", "configs"})
_NAME_LISTS = frozenset({"secrets", "configs", "networks", "volumes", "depends_on", "links"})


def is_secret_path(path: Path_, sensitive: Collection[str] = ()) -> bool:
    """True when the value at ``path`` is secret: a key along it names a secret
    (:func:`is_secret_key`; everything below such a key is secret), except the names of
    things, which are never secret and make nothing secret: top-level sections
    (``secrets:``), service, network, volume, secret and config names, and a service's lists
    of the secrets, configs, networks and dependencies it names.

    The one name rule of stackgen: every output that shows a value asks it.
    """
    for index, part in enumerate(path):
        if not isinstance(part, str):
            continue
        if index == 0 and part in _NAMED_SECTIONS:
            continue
        if index == 1 and path[0] in _NAMED_SECTIONS:
            continue  # the name of a service, network, volume, secret or config
        if index == 2 and path[0] == "services" and part in _NAME_LISTS:
            continue  # a service's list of the secrets, configs, … it uses (names)
        if is_secret_key(part, sensitive):
            return True
    return False


def secret_values(data: Any, sensitive: Collection[str] = ()) -> set[str]:
    """Every secret value in a parsed profile or compose document, as text.

    Args:
        data: parsed YAML (mappings, lists, scalars).
        sensitive: extra secret names; a top-level ``sensitive:`` list of ``data`` adds to it.

    Returns:
        The values (scalars at a secret path, :func:`is_secret_path`, and list-form
        ``KEY=VALUE`` entries with a secret KEY), non-empty ones only.
    """
    names = set(sensitive)
    if isinstance(data, dict) and isinstance(data.get("sensitive"), list):
        names.update(str(n) for n in data["sensitive"])
    found: set[str] = set()
    # iterative (documents nest up to 64 levels); `secret` is carried down, so each key is
    # tested once: is_secret_path of the path so far is `secret or` the test of the new key
    stack: list[tuple[Any, Path_, bool]] = [(data, (), False)]
    while stack:
        node, path, secret = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                here = (*path, str(key))
                # the names of things stand in the first three keys of a path only
                named = is_secret_path(here, names) if len(path) < 3 else is_secret_key(key, names)
                stack.append((value, here, secret or named))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str) and "=" in item:
                    key, _, value = item.partition("=")
                    if secret or is_secret_key(key, names):
                        found.add(value)
                        continue
                stack.append((item, (*path, index), secret))
        elif secret and node is not None and not isinstance(node, bool):
            found.add(str(node))
    found.discard("")
    return found


class KnownValues:
    """A set of secret values (each at least :data:`MIN_MASKED` characters), found in text in
    time linear in the text: indexed by their first :data:`MIN_MASKED` characters, so each
    position of a text is looked up once, however many values there are.

    Args:
        values: the secret values; each is also known in the forms a message may quote it in
            (JSON and Python escapes).
    """

    def __init__(self, values: Iterable[str]) -> None:
        self._value_of: dict[str, str] = {}
        for value in values:
            if len(value) >= MIN_MASKED:
                for form in (value, json.dumps(value, ensure_ascii=False)[1:-1], repr(value)[1:-1]):
                    self._value_of.setdefault(form, value)
        forms = set(self._value_of)
        self._by_prefix: dict[str, list[str]] = {}
        for form in sorted(forms, key=len, reverse=True):  # longest first at each position
            self._by_prefix.setdefault(form[:MIN_MASKED], []).append(form)

    def __bool__(self) -> bool:
        return bool(self._by_prefix)

    def _match(self, text: str, pos: int) -> str | None:
        for form in self._by_prefix.get(text[pos : pos + MIN_MASKED], ()):
            if text.startswith(form, pos):
                return form
        return None

    def occurring(self, text: str) -> set[str]:
        """The values (as given, any of their forms matching) that occur in ``text``."""
        found: set[str] = set()
        for pos in range(len(text) - MIN_MASKED + 1):
            for form in self._by_prefix.get(text[pos : pos + MIN_MASKED], ()):
                if text.startswith(form, pos):
                    found.add(self._value_of[form])
        return found

    def contains(self, text: str) -> bool:
        """Whether ``text`` holds one of the values."""
        if not self._by_prefix:
            return False
        return any(self._match(text, pos) for pos in range(len(text) - MIN_MASKED + 1))

    def redact(self, text: str) -> str:
        """``text`` with every occurrence of a value replaced by :data:`MASK`, left to right,
        the longest value at each position."""
        if not self._by_prefix:
            return text
        out: list[str] = []
        start = pos = 0
        end = len(text) - MIN_MASKED + 1
        while pos < end:
            form = self._match(text, pos)
            if form is None:
                pos += 1
                continue
            out += [text[start:pos], MASK]
            pos = start = pos + len(form)
        out.append(text[start:])
        return "".join(out)


def keys_of(data: Any) -> list[str]:
    """Every mapping key in ``data``, at any depth (the names and paths of a document)."""
    keys: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            keys.extend(str(k) for k in node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return keys


def unnamed(values: Iterable[str], names: Iterable[str]) -> set[str]:
    """The secret ``values`` that occur in none of ``names`` (keys, service names, paths).

    A value that is also part of a name (``AWS_SECRET_ACCESS_KEY: sentry`` beside a service
    ``sentry-cleanup``) cannot be hidden in free text without garbling the name, and the name
    shows it anyway: it stays masked where it stands as a value (by the name rule), but is
    not searched for inside other text. Linear in the total length of the names.
    """
    values = set(values)
    found = KnownValues(values).occurring("\n".join(names))
    return values - found


def shown(
    value: Any,
    path: Path_,
    sensitive: Collection[str] = (),
    known: KnownValues | None = None,
) -> Any:
    """``value`` (standing at ``path``) as reports show it: a secret (:func:`is_secret_path`,
    or text holding a ``known`` secret value) as :data:`MASK`, except that compose references
    stay readable, so a reviewer tells a reference from a committed password:
    ``${DB_PASSWORD}`` and ``${DB_PASSWORD:?set it}`` are shown as written, a literal default
    or alternative inside one as ``***`` (``${DB_PASSWORD:-***}``, :func:`masked_reference`).
    ``""``, ``null`` and booleans reveal nothing and are shown. Containers are shown item by
    item, each at its own path; a list-form ``KEY=value`` entry by its KEY.
    """
    if isinstance(value, dict):
        return {k: shown(v, (*path, str(k)), sensitive, known) for k, v in value.items()}
    if isinstance(value, list):
        out = []
        for index, item in enumerate(value):
            if isinstance(item, str) and "=" in item:
                key, _, text = item.partition("=")
                if is_secret_key(key, sensitive) and not is_secret_path(path, sensitive):
                    out.append(f"{key}={shown(text, (*path, key), sensitive, known)}")
                    continue
            out.append(shown(item, (*path, index), sensitive, known))
        return out
    if value is None or isinstance(value, bool) or value == "":
        return value
    secret = is_secret_path(path, sensitive)
    if isinstance(value, str):
        if secret or (known is not None and known.contains(value)):
            return masked_reference(value)
        return value
    return MASK if secret else value


_REFERENCE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VALUE_OPERATORS = (":-", ":+", "-", "+")  # a literal default or alternative value
_ERROR_OPERATORS = (":?", "?")  # an error message, not a value


def masked_reference(text: str) -> str:
    """``text`` if it is one compose reference (``${NAME}``, ``${NAME:?message}``), with a
    literal default or alternative masked (``${NAME:-***}``, a nested reference kept by the
    same rule); :data:`MASK` for anything else (a literal, or literals mixed with references).
    """
    if not (text.startswith("${") and text.endswith("}")):
        return MASK
    name = _REFERENCE_NAME.match(text, 2)
    if name is None or closing_brace(text, 2) != len(text) - 1:
        return MASK  # not a name, or two references side by side: ${A}x${B}
    pos = name.end()
    if pos == len(text) - 1:
        return text  # ${NAME}
    body = text[pos:-1]
    operator = next(
        (op for op in (*_ERROR_OPERATORS, *_VALUE_OPERATORS) if body.startswith(op)), None
    )
    if operator is None:
        return MASK
    argument = body[len(operator) :]
    if operator in _ERROR_OPERATORS or argument == "":
        return text
    inner = masked_reference(argument) if argument.startswith("${") else MASK
    return f"{text[:pos]}{operator}{inner}}}"


def _scan_text(
    text: str, file: str, names: set[str] | None = None, keys: list[str] | None = None
) -> set[str]:
    """Secret values of a file's text; the ``sensitive:`` names it lists are added to
    ``names``, its mapping keys to ``keys``."""
    values: set[str] = set()
    try:
        for doc in load_multi(text, file):
            values |= secret_values(doc.data)
            if keys is not None:
                keys.extend(keys_of(doc.data))
            listed = doc.data.get("sensitive") if isinstance(doc.data, dict) else None
            if names is not None and isinstance(listed, list):
                names.update(str(n) for n in listed)
    except InputError:
        pass  # a broken file: the line scan below still finds `KEY: value` lines
    for line in text.splitlines():
        m = _LINE.match(line)
        if m and is_secret_key(m.group("key")):
            value = re.split(r"\s#", m.group("value"), maxsplit=1)[0].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            if value:
                values.add(value)
    return values


def input_secrets(args: Sequence[str]) -> set[str]:
    """Secret values in a command line's inputs: every argument naming a readable file
    (profiles, the bases they ``extends``, compose and ``.env`` files) and every
    ``--set KEY.PATH=VALUE`` whose path names a secret. Best effort: unreadable files are
    skipped.

    Args:
        args: the command-line arguments (without the program name).

    Returns:
        The secret values found, less those that occur in a key of the inputs
        (:func:`unnamed`).
    """
    values: set[str] = set()
    # what -o names is the command's output, not an input: never read it (an existing
    # target can be large, and its secrets, if any, came from the inputs)
    outputs = {i + 1 for i, a in enumerate(args) if a in ("-o", "--output")}
    pending = [Path(a) for i, a in enumerate(args) if not a.startswith("-") and i not in outputs]
    seen: set[Path] = set()
    sets: list[tuple[str, str]] = []
    for i, arg in enumerate(args):
        if arg == "--set" and i + 1 < len(args):
            expr = args[i + 1]
        elif arg.startswith("--set="):
            expr = arg[len("--set=") :]
        else:
            continue
        key, sep, value = expr.partition("=")
        if sep and value:
            sets.append((key, value))
    names: set[str] = set()
    keys: list[str] = []
    while pending:
        path = pending.pop()
        try:
            resolved = path.resolve()
            if resolved in seen or not path.is_file() or path.stat().st_size > _MAX_SCAN_BYTES:
                continue
            seen.add(resolved)
            text = path.read_text(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            continue
        values |= _scan_text(text, str(path), names, keys)
        for line in text.splitlines():
            if line.startswith("extends:"):
                base = line[len("extends:") :].split(" #", 1)[0].strip().strip("'\"")
                if base:
                    pending.append(path.parent / base)
    # a --set value is secret by its key's name, or by a name a profile lists in sensitive:
    values.update(
        value
        for key, value in sets
        if SECRET_KEY.search(key) or any(part in names for part in key.split("."))
    )
    return unnamed(values, keys)


def redact(text: str, values: Iterable[str] | KnownValues) -> str:
    """``text`` with each of ``values`` (at least :data:`MIN_MASKED` characters) replaced by
    :data:`MASK`, the longest at each position (so a value containing another is masked
    whole); linear in the length of ``text`` (:class:`KnownValues`)."""
    known = values if isinstance(values, KnownValues) else KnownValues(values)
    return known.redact(text)
