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
from ..yamlio import loader
from ..yamlio.limits import MAX_BYTES
from ..yamlio.loader import load_multi
from ..yamlio.nodes import Path_
from ..yamlio.scalars import closing_brace

MASK = "***"
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|KEY", re.IGNORECASE)
#: :data:`SECRET_KEY`'s words, lower case, and a length-keeping ASCII lowering table
_SECRET_WORDS = ("password", "secret", "token", "key")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
#: shorter values are not replaced in free text: masking "1" or "yes" would garble messages
#: (line numbers, words) while hiding nothing a reader could not guess
MIN_MASKED = 4
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


def secret_values(
    data: Any, sensitive: Collection[str] = (), multiline: list[str] | None = None
) -> set[str]:
    """Every secret value in a parsed profile or compose document, as text.

    Args:
        data: parsed YAML (mappings, lists, scalars).
        sensitive: extra secret names; a top-level ``sensitive:`` list of ``data`` adds to it.
        multiline: when a list is given, every string value holding a line break (a script
            in a block scalar, whose ``KEY=value`` lines a reader sees) is appended to it.

    Returns:
        The values (scalars under a secret key, at any depth, and list-form ``KEY=VALUE``
        entries with a secret KEY), non-empty ones only.
    """
    names = set(sensitive)
    if isinstance(data, dict) and isinstance(data.get("sensitive"), list):
        names.update(str(n) for n in data["sensitive"])
    found: set[str] = set()
    # a large file repeats a few hundred key names: each is judged once
    judged: dict[Any, bool] = {}

    def secret_key(key: Any) -> bool:
        verdict = judged.get(key)
        if verdict is None:
            verdict = judged[key] = is_secret_key(key, names)
        return verdict

    def walk(node: Any, secret: bool, path: Path_ = ()) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                here = (*path, str(key)) if len(path) < 3 else path
                # the names of things stand in the first three keys of a path only
                named = is_secret_path(here, names) if len(path) < 3 else secret_key(key)
                walk(value, secret or named, here)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, str) and "=" in item:
                    key, _, value = item.partition("=")
                    if secret or secret_key(key):
                        found.add(value)
                        if multiline is not None and "\n" in item:
                            multiline.append(item)
                        continue
                walk(item, secret, path)
        elif secret and node is not None and not isinstance(node, bool):
            found.add(str(node))
        elif multiline is not None and isinstance(node, str) and "\n" in node:
            multiline.append(node)

    walk(data, False)
    found.discard("")
    return found


def _line_values(text: str) -> set[str]:
    """Values of ``KEY: value`` / ``KEY=value`` lines with a secret KEY: what a file too
    broken to parse, an ``.env`` file or a script in a block scalar holds. Only the lines
    holding a secret name are matched (one C-speed search finds them)."""
    values: set[str] = set()
    starts: set[int] = set()
    if text.isascii():
        # str.find on an ASCII-lowered copy: ~10x faster than the case-blind regex
        low = text.translate(_ASCII_LOWER)
        for word in _SECRET_WORDS:
            at = low.find(word)
            while at >= 0:
                starts.add(low.rfind("\n", 0, at) + 1)
                at = low.find(word, at + len(word))
    else:  # Unicode case folding (the Kelvin sign is a K): the regex decides
        starts = {text.rfind("\n", 0, hit.start()) + 1 for hit in SECRET_KEY.finditer(text)}
    for start in sorted(starts):
        end = text.find("\n", start)
        for line in text[start : len(text) if end < 0 else end].splitlines():
            m = _LINE.match(line)
            if m and is_secret_key(m.group("key")):
                value = re.split(r"\s#", m.group("value"), maxsplit=1)[0].strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                if value:
                    values.add(value)
    return values


def _scan_text(text: str, file: str) -> set[str]:
    values: set[str] = set()
    try:
        for doc in load_multi(text, file):
            values |= secret_values(doc.data)
    except InputError:
        pass  # a broken file: the line scan below still finds `KEY: value` lines
    return values | _line_values(text)


