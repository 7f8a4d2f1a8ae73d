"""The records a stack's services are made of (environment values, commands, ports, probes, dependencies, resources, restart, volumes, config files, routes). Import them from stackgen.plan.model, which re-exports every name; units as there: seconds, bytes, cores."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

#: catalog kinds (``stackgen.profile`` ``kind``); ``app`` is an image stackgen knows nothing of
Kind = Literal["postgres", "redis", "zookeeper", "kafka", "clickhouse", "otel-collector", "app"]
#: IP protocols of a port (compose spec "ports"; Kubernetes ``containerPort.protocol``)
Protocol = Literal["tcp", "udp", "sctp"]
#: how ``$`` in the model's text is meant (see the module docstring)
Interpolation = Literal["braced", "none", "verbatim"]
#: a variable reference's operator (compose spec "Interpolation"): ``""`` plain ``${NAME}``;
#: ``:-``/``-`` default when unset-or-empty/unset; ``:?``/``?`` error; ``:+``/``+`` alternative
Operator = Literal["", ":-", "-", ":?", "?", ":+", "+"]
#: the empty read-only mapping (a default for mapping fields)
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def frozen_map(data: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A read-only copy of ``data`` (nested values are shared, not copied)."""
    return MappingProxyType(dict(data or {}))


class Condition(StrEnum):
    """What a dependant waits for before it starts (compose spec ``depends_on``).

    The values are the compose names; a Kubernetes target turns them into init waits.
    """

    STARTED = "service_started"
    """The dependency's container has started."""
    HEALTHY = "service_healthy"
    """The dependency's probe has passed (the dependency has a :class:`Probe`)."""
    COMPLETED = "service_completed_successfully"
    """The dependency ran to completion with exit code 0 (it is a one-shot job)."""


class VolumeType(StrEnum):
    """The kind of a mount (compose spec "volumes" long syntax ``type``)."""

    NAMED = "volume"
    """A named volume the engine manages (``source`` names it; None: anonymous)."""
    BIND = "bind"
    """A host path (``source`` as the profile wrote it, e.g. ``./data`` or ``/srv/x``)."""
    TMPFS = "tmpfs"
    """Memory-backed, no source."""


# The records are named tuples, not frozen dataclasses: every render imports them, and a
# frozen dataclass costs over half a millisecond to build at import (its methods are compiled
# then). Equal fields make equal tuples whatever the type, so the environment values of one
# shape that share a slot (Text, ComposeText and SecretRef hold one string; FromHost none, and
# an empty tuple is false) stay dataclasses: Text("x") != ComposeText("x"), FromHost() is true.


@dataclass(frozen=True)
class Text:
    """Literal text: every character, ``$`` included, reaches the container as written.

    Attributes:
        text: the value.
    """

    text: str


class VariableRef(NamedTuple):
    """A reference to a variable of the environment the stack is started from.

    Attributes:
        name: the variable name (``DB_PASSWORD``).
        operator: see :data:`Operator`; ``:-``/``-`` give ``default`` a default's meaning.
        default: the text after the operator (a default, an error message or an
            alternative), in the profile's text rules (it may hold references itself);
            None with the plain form.
    """

    name: str
    operator: Operator = ""
    default: str | None = None


class Template(NamedTuple):
    """Literal text and variable references in order (``postgres://${DB_USER}@db``).

    Attributes:
        parts: the pieces; joining them (each reference replaced by its value) gives the value.
    """

    parts: tuple[Text | VariableRef, ...]


@dataclass(frozen=True)
class FromHost:
    """No value in the output: the variable is taken from the environment the stack is
    started from (the profile's ``null`` or ``{passthrough: true}``), under the same name."""


@dataclass(frozen=True)
class SecretRef:
    """A secret value never written into the output: like :class:`FromHost`, for a variable
    that is secret (its name names a credential, :data:`stackgen.output.secret_rule.SECRET_KEY`,
    or the profile lists it in ``sensitive``, :mod:`stackgen.output.masking`). A target that has secrets (Kubernetes)
    reads it from a secret named after ``name``.

    Attributes:
        name: the variable (and secret key) name.
    """

    name: str


@dataclass(frozen=True)
class ComposeText:
    """A value that is compose text already (``interpolation: verbatim``): ``$$`` is a ``$``,
    ``${NAME…}`` and ``$NAME`` are references, by compose's interpolation rules.

    Attributes:
        text: the value as written.
    """

    text: str


#: one environment value
EnvValue = Text | VariableRef | Template | FromHost | SecretRef | ComposeText


class EnvVar(NamedTuple):
    """One environment variable of a service.

    Attributes:
        name: the variable name.
        value: its value (see :data:`EnvValue`).
        secret: the value is a secret (name rule or ``sensitive``): reports mask it, a target
            with secrets keeps it out of plain manifests.
    """

    name: str
    value: EnvValue
    secret: bool = False


