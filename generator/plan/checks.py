"""Stack-wide checks of what the profile asks for: domains (routes), exposed and published
ports, and in-container ``localhost`` addresses."""

from __future__ import annotations

import re
from typing import Any

from ..catalog.kinds import KindDefaults
from ..compose.addresses import local_addresses
from ..compose.ports import parse_port
from ..profile.fields import is_hostname
from ..yamlio.nodes import Path_, dotted
from .context import PlanContext, did_you_mean
from .records import Route

#: kinds whose ports other services connect to (databases, caches, brokers, coordinators)
INFRA_KINDS = ("postgres", "redis", "zookeeper", "kafka", "clickhouse")


def container_ports(specs: list[int | str | dict[str, Any]]) -> set[int]:
    out: set[int] = set()
    for spec in specs:
        try:
            out.update(parse_port(spec).target_ports())
        except ValueError:
            pass  # reported where the service's ports are checked
    return out


def check_domains(ctx: PlanContext, defaults: dict[str, KindDefaults]) -> list[Route]:
    """The profile's ``domains`` as routes (host → service, port), each checked.

    A domain is a host name (RFC 1123 labels: letters, digits, ``-``; at most 63 characters
    each, 253 in all), so it can stand between the backticks of ``Host(`…`)`` unchanged;
    host names ignore case (RFC 4343), so two spellings of one name are one domain twice.
    """
    seen: dict[str, str] = {}
    routes: list[Route] = []
    for host, target in ctx.profile.domains.items():
        path: Path_ = ("domains", host)
        if not is_hostname(host):
            ctx.error(
                path,
                "is not a hostname Traefik's Host rule can match: dot-separated labels of "
                "letters, digits and inner '-', up to 63 characters each (international names "
                "in punycode, xn--…)",
            )
            continue
        if host.lower() in seen:
            ctx.error(path, f"is the domain {seen[host.lower()]!r} again (host names ignore case)")
            continue
        seen[host.lower()] = host
        svc_name, sep, port_text = target.rpartition(":")
        if not sep or not re.fullmatch(r"[0-9]{1,5}", port_text) or not svc_name:
            ctx.error(path, f"must be service:port, got {target!r}")
            continue
        if svc_name not in ctx.profile.services:
            known = ctx.profile.services
            ctx.error(path, f"names unknown service {svc_name!r}{did_you_mean(svc_name, known)}")
            continue
        svc = ctx.profile.services[svc_name]
        exposed = (
            set(defaults[svc_name].listens)
            | container_ports(list(svc.ports))
            | (container_ports([*svc.expose]))
        )
        port = int(port_text)
        if port not in exposed:
            listed = ", ".join(str(p) for p in sorted(exposed)) or "none"
            ctx.error(path, f"service {svc_name!r} does not expose port {port} (exposes: {listed})")
            continue
        routes.append(Route(host, svc_name, port))
    return routes


def check_expose(ctx: PlanContext) -> None:
    """``expose`` entries are container ports only: PORT[-PORT][/PROTOCOL] (compose spec
    "expose"), each 1-65535."""
    for name, svc in ctx.profile.services.items():
        for i, spec in enumerate(svc.expose):
            label = repr(spec) if isinstance(spec, str) else str(spec)
            if isinstance(spec, str) and ":" in spec:
                problem = f"{label} publishes a host port; expose takes container ports only"
            else:
                try:
                    parse_port(spec)
                    continue
                except ValueError as exc:
                    problem = str(exc)
                if "not a port mapping" in problem:
                    problem = (
                        f"{label} is not an exposed port (PORT[-PORT][/PROTOCOL], "
                        "e.g. 8080 or 9000-9001/udp)"
                    )
            ctx.error(("services", name, "expose", i), problem)


