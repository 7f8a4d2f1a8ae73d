"""Deployment rules: names, restart policies and memory (B23, B24, B26).

* ``container-name-replicas``: a fixed ``container_name`` with ``deploy.replicas``/``scale``
  above 1; container names are unique per host, so the second container cannot be created
  (docker/compose#3722).
* ``restart-policy-swarm``: ``deploy.restart_policy`` without the plain ``restart`` key.
  docker compose maps only its ``condition`` and ``max_attempts`` onto the container
  (docker/compose#9944, late 2022); ``delay`` and ``window`` are swarm-only, and
  docker-compose v1 ignores the whole ``deploy`` block (docker/docs#11777).
* ``jvm-heap-over-limit``: the last ``-Xmx`` a JVM is given (in any environment value, or the
  command) at or above the container memory limit: the kernel kills the JVM before it
  collects, and the service restart-loops. A Kafka broker given no heap gets
  ``-Xmx1G`` from ``kafka-server-start.sh`` (apache/kafka ``bin/kafka-server-start.sh``).
* ``memory-limit-conflict``: ``mem_limit`` and ``deploy.resources.limits.memory`` both set to
  different sizes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..compose.restart import engine_restart
from ..compose.units import format_size, parse_size
from .model import Subject, memory_limit, replicas

_XMX = re.compile(r"-Xmx([0-9]{1,18}[kKmMgGtT]?)\b")


def check(subject: Subject) -> None:
    """Add the deployment findings of ``subject``."""
    for name, spec in subject.services():
        base = ("services", name)
        _container_name(subject, name, spec)
        _restart_policy(subject, name, spec)
        limit = memory_limit(spec)
        _memory_conflict(subject, name, spec)
        if limit is None:
            continue
        size, _ = limit
        heaps = [
            (heap, (*base, *sub), key)
            for key, value, sub in subject.env(spec)
            if value and "-Xmx" in value  # most values: no search
            for heap in _XMX.findall(value)[-1:]
        ]
        command = spec.get("command")
        text = " ".join(command) if isinstance(command, list) else str(command or "")
        heaps += [(heap, (*base, "command"), "command") for heap in _XMX.findall(text)[-1:]]
        if not heaps and subject.family(spec) == "kafka":
            # kafka-server-start.sh sets KAFKA_HEAP_OPTS="-Xmx1G -Xms1G" when it is unset
            heaps.append(("1G", (*base, *limit[1]), "the default KAFKA_HEAP_OPTS"))
        for heap, path, key in heaps:
            heap_bytes = parse_size(heap)
            if heap_bytes >= size:
                subject.report(
                    "jvm-heap-over-limit",
                    path,
                    f"{key} sets -Xmx{heap}, at or above the container memory limit "
                    f"{format_size(size)}: the JVM is killed for memory and restart-loops",
                )


def _container_name(subject: Subject, name: str, spec: Mapping[str, Any]) -> None:
    if not spec.get("container_name"):
        return  # most services: no replicas to read
    count = replicas(spec)
    if count is not None and count[0] > 1:
        subject.report(
            "container-name-replicas",
            ("services", name, "container_name"),
            f"container_name {spec['container_name']!r} with {count[0]} replicas: container "
            "names are unique per host, so only one container can be created",
        )


def _restart_policy(subject: Subject, name: str, spec: Mapping[str, Any]) -> None:
    deploy = spec.get("deploy")
    policy = deploy.get("restart_policy") if isinstance(deploy, Mapping) else None
    if not isinstance(policy, Mapping) or "restart" in spec:
        return
    mapped = engine_restart(policy)
    mapped = '"no"' if mapped == "no" else mapped  # a plain no is false to YAML 1.1 readers
    swarm_only = [k for k in ("delay", "window") if k in policy]
    extra = f"; {' and '.join(swarm_only)} only work in swarm" if swarm_only else ""
    subject.report(
        "restart-policy-swarm",
        ("services", name, "deploy", "restart_policy"),
        f"deploy.restart_policy without restart: docker-compose v1 ignores it and docker "
        f"compose honours only its condition and max_attempts{extra}",
        hint=f"add restart: {mapped}",
    )


def _memory_conflict(subject: Subject, name: str, spec: Mapping[str, Any]) -> None:
    deploy = spec.get("deploy")
    limits = (
        ((deploy.get("resources") or {}).get("limits") or {}) if isinstance(deploy, Mapping) else {}
    )
    limit, mem_limit = (
        limits.get("memory") if isinstance(limits, Mapping) else None,
        spec.get("mem_limit"),
    )
    if limit is None or mem_limit is None:
        return
    try:
        sizes = [parse_size(limit), parse_size(mem_limit)]
    except (ValueError, TypeError):
        return
    if sizes[0] != sizes[1]:
        subject.report(
            "memory-limit-conflict",
            ("services", name, "mem_limit"),
            f"mem_limit ({mem_limit}) and deploy.resources.limits.memory ({limit}) disagree",
        )
