"""Compose short port syntax: ``[HOST_IP:][PUBLISHED[-END]:]TARGET[-END][/PROTOCOL]``.

Source: compose spec, services "ports" (short syntax). ``${VAR}`` / ``${VAR:-default}`` may
stand for the host IP or the published port; it is kept whole, since compose interpolates it
at ``up`` time.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

_VAR = r"\$\{[^}]*\}"
_RANGE = r"\d+(?:-\d+)?"
_SHORT = re.compile(
    rf"""^(?:(?P<ip>\[[^\]]+\]|[0-9.]+|{_VAR}):(?=[^:]*:))?  # host IP, only before published
    (?:(?P<published>{_RANGE}|{_VAR})?:)?
    (?P<target>{_RANGE})
    (?:/(?P<protocol>tcp|udp|sctp))?$""",
    re.VERBOSE,
)


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

    Raises:
        ValueError: not the compose syntax, a port outside 1-65535, a bad host IP, or ranges of
            different lengths.
    """
    if isinstance(spec, bool):
        raise ValueError(f"not a port: {spec!r}")
    if isinstance(spec, int):
        spec = f"{spec}:{spec}"
    m = _SHORT.match(spec.strip())
    if not m:
        raise ValueError(
            f"{spec!r} is not a port mapping ([HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL], "
            "e.g. 8080:80 or 127.0.0.1:8080:80/tcp)"
        )
    ip = m.group("ip")
    if ip and not ip.startswith("$"):
        ip = ip.strip("[]")
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise ValueError(f"{spec!r}: {ip!r} is not an IP address") from None
    port = PortSpec(ip, m.group("published"), m.group("target"), m.group("protocol") or "tcp")
    for part in (port.published, port.target):
        if part and not part.startswith("$"):
            numbers = [int(n) for n in part.split("-")]
            if any(not 1 <= n <= 65535 for n in numbers) or numbers != sorted(numbers):
                raise ValueError(f"{spec!r}: ports must be 1-65535 (ranges low-high)")
    published, target = port.published_ports(), port.target_ports()
    # a host range may serve one container port (docker picks one), else lengths must match
    if len(target) > 1 and published and len(published) != len(target):
        raise ValueError(f"{spec!r}: published and target ranges differ in length")
    return port
