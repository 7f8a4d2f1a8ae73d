"""Plain-scalar resolution: by the YAML 1.2 core schema (how stackgen reads a profile), by Go
``yaml.v3`` (how docker compose v2 reads a compose file) and by PyYAML's YAML 1.1 resolver (how
older tools read it)."""

from __future__ import annotations

import calendar
import re
from typing import Any

import yaml

from .limits import MAX_INT_DIGITS

_NULL = re.compile(r"^(?:~|null|Null|NULL|)\Z")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)\Z")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)\Z")
_INT10 = re.compile(r"^[-+]?[0-9]+\Z")
_INT8 = re.compile(r"^0o[0-7]+\Z")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)\Z")
# every non-string form above starts with one of these (or is empty): others skip the regexes
_NON_STRING_START = frozenset("~nNtTfF-+.0123456789")


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema.

    Args:
        text: the scalar's source text.

    Returns:
        None, bool, int, float or the text itself.

    Raises:
        ValueError: a decimal integer longer than :data:`MAX_INT_DIGITS` digits.
    """
    if text and text[0] not in _NON_STRING_START:
        return text
    if _NULL.match(text):
        return None
    if _BOOL_TRUE.match(text):
        return True
    if _BOOL_FALSE.match(text):
        return False
    if _INT10.match(text):
        digits = len(text) - (text[0] in "+-")
        if digits > MAX_INT_DIGITS:
            raise ValueError(
                f"an integer of {digits} digits is larger than the {MAX_INT_DIGITS} digits "
                "stackgen reads; quote it if it is text"
            )
        return int(text, 10)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


# Go yaml.v3 (resolve.go): these exact texts, then by first character: a digit or sign is
# tried as an integer (strconv.ParseInt/ParseUint, base 0: 0x, 0o, 0b and a leading 0 for
# octal, as YAML 1.1) then as a float; '.' as a float; anything else is a string
_GO_WORDS: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan")),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
}
_GO_INT = re.compile(
    r"([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]*)|([1-9][0-9]*))\Z"
)
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_GO_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")
# yaml.v3's timestamp layouts (resolve.go allowedTimestampFormats, read by Go's time.Parse:
# one- or two-digit month, day, hour, minute and second; any fraction; Z or ±hh:mm)
_GO_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})"
    r"| ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?)?\Z"
)


def is_go_timestamp(text: str) -> bool:
    """Whether Go yaml.v3 reads the plain scalar ``text`` as a timestamp (``2024-01-01``,
    ``2024-1-2T10:00:00Z``, ``2024-01-01 10:00:00``; a real date and time). :func:`resolve_plain_go`
    gives such text as a string; docker compose refuses it outside ``x-`` keys
    (``invalid jsonType time.Time``)."""
    m = _GO_TIMESTAMP.match(text)
    if not m:
        return False
    year, month, day = (int(g) for g in m.groups()[:3])
    hour, minute, second = (int(g or 0) for g in (m[4] or m[7], m[5] or m[8], m[6] or m[9]))
    if not (1 <= month <= 12 and hour < 24 and minute < 60 and second < 60):
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


_GO_NUMBER_START = frozenset("+-0123456789")
_INT64 = 1 << 63
#: the longest digit run an int64/uint64 can hold in base 8 (22 digits); longer: not an int
_GO_INT_DIGITS = 22


def resolve_plain_go(text: str) -> Any:
    """Resolve a plain (unquoted) scalar as Go ``yaml.v3`` does, which is how docker compose v2
    reads a compose file (gopkg.in/yaml.v3 ``resolve.go``): YAML 1.2 words for booleans and
    null (``yes``/``on`` are strings), but integers by Go's ``strconv.ParseInt(s, 0, 64)`` after
    removing ``_``: ``022`` is octal 18, ``0b101`` 5, ``1_000`` 1000; an integer outside int64
    and uint64 is read as a float; a float that overflows, and a timestamp
    (:func:`is_go_timestamp`), stay strings.

    Args:
        text: the scalar's source text.

    Returns:
        None, bool, int, float or the text itself.
    """
    if text in _GO_WORDS:
        return _GO_WORDS[text]
    first = text[0]
    if first == ".":
        return _go_float(text) if _GO_DOT_FLOAT.match(text) else text
    if first not in _GO_NUMBER_START:
        return text
    if is_go_timestamp(text):
        return text  # a string here; the loader notes where (Document.timestamps)
    plain = text.replace("_", "")
    m = _GO_INT.match(plain)
    if m:
        sign, hex_, bin_, oct_, old_oct, dec = m.groups()
        digits, base = next(
            (d, b)
            for d, b in ((hex_, 16), (bin_, 2), (oct_, 8), (old_oct, 8), (dec, 10), ("0", 10))
            if d is not None
        )
        if len(digits.lstrip("0")) <= _GO_INT_DIGITS:
            value = int(digits or "0", base)
            value = -value if sign == "-" else value
            # ParseInt: int64; else ParseUint (no sign): uint64
            if -_INT64 <= value < _INT64 or (not sign and value < 1 << 64):
                return value
    if _GO_FLOAT.match(plain):
        return _go_float(plain)
    return text


def _go_float(text: str) -> Any:
    """``strconv.ParseFloat``: an overflow is an error, so yaml.v3 keeps the text."""
    value = float(text)
    return text if value in (float("inf"), float("-inf")) else value


_RESOLVER_11 = yaml.resolver.Resolver()


def resolve_plain_11(text: str) -> str:
    """The tag PyYAML's YAML 1.1 resolver gives a plain scalar (``tag:yaml.org,2002:str``,
    ``…:bool``, ``…:int``, ``…:float``, ``…:null``, ``…:timestamp``, ``…:merge``, ``…:value``):
    how a YAML 1.1 reader (older compose, yamllint, Ansible) reads ``text`` written unquoted.
    """
    tag: str = _RESOLVER_11.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag
