"""Restart and resource rules: swarm's ``restart_policy`` mapped onto an engine restart
policy, and the checks of replicas and memory limits."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ..compose.restart import engine_restart
from ..compose.units import format_size, parse_size
from ..profile.models import Service
from ..profile.settings import RestartPolicy
from ..yamlio.nodes import Path_, value_at
from .context import PlanContext

_XMX = re.compile(r"-Xmx([0-9]{1,18}[kKmMgG]?)")


def restart_from_policy(ctx: PlanContext, where: Path_, policy: Any) -> str | None:
    """Map swarm's ``restart_policy`` onto compose's ``restart`` (compose spec
    "deploy.restart_policy"; B23): any → always, none → "no", on-failure + max_attempts →
    on-failure:N. delay and window are swarm-only and only warned about. None when invalid."""
    if not isinstance(policy, RestartPolicy):
        try:
            policy = RestartPolicy.model_validate(policy)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                ctx.error((*where, *err["loc"]), err["msg"])
            return None
    if policy.delay is not None or policy.window is not None:
        ctx.warn(where, "restart delay/window are swarm-only and are ignored by docker compose")
    return engine_restart({"condition": policy.condition, "max_attempts": policy.max_attempts})


def check_deploy(ctx: PlanContext, name: str, svc: Service, env: dict[str, str | None]) -> None:
    """Checks of replicas and memory: a fixed ``container_name`` with several replicas, a
    reservation above the limit, ``mem_limit`` against ``resources.memory``, and a JVM heap
    (``-Xmx``) above the container's memory limit."""
    base: Path_ = ("services", name)
    extra = svc.passthrough  # (a copy each time it is asked)
    block = extra.get("deploy")
    deploy: dict[str, Any] = dict(block) if isinstance(block, dict) else {}
    _check_deploy_spellings(ctx, base, svc, dict(deploy))
    if svc.replicas is not None:
        deploy["replicas"] = svc.replicas
    # compose's own deploy.replicas and scale ask for several containers just the same
    replicas = deploy.get("replicas", extra.get("scale"))
    container_name = extra.get("container_name")
    if container_name and isinstance(replicas, int) and replicas > 1:
        ctx.error(
            (*base, "container_name"),
            (
                f"container_name {container_name!r} cannot be combined with replicas: "
                f"{replicas} (container names must be unique per host). Remove container_name"
            ),
        )
    elif container_name:
        ctx.warn(
            (*base, "container_name"),
            f"container_name {container_name!r} is fixed: a second project on the same host "
            "(another environment of this profile) will collide with it; compose names "
            "containers <project>-<service>-N without it",
        )
    res = svc.resources
    limit_bytes: int | None = None
    if res is not None:
        if res.memory is not None:
            limit_bytes = res.memory
        reserved = res.reservations
        if (
            reserved is not None
            and reserved.memory is not None
            and res.memory is not None
            and reserved.memory > res.memory
        ):
            ctx.error(
                (*base, "resources", "reservations", "memory"),
                "reservation is larger than the memory limit",
            )
    mem_limit = extra.get("mem_limit")
    # compose takes a size text or a number of bytes; any other shape the schema refuses
    # a ${VAR} reference: compose fills it in at `up` time, only compose knows the size
    if (
        isinstance(mem_limit, str | int)
        and not isinstance(mem_limit, bool)
        and not (isinstance(mem_limit, str) and "$" in mem_limit)
    ):
        try:
            mem_bytes = parse_size(mem_limit)
        except ValueError as exc:
            ctx.error((*base, "mem_limit"), str(exc))
        else:
            if limit_bytes is not None and mem_bytes != limit_bytes:
                ctx.error(
                    (*base, "mem_limit"),
                    (
                        f"resources.memory ({format_size(limit_bytes)}) and mem_limit ({mem_limit}) "
                        "disagree; set one"
                    ),
                )
            limit_bytes = limit_bytes or mem_bytes
    if limit_bytes is not None:
        # any variable a JVM reads (KAFKA_HEAP_OPTS, JAVA_TOOL_OPTIONS, KAFKA_OPTS …); the
        # JVM takes the last -Xmx it is given
        for key, value in env.items():
            if not value or "-Xmx" not in value:
                continue  # most values: no search
            heaps = _XMX.findall(value)
            if heaps and parse_size(heaps[-1]) > limit_bytes:
                ctx.error(
                    (*base, "environment", key),
                    (
                        f"{key} -Xmx{heaps[-1]} exceeds the container memory limit "
                        f"{format_size(limit_bytes)}; the JVM would be OOM-killed and restart-loop"
                    ),
                )


def _check_deploy_spellings(
    ctx: PlanContext, base: Path_, svc: Service, deploy: dict[str, Any]
) -> None:
    """A profile key and the ``deploy`` key it is written to, both given with different
    values: the profile's would replace the other without a word, so it is an error at the
    ``deploy`` key (``replicas: 3`` beside ``deploy: {replicas: 2}`` rendered 3)."""
    res = svc.resources
    if not deploy or (res is None and svc.replicas is None):
        return  # most services: no deploy key, or no profile key that writes to it
    reserved = res.reservations if res is not None else None
    pairs: list[tuple[str, Any, tuple[str, ...], Any]] = [
        ("replicas", svc.replicas, ("replicas",), int),
        ("resources.memory", res and res.memory, ("resources", "limits", "memory"), parse_size),
        ("resources.cpus", res and res.cpus, ("resources", "limits", "cpus"), float),
        (
            "resources.reservations.memory",
            reserved and reserved.memory,
            ("resources", "reservations", "memory"),
            parse_size,
        ),
        (
            "resources.reservations.cpus",
            reserved and reserved.cpus,
            ("resources", "reservations", "cpus"),
            float,
        ),
    ]
    for key, ours, where, read in pairs:
        given = value_at(deploy, where)
        if ours is None or given is None or (isinstance(given, str) and "$" in given):
            continue
        try:
            same = read(given) == ours
        except (TypeError, ValueError):
            continue  # the compose schema reports a value it cannot read
        if not same:
            shown = format_size(ours) if read is parse_size else ours
            ctx.error(
                (*base, "deploy", *where),
                f"{key} ({shown}) and deploy.{'.'.join(where)} ({given}) disagree: the "
                f"profile's {key} would replace it; set one",
            )
