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
from .paths import is_relative, path_refs, resolve
from .template_rules import MESSAGE as TEMPLATE_MESSAGE
from .template_rules import template_error

# compose-go dotenv: what its parser skips inside a name, and the "export " prefix
_SPACE = "\t\v\f\r \x85\xa0"
_EXPORT = re.compile(r"^export[\t\n\f\r ]+")


def _key_name(src: str, line_no: int) -> tuple[str, str, bool, int]:
    """The variable name at the start of ``src`` (the rest of the file from a statement),
    as compose-go ``dotenv`` ``locateKeyName`` reads it: a name of letters, digits,
    ``_ . - [ ]`` ended by ``=``, ``:`` (YAML style) or a line break (a name alone: taken
    from the shell).

    Returns:
        ``(name, the text after it (leading spaces dropped), taken from the shell, the line
        the text starts on)``.

    Raises:
        ValueError: a character compose refuses in a name, or a name holding a space (the
            message does not quote the line: it may hold a secret).
    """
    if _EXPORT.match(src):
        src = src[len("export") :].lstrip(_SPACE)
    key, offset, inherited = "", 0, False
    for i, char in enumerate(src):
        if char in _SPACE or char in "_.-[]" or char.isalpha():
            continue
        if char in "=:\n":
            key, offset, inherited = src[:i], i + 1, char == "\n"
            break
        if unicodedata.category(char)[0] != "N":
            raise ValueError(
                f"unexpected character {char!r} in a variable name (docker compose reads "
                "letters, digits, _ . - [ ] and = or : after the name)"
            )
    key = key.rstrip()
    if " " in key:
        raise ValueError("a variable name holds a space (docker compose refuses it)")
    if inherited:
        line_no += 1
    return key, src[offset:].lstrip(_SPACE), inherited, line_no


def parse_env_file(path: Path, display: str | None = None) -> dict[str, str]:
    """Read a ``.env`` file by compose's dotenv rules (compose-go ``dotenv/parser.go``).

    ``KEY=VALUE`` (or ``KEY: VALUE``) statements, optional ``export``, ``#`` comments (a
    whole line, or after `` #`` in an unquoted value); a name of letters, digits,
    ``_ . - [ ]``. An unquoted value runs to the line's end and expands ``${VAR}`` from
    earlier statements; a quoted one may span lines, ``\\`` keeps the next character from
    closing it, and the file goes on right after its closing quote (``B="x" C=1`` sets
    two). Single-quoted values are literal; double-quoted ones read the escapes ``\\a``
    ``\\b`` ``\\f`` ``\\n`` ``\\r`` ``\\t`` ``\\v`` ``\\"`` ``\\\\``, octal
    ``\\0ooo`` and ``\\$`` (a literal ``$``), then expand ``${VAR}``. ``KEY`` alone means
    "take it from the shell" and is left unset here.

    Args:
        path: the env file.
        display: its name in messages.

    Returns:
        Variable name → value.

    Raises:
        InputError: the file cannot be read, a name compose refuses (``A B=1``, ``A$=1``,
            ``A #c``), a quoted value is not closed, or a value holds ``${`` compose cannot
            interpolate (``B=${X``), at the statement's line.
    """
    name = display or str(path)
    rest = read_text(path, name, "env file")
    env: dict[str, str] = {}
    line_no = 1
    while True:
        # the next statement: spaces, line breaks and comment lines skipped
        stripped = rest.lstrip()
        line_no += rest[: len(rest) - len(stripped)].count("\n")
        rest = stripped
        if rest.startswith("#"):
            cut = rest.find("\n")
            rest = "" if cut < 0 else rest[cut:]
            continue
        if not rest:
            return env
        start = line_no
        try:
            key, rest, inherited, line_no = _key_name(rest, line_no)
        except ValueError as exc:
            raise InputError.single(name, start, 1, "", str(exc)) from None
        if inherited:
            continue
        quote = rest[:1]
        if quote in ("'", '"'):
            end, content = _quoted(rest, quote)
            if end < 0:
                raise InputError.single(name, start, 1, key, f"unclosed {quote} quote")
            line_no += rest[:end].count("\n")
            rest = rest[end + 1 :]
            if quote == "'":
                env[key] = content
                continue
            value = _expand_escapes(content)
        else:
            value, newline, rest = rest.partition("\n")
            line_no += 1 if newline else 0
            value = value.split(" #", 1)[0].rstrip()
        _check_template(value, name, start, key)
        env[key] = _Interpolator(env).run(value)


def _check_template(text: str, name: str, line_no: int, key: str) -> None:
    """Refuse a value compose cannot interpolate (``B=${X``: "Invalid template"), at its
    line; the message does not quote the value (it may be a secret)."""
    if template_error(text):
        raise InputError.single(name, line_no, 1, key, TEMPLATE_MESSAGE)


def _quoted(src: str, quote: str) -> tuple[int, str]:
    """The index of the quote closing the value ``src`` starts with (-1: none) and the text
    between, as compose-go ``extractVarValue`` reads it: a backslash keeps the next
    character from closing the value and is dropped before that quote only."""
    chars: list[str] = []
    escaped = False
    for i in range(1, len(src)):
        char = src[i]
        if char != quote:
            if not escaped and char == "\\":
                escaped = True
                continue
            if escaped:
                escaped = False
                chars.append("\\")
            chars.append(char)
            continue
        if escaped:
            escaped = False
            chars.append(char)
            continue
        return i, "".join(chars)
    return -1, ""


#: compose-go dotenv escapeSeqRegex: the escapes a double-quoted value reads
_ESCAPE = re.compile(r'\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})')
_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_SIMPLE.update({'"': '"', "\\": "\\"})


def _escape(match: re.Match[str]) -> str:
    text = match.group()
    if text == "\\$":
        return "$$"  # a literal $ to the interpolation that follows
    if text.startswith("\\0"):
        # `\0ooo` is Go's `\ooo` (strconv.UnquoteChar: three octal digits, at most 255);
        # anything else stays as rewritten, as compose-go leaves it
        digits = text[2:]
        if len(digits) == 3 and set(digits) <= set("01234567") and int(digits, 8) < 256:
            return chr(int(digits, 8))
        return "\\" + digits
    return _SIMPLE.get(text[1], text)  # `\c` is no Go escape: kept


def _expand_escapes(text: str) -> str:
    """A double-quoted value's escapes read as compose-go ``expandEscapes`` reads them."""
    return _ESCAPE.sub(_escape, text) if "\\" in text else text


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
        name = os.path.normpath(shown / ref.text) if is_relative(ref.text) else ref.text
        try:
            parse_env_file(target, name)
        except InputError as exc:
            problems.extend(exc.diagnostics)
    return problems
