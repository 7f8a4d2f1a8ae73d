"""References compose refuses: an undefined service, a dependency cycle, an undeclared name.

``docker compose config`` refuses a file whose service depends on a service the file does not
define (``service "web" depends on undefined service "nope"``), whose services wait on each
other in a circle (``dependency cycle detected: api -> web -> api``), or whose service names a
network, secret, config or named volume no top-level key declares. ``check`` reports each at
the key that names it, as an error, so a file the engine would refuse never passes.

Sources: compose-go ``loader/validate.go`` and ``graph.go``. A service depends on another
through ``depends_on`` (list or mapping, ``required: false`` included), ``links``
(``name[:alias]``), ``volumes_from`` (``name[:ro|rw]``; ``container:…`` names a container,
not a service), ``build.additional_contexts`` and ``network_mode``, ``ipc``, ``pid`` of the
form ``service:name``; build secrets must be declared like service secrets; all
verdicts were checked against the Docker Compose v2 binary (``tests/rules/test_references``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..compose.references import undefined
from ..compose.startorder import start_waves
from ..yamlio.nodes import Path_
from .model import Subject

_TOP_LEVEL = ("networks", "secrets", "configs", "volumes")


def _dependencies(name: str, spec: Mapping[str, Any]) -> Iterator[tuple[Path_, str]]:
    """``(path, service)`` for every service ``spec`` depends on, as compose-go reads it."""
    base: Path_ = ("services", name)
    depends = spec.get("depends_on")
    if isinstance(depends, Mapping):
        for key in depends:
            yield (*base, "depends_on", key), str(key)
    elif isinstance(depends, list):
        for i, item in enumerate(depends):
            if isinstance(item, str):
                yield (*base, "depends_on", i), item
    for field in ("links", "volumes_from"):
        entries = spec.get(field)
        for i, item in enumerate(entries if isinstance(entries, list) else ()):
            if isinstance(item, str) and item and not item.startswith("container:"):
                yield (*base, field, i), item.split(":", 1)[0]
    build = spec.get("build")
    contexts = build.get("additional_contexts") if isinstance(build, Mapping) else None
    for key, value in contexts.items() if isinstance(contexts, Mapping) else ():
        if isinstance(value, str) and value.startswith("service:"):
            yield (*base, "build", "additional_contexts", key), value.removeprefix("service:")
    for field in ("network_mode", "ipc", "pid"):
        mode = spec.get(field)
        if isinstance(mode, str) and mode.startswith("service:"):
            yield (*base, field), mode.removeprefix("service:")


def check(subject: Subject) -> None:
    """Add an error for each undefined service, undeclared name and dependency cycle."""
    services = dict(subject.services())
    declared = {
        field: {str(k) for k in value} if isinstance(value, Mapping) else set()
        for field in _TOP_LEVEL
        for value in (subject.data.get(field),)
    }
    deps: dict[str, list[str]] = {}
    for name, spec in services.items():
        deps[name] = []
        for path, other in _dependencies(name, spec):
            if "$" in other:  # an unresolved reference: compose resolves it first
                continue
            if other in services:
                deps[name].append(other)
                continue
            subject.report(
                "undefined-service",
                path,
                f"{name} depends on {other!r}, which no service in this file defines "
                "(docker compose refuses the file)",
            )
        for where, message in undefined(name, spec, declared):
            subject.report("undefined-reference", where, f"{name} {message}")
        build = spec.get("build")
        secrets = build.get("secrets") if isinstance(build, Mapping) else None
        for i, item in enumerate(secrets if isinstance(secrets, list) else ()):
            source = item.get("source") if isinstance(item, Mapping) else item
            if isinstance(source, str) and "$" not in source and source not in declared["secrets"]:
                subject.report(
                    "undefined-reference",
                    ("services", name, "build", "secrets", i),
                    f"{name} refers to undefined build secret {source!r}: declare it under "
                    "top-level secrets (docker compose refuses the file otherwise)",
                )
    _, cycle = start_waves(deps)
    if cycle:
        first = cycle[0]
        subject.report(
            "dependency-cycle",
            ("services", first),
            f"services wait on each other in a circle: {' -> '.join(cycle)} "
            "(docker compose refuses the file: none of them could start first)",
        )
