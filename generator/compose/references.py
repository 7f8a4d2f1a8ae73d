"""What a service names must exist: top-level networks, secrets, configs and volumes.

Compose refuses a service that refers to a network, secret or config the file does not declare
(``service "web" refers to undefined secret pw``), and a named volume no top-level ``volumes``
entry declares (``service "web" refers to undefined volume data``). These checks report each
such name at the key that uses it, before anything is written.

Sources: compose-spec services.md (``networks``, ``secrets``, ``configs``, ``volumes``) and
compose-go's ``loader/validate.go`` (the ``refers to undefined`` errors). The network
``default`` always exists; it needs no declaration.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Where = tuple[str | int, ...]


def _names(value: Any, where: Where) -> Iterator[tuple[Where, str]]:
    """Names in a list (``[a, {source: b}]``) or mapping (``{a: …}``) field."""
    if isinstance(value, dict):
        for key in value:
            yield (*where, key), str(key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield (*where, i), item
            elif isinstance(item, dict) and isinstance(item.get("source"), str):
                yield (*where, i, "source"), item["source"]


def named_volume(entry: Any) -> str | None:
    """The named volume a service ``volumes`` entry mounts, or None (bind, tmpfs, anonymous,
    or a source holding ``$``)."""
    if isinstance(entry, dict):
        source = entry.get("source")
        if entry.get("type", "volume") != "volume" or not isinstance(source, str):
            return None
    elif isinstance(entry, str) and ":" in entry:
        source = entry.split(":", 1)[0]
    else:
        return None
    if not source or source.startswith((".", "/", "~")) or "$" in source:
        return None
    return source


def undefined(
    service: str, body: Mapping[str, Any], declared: Mapping[str, set[str]]
) -> Iterator[tuple[Where, str]]:
    """``(where, message)`` for every name ``body`` uses that nothing top-level declares.

    Args:
        service: the service name (``where`` paths start ``("services", service, …)``).
        body: the service's compose keys (``networks``, ``secrets``, ``configs``, ``volumes``).
        declared: top-level element (``networks``, ``secrets``, ``configs``, ``volumes``) →
            the names declared there.
    """
    base: Where = ("services", service)
    for field, what in (("networks", "network"), ("secrets", "secret"), ("configs", "config")):
        for where, name in _names(body.get(field), (*base, field)):
            if name in declared.get(field, set()) or (field == "networks" and name == "default"):
                continue
            yield (
                where,
                (
                    f"refers to undefined {what} {name!r}: declare it under top-level {field} "
                    f"(docker compose refuses the file otherwise)"
                ),
            )
    volumes = body.get("volumes")
    for i, entry in enumerate(volumes if isinstance(volumes, list) else ()):
        volume = named_volume(entry)
        if volume is not None and volume not in declared.get("volumes", set()):
            yield (
                (*base, "volumes", i),
                (
                    f"refers to undefined volume {volume!r}: declare it under top-level volumes "
                    f"(docker compose refuses the file otherwise), or mount a host path ./{volume}"
                ),
            )