def check_host_ports(
    ctx: PlanContext, ports: dict[str, list[Any]], replicas: dict[str, int | None]
) -> None:
    """Each port is valid short syntax, and a host port (per protocol and host IP) is
    published once in the whole stack (compose spec "ports"; docker binds each once)."""
    # (host port, protocol) → host IP → where; indexed so 10,000 services stay linear
    seen: dict[tuple[int, str], dict[str, tuple[str, int]]] = {}
    for name, specs in ports.items():
        count = replicas[name]
        for i, spec in enumerate(specs):
            path: Path_ = ("services", name, "ports", i)
            own = ctx.profile.services[name].ports
            mine = own[i] if own and i < len(own) else spec
            # messages quote the profile's text (8080, not 8080:8080)
            written = spec if isinstance(mine, dict) and not isinstance(spec, dict) else mine
            try:
                port = parse_port(written)
            except ValueError as exc:
                ctx.error(path, str(exc))
                continue
            published = port.published_ports()
            if isinstance(count, int) and count > 1 and len(published) == 1:
                ctx.error(
                    path,
                    f"host port {published[0]} is published by a service with "
                    f"replicas: {count}; only one container can bind it",
                )
            ip = port.host_ip or "0.0.0.0"
            for number in published:
                # a wildcard bind clashes with every address, and every address with it
                bound = seen.setdefault((number, port.protocol), {})
                clash = next(
                    (
                        where
                        for other_ip, where in bound.items()
                        if other_ip == ip or "0.0.0.0" in (other_ip, ip)
                    ),
                    None,
                )
                if clash:
                    other = dotted(("services", clash[0], "ports", clash[1]))
                    ctx.error(
                        path, f"host port {number}/{port.protocol} is already published by {other}"
                    )
                    break
                bound[ip] = (name, i)


def check_localhost_clients(
    ctx: PlanContext,
    ports: dict[str, list[Any]],
    kinds: dict[str, str],
    defaults: dict[str, KindDefaults],
) -> None:
    """Env values pointing at localhost:PORT of an infrastructure service are errors (B29):
    inside a container, localhost is the container itself."""
    owners: dict[int, tuple[str, int]] = {}
    for name, kind in kinds.items():
        if kind not in INFRA_KINDS:
            continue
        internal = defaults[name].client_port if kind == "kafka" else None
        for listen in defaults[name].listens:
            owners[listen] = (name, internal or listen)
        for spec in ports[name]:
            try:
                mapping = parse_port(spec)
            except ValueError:
                continue  # reported by _check_host_ports
            published, targets = mapping.published_ports(), mapping.target_ports()
            if len(published) == 1 and len(targets) == 1:
                owners.setdefault(published[0], (name, internal or targets[0]))
    # only what the profile wrote: the catalog's own env (a broker's EXTERNAL advertised
    # listener on localhost, meant for clients outside the stack) is deliberate
    for name, svc in ctx.profile.services.items():
        for key, value in svc.environment.items():
            if not isinstance(value, str) or ":" not in value or not _may_be_local(value):
                continue  # no host:port or no loopback name in it (most values): no search
            for address, port in local_addresses(value):
                owner = owners.get(port)
                if owner and owner[0] != name:
                    ctx.error(
                        ("services", name, "environment", key),
                        (
                            f"points at {address}; inside the {name} container localhost is "
                            f"{name} itself. Use {owner[0]}:{owner[1]}"
                            + (
                                " (internal listener) or omit it to let stackgen fill it in"
                                if kinds[owner[0]] == "kafka"
                                else ""
                            )
                        ),
                    )


def _may_be_local(text: str) -> bool:
    """False when :func:`~stackgen.compose.addresses.local_addresses` surely finds nothing in
    ``text``: it names no ``127.0.0.1``, ``[::1]`` or ``localhost`` in any case. Case folded,
    not lowered: the search ignores case as ``re`` does, where the long s ``ſ`` is an ``s``
    (``str.lower`` keeps it, ``casefold`` makes it ``s``)."""
    return "127.0.0.1" in text or "[::1]" in text or "localhost" in text.casefold()