class Command(NamedTuple):
    """A command or entrypoint: exactly one of ``argv`` and ``line`` is set.

    Attributes:
        argv: the words, run without a shell.
        line: one string; compose splits it into words the way a shell would (no shell runs it).
    """

    argv: tuple[str, ...] | None = None
    line: str | None = None


class Port(NamedTuple):
    """A container port, and where it is published on the host.

    Attributes:
        container: the container port (the first of a range).
        container_end: the last container port of a range, None for one port.
        protocol: ``tcp``, ``udp`` or ``sctp``.
        host_port: the published host port (first of a range); None when not published on a
            fixed port (compose then picks one) or when ``host_text`` holds a variable.
        host_port_end: the last host port of a range, None for one port.
        host_ip: the host address it binds (IPv6 without brackets), None for every address.
        published: the port is published on the host at all (short syntax with only a
            container port publishes it on a random host port).
        text: the profile's spelling (compose short syntax, or a long-syntax mapping as a
            read-only mapping), None when stackgen derived the port (an integer ``8080`` or a
            catalog default is spelled by the target).
    """

    container: int
    container_end: int | None = None
    protocol: Protocol = "tcp"
    host_port: int | None = None
    host_port_end: int | None = None
    host_ip: str | None = None
    published: bool = True
    text: str | Mapping[str, Any] | None = None


class Duration(NamedTuple):
    """A length of time.

    Attributes:
        seconds: the length in seconds.
        text: the profile's (or catalog's) spelling, such as ``1m30s``.
    """

    seconds: float
    text: str


class Probe(NamedTuple):
    """A readiness/health probe run inside the container (compose ``healthcheck``,
    Kubernetes readiness/liveness probes). At most one of ``argv`` and ``shell`` is set;
    neither means the image's own probe is switched off (compose ``["NONE"]``).

    Attributes:
        argv: the probe's words, run without a shell.
        shell: one shell command line, run with ``/bin/sh -c``.
        interval: time between probes.
        timeout: how long one probe may run before it counts as failed.
        start_period: grace time after start in which failures do not count.
        start_interval: time between probes during ``start_period`` (Docker Engine 25+).
        retries: consecutive failures before the service is unhealthy.
    """

    argv: tuple[str, ...] | None = None
    shell: str | None = None
    interval: Duration | None = None
    timeout: Duration | None = None
    start_period: Duration | None = None
    start_interval: Duration | None = None
    retries: int | None = None


class Dependency(NamedTuple):
    """One ``depends_on`` entry of a service.

    Attributes:
        service: the service waited for.
        condition: what is waited for (:class:`Condition`).
        restart: restart the dependant when the dependency is restarted (None: not said).
        required: False: start even when the dependency is not part of the stack (None: not said).
    """

    service: str
    condition: Condition
    restart: bool | None = None
    required: bool | None = None


class ResourceSet(NamedTuple):
    """Memory and CPU amounts.

    Attributes:
        memory: bytes, None when not set.
        cpus: CPU cores (0.5 is half a core), None when not set.
    """

    memory: int | None = None
    cpus: float | None = None


class Resources(NamedTuple):
    """Resource limits and reservations of one container.

    Attributes:
        limits: the most the container may use; None when not set.
        reservations: what is guaranteed to it; None when not set.
    """

    limits: ResourceSet | None = None
    reservations: ResourceSet | None = None


RestartMode = Literal["no", "always", "on-failure", "unless-stopped"]


class Restart(NamedTuple):
    """When the engine restarts a container that stopped.

    Attributes:
        mode: ``no``, ``always``, ``on-failure`` or ``unless-stopped``.
        max_attempts: with ``on-failure``, how many restarts to try (None: no limit).
    """

    mode: RestartMode
    max_attempts: int | None = None


class Volume(NamedTuple):
    """One mount of a service.

    Attributes:
        type: named volume, bind mount or tmpfs (:class:`VolumeType`).
        source: the volume name (named), the host path as written (bind, relative paths are
            relative to the profile's folder), None for tmpfs or an anonymous volume.
        target: the path inside the container.
        read_only: mounted read-only.
        text: the profile's (or catalog's) spelling: compose short syntax, or a long-syntax
            mapping as a read-only mapping; None when stackgen built the mount.
    """

    type: VolumeType
    source: str | None
    target: str
    read_only: bool = False
    text: str | Mapping[str, Any] | None = None


class ConfigFile(NamedTuple):
    """A file placed in the container (the profile's ``config_files``).

    Attributes:
        name: a name unique in the stack, for targets that declare files apart from services
            (compose top-level ``configs``, a Kubernetes ConfigMap key).
        target: the absolute path inside the container.
        content: the file's text (every ``$`` literal unless ``interpolation`` is ``verbatim``).
    """

    name: str
    target: str
    content: str


class Route(NamedTuple):
    """An HTTP route from the reverse proxy to a service (the profile's ``domains``).

    Attributes:
        host: the host name matched (RFC 1123, as written).
        service: the service the requests go to.
        port: the container port they go to.
    """

    host: str
    service: str
    port: int
