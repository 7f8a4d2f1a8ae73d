"""Short-syntax ports as Docker Compose v2 reads them, to refuse exactly what it refuses.

stackgen's own reader (:func:`stackgen.compose.ports.parse_port`) is stricter on purpose
(profile ports are 1-65535, protocols lower case); a compose file that ``check``, ``diff`` or
``import`` reads must instead be refused only where ``docker compose config`` refuses it.
Compose v2.40 reads ``"[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]"`` with docker/go-connections
v0.6.0 ``nat.ParsePortSpec``; the rules below are written from that function's behaviour
(split on ``:`` from the right, ``/`` once, ports as Go ``strconv.ParseUint(s, 10, 16)``,
ranges split on ``-`` reading the first two parts), and compose-go then refuses a target
port 0. ``tests/hardening/test_port_rules.py`` compares them with the real binary.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..yamlio.nodes import Path_

_DIGITS = frozenset("0123456789")
_PROTOCOLS = frozenset({"tcp", "udp", "sctp"})


def _port_number(text: str) -> int | None:
    """Go's ``strconv.ParseUint(text, 10, 16)``: ASCII digits only (no sign, no space, no
    underscore), at most 65535; None when it refuses."""
    if not text or not _DIGITS.issuperset(text):
        return None
    value = int(text)
    return value if value <= 65535 else None


def _port_range(text: str) -> tuple[int, int] | None:
    """go-connections v0.6.0 ``ParsePortRange``: ``N`` or ``LOW-HIGH`` (parts past the
    second are ignored, as there), low ≤ high; None when it refuses."""
    if "-" not in text:
        number = _port_number(text)
        return None if number is None else (number, number)
    parts = text.split("-")
    low, high = _port_number(parts[0]), _port_number(parts[1])
    if low is None or high is None or high < low:
        return None
    return low, high


def _ip_error(ip: str) -> str | None:
    """Go's ``net.ParseIP`` after go-connections strips IPv6 brackets; None when accepted."""
    if ip.startswith("["):
        inner = ip[1:-1] if ip.endswith("]") else None
        if inner is None or "[" in inner or "]" in inner:
            return f"invalid IP address {ip}"
        ip = inner
    return None if not ip or _is_ip(ip) else f"invalid IP address: {ip}"


def _is_ip(text: str) -> bool:
    """Whether Go's ``net.ParseIP`` reads ``text`` (no brackets, not empty; Go knows no IPv6
    zone such as fe80::1%eth0, which Python's reader accepts)."""
    if not text or "%" in text:
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)  # a stack repeats its ports
def port_error(spec: str) -> str | None:
    """Why Docker Compose v2 refuses the short-syntax port ``spec`` (its own words, e.g.
    ``invalid hostPort: 99999``), or None when it reads it. ``spec`` holds no ``$``
    (interpolation comes first; the caller leaves such text alone)."""
    parts = spec.split(":")
    if len(parts) == 1:
        ip, published, target = "", "", parts[0]
    elif len(parts) == 2:
        ip, published, target = "", parts[0], parts[1]
    else:
        ip, published, target = ":".join(parts[:-2]), parts[-2], parts[-1]
    target, slash, protocol = target.partition("/")
    if not target:
        protocol = ""
    elif not slash or not protocol:
        protocol = "tcp"
    if protocol.lower() not in _PROTOCOLS:
        return f"invalid proto: {protocol}"
    if ip and (problem := _ip_error(ip)) is not None:
        return problem
    if not target:
        return f"no port specified: {spec}<empty>"
    targets = _port_range(target)
    if targets is None:
        return f"invalid containerPort: {target}"
    if published:
        hosts = _port_range(published)
        if hosts is None:
            return f"invalid hostPort: {published}"
        if targets[1] - targets[0] != hosts[1] - hosts[0] and targets[0] != targets[1]:
            return (
                f"invalid ranges specified for container and host Ports: {target} and {published}"
            )
    if targets[0] == 0:
        return "is missing a target port"  # compose-go, after the parse
    return None


def port_errors(data: Any) -> list[tuple[Path_, str]]:
    """``(path, message)`` for every short-syntax entry of a service's ``ports`` (text, or an
    integer as compose turns it into text) that Docker Compose v2 refuses, and every number
    with a fraction there (compose refuses the type), and every long-syntax ``host_ip`` that
    is not an IP address, in document order. Text holding ``$`` is left to interpolation;
    the rest of a long-syntax mapping to the schema."""
    found: list[tuple[Path_, str]] = []
    services = data.get("services") if isinstance(data, Mapping) else None
    if not isinstance(services, Mapping):
        return found
    for name, service in services.items():
        ports = service.get("ports") if isinstance(service, Mapping) else None
        if not isinstance(ports, list):
            continue
        for index, item in enumerate(ports):
            if isinstance(item, Mapping):
                host_ip = item.get("host_ip")
                if isinstance(host_ip, str) and "$" not in host_ip and not _is_ip(host_ip):
                    found.append(
                        (
                            ("services", name, "ports", index, "host_ip"),
                            f"{host_ip!r} is not an IP address docker compose reads (no "
                            "brackets in the long syntax), e.g. 127.0.0.1 or ::1",
                        )
                    )
                continue
            if isinstance(item, float):  # compose-go reads a port from text or an integer
                problem: str | None = "invalid type float64 for port"
                text = repr(item)
            elif isinstance(item, bool) or not isinstance(item, int | str):
                continue
            elif "$" in (text := str(item)):
                continue
            else:
                problem = port_error(text)
            if problem is not None:
                # compose's reason without the part of the value it quotes (the value is
                # quoted whole, where the CLI's masking sees it whole)
                reason = problem.split(":")[0].split(" [")[0]
                found.append(
                    (
                        ("services", name, "ports", index),
                        f"{text!r} is not a port docker compose reads ({reason}); "
                        "use [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL], e.g. 8080:80",
                    )
                )
    return found
