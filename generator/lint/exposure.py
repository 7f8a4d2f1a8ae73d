"""Exposure and supply rules: published infrastructure ports and unpinned images.

* ``infra-port-public``: a port of a database, cache, broker or coordinator
  (:func:`~stackgen.lint.model.infra_family`) published without a host address, on
  ``0.0.0.0`` or on ``::``. Docker binds such ports on every interface and inserts its own
  firewall rules ahead of ufw/firewalld (Docker docs, "Packet filtering and firewalls"), so
  the server is reachable from the network. Application ports are meant to be reached and are
  not reported.
* ``image-latest``: an image without a tag or tagged ``latest`` (a ``${VAR-default}``
  reference is judged by its default; a digest pins any tag).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..compose.ports import parse_port
from .model import Subject, effective_image

_ALL_INTERFACES = (None, "0.0.0.0", "::", "")


def check(subject: Subject) -> None:
    """Add the exposure and image findings of ``subject``."""
    for name, spec in subject.services():
        family = subject.family(spec)
        if family is not None:
            for i, item in enumerate(spec.get("ports") or []):
                bound = _binding(item)
                if bound is None or bound[0] not in _ALL_INTERFACES:
                    continue
                host_ip, published, target = bound
                where = host_ip or "all interfaces"
                port = f"port {published}" if published else f"port {target} on a random host port"
                subject.report(
                    "infra-port-public",
                    ("services", name, "ports", i),
                    f"{name}{_family(name, family)} publishes {port} on {where}: reachable "
                    "from the network, past the host firewall",
                    hint=f"bind it to the loopback address: 127.0.0.1:{published or target}:"
                    f"{target}",
                )
        image = effective_image(spec)
        # a built image (build:, or pull_policy never/build) is named, not pulled
        local = "build" in spec or spec.get("pull_policy") in ("never", "build")
        if image is not None and not local and _unpinned(image):
            subject.report(
                "image-latest",
                ("services", name, "image"),
                f"{name} uses {image}: "
                + ("tagged latest" if image.endswith(":latest") else "no tag, so latest")
                + "; each pull may bring another version",
            )


def _binding(item: object) -> tuple[str | None, str | None, str] | None:
    """(host address, published port or None, target port) of one ``ports`` entry, or None
    when the entry cannot be read or its address is a ``${VAR}`` only the environment knows.

    A bare container port (``5432``, ``"5432"``) is published too, on a random host port;
    in a compose file an integer is such a bare port (compose spec "ports", short syntax).
    """
    if isinstance(item, Mapping):
        ip, published, target = item.get("host_ip"), item.get("published"), item.get("target")
        return (
            None if ip is None else str(ip),
            None if published is None else str(published),
            str(target),
        )
    if isinstance(item, int) and not isinstance(item, bool):
        return None, None, str(item)
    try:
        port = parse_port(str(item), compose_file=True)
    except ValueError:
        return None
    if (port.host_ip or "").startswith("$"):
        return None
    return port.host_ip, port.published, port.target


def _unpinned(image: str) -> bool:
    if "@" in image:
        return False
    last = image.rsplit("/", 1)[-1]
    return ":" not in last or last.endswith(":latest")


def _family(name: str, family: str) -> str:
    return "" if family in name else f" ({family})"