#: for each input file the loader has parsed during this command (by resolved path), noted
#: from the data it built (:func:`watch_inputs`): its secret values and the base it extends
_PARSED: dict[Path, tuple[frozenset[str], Path | None]] = {}


def _note_parsed(path: Path, text: str, data: Any) -> None:
    try:
        key = path.resolve()
    except (OSError, ValueError):
        return
    base = data.get("extends") if isinstance(data, dict) else None
    # the text's own lines matter only where the data holds lines: what the walk cannot
    # see is a `KEY=value` line inside a multi-line string (`text` is not scanned again)
    scripts: list[str] = []
    values = secret_values(data, multiline=scripts)
    if scripts:
        values |= _line_values("\n".join(scripts))
    _PARSED[key] = (frozenset(values), path.parent / base if isinstance(base, str) else None)


def watch_inputs() -> None:
    """From now on, note the secret values of every input file the loader parses
    (:data:`stackgen.yamlio.loader.FILE_PARSED`), so that :func:`input_secrets` takes them from the
    data the command built instead of reading and parsing the file again. The CLI calls
    this as each command starts (values noted for an earlier command are forgotten); the
    library alone never masks, so it pays nothing."""
    _PARSED.clear()
    if _note_parsed not in loader.FILE_PARSED:
        loader.FILE_PARSED.append(_note_parsed)


def input_secrets(args: Sequence[str]) -> set[str]:
    """Secret values in a command line's inputs: every argument naming a readable file
    (profiles, the bases they ``extends``, compose and ``.env`` files) and every
    ``--set KEY.PATH=VALUE`` whose path names a secret. Best effort: unreadable files are
    skipped. Files the loader has parsed since :func:`watch_inputs` (the bases a profile
    ``extends`` included) are not read again: their values were noted from that parse.

    Args:
        args: the command-line arguments (without the program name).

    Returns:
        The secret values found.
    """
    values: set[str] = set()
    # what -o names is the command's output, not an input: never read it (an existing
    # target can be large, and its secrets, if any, came from the inputs)
    outputs = {i + 1 for i, a in enumerate(args) if a in ("-o", "--output")}
    pending = [Path(a) for i, a in enumerate(args) if not a.startswith("-") and i not in outputs]
    seen: set[Path] = set()
    for i, arg in enumerate(args):
        if arg == "--set" and i + 1 < len(args):
            expr = args[i + 1]
        elif arg.startswith("--set="):
            expr = arg[len("--set=") :]
        else:
            continue
        key, sep, value = expr.partition("=")
        if sep and SECRET_KEY.search(key) and value:
            values.add(value)
    while pending:
        path = pending.pop()
        try:
            resolved = path.resolve()
            if resolved in seen or not path.is_file() or path.stat().st_size > MAX_BYTES:
                continue
            seen.add(resolved)
            if resolved in _PARSED:  # noted when the command parsed it: not read again
                noted, base = _PARSED[resolved]
                values |= noted
                if base is not None:
                    pending.append(base)
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        values |= _scan_text(text, str(path))
        for m in re.finditer(r"^extends:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", text, re.M):
            pending.append(path.parent / m.group(1))
    return values


def redact(text: str, values: Iterable[str]) -> str:
    """``text`` with each of ``values`` (at least :data:`MIN_MASKED` characters) replaced by
    :data:`MASK`, the longest at each position (so a value containing another is masked
    whole); linear in the length of ``text`` (:class:`KnownValues`)."""
    known = values if isinstance(values, KnownValues) else KnownValues(values)
    return known.redact(text)


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
            if text.startswith(form, pos) and _whole(text, pos, form):
                return form
        return None

    def occurring(self, text: str) -> set[str]:
        """The values (as given, any of their forms matching) that occur in ``text`` as
        values (:func:`_whole`)."""
        found: set[str] = set()
        for pos in range(len(text) - MIN_MASKED + 1):
            for form in self._by_prefix.get(text[pos : pos + MIN_MASKED], ()):
                if text.startswith(form, pos) and _whole(text, pos, form):
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
