"""Dependencies and start order: ``depends_on`` conditions resolved, services sorted so each
starts after what it waits for (stdlib ``graphlib``), cycles named."""

from __future__ import annotations

from ..compose.startorder import start_order
from ..yamlio.nodes import Path_
from .context import PlanContext, dependencies, did_you_mean
from .records import Condition, Dependency


def order_and_conditions(
    ctx: PlanContext, healthy: dict[str, bool]
) -> tuple[list[str], dict[str, tuple[Dependency, ...]]]:
    """Each service's dependencies with their conditions, and the services in start order.

    ``depends_on: [x]`` waits for ``service_healthy`` when x has a healthcheck, else
    ``service_started`` (compose spec ``depends_on``); an explicit condition wins, but
    ``service_healthy`` towards a service without a healthcheck is an error.
    """
    services = ctx.profile.services
    graph: dict[str, list[str]] = {}
    deps: dict[str, tuple[Dependency, ...]] = {}
    for name, svc in services.items():
        found: list[Dependency] = []
        graph[name] = []
        explicit = svc.depends_on if isinstance(svc.depends_on, dict) else {}
        for dep, condition in dependencies(svc).items():
            path: Path_ = ("services", name, "depends_on", dep)
            if isinstance(svc.depends_on, list):
                path = ("services", name, "depends_on", svc.depends_on.index(dep))
            if dep not in services:
                ctx.error(path, f"depends on unknown service {dep!r}{did_you_mean(dep, services)}")
                continue
            if dep == name:
                ctx.error(path, "a service cannot depend on itself")
                continue
            if condition is None:
                condition = "service_started"
                if dep in ctx.jobs and ctx.profile.policies.conditions:
                    condition = "service_completed_successfully"
                    ctx.added(
                        (*path[:3], dep, "condition"),
                        f"policies.conditions: {dep} is a one-shot job",
                    )
                elif healthy[dep] and ctx.profile.policies.conditions:
                    condition = "service_healthy"
                    ctx.added(
                        (*path[:3], dep, "condition"),
                        f"policies.conditions: {dep} has a healthcheck",
                    )
            elif condition == "service_healthy" and not healthy[dep]:
                why = (
                    "policies.healthchecks is off"
                    if not ctx.profile.policies.healthchecks
                    else "image not in catalogue"
                )
                ctx.error(
                    path,
                    (
                        f"{name} needs {dep} to be healthy, but {dep} has no healthcheck ({why}). "
                        f"Add services.{dep}.healthcheck to the profile or use "
                        "condition: service_started"
                    ),
                )
            extra = explicit.get(dep)
            found.append(
                Dependency(
                    dep,
                    Condition(condition),
                    restart=None if extra is None else extra.restart,
                    required=None if extra is None else extra.required,
                )
            )
            graph[name].append(dep)
        deps[name] = tuple(found)
    return topological(ctx, graph, list(services)), deps


def topological(ctx: PlanContext, graph: dict[str, list[str]], declared: list[str]) -> list[str]:
    """Dependencies first; among ready services, profile order (deterministic); a cycle is
    an error naming it (:mod:`stackgen.compose.startorder`)."""
    order, cycle = start_order({name: graph.get(name, []) for name in declared})
    if cycle:
        ctx.error(("services", cycle[0], "depends_on"), "dependency cycle: " + " → ".join(cycle))
        return declared
    return order
