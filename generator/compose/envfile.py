"""The .env file format docker compose reads for --env-file (compose spec "env_file" format)."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, InputError
from ..yamlio.files import read_text
from .interpolation import _Interpolator
from .paths import path_refs, resolve
from .template_rules import MESSAGE as TEMPLATE_MESSAGE
from .template_rules import template_error

# compose-go dotenv: what its parser skips inside a name, and the "export " prefix
_SPACE = "\t\v\f\r \x85\xa0"
_EXPORT = re.compile(r"^export[\t\n\f\r ]+")


def _key_name(line: str) -> tuple[str, str | None]:
    """The variable name of one line and the text after its ``=`` (or ``:``, YAML style),
    None for a name alone, as compose-go ``dotenv`` ``locateKeyName`` reads them: a name
    holds letters, digits, ``_ . - [ ]`` (and spaces it refuses after).

    Raises:
        ValueError: a character compose refuses in a name (the message does not quote the
            line: it may hold a secret).
    """
    src = line.lstrip()
    if _EXPORT.match(src):
        src = src[len("export") :].lstrip(_SPACE)
    for i, char in enumerate(src):
        if char in _SPACE or char in "_.-[]" or char.isalpha():
            continue
        if char in "=:":
            key, rest = src[:i].rstrip(), src[i + 1 :]
            break
        if unicodedata.category(char)[0] != "N":
            raise ValueError(
                f"unexpected character {char!r} in a variable name (docker compose reads "
                "letters, digits, _ . - [ ] and = or : after the name)"
            )
    else:
        key, rest = src.rstrip(), None
    if " " in key:
        raise ValueError("a variable name holds a space (docker compose refuses it)")
    return key, rest


def parse_env_file(path: Path, display: str | None = None) -> dict[str, str]:
    """Read a ``.env`` file by compose's dotenv rules.

    ``KEY=VALUE`` (or ``KEY: VALUE``) lines, optional ``export``, ``#`` comments (whole line,
    or after a space in an unquoted value); a name of letters, digits, ``_ . - [ ]``; single-quoted values are literal, double-quoted ones understand
    ``\\n``, ``\\t``, ``\\"``, ``\\\\`` and may span lines; unquoted and double-quoted
    values expand ``${VAR}`` from earlier lines. ``KEY`` alone (no ``=``) means "take it from
    the shell" and is left unset here.

    Args:
        path: the env file.
        display: its name in messages.

    Returns:
        Variable name → value.

    Raises:
        InputError: the file cannot be read, a name compose refuses (``A B=1``, ``A$=1``,
            ``A #c``), a quoted value is not closed, or an interpolated value holds ``${``
            compose cannot read (``B=${X``).
    """
    name = display or str(path)
    text = read_text(path, name, "env file")
    env: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line_no = i + 1
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            key, rest = _key_name(line)
        except ValueError as exc:
            raise InputError.single(name, line_no, 1, "", str(exc)) from None
        if rest is None:
            continue
        raw = rest.lstrip()
        if raw[:1] in ("'", '"'):
            quote = raw[0]
            body = raw[1:]
            while not _closed(body, quote):
                if i >= len(lines):
                    raise InputError.single(name, line_no, 1, key, f"unclosed {quote} quote")
                body += "\n" + lines[i]
                i += 1
            content = body[: _close_index(body, quote)]
            if quote == "'":
                env[key] = content
            else:
                _check_template(content, name, line_no, key)
                env[key] = _Interpolator(env).run(_unescape(content))
        else:
            value = re.split(r"\s#", raw, maxsplit=1)[0].strip()
            _check_template(value, name, line_no, key)
            env[key] = _Interpolator(env).run(value)
    return env


def _check_template(text: str, name: str, line_no: int, key: str) -> None:
    """Refuse a value compose cannot interpolate (``B=${X``: "Invalid template"), at its
    line; the message does not quote the value (it may be a secret)."""
    if template_error(text):
        raise InputError.single(name, line_no, 1, key, TEMPLATE_MESSAGE)


def _close_index(body: str, quote: str) -> int:
    i = 0
    while i < len(body):
        if body[i] == "\\" and quote == '"':
            i += 2
            continue
        if body[i] == quote:
            return i
        i += 1
    return -1


def _closed(body: str, quote: str) -> bool:
    return _close_index(body, quote) >= 0


def _unescape(text: str) -> str:
    table = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: table.get(m.group(1), "\\" + m.group(1)), text)


def env_file_problems(data: Any, folder: Path, shown: Path) -> list[Diagnostic]:
    """What docker compose refuses in the env files the services of compose mapping ``data``
    name (``env_file``), whatever the variables hold: an interpolation it cannot read
    (``B=${X``, ``B="${X"``; a single-quoted value is literal, as in compose) or an unclosed
    quote; each at the env file's line (:func:`parse_env_file`), once per file.

    Args:
        data: the compose mapping (its relative paths relative to ``folder``).
        folder: the project directory compose resolves them against.
        shown: the same folder as the user named it (messages name ``shown/app.env``).

    Returns:
        Diagnostics; none for a file that is missing (another rule's) or named with ``$``.
    """
    problems: list[Diagnostic] = []
    seen: set[Path] = set()
    for ref in path_refs(data):
        if ref.kind != "env_file" or "$" in ref.text:
            continue
        target = resolve(ref.text, folder)
        if target in seen or not target.is_file():
            continue
        seen.add(target)
        # named as the user would: beside the compose file as named, or as written
        relative = not ref.text.startswith(("/", "~"))
        name = os.path.normpath(shown / ref.text) if relative else ref.text
        try:
            parse_env_file(target, name)
        except InputError as exc:
            problems.extend(exc.diagnostics)
    return problems
