"""Compose values → the records the Kubernetes target reads (:mod:`.view`).

The typed model carries some values as compose text: keys a service gives under ``verbatim``
and compose keys it passes through that the model does not describe (a profile's own
``deploy`` block, a healthcheck ``test`` the probe record cannot hold). This module reads
them the way ``docker compose`` does: structure through the diff's canonical form (long-syntax
ports and volumes, healthcheck ``test`` lists; compose spec), each value through compose
interpolation (``$$`` is a literal ``$``, ``${NAME…}`` and ``$NAME`` are references: compose
spec "Interpolation").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

from ...compose.units import parse_duration, parse_size
from ...yamlio.scalars import closing_brace
from .view import (
    Port,
    Probe,
    Ref,
    Resources,
    Text,
)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(r"[0-9]+")
_HTTP_SHORTHAND = (("wget", "-q", "--spider"), ("curl", "-fsS", "-o", "/dev/null"))


def interpolated(text: str) -> Text:
    """Compose text → literal parts and references (compose spec "Interpolation").

    ``$$`` is a literal ``$``; ``${NAME}``, ``${NAME-d}``, ``${NAME:-d}`` (default ``d``),
    ``${NAME?e}``/``${NAME:?e}``/``${NAME+a}``/``${NAME:+a}`` (no default) and ``$NAME`` are
    references; any other ``$`` is literal.
    """
    parts: list[str | Ref] = []
    buf: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "$":
            buf.append(ch)
            i += 1
            continue
        if text.startswith("$$", i):
            buf.append("$")
            i += 2
            continue
        ref, end = _reference(text, i)
        if ref is None:
            buf.append("$")
            i += 1
            continue
        if buf:
            parts.append("".join(buf))
            buf = []
        parts.append(ref)
        i = end
    if buf or not parts:
        parts.append("".join(buf))
    return tuple(parts)


def _reference(text: str, start: int) -> tuple[Ref | None, int]:
    if text.startswith("${", start):
        m = _NAME.match(text, start + 2)
        if m is None:
            return None, start
        pos = m.end()
        close = closing_brace(text, pos)
        if close < 0:
            return None, start
        op_arg = text[pos:close]
        default: str | None = None
        for op in (":-", "-"):
            if op_arg.startswith(op):
                arg = interpolated(op_arg[len(op) :])
                default = "".join(p if isinstance(p, str) else "" for p in arg)
                break
        return Ref(m.group(0), default), close + 1
    m = _NAME.match(text, start + 1)
    if m is None:
        return None, start
    return Ref(m.group(0)), m.end()


def _literal(value: Any) -> str:
    """A compose value that is container-side text: ``$$`` → ``$`` (references kept as
    written: the container's shell reads them)."""
    return str(value).replace("$$", "$")


def probe_of(hc: dict[str, Any]) -> Probe | None:
    """A compose ``healthcheck`` mapping (``test`` list, timings as durations or seconds)
    as a :class:`Probe`; the ``http:``/``tcp:`` shorthands' tests are recognised."""
    test = hc.get("test")
    if not isinstance(test, list) or not test or test[0] == "NONE":
        return None
    head, args = test[0], [_literal(a) for a in test[1:]]
    timing = {
        "interval": parse_duration(hc.get("interval", "30s")),
        "timeout": parse_duration(hc.get("timeout", "30s")),
        "retries": int(hc.get("retries", 3)),
        "start_period": parse_duration(hc.get("start_period", "0s")),
    }
    if head == "CMD-SHELL":
        return Probe(shell=args[0] if args else "", **timing)  # type: ignore[arg-type]
    for shorthand in _HTTP_SHORTHAND:
        if tuple(args[:-1]) == shorthand and len(args) == len(shorthand) + 1:
            return Probe(http_url=args[-1], argv=tuple(args), **timing)  # type: ignore[arg-type]
    if len(args) == 4 and args[:3] == ["nc", "-z", "127.0.0.1"] and _DIGITS.fullmatch(args[3]):
        return Probe(tcp_port=int(args[3]), **timing)  # type: ignore[arg-type]
    return Probe(argv=tuple(args), **timing)  # type: ignore[arg-type]


def ports_of(body: dict[str, Any], listens: tuple[int, ...]) -> tuple[Port, ...]:
    """The ports of a canonical compose service body (``ports`` in long syntax, ``expose``),
    plus ``listens`` (container ports the image listens on), one per (port, protocol)."""
    out: dict[tuple[int, str], Port] = {}
    for entry in body.get("ports", []):
        target = entry.get("target")
        if not isinstance(target, int):
            continue
        protocol = cast(Literal["TCP", "UDP", "SCTP"], str(entry.get("protocol", "tcp")).upper())
        published = entry.get("published")
        number = (
            int(published) if isinstance(published, str) and _DIGITS.fullmatch(published) else None
        )
        out.setdefault((target, protocol), Port(target, protocol, number, entry.get("host_ip")))
    for item in body.get("expose", []):
        digits, _, proto = str(item).partition("/")
        if _DIGITS.fullmatch(digits):
            protocol = cast(Literal["TCP", "UDP", "SCTP"], (proto or "tcp").upper())
            out.setdefault((int(digits), protocol), Port(int(digits), protocol))
    for number in listens:  # what the catalog image listens on, published or not
        out.setdefault((number, "TCP"), Port(number))
    return tuple(out.values())


def resources_of(body: dict[str, Any]) -> Resources:
    """The ``deploy.resources`` of a compose service body in bytes and CPUs.

    Raises:
        ValueError: a size or CPU count that is not a literal value (a ``${VAR}``).
    """
    res = ((body.get("deploy") or {}).get("resources")) or {}
    limits, reservations = res.get("limits") or {}, res.get("reservations") or {}

    def size(value: Any) -> int | None:
        return None if value is None else parse_size(value)

    def cpus(value: Any) -> float | None:
        return None if value is None else float(value)

    return Resources(
        size(limits.get("memory")),
        cpus(limits.get("cpus")),
        size(reservations.get("memory")),
        cpus(reservations.get("cpus")),
    )


def report_text(value: Any) -> str:
    """A compose value as short text for the report."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {report_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(report_text(v) for v in value)
    return str(value).replace("$$", "$")


def argv_of(value: Any) -> tuple[Text, ...] | None:
    """A canonical compose ``command``/``entrypoint`` (a list) as words, None when absent."""
    if value is None:
        return None
    return tuple(interpolated(str(a)) for a in value)


_T = TypeVar("_T")


class UnmappableValue(ValueError):
    """A typed compose value (duration, size, number) that Kubernetes needs as a value but
    the plan holds as something else, typically a ``${VAR}`` reference: manifests have no
    interpolation. ``path`` is the service key in the profile (``("services", "web",
    "healthcheck")``)."""

    def __init__(self, path: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.path = path


def typed(name: str, key: str, convert: Callable[[], _T]) -> _T:
    """``convert()``, with a value it cannot read reported at ``services.NAME.KEY``."""
    try:
        return convert()
    except (ValueError, TypeError) as exc:
        raise UnmappableValue(
            ("services", name, key),
            f"{exc}; the kubernetes target needs a literal value here (manifests have no "
            "${VAR} interpolation): give one in the profile",
        ) from None
