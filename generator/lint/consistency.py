"""What docker compose refuses beyond the schema: keys that exclude each other, two spellings
of one setting with different values, clashing names and mount targets, sources missing.

compose-go checks a loaded project for consistency (``loader/validate.go``,
``checkConsistency``) and docker compose refuses a second service with the same
``container_name``; the compose-spec schema says none of it, so a file can pass the schema and
still be refused by ``docker compose config``. Each rule here is one of those checks, every
verdict confirmed with the Docker Compose v2 binary (``tests/rules/test_consistency.py``):

* ``exclusive-keys``: ``network_mode`` with ``networks``; ``build.dockerfile`` with
  ``build.dockerfile_inline``; a ``build.platforms`` list without the service's ``platform``.
* ``conflicting-values``: ``scale`` ≠ ``deploy.replicas``, ``cpus`` ≠ ``deploy.resources.limits
  .cpus``, ``mem_reservation`` ≠ ``…reservations.memory``, ``pids_limit`` ≠ ``…limits.pids``
  (compared as values: ``1g`` equals ``1024m``; ``mem_limit`` is ``memory-limit-conflict``'s,
  :mod:`stackgen.lint.deploy`).
* ``negative-count``: ``scale`` or ``deploy.replicas`` below 0.
* ``container-name-clash``: one ``container_name`` on two services.
* ``mount-target-clash``: a ``volumes`` entry mounted where a ``tmpfs`` already is.
* ``source-missing``: a top-level secret with neither ``file`` nor ``environment``, a config
  with none of ``file``, ``environment``, ``content`` (``external`` ones aside).
* ``probe-test-form``: a healthcheck ``test`` list whose first item is not ``CMD``,
  ``CMD-SHELL`` or ``NONE``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..compose.goparse import compose_size
from ..yamlio.nodes import value_at
from .model import Subject

#: (service key, deploy path, how values compare) of one setting spelled twice
_PAIRS: tuple[tuple[str, tuple[str, ...], Callable[[Any], Any]], ...] = (
    ("scale", ("replicas",), int),
    ("cpus", ("resources", "limits", "cpus"), float),
    ("mem_reservation", ("resources", "reservations", "memory"), lambda v: _bytes(v)),
    ("pids_limit", ("resources", "limits", "pids"), int),
)


def _bytes(value: Any) -> int:
    return compose_size(value) if isinstance(value, str) else int(value)


def _same(a: Any, b: Any, read: Callable[[Any], Any]) -> bool:
    """Whether two spellings hold one value; True when either cannot be read (``${VAR}``, or
    a value the schema already refuses): no finding on what is not known."""
    try:
        return bool(read(a) == read(b))
    except (TypeError, ValueError):
        return True


def _service(subject: Subject, name: str, spec: Mapping[str, Any]) -> None:
    base = ("services", name)
    if "network_mode" in spec and spec.get("networks"):
        subject.report(
            "exclusive-keys",
            (*base, "networks"),
            f"{name} sets both network_mode and networks: docker compose refuses the file",
        )
    build = spec.get("build")
    if isinstance(build, Mapping):
        if build.get("dockerfile") and build.get("dockerfile_inline"):
            subject.report(
                "exclusive-keys",
                (*base, "build", "dockerfile_inline"),
                f"{name} sets both build.dockerfile and build.dockerfile_inline",
            )
        platforms, platform = build.get("platforms"), spec.get("platform")
        if isinstance(platforms, list) and platforms and platform and platform not in platforms:
            subject.report(
                "exclusive-keys",
                (*base, "build", "platforms"),
                f"{name}: build.platforms must include the service's platform {platform!r}",
            )
    for key, where, read in _PAIRS:
        if key not in spec:
            continue  # most services: no deploy lookup
        other = value_at(spec, ("deploy", *where))
        if other is not None and not _same(spec[key], other, read):
            subject.report(
                "conflicting-values",
                (*base, key),
                f"{name} sets {key} {spec[key]!r} and deploy.{'.'.join(where)} {other!r}: "
                "docker compose refuses two different values",
            )
    for path, value in (
        (("scale",), spec.get("scale")),
        (("deploy", "replicas"), value_at(spec, ("deploy", "replicas"))),
    ):
        if type(value) is int and value < 0:
            subject.report(
                "negative-count", (*base, *path), f"{name}: {'.'.join(path)} is {value}, below 0"
            )
    tmpfs = spec.get("tmpfs")
    targets = {
        str(t).split(":", 1)[0]
        for t in (tmpfs if isinstance(tmpfs, list) else [tmpfs] if isinstance(tmpfs, str) else [])
    }
    volumes = spec.get("volumes")
    for i, entry in enumerate(volumes if isinstance(volumes, list) else ()):
        target = _volume_target(entry)
        if target is not None and target in targets:
            subject.report(
                "mount-target-clash",
                (*base, "volumes", i),
                f"{name} mounts {target} as a volume where a tmpfs is already mounted",
            )
    healthcheck = spec.get("healthcheck")
    test = healthcheck.get("test") if isinstance(healthcheck, Mapping) else None
    if isinstance(test, list) and test and test[0] not in ("CMD", "CMD-SHELL", "NONE"):
        subject.report(
            "probe-test-form",
            (*base, "healthcheck", "test"),
            f'{name}: a healthcheck test list starts with "CMD", "CMD-SHELL" or "NONE", '
            f"not {test[0]!r}",
        )


def _volume_target(entry: Any) -> str | None:
    """The container path a ``volumes`` entry mounts at (short or long syntax)."""
    if isinstance(entry, Mapping):
        target = entry.get("target")
        return target if isinstance(target, str) else None
    if isinstance(entry, str):
        parts = entry.split(":")
        return parts[1] if len(parts) > 1 else parts[0]
    return None


def check(subject: Subject) -> None:
    """Add a finding for each consistency check docker compose would fail."""
    names: dict[str, str] = {}
    for name, spec in subject.services():
        _service(subject, name, spec)
        container = spec.get("container_name")
        if isinstance(container, str) and "$" not in container:
            if container in names:
                subject.report(
                    "container-name-clash",
                    ("services", name, "container_name"),
                    f"{name} and {names[container]} both set container_name {container!r}: "
                    "docker compose refuses the file (names are unique per host)",
                )
            else:
                names[container] = name
    for top, sources in (
        ("secrets", ("file", "environment")),
        ("configs", ("file", "environment", "content")),
    ):
        entries = subject.data.get(top)
        for key, spec in entries.items() if isinstance(entries, Mapping) else ():
            if (
                isinstance(spec, Mapping)
                and not spec.get("external")
                and not any(s in spec for s in sources)
            ):
                subject.report(
                    "source-missing",
                    (top, key),
                    f"{top[:-1]} {key} has none of {', '.join(sources)} (and is not external): "
                    "docker compose refuses the file",
                )
