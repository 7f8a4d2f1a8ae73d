"""Compose short port syntax: ``[HOST_IP:][PUBLISHED[-END]:]TARGET[-END][/PROTOCOL]``.

Source: compose spec, services "ports" (short syntax). ``${VAR}`` / ``${VAR:-default}`` may
stand for the host IP or the published port; it is kept whole, since compose interpolates it
at ``up`` time.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from .syntax import split_outside

_RANGE = re.compile(r"\d+(?:-\d+)?")


@dataclass(frozen=True)
class PortSpec:
    """One parsed port mapping (strings as written; ranges as ``a-b``).

    Attributes:
        host_ip: the host address (brackets stripped for IPv6), or None for all.
        published: the host port or range, or None when only the target is given.
        target: the container port or range.
        protocol: ``tcp`` (default), ``udp`` or ``sctp``.
    """

    host_ip: str | None
    published: str | None
    target: str
    protocol: str = "tcp"

    def published_ports(self) -> list[int]:
        """The host ports this mapping binds (empty when unpublished or interpolated)."""
        return _expand(self.published) if self.published else []

    def target_ports(self) -> list[int]:
        """The container ports this mapping serves."""
        return _expand(self.target)


def _expand(text: str) -> list[int]:
    lo, _, hi = text.partition("-")
    if not lo.isdigit() or (hi and not hi.isdigit()):
        return []
    return list(range(int(lo), int(hi or lo) + 1))


def parse_port(spec: int | str) -> PortSpec:
    """Parse one short-syntax port (an int N means ``N:N``).

    ``${…}`` is one token wherever it stands (compose interpolates before it splits), and a
    bracketed IPv6 host address is one token too.

    Raises:
        ValueError: not the compose syntax, a port outside 1-65535, a bad host IP or protocol,
            or ranges of different lengths.
    """
    if isinstance(spec, bool):
        raise ValueError(f"not a port: {spec!r}")
    label = repr(spec) if isinstance(spec, str) else str(spec)  # as written, in messages
    if isinstance(spec, int):
        spec = f"{spec}:{spec}"
    text, protocol = spec.strip(), "tcp"
    slashes = split_outside(text, "/", brackets=True)
    if len(slashes) == 2:
        text, protocol = slashes
    parts = split_outside(text, ":", brackets=True)
    usage = (
        f"{label} is not a port mapping ([HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL], "
        "e.g. 8080:80 or 127.0.0.1:8080:80/tcp)"
    )
    if len(slashes) > 2 or len(parts) > 3:
        raise ValueError(usage)
    if protocol not in ("tcp", "udp", "sctp"):
        raise ValueError(f"{label}: protocol {protocol!r} is not tcp, udp or sctp")
    if len(parts) == 2 and parts[0].startswith("["):
        parts.insert(1, "")  # "[::1]:80": a bracketed address is a host IP, never a port
    ip = parts[0] if len(parts) == 3 else None
    published = (parts[-2] if len(parts) > 1 else "") or None
    target = parts[-1]
    if ip is not None and not _is_var(ip):
        ip = ip.strip("[]") or None
        if ip is not None:
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                raise ValueError(f"{label}: {ip!r} is not an IP address") from None
    for part in (published, target):
        if part is None or _is_var(part):
            continue
        if not _RANGE.fullmatch(part):
            raise ValueError(usage)
        numbers = [int(n) for n in part.split("-")]
        if any(not 1 <= n <= 65535 for n in numbers) or numbers != sorted(numbers):
            raise ValueError(f"{label}: ports must be 1-65535 (ranges low-high)")
    port = PortSpec(ip, published, target, protocol)
    published_ports, target_ports = port.published_ports(), port.target_ports()
    # a host range may serve one container port (docker picks one), else lengths must match
    if len(target_ports) > 1 and published_ports and len(published_ports) != len(target_ports):
        raise ValueError(f"{label}: published and target ranges differ in length")
    return port


def _is_var(text: str) -> bool:
    return text.startswith("${") or text.startswith("$")
