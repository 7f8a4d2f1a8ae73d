"""Scalar quoting and ``$`` escaping for the compose text stackgen writes.

Quoting (design.md "Values and $", yamllint's ``truthy`` rule): a string is written plain only
when both a YAML 1.1 reader (PyYAML, old compose) and a YAML 1.2 core reader (compose v2's
``yaml.v3``) read it back as the same string; anything else is double-quoted with JSON-style
escapes, which are valid YAML double-quoted escapes.

Escaping (compose spec "Interpolation"): compose substitutes ``$VAR``/``${VAR}`` in every value
and turns ``$$`` into ``$``.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache, lru_cache
from typing import Any

from .resolve import resolve_plain, resolve_plain_11

# Characters that may not start a plain scalar, or change meaning inside one (flow context
# included, since the same filter serves flow lists).
_BAD_START = set("-?:,[]{}#&*!|>'\"%@` \t")
_BAD_ANYWHERE = (": ", " #", ",", "[", "]", "{", "}", "\t")
# Go yaml.v3 (compose v2's reader) reads more plain scalars as non-strings than the YAML 1.2
# core schema names: after removing every ``_`` it tries Go's ``strconv.ParseInt(text, 0, 64)``
# (``0o17``, ``0O17``, ``-0o17``, ``0b1``, ``0x_1F``, ``1_000``) and ``ParseFloat``, and it reads
# ``YYYY-M-D`` dates with an optional time (``2024-1-2T1:2:3Z``, ``2024-1-2 1:2:3``) as
# timestamps. Both patterns are deliberately wide: quoting text that did not need it is harmless.
_GO_NUMBER = re.compile(
    r"[-+]?(?:0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|[0-9]+"
    r"|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)"
)
# YAML 1.1's bool type (yaml.org/type/bool.html) also names y, Y, n and N, which PyYAML's
# resolver leaves out and other 1.1 readers (Go yaml.v2, yamllint) follow
_YAML11_SHORT_BOOLS = frozenset({"y", "Y", "n", "N"})
_GO_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t]|\Z)")


# Text that starts with a letter, followed by letters, digits and _ . / @ + = - (a : only
# between two runs of them) is a string to all three readers unless it is one of these words
# (case aside): no number, date, float or merge key of YAML 1.1, 1.2 or Go yaml.v3 starts with
# a letter (``.inf`` and ``.nan`` start with a dot), and none of these characters is an
# indicator there (a : is never last nor before a space). Most keys and values are such text
# (names, image references, host:port, URLs); they skip the full check (:func:`_read_otherwise`,
# property-tested to agree: tests/hardening/test_scalar_quoting.py).
_WORDS_READ_OTHERWISE = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
_PLAIN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9_./@+=-]*(?::[A-Za-z0-9_./@+=-]+)*")


def needs_quotes(text: str) -> bool:
    """True when ``text`` written plain would not read back as this exact string.

    Read back by three readers: YAML 1.2 core (:func:`resolve_plain`), YAML 1.1 as PyYAML
    resolves it (every implicit type of its resolver: bool, int, float, null, timestamp,
    merge, value; and the spec's ``y``/``n`` bools PyYAML omits) and Go yaml.v3's extra number and timestamp forms (``_GO_NUMBER``,
    ``_GO_DATE``).
    """
    if _PLAIN_TEXT.fullmatch(text) and text.lower() not in _WORDS_READ_OTHERWISE:
        return False
    return _read_otherwise(text)


def _read_otherwise(text: str) -> bool:
    """:func:`needs_quotes` without its shortcut: every rule, in order."""
    if text == "" or text != text.strip() or "\n" in text or "\r" in text:
        return True
    if text[0] in _BAD_START or text.endswith(":"):
        return True
    if any(token in text for token in _BAD_ANYWHERE):
        return True
    if not text.isprintable():
        return True
    try:
        if not isinstance(resolve_plain(text), str):
            return True
    except ValueError:  # a number too long to convert is still a number
        return True
    if text in _YAML11_SHORT_BOOLS or resolve_plain_11(text) != "tag:yaml.org,2002:str":
        return True
    if _GO_NUMBER.fullmatch(text.replace("_", "")) or _GO_DATE.match(text):
        return True
    return False


def quote(value: Any, always: bool = False) -> str:
    """A YAML scalar for ``value`` that reads back identically under YAML 1.1 and 1.2.

    Args:
        value: None, bool, int, float or str (anything else is a programming error).
        always: double-quote a string even where plain would read back the same.

    Returns:
        The scalar text, e.g. ``"no"`` → ``'"no"'``, ``8082`` → ``'8082'``, ``None`` → ``'null'``.

    Raises:
        TypeError: for containers or other types.
    """
    if type(value) is str:  # most scalars: the checks below in one
        return double_quoted(value) if always else _quote_text(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, str):
        return double_quoted(value) if always else _quote_text(value)
    raise TypeError(f"not a scalar: {value!r}")


def _float_text(value: float) -> str:
    """A float as a plain scalar that YAML 1.1 and 1.2 both read as this float: ``.inf``,
    ``-.inf``, ``.nan``, and a mantissa with a dot before a signed exponent (``1.0e+16``;
    YAML 1.1 reads ``1e+16`` as a string)."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"
    return text


# stacks repeat most strings (conditions, durations, restart policies, label values)
@lru_cache(maxsize=1 << 16)
def _quote_text(value: str) -> str:
    return double_quoted(value) if needs_quotes(value) else value


#: :func:`quote` of a ``str`` (exactly ``str``, not a subclass), without its type checks
quote_text = _quote_text


# Characters a YAML stream may hold raw (YAML 1.1 and 1.2 "c-printable"), minus the ones a
# double-quoted scalar folds as line breaks (NEL, LS, PS) and the BOM, which readers treat
# apart: everything else is written as an escape.
_RAW_OK = "[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"


@cache
def _raw_ok() -> re.Pattern[str]:
    # compiled when a text outside ASCII is first quoted (its ranges cost ~5 ms to compile,
    # a tenth of a small render's own work)
    return re.compile(_RAW_OK)


def double_quoted(text: str) -> str:
    r"""``text`` as a YAML double-quoted scalar on one line that reads back as exactly ``text``
    under YAML 1.1 (PyYAML) and 1.2 (ruamel.yaml, Go yaml.v3).

    JSON string syntax is a subset of YAML's double-quoted style; on top of it every character
    YAML may not hold raw (C0/C1 controls, DEL, U+FFFE/U+FFFF), would fold as a line break
    (NEL, LINE and PARAGRAPH SEPARATOR) or treats as a byte order mark is escaped as
    ``\xXX``, ``\uXXXX`` or ``\UXXXXXXXX`` (YAML 1.2 section 5.7, escaped characters).

    Args:
        text: any string.

    Returns:
        The quoted scalar, e.g. ``"a\tb"`` for a tab between a and b.
    """
    dumped = json.dumps(text, ensure_ascii=False)
    # json escapes the C0 controls, quotes and backslashes: of ASCII only DEL is left
    if dumped.isascii() and "\x7f" not in dumped:
        return dumped
    raw_ok = _raw_ok().match
    out = []
    for ch in dumped:
        if raw_ok(ch):
            out.append(ch)
            continue
        code = ord(ch)
        out.append(
            f"\\x{code:02x}"
            if code <= 0xFF
            else f"\\u{code:04x}"
            if code <= 0xFFFF
            else f"\\U{code:08x}"
        )
    return "".join(out)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


def escape_all(text: str) -> str:
    """Escape every ``$`` as ``$$`` (container-side text: healthcheck, command, file content).

    Returns:
        ``text`` with each ``$`` doubled; compose reads it back as ``text``.
    """
    return text.replace("$", "$$")


def escape_literal(text: str) -> str:
    """Escape every ``$`` except those starting a braced compose reference.

    Kept for compose to interpolate (compose spec "Interpolation"): ``${NAME}``,
    ``${NAME:-default}``, ``${NAME-default}``, ``${NAME:?error}``, ``${NAME?error}``,
    ``${NAME:+alt}``, ``${NAME+alt}``. Compose interpolates a default/error/alt text again,
    so it is escaped by the same rule (``${A:-pa$word}`` → ``${A:-pa$$word}``, nested
    references kept). Every other ``$`` is literal and doubled: an unbraced ``$NAME``
    (``pa$word``, bcrypt's ``$2a$08$…``), ``$$``, an unclosed ``${`` or a malformed one.

    Args:
        text: a value as written in the profile.

    Returns:
        The compose text; replacing each ``$$`` by ``$`` gives back ``text``.
    """
    if "$" not in text:  # most values
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        j = text.find("$", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        reference = braced_reference(text, j)
        if reference is None:
            out.append("$$")
            i = j + 1
            continue
        head, arg, end = reference
        out.append(head + escape_literal(arg) + "}")
        i = end
    return "".join(out)


def braced_reference(text: str, start: int) -> tuple[str, str, int] | None:
    """The braced reference at ``text[start]`` (a ``$``) as (``${NAME`` plus operator,
    argument, index after the closing brace), or None when there is none."""
    if not text.startswith("${", start):
        return None
    name = _NAME.match(text, start + 2)
    if name is None:
        return None
    pos = name.end()
    operator = next((op for op in _OPERATORS if text.startswith(op, pos)), "")
    if not operator and not text.startswith("}", pos):
        return None
    close = closing_brace(text, pos + len(operator))
    if close < 0 or (not operator and close != pos):
        return None
    return text[start : pos + len(operator)], text[pos + len(operator) : close], close + 1


def closing_brace(text: str, pos: int) -> int:
    """Index of the ``}`` closing a ``${`` opened before ``pos`` (nested ``${…}`` skipped),
    or -1 when it is not closed."""
    depth = 1
    while pos < len(text):
        if text.startswith("${", pos):
            depth += 1
            pos += 2
            continue
        if text[pos] == "}":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return -1
