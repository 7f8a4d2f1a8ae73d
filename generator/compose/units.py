"""Durations and byte sizes as compose reads them (compose spec, "Extension" of value types).

Durations: ``{value}{unit}`` groups with units ``us``, ``ms``, ``s``, ``m``, ``h``
(e.g. ``1m30s``), or a bare number of seconds. Sizes: ``{amount}{unit}`` with ``b``, ``k``,
``m``, ``g`` (optionally ``kb``/``mb``/``gb``, and the IEC forms ``KiB``/``MiB``/``GiB``
accepted in profiles); all binary multiples (1k = 1024 bytes), as docker does.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..yamlio.nodes import describe
from .goparse import INT64_MAX, compose_size

# ASCII digits only, no whitespace anywhere (compose reads both with Go's strconv and
# go-units, which know no other digits); one regular expression each, without nested
# repetition, so a match is linear in the length of the text
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)")
_DURATION_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(?:([kmgt])(?:b|ib)?|b)?", re.IGNORECASE)
# stackgen's own size fields (converted to bytes before anything is written) also take the
# Kubernetes forms Ki, Mi, Gi, Ti
_PROFILE_SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(?:([kmgt])(?:b|ib|i)?|b)?", re.IGNORECASE)
#: Longest duration or size text read (``1h30m15s500ms`` is 13): longer text is refused
#: before any parsing.
MAX_TEXT = 64
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
#: The accepted forms, as error messages name them.
DURATION_FORMS = (
    "numbers with units us, ms, s, m, h, e.g. 30s, 1m30s or 500ms, or a number of seconds, "
    "in ASCII digits with no spaces"
)
SIZE_FORMS = (
    "a number with unit b, k, m, g, kb, mb, gb, KiB, MiB or GiB, e.g. 512m or 1GiB, or a "
    "number of bytes, in ASCII digits with no spaces"
)


def parse_duration(value: str | int | float) -> float:
    """Seconds in a compose duration.

    Args:
        value: ``"1m30s"``, ``"500ms"``, or a number of seconds.

    Returns:
        The duration in seconds (float).

    Raises:
        ValueError: not a duration.
    """
    # text is memoised: a stack repeats a few durations thousands of times, and diff parses
    # each one twice (schema check, normalisation)
    return _duration_of_text(value) if type(value) is str else _duration(value)


def _duration(value: str | int | float) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        # a profile may hold anything here (a list, a mapping): refuse it, never crash on it
        raise ValueError(f"not a duration: {describe(value)}; use {DURATION_FORMS}")
    if isinstance(value, int | float):
        if not _finite(value) or value < 0:
            raise ValueError(f"not a duration: {value!r} (a finite number of seconds, 0 or more)")
        return _bounded(value, value)
    text = value
    if len(text) > MAX_TEXT:
        raise ValueError(f"not a duration: {len(text)} characters, more than {MAX_TEXT}")
    if _SECONDS.fullmatch(text):
        return _bounded(float(text), value)
    pos, total = 0, 0.0
    while pos < len(text):
        # match() anchors at pos: each part is read once, left to right
        m = _DURATION_PART.match(text, pos)
        if m is None:
            break
        total += float(m.group(1)) * _DURATION_UNITS[m.group(2)]
        pos = m.end()
    if pos != len(text) or not text:
        raise ValueError(f"not a duration: {value!r}; use {DURATION_FORMS}")
    return _bounded(total, value)


#: the longest duration docker compose reads: Go's int64 nanoseconds, 2562047h47m16.854775807s
MAX_DURATION_SECONDS = INT64_MAX / 1e9


def _bounded(seconds: float, value: str | int | float) -> float:
    """``seconds`` (as a float), or ValueError when docker compose could not read it back
    (longer than :data:`MAX_DURATION_SECONDS`: Go refuses ``invalid duration``). Compared
    before it is made a float: an integer of hundreds of digits has no float."""
    if seconds > MAX_DURATION_SECONDS:
        raise ValueError(
            f"not a duration: {value!r} is longer than docker compose reads "
            "(2562047h47m16s, Go's largest duration)"
        )
    return float(seconds)


def _finite(number: int | float) -> bool:
    # every int is finite; math.isfinite would convert it to a float, which an int of
    # hundreds of digits overflows (OverflowError)
    return type(number) is int or math.isfinite(number)


#: the largest size docker compose reads: Go's int64 bytes
MAX_SIZE_BYTES = INT64_MAX


def _bounded_size(size: int | float, value: str | int | float) -> int:
    """``size`` as whole bytes, or ValueError when it is more than docker compose reads
    (:data:`MAX_SIZE_BYTES`; an infinite product of a huge number and its unit too)."""
    if not _finite(size) or size > MAX_SIZE_BYTES:
        shown = value if type(value) is str or len(str(value)) <= 40 else f"{str(value)[:20]}…"
        raise ValueError(
            f"not a size: {shown!r} is more than docker compose reads "
            f"({MAX_SIZE_BYTES} bytes, Go's largest integer)"
        )
    return int(size)


def format_duration(seconds: float) -> str:
    """Shortest compose duration text for ``seconds`` (``90`` → ``1m30s``, ``0.5`` → ``500ms``)."""
    ms = round(seconds * 1000)
    if ms % 1000:
        return f"{ms}ms"
    s = ms // 1000
    parts = []
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        if s >= size:
            parts.append(f"{s // size}{unit}")
            s %= size
    return "".join(parts) or "0s"


def parse_size(value: str | int | float, *, profile: bool = False) -> int:
    """Bytes in a size.

    Args:
        value: ``"512MiB"``, ``"1GiB"``, ``"1g"``, ``"1024m"``, ``"2048"``, or a number of
            bytes (a float is truncated, as compose does when it converts it).

        profile: a size stackgen converts itself (a profile's ``resources.memory``, Kafka
            retention), which also takes ``Ki``/``Mi``/``Gi``/``Ti``; compose (go-units) does
            not, so a size written to or read from a compose file does not either.

    Returns:
        Size in bytes (int).

    Raises:
        ValueError: not a size.
    """
    return _size_of_text(value, profile) if type(value) is str else _size(value, profile)


def _size(value: str | int | float, profile: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"not a size: {describe(value)}; use {SIZE_FORMS}")
    if isinstance(value, int | float):
        if not _finite(value) or value < 0:
            raise ValueError(f"not a size: {value!r} (a number of bytes, 0 or more)")
        return _bounded_size(value, value)
    if len(value) > MAX_TEXT:
        raise ValueError(f"not a size: {len(value)} characters, more than {MAX_TEXT}")
    m = (_PROFILE_SIZE if profile else _SIZE).fullmatch(value)
    if not m:
        # every other spelling go-units reads (1.5e3m, .5g, 5 m, 0x1p4m): as compose reads it
        try:
            size = compose_size(value)
        except ValueError:
            raise ValueError(f"not a size: {value!r}; use {SIZE_FORMS}") from None
        return _bounded_size(size, value)
    number, unit = float(m.group(1)), (m.group(2) or "").lower()
    return _bounded_size(number * _SIZE_UNITS[unit], value)


def format_size(size: int) -> str:
    """Compose size text in the largest exact unit (``1073741824`` → ``1g``)."""
    for unit in ("t", "g", "m", "k"):
        mult = _SIZE_UNITS[unit]
        if size >= mult and size % mult == 0:
            # compose's units stop at g; 1t is written 1024g
            if unit == "t":
                return f"{size // _SIZE_UNITS['g']}g"
            return f"{size // mult}{unit}"
    return f"{size}b"


_duration_of_text = lru_cache(maxsize=4096)(_duration)
_size_of_text = lru_cache(maxsize=4096)(_size)
