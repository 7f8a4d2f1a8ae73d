"""Report lines for what has no one-to-one Kubernetes field: restart policies, compose keys
left out, Kafka's listeners."""

from __future__ import annotations

import re

from .context import Ctx
from .view import Service, plain

# keys whose value the report may quote (none of them can hold a secret)
QUOTED = ("restart", "network_mode", "privileged", "container_name", "pid", "ipc")
WHY_DROPPED = {
    "logging": "the cluster's log collection reads container output; no per-pod driver",
    "labels": "container labels; routing labels (Traefik) become the Ingress",
    "extra_hosts": "host entries (host-gateway has no Kubernetes equivalent); use hostAliases "
    "with fixed IPs by hand",
    "network_mode": "pods have their own network; host networking is not carried over",
    "privileged": "not carried over: a privileged pod needs an explicit security decision",
    "container_name": "the controller names the pods",
    "cap_add": "not carried over: capabilities need an explicit security decision",
    "devices": "host devices are not carried over",
    "networks": "one flat pod network; NetworkPolicies are not generated",
    "stop_grace_period": "not carried over (terminationGracePeriodSeconds defaults to 30)",
}


def restart(ctx: Ctx, svc: Service, kind: str) -> None:
    given = dict(svc.unmapped).get("restart")
    if kind == "Job":
        ctx.note(svc.name, "restart", "mapped", "restartPolicy OnFailure (a Job retries failures)")
    elif given in (None, "always", "unless-stopped"):
        ctx.note(
            svc.name,
            "restart",
            "mapped",
            "restartPolicy Always (the only one a Deployment/StatefulSet allows)",
        )
    else:
        ctx.note(
            svc.name,
            "restart",
            "approximated",
            f"restart {given}: a Deployment/StatefulSet only allows restartPolicy Always",
        )


def unmapped(ctx: Ctx, svc: Service) -> None:
    for key, value in svc.unmapped:
        if key == "restart":
            continue
        shown = f" ({value})" if key in QUOTED else ""
        why = WHY_DROPPED.get(key, "no Kubernetes equivalent")
        ctx.note(svc.name, key, "dropped", f"{why}{shown}")


def kafka(ctx: Ctx, svc: Service) -> None:
    if svc.kind != "kafka":
        return
    for var in svc.env:
        text = plain(var.value) if var.value is not None else None
        if var.name == "KAFKA_ADVERTISED_LISTENERS" and text is not None:
            internal = [p for p in text.split(",") if p.startswith(f"INTERNAL://{svc.name}:")]
            if internal:
                ctx.note(
                    svc.name,
                    "environment.KAFKA_ADVERTISED_LISTENERS",
                    "mapped",
                    f"INTERNAL advertised as {internal[0][len('INTERNAL://') :]}, the Service "
                    "name; clients' KAFKA_SERVERS name it too",
                )
            external = [p for p in text.split(",") if p.startswith("EXTERNAL://")]
            if external:
                ctx.note(
                    svc.name,
                    "environment.KAFKA_ADVERTISED_LISTENERS",
                    "approximated",
                    f"EXTERNAL advertised as {external[0][len('EXTERNAL://') :]}: reachable "
                    "from outside the cluster only through kubectl port-forward",
                )


def dangling(ctx: Ctx, svc: Service) -> None:
    """Report variables whose value names a service left out on Kubernetes
    (``OTLP_ENDPOINT: http://collector:4318`` once ``collector`` is dropped)."""
    for name in sorted(ctx.left_out):
        pattern = re.compile(rf"(?<![\w.-]){re.escape(name)}(?=:[0-9]|/|\Z)")
        for var in svc.env:
            text = plain(var.value) if var.value is not None else None
            if text is not None and pattern.search(text):
                ctx.note(
                    svc.name,
                    f"environment.{var.name}",
                    "approximated",
                    f"names {name}, which is left out on Kubernetes: nothing answers there",
                )
