"""Typed building blocks of the manifests stackgen writes, and their plain-data form.

Each block is a frozen dataclass holding Kubernetes field values (names as the API spells
them, in their units: seconds, quantities); :meth:`to_dict` gives the mapping written to the
file, keys in the order ``kubectl get -o yaml`` shows them (apiVersion, kind, metadata, spec),
optional fields left out when unset. Field meanings: Kubernetes API reference (v1 core,
apps/v1, batch/v1, networking.k8s.io/v1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Labels = tuple[tuple[str, str], ...]


def labels_of(labels: Labels) -> dict[str, str]:
    """``labels`` as the ``metadata.labels`` mapping."""
    return dict(labels)


@dataclass(frozen=True)
class Probe:
    """A container probe: exactly one handler (``exec``, ``httpGet`` or ``tcpSocket``).

    Attributes:
        exec_command: argv run in the container (``exec.command``).
        http_path: path for ``httpGet`` (with ``http_port``).
        http_port: port number or name for ``httpGet``.
        http_scheme: ``HTTP`` or ``HTTPS``.
        tcp_port: port number or name for ``tcpSocket``.
        period: ``periodSeconds``.
        timeout: ``timeoutSeconds``.
        failure_threshold: ``failureThreshold``.
        initial_delay: ``initialDelaySeconds`` (left out when 0).
    """

    exec_command: tuple[str, ...] | None = None
    http_path: str | None = None
    http_port: int | str | None = None
    http_scheme: Literal["HTTP", "HTTPS"] = "HTTP"
    tcp_port: int | str | None = None
    period: int = 10
    timeout: int = 1
    failure_threshold: int = 3
    initial_delay: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The ``Probe`` mapping."""
        out: dict[str, Any] = {}
        if self.exec_command is not None:
            out["exec"] = {"command": list(self.exec_command)}
        elif self.http_port is not None:
            get: dict[str, Any] = {"path": self.http_path or "/", "port": self.http_port}
            if self.http_scheme != "HTTP":
                get["scheme"] = self.http_scheme
            out["httpGet"] = get
        elif self.tcp_port is not None:
            out["tcpSocket"] = {"port": self.tcp_port}
        if self.initial_delay:
            out["initialDelaySeconds"] = self.initial_delay
        out["periodSeconds"] = self.period
        out["timeoutSeconds"] = self.timeout
        out["failureThreshold"] = self.failure_threshold
        return out


@dataclass(frozen=True)
class EnvVar:
    """One ``env`` entry: an inline ``value`` or a ``secretKeyRef`` (never both).

    Attributes:
        name: the variable name.
        value: inline text (None with ``secret``).
        secret: the Secret name holding it (``valueFrom.secretKeyRef.name``).
        key: the key inside that Secret (defaults to ``name``).
    """

    name: str
    value: str | None = None
    secret: str | None = None
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``EnvVar`` mapping."""
        if self.secret is not None:
            ref = {"name": self.secret, "key": self.key or self.name}
            return {"name": self.name, "valueFrom": {"secretKeyRef": ref}}
        return {"name": self.name, "value": self.value or ""}


@dataclass(frozen=True)
class ContainerPort:
    """A port the container listens on (``name`` an IANA_SVC_NAME)."""

    name: str
    port: int
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"

    def to_dict(self) -> dict[str, Any]:
        """The ``ContainerPort`` mapping."""
        out: dict[str, Any] = {"name": self.name, "containerPort": self.port}
        if self.protocol != "TCP":
            out["protocol"] = self.protocol
        return out


@dataclass(frozen=True)
class Mount:
    """A ``volumeMounts`` entry."""

    name: str
    path: str
    sub_path: str | None = None
    read_only: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``VolumeMount`` mapping."""
        out: dict[str, Any] = {"name": self.name, "mountPath": self.path}
        if self.sub_path is not None:
            out["subPath"] = self.sub_path
        if self.read_only:
            out["readOnly"] = True
        return out


@dataclass(frozen=True)
class Resources:
    """``resources``: quantities as text (``"4Gi"``, ``"500m"``)."""

    limits_memory: str | None = None
    limits_cpu: str | None = None
    requests_memory: str | None = None
    requests_cpu: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``ResourceRequirements`` mapping (empty when nothing is set)."""
        out: dict[str, Any] = {}
        limits = {k: v for k, v in (("cpu", self.limits_cpu), ("memory", self.limits_memory)) if v}
        requests = {
            k: v for k, v in (("cpu", self.requests_cpu), ("memory", self.requests_memory)) if v
        }
        if limits:
            out["limits"] = limits
        if requests:
            out["requests"] = requests
        return out


@dataclass(frozen=True)
class Container:
    """One container of a pod (init containers use the same block without probes)."""

    name: str
    image: str
    command: tuple[str, ...] | None = None
    args: tuple[str, ...] | None = None
    working_dir: str | None = None
    env: tuple[EnvVar, ...] = ()
    env_from_secret: str | None = None
    ports: tuple[ContainerPort, ...] = ()
    resources: Resources = Resources()
    readiness: Probe | None = None
    liveness: Probe | None = None
    startup: Probe | None = None
    mounts: tuple[Mount, ...] = ()
    run_as_user: int | None = None
    run_as_group: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``Container`` mapping."""
        out: dict[str, Any] = {"name": self.name, "image": self.image}
        if self.command is not None:
            out["command"] = list(self.command)
        if self.args is not None:
            out["args"] = list(self.args)
        if self.working_dir is not None:
            out["workingDir"] = self.working_dir
        if self.ports:
            out["ports"] = [p.to_dict() for p in self.ports]
        if self.env_from_secret is not None:
            out["envFrom"] = [{"secretRef": {"name": self.env_from_secret}}]
        if self.env:
            out["env"] = [e.to_dict() for e in self.env]
        resources = self.resources.to_dict()
        if resources:
            out["resources"] = resources
        if self.mounts:
            out["volumeMounts"] = [m.to_dict() for m in self.mounts]
        for key, probe in (
            ("startupProbe", self.startup),
            ("readinessProbe", self.readiness),
            ("livenessProbe", self.liveness),
        ):
            if probe is not None:
                out[key] = probe.to_dict()
        security: dict[str, Any] = {}
        if self.run_as_user is not None:
            security["runAsUser"] = self.run_as_user
        if self.run_as_group is not None:
            security["runAsGroup"] = self.run_as_group
        if security:
            out["securityContext"] = security
        return out


@dataclass(frozen=True)
class Volume:
    """A pod ``volumes`` entry: a ConfigMap (``config_map``), else an ``emptyDir``
    (``medium: Memory`` for a tmpfs)."""

    name: str
    config_map: str | None = None
    items: tuple[tuple[str, str], ...] = ()
    memory: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``Volume`` mapping."""
        if self.config_map is not None:
            source: dict[str, Any] = {"name": self.config_map}
            if self.items:
                source["items"] = [{"key": k, "path": p} for k, p in self.items]
            return {"name": self.name, "configMap": source}
        return {"name": self.name, "emptyDir": {"medium": "Memory"} if self.memory else {}}
