"""Typed building blocks of the objects stackgen writes (workloads, Services, Ingress,
ConfigMap) and their plain-data form; the pod-level blocks are in :mod:`.manifests`.

``to_dict`` gives the mapping written to the file, keys in the order ``kubectl get -o yaml``
shows them (apiVersion, kind, metadata, spec), optional fields left out when unset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .manifests import Container, Labels, Volume, labels_of


@dataclass(frozen=True)
class Claim:
    """A StatefulSet ``volumeClaimTemplates`` entry (ReadWriteOnce)."""

    name: str
    size: str
    storage_class: str | None = None

    def to_dict(self, labels: Labels) -> dict[str, Any]:
        """The ``PersistentVolumeClaim`` template mapping."""
        spec: dict[str, Any] = {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": self.size}},
        }
        if self.storage_class is not None:
            spec["storageClassName"] = self.storage_class
        return {"metadata": {"name": self.name, "labels": labels_of(labels)}, "spec": spec}


WorkloadKind = Literal["Deployment", "StatefulSet", "Job"]


@dataclass(frozen=True)
class Workload:
    """A Deployment, StatefulSet or Job running one service's pod.

    Attributes:
        kind: the workload kind.
        name: the service name (DNS-1123 label).
        namespace: ``metadata.namespace`` or None.
        labels: pod and object labels; ``selector`` is the subset naming the service.
        selector: ``spec.selector.matchLabels`` (also on the pod: the API server demands it).
        replicas: ``spec.replicas`` (not for a Job).
        containers: the main container(s).
        init_containers: run in order before the main container (the dependency waits).
        volumes: pod volumes.
        claims: StatefulSet volume claim templates.
        service_name: the headless Service of a StatefulSet.
        backoff_limit: a Job's ``backoffLimit``.
    """

    kind: WorkloadKind
    name: str
    namespace: str | None
    labels: Labels
    selector: Labels
    containers: tuple[Container, ...]
    replicas: int | None = None
    init_containers: tuple[Container, ...] = ()
    volumes: tuple[Volume, ...] = ()
    claims: tuple[Claim, ...] = ()
    service_name: str | None = None
    backoff_limit: int | None = None
    service_account: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The workload manifest."""
        # no docker-links variables (KAFKA_PORT=tcp://…, ZOOKEEPER_PORT=…): compose injects
        # none, and Confluent's images read every KAFKA_*/ZOOKEEPER_* variable as a setting
        # (cp-kafka refuses to start on KAFKA_PORT: "port is deprecated")
        pod: dict[str, Any] = {"enableServiceLinks": False}
        if self.kind == "Job":
            pod["restartPolicy"] = "OnFailure"
        if self.service_account is not None:
            pod["serviceAccountName"] = self.service_account
        if self.init_containers:
            pod["initContainers"] = [c.to_dict() for c in self.init_containers]
        pod["containers"] = [c.to_dict() for c in self.containers]
        if self.volumes:
            pod["volumes"] = [v.to_dict() for v in self.volumes]
        template = {"metadata": {"labels": labels_of(self.labels)}, "spec": pod}
        spec: dict[str, Any] = {}
        if self.kind == "StatefulSet":
            spec["serviceName"] = self.service_name
        if self.kind != "Job":
            if self.replicas is not None:
                spec["replicas"] = self.replicas
            spec["selector"] = {"matchLabels": labels_of(self.selector)}
        elif self.backoff_limit is not None:
            spec["backoffLimit"] = self.backoff_limit
        spec["template"] = template
        if self.claims:
            spec["volumeClaimTemplates"] = [c.to_dict(self.selector) for c in self.claims]
        api = "batch/v1" if self.kind == "Job" else "apps/v1"
        return _object(api, self.kind, self.name, self.namespace, self.labels, spec)


@dataclass(frozen=True)
class ServicePort:
    """A Service port, its ``targetPort`` the container port's name."""

    name: str
    port: int
    target: str | int
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"

    def to_dict(self) -> dict[str, Any]:
        """The ``ServicePort`` mapping."""
        out: dict[str, Any] = {"name": self.name, "port": self.port, "targetPort": self.target}
        if self.protocol != "TCP":
            out["protocol"] = self.protocol
        return out


@dataclass(frozen=True)
class Service:
    """A Service selecting one service's pods.

    Attributes:
        headless: ``clusterIP: None`` (a StatefulSet's governing Service).
        type: ``ClusterIP``, ``NodePort`` or ``LoadBalancer``.
    """

    name: str
    namespace: str | None
    labels: Labels
    selector: Labels
    ports: tuple[ServicePort, ...]
    type: Literal["ClusterIP", "NodePort", "LoadBalancer"] = "ClusterIP"
    headless: bool = False
    publish_not_ready: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The Service manifest."""
        spec: dict[str, Any] = {}
        if self.type != "ClusterIP":
            spec["type"] = self.type
        if self.headless:
            spec["clusterIP"] = "None"
        if self.publish_not_ready:
            spec["publishNotReadyAddresses"] = True
        spec["selector"] = labels_of(self.selector)
        if self.ports:
            spec["ports"] = [p.to_dict() for p in self.ports]
        return _object("v1", "Service", self.name, self.namespace, self.labels, spec)


@dataclass(frozen=True)
class IngressRule:
    """One host routed to a Service port (by name)."""

    host: str
    service: str
    port: str


@dataclass(frozen=True)
class Ingress:
    """One ``networking.k8s.io/v1`` Ingress, ``pathType: Prefix`` on ``/`` per host."""

    name: str
    namespace: str | None
    labels: Labels
    rules: tuple[IngressRule, ...]
    ingress_class: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The Ingress manifest."""
        spec: dict[str, Any] = {}
        if self.ingress_class is not None:
            spec["ingressClassName"] = self.ingress_class
        spec["rules"] = [
            {
                "host": r.host,
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": r.service, "port": {"name": r.port}}},
                        }
                    ]
                },
            }
            for r in self.rules
        ]
        return _object(
            "networking.k8s.io/v1", "Ingress", self.name, self.namespace, self.labels, spec
        )


@dataclass(frozen=True)
class ConfigMap:
    """A ConfigMap of files (key → content)."""

    name: str
    namespace: str | None
    labels: Labels
    data: tuple[tuple[str, str], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The ConfigMap manifest."""
        out = _object("v1", "ConfigMap", self.name, self.namespace, self.labels, None)
        out["data"] = dict(self.data)
        return out


def _object(
    api: str,
    kind: str,
    name: str,
    namespace: str | None,
    labels: Labels,
    spec: dict[str, Any] | None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta["labels"] = labels_of(labels)
    out: dict[str, Any] = {"apiVersion": api, "kind": kind, "metadata": meta}
    if spec is not None:
        out["spec"] = spec
    return out
