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

from ..ports import parse_port
from .model import Subject, effective_image, infra_family

_ALL_INTERFACES = (None, "0.0.0.0", "::", "")


def check(subject: Subject) -> None:
    """Add the exposure and image findings of ``subject``."""
    for name, spec in subject.services():
        family = infra_family(spec)
        if family is not None:
            for i, item in enumerate(spec.get("ports") or []):
                host_ip, published = _binding(item)
                if published and host_ip in _ALL_INTERFACES:
                    where = host_ip or "all interfaces"
                    subject.report(
                        "infra-port-public",
                        ("services", name, "ports", i),
                        f"{name}{_family(name, family)} publishes port {published} on {where}: reachable "
                        "from the network, past the host firewall",
                        hint=f"bind it to the loopback address: 127.0.0.1:{published}:"
                        f"{_target(item)}",
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


def _binding(item: object) -> tuple[str | None, str | None]:
    """(host address, published port text) of one ``ports`` entry; published is None when
    the entry publishes nothing or cannot be read."""
    if isinstance(item, Mapping):
        published = item.get("published")
        ip = item.get("host_ip")
        return (str(ip) if ip is not None else None), (
            str(published) if published is not None else None
        )
    try:
        port = parse_port(item)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return None, None
    if port.published is None or (port.host_ip or "").startswith("$"):
        return port.host_ip, None  # unpublished, or an address only the environment knows
    return port.host_ip, port.published


def _target(item: object) -> str:
    if isinstance(item, Mapping):
        return str(item.get("target"))
    try:
        return parse_port(item).target  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return "PORT"


def _unpinned(image: str) -> bool:
    if "@" in image:
        return False
    last = image.rsplit("/", 1)[-1]
    return ":" not in last or last.endswith(":latest")


def _family(name: str, family: str) -> str:
    return "" if family in name else f" ({family})"
