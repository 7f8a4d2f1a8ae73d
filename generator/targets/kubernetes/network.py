"""Services, their Kubernetes Services, and ``domains`` → one Ingress."""

from __future__ import annotations

import re
from typing import Any

from . import objects as o
from .context import PART_OF_LABEL, Ctx, port_name
from .limits import public_name_problem
from .report import Outcome
from .view import Service, plain


def services(ctx: Ctx, svc: Service, kind: str) -> list[dict[str, Any]]:
    name = svc.name
    labels = ctx.labels(name)
    ports = tuple(
        o.ServicePort(
            port_name(p.port, p.protocol), p.port, port_name(p.port, p.protocol), p.protocol
        )
        for p in svc.ports
    )
    public = [
        p for p in svc.ports if p.published is not None and p.host_ip not in ("127.0.0.1", "::1")
    ]
    for p in svc.ports:
        if p.published is None:
            continue
        where = f"ports ({p.host_ip + ':' if p.host_ip else ''}{p.published}:{p.port})"
        if p in public and ctx.settings.service_type != "ClusterIP":
            how = f"Service type {ctx.settings.service_type} (kubernetes.service_type)"
        elif p in public:
            how = "ClusterIP Service port (kubernetes.service_type); reach it through the Ingress or kubectl port-forward"
        else:
            how = "published on loopback only: cluster-internal Service port; use kubectl port-forward"
        outcome: Outcome = (
            "mapped" if p in public and ctx.settings.service_type != "ClusterIP" else "approximated"
        )
        if p.published != p.port:
            how += f" (Service port {p.port}, not the host port {p.published})"
        ctx.note(name, where, outcome, how)
    docs: list[dict[str, Any]] = []
    if kind == "StatefulSet":
        own = _names_itself(svc)
        docs.append(
            o.Service(
                name,
                ctx.namespace,
                labels,
                labels,
                ports,
                headless=True,
                publish_not_ready=own is not None,
            ).to_dict()
        )
        why = (
            f"; its {own} names it, so the name resolves before the pod is ready "
            "(publishNotReadyAddresses)"
            if own
            else ""
        )
        ctx.note(name, "(network)", "mapped", f"headless Service {name}{why}")
        if public and ctx.settings.service_type != "ClusterIP":
            if problem := public_name_problem(name):
                ctx.error(("services", name), problem)
            extra = tuple(sp for sp, p in zip(ports, svc.ports, strict=True) if p in public)
            docs.append(
                o.Service(
                    f"{name}-public",
                    ctx.namespace,
                    labels,
                    labels,
                    extra,
                    type=ctx.settings.service_type,
                ).to_dict()
            )
    elif ports:
        stype = ctx.settings.service_type if public else "ClusterIP"
        docs.append(o.Service(name, ctx.namespace, labels, labels, ports, type=stype).to_dict())
        ctx.note(name, "(network)", "mapped", f"Service {name} ({stype}), ports named tcp-<port>")
    else:
        ctx.note(name, "(network)", "mapped", "listens on no port: no Service")
    return docs


def _names_itself(svc: Service) -> str | None:
    """The first variable whose value reaches the service by its own name and a port
    (``KAFKA_ADVERTISED_LISTENERS: INTERNAL://kafka:29092``): the pod connects to itself
    through its Service while it starts, so that name must resolve before it is ready."""
    pattern = re.compile(rf"(?<![\w.-]){re.escape(svc.name)}:[0-9]+")
    for var in svc.env:
        text = plain(var.value) if var.value is not None else None
        if text is not None and pattern.search(text):
            return var.name
    return None


def ingress(ctx: Ctx) -> o.Ingress | None:
    rules: list[o.IngressRule] = []
    by_name = {s.name: s for s in ctx.stack.services}
    for route in ctx.stack.routes:
        key = f"domains.{route.host}"
        svc = by_name.get(route.service)
        if svc is None or route.service in ctx.left_out or route.service not in ctx.built:
            ctx.note(route.service, key, "dropped", f"{route.service} is left out on Kubernetes")
            continue
        proto = next((p.protocol for p in svc.ports if p.port == route.port), "TCP")
        rules.append(o.IngressRule(route.host.lower(), route.service, port_name(route.port, proto)))
        ctx.note(
            route.service,
            key,
            "mapped",
            f"Ingress rule {route.host.lower()} / (Prefix) → Service {route.service} port "
            f"{port_name(route.port, proto)}",
        )
    if not rules:
        return None
    return o.Ingress(
        ctx.stack.name,
        ctx.namespace,
        ((PART_OF_LABEL, ctx.stack.name),),
        tuple(rules),
        ctx.settings.ingress_class,
    )
