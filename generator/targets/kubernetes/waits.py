"""``depends_on`` → init containers (:mod:`.probes` builds them) and, for one-shot Jobs, the
namespaced ServiceAccount, Role and RoleBinding their waits run under."""

from __future__ import annotations

from typing import Any

from . import manifests as m
from .context import PART_OF_LABEL, Ctx
from .limits import wait_name_problem
from .probes import WAITER, wait_completed, wait_healthy, wait_started
from .view import Service


def waits(ctx: Ctx, svc: Service) -> tuple[m.Container, ...]:
    out: list[m.Container] = []
    by_name = {s.name: s for s in ctx.stack.services}
    for dep in svc.depends_on:
        key = f"depends_on.{dep.service}"
        target = by_name.get(dep.service)
        built = ctx.built.get(dep.service)
        if target is None or built is None:
            ctx.note(
                svc.name, key, "dropped", f"{dep.service} is left out on Kubernetes: not waited for"
            )
            continue
        if problem := wait_name_problem(dep.service):
            ctx.error(("services", svc.name, "depends_on", dep.service), problem)
            continue
        if dep.condition == "service_healthy" and target.probe is not None:
            # the check runs with the dependency's own environment (REDISCLI_AUTH, $PGUSER…)
            out.append(
                wait_healthy(dep.service, built.image, target.probe, built.env, built.env_from)
            )
            ctx.note(
                svc.name,
                key,
                "mapped",
                f"init container wait-{dep.service}: {dep.service}'s own check against its "
                "Service, in its image",
            )
        elif dep.condition == "service_completed_successfully" or target.one_shot:
            out.append(wait_completed(dep.service, ctx.version, ctx.namespace))
            ctx.waits_on_jobs = True
            ctx.note(
                svc.name,
                key,
                "mapped",
                f"init container wait-{dep.service}: kubectl wait for Job {dep.service} to "
                f"complete (ServiceAccount {WAITER}, may read Jobs in this namespace only)",
            )
        elif built.service_port is not None:
            out.append(wait_started(dep.service, built.service_port))
            ctx.note(
                svc.name,
                key,
                "mapped",
                f"init container wait-{dep.service}: until {dep.service}:{built.service_port} "
                "accepts connections",
            )
        else:
            ctx.note(
                svc.name, key, "dropped", f"{dep.service} listens on no port: nothing to wait for"
            )
    return tuple(out)


def waiter_rbac(ctx: Ctx) -> list[dict[str, Any]]:
    meta: dict[str, Any] = {"name": WAITER}
    if ctx.namespace is not None:
        meta["namespace"] = ctx.namespace
    meta["labels"] = {PART_OF_LABEL: ctx.stack.name}
    rule = {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get", "list", "watch"]}
    subject: dict[str, Any] = {"kind": "ServiceAccount", "name": WAITER}
    if ctx.namespace is not None:
        subject["namespace"] = ctx.namespace
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": dict(meta)},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": dict(meta),
            "rules": [rule],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": dict(meta),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": WAITER},
            "subjects": [subject],
        },
    ]
