"""Compose short port syntax: ``[HOST_IP:][PUBLISHED[-END]:]TARGET[-END][/PROTOCOL]``.

Source: compose spec, services "ports" (short syntax). ``${VAR}`` / ``${VAR:-default}`` may
stand for the host IP or the published port; it is kept whole, since compose interpolates it
at ``up`` time.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..yamlio.nodes import describe
from .syntax import is_reference, split_outside

# ASCII digits only (compose reads ports with Go's strconv, which knows no other digits);
# five at most, so a port number is never a long conversion
_RANGE = re.compile(r"[0-9]{1,5}(?:-[0-9]{1,5})?")
# \s of a str pattern is str.isspace's set (both Py_UNICODE_ISSPACE): one search, no loop
_SPACE = re.compile(r"\s")
#: The accepted forms, as error messages name them.
PORT_FORMS = (
    "[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL] in ASCII digits with no spaces, e.g. 8080:80 or "
    "127.0.0.1:8080:80/tcp; a variable only braced, as a whole part: ${PORT}:80"
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
    if not _RANGE.fullmatch(text):
        return []
    lo, _, hi = text.partition("-")
    return list(range(int(lo), int(hi or lo) + 1))


def parse_port(spec: Any, *, compose_file: bool = False) -> PortSpec:
    """Parse one port: short syntax (an int N means ``N:N``) or a long-syntax mapping.

    ``${…}`` is one token wherever it stands (compose interpolates before it splits), and a
    bracketed IPv6 host address is one token too. Numbers are ASCII digits; no whitespace;
    ``$`` only as a braced reference that is a whole part (``$PORT`` is refused: stackgen
    writes it as literal text, which compose then cannot read as a port). Linear in the
    length of the text.

    Args:
        spec: an int, a short-syntax string, or a mapping with ``target`` and optionally
            ``published``, ``host_ip``, ``protocol`` (compose spec "ports", long syntax).
        compose_file: ``spec`` comes from a compose file, where an unbraced ``$NAME`` is a
            reference too (in a profile it is literal text), the protocol is read in any
            case (``53/UDP``) and host port 0 (any free port) is accepted, as compose reads
            them (:mod:`stackgen.compose.port_rules`).

    Raises:
        ValueError: not the compose syntax (the message names :data:`PORT_FORMS`), a port
            outside 1-65535, a bad host IP or protocol, or ranges of different lengths.
    """
    if isinstance(spec, Mapping):
        return _long_syntax(spec, compose_file)
    if isinstance(spec, bool) or not isinstance(spec, int | str):
        raise ValueError(f"not a port: {describe(spec)}; use {PORT_FORMS}")
    return _short_syntax(spec, compose_file)


# the planner, its checks and several rules each read every port of a stack (True, which
# would share 1's entry, is refused above)
@lru_cache(maxsize=1 << 16)
def _short_syntax(spec: int | str, compose_file: bool) -> PortSpec:
    """:func:`parse_port` of an int or a short-syntax string (a frozen result: shared)."""
    label = repr(spec) if isinstance(spec, str) else str(spec)  # as written, in messages
    if isinstance(spec, int):
        spec = f"{spec}:{spec}"
    if _SPACE.search(spec):
        raise ValueError(f"{label} holds whitespace; use {PORT_FORMS}")
    text, protocol = spec, "tcp"
    slashes = split_outside(text, "/", brackets=True)
    if len(slashes) == 2:
        text, protocol = slashes
        if compose_file:
            protocol = protocol.lower()  # compose reads 53/UDP as udp (go-connections)
    parts = split_outside(text, ":", brackets=True)
    usage = f"{label} is not a port mapping ({PORT_FORMS})"
    if len(slashes) > 2 or len(parts) > 3:
        raise ValueError(usage)
    if protocol not in ("tcp", "udp", "sctp"):
        raise ValueError(f"{label}: protocol {protocol!r} is not tcp, udp or sctp")
    if len(parts) == 2 and parts[0].startswith("["):
        parts.insert(1, "")  # "[::1]:80": a bracketed address is a host IP, never a port
    ip = parts[0] if len(parts) == 3 else None
    published = (parts[-2] if len(parts) > 1 else "") or None
    target = parts[-1]
    if ip is not None and not _is_var(ip, compose_file):
        ip = ip.strip("[]") or None
        if ip is not None and not _is_ip(ip):
            raise ValueError(f"{label}: {ip!r} is not an IP address")
    for part in (published, target):
        if part is None or _is_var(part, compose_file):
            continue
        if not _RANGE.fullmatch(part):
            raise ValueError(usage)
        numbers = [int(n) for n in part.split("-")]
        # in a compose file, host port 0 asks docker for any free port, as compose reads it
        low = 0 if compose_file and part is published and len(numbers) == 1 else 1
        if any(not low <= n <= 65535 for n in numbers) or numbers != sorted(numbers):
            raise ValueError(f"{label}: ports must be 1-65535 (ranges low-high)")
    port = PortSpec(ip, published, target, protocol)
    published_ports, target_ports = port.published_ports(), port.target_ports()
    # a host range may serve one container port (docker picks one), else lengths must match
    if len(target_ports) > 1 and published_ports and len(published_ports) != len(target_ports):
        raise ValueError(f"{label}: published and target ranges differ in length")
    return port


@lru_cache(maxsize=1 << 10)
def _is_ip(text: str) -> bool:
    """Whether ``text`` is an IPv4 or IPv6 address (a stack binds its ports on a few)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _long_syntax(spec: Mapping[Any, Any], compose_file: bool) -> PortSpec:
    """A long-syntax port mapping checked by the short-syntax rules of each field."""
    target, published = spec.get("target"), spec.get("published")
    host_ip, protocol = spec.get("host_ip"), spec.get("protocol", "tcp")
    parts = []
    for name, value in (("host_ip", host_ip), ("published", published), ("target", target)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"{name}: {describe(value)} is not a port ({PORT_FORMS})")
        text = str(value)
        if name != "host_ip" and not (_RANGE.fullmatch(text) or _is_var(text, compose_file)):
            raise ValueError(
                f"{name}: {value!r} is not a port or range in ASCII digits (e.g. 8080 or "
                "8000-8010, or a braced ${VAR})"
            )
        if name == "host_ip" and ":" in text and not text.startswith(("[", "$")):
            text = f"[{text}]"  # an IPv6 address, bracketed as in short syntax
        parts.append(text)
    if target is None:
        raise ValueError(f"a long-syntax port needs a target ({PORT_FORMS})")
    if not isinstance(protocol, str):
        raise ValueError(f"protocol: {protocol!r} is not tcp, udp or sctp")
    if published is None and host_ip is not None:
        parts.insert(1, "")
    return parse_port(":".join(parts) + f"/{protocol}", compose_file=compose_file)


_UNBRACED = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*")


def _is_var(text: str, compose_file: bool = False) -> bool:
    """Whether ``text`` is one whole braced reference (``${PORT}``, ``${PORT:-8080}``), or in
    a compose file an unbraced one (``$PORT``); in a profile an unbraced ``$`` is literal
    text, refused as a port."""
    return is_reference(text) or (compose_file and bool(_UNBRACED.fullmatch(text)))
