"""The stack model: what a profile plans into, for every target to emit (typed, immutable).

It knows no target's syntax: no ``$$``, no ``"8082:8082"``, no Traefik labels, no ``deploy:``
shape and no key order; ``stackgen.targets.compose`` writes those, a Kubernetes target writes
its own. Every record is a frozen dataclass; sequences are tuples and mappings are read-only
(:class:`types.MappingProxyType`), so a target cannot change what another one reads.

Units: durations in seconds (``float``), memory in bytes (``int``), CPUs in cores (``float``),
ports as integers 1-65535.

Text and ``$``: strings here are the profile's text. How a ``$`` in them is meant is
:attr:`Stack.interpolation` (``policies``-level ``interpolation`` of the profile, README
"Values and ``$``"): ``braced`` — a ``${NAME…}`` in a value (not in container-side text:
command, entrypoint, probe, config file content) is a variable reference, every other ``$`` is
literal; ``none`` — every ``$`` is literal; ``verbatim`` — the text is compose text already.
Environment values are typed on top of that (:data:`EnvValue`), so a target need not parse.

A few records keep ``text``: how the profile spelled the value (``1m30s``, ``"127.0.0.1:5432:5432"``).
It carries no meaning beyond the typed fields beside it; a target may write it back so its
output shows what the user wrote (the compose target does), or ignore it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal

from ..errors import Diagnostic

#: catalog kinds (``stackgen.profile`` ``kind``); ``app`` is an image stackgen knows nothing of
Kind = Literal["postgres", "redis", "zookeeper", "kafka", "clickhouse", "otel-collector", "app"]
#: IP protocols of a port (compose spec "ports"; Kubernetes ``containerPort.protocol``)
Protocol = Literal["tcp", "udp", "sctp"]
#: how ``$`` in the model's text is meant (see the module docstring)
Interpolation = Literal["braced", "none", "verbatim"]
#: a variable reference's operator (compose spec "Interpolation"): ``""`` plain ``${NAME}``;
#: ``:-``/``-`` default when unset-or-empty/unset; ``:?``/``?`` error; ``:+``/``+`` alternative
Operator = Literal["", ":-", "-", ":?", "?", ":+", "+"]

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


# --- environment values ------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Literal text: every character, ``$`` included, reaches the container as written.

    Attributes:
        text: the value.
    """

    text: str


@dataclass(frozen=True)
class VariableRef:
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


@dataclass(frozen=True)
class Template:
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
    that is secret (its name matches ``PASSWORD|SECRET|TOKEN|KEY`` or the profile lists it in
    ``sensitive``, :mod:`stackgen.output.masking`). A target that has secrets (Kubernetes)
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


@dataclass(frozen=True)
class EnvVar:
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


# --- commands, ports, probes ---------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """A command or entrypoint: exactly one of ``argv`` and ``line`` is set.

    Attributes:
        argv: the words, run without a shell.
        line: one string; compose splits it into words the way a shell would (no shell runs it).
    """

    argv: tuple[str, ...] | None = None
    line: str | None = None


@dataclass(frozen=True)
class Port:
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


@dataclass(frozen=True)
class Duration:
    """A length of time.

    Attributes:
        seconds: the length in seconds.
        text: the profile's (or catalog's) spelling, such as ``1m30s``.
    """

    seconds: float
    text: str


@dataclass(frozen=True)
class Probe:
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


@dataclass(frozen=True)
class Dependency:
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


@dataclass(frozen=True)
class ResourceSet:
    """Memory and CPU amounts.

    Attributes:
        memory: bytes, None when not set.
        cpus: CPU cores (0.5 is half a core), None when not set.
    """

    memory: int | None = None
    cpus: float | None = None


@dataclass(frozen=True)
class Resources:
    """Resource limits and reservations of one container.

    Attributes:
        limits: the most the container may use; None when not set.
        reservations: what is guaranteed to it; None when not set.
    """

    limits: ResourceSet | None = None
    reservations: ResourceSet | None = None


RestartMode = Literal["no", "always", "on-failure", "unless-stopped"]


@dataclass(frozen=True)
class Restart:
    """When the engine restarts a container that stopped.

    Attributes:
        mode: ``no``, ``always``, ``on-failure`` or ``unless-stopped``.
        max_attempts: with ``on-failure``, how many restarts to try (None: no limit).
    """

    mode: RestartMode
    max_attempts: int | None = None


@dataclass(frozen=True)
class Volume:
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


@dataclass(frozen=True)
class ConfigFile:
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


@dataclass(frozen=True)
class Route:
    """An HTTP route from the reverse proxy to a service (the profile's ``domains``).

    Attributes:
        host: the host name matched (RFC 1123, as written).
        service: the service the requests go to.
        port: the container port they go to.
    """

    host: str
    service: str
    port: int


@dataclass(frozen=True)
class Service:
    """One service of the stack, fully resolved (defaults, catalog and policies applied).

    Attributes:
        name: the service name.
        kind: its catalog kind (``app`` for an image stackgen does not know).
        image: the image reference; None for a service built from source (``build`` is in
            ``compose_extras``).
        command: the command (arguments to the entrypoint), None for the image's own.
        entrypoint: the entrypoint, None for the image's own.
        environment: variables, in the order the output lists them.
        ports: container ports and their publishing, in order.
        expose: ports reachable from other services only (container port records, never
            published).
        probe: the health probe, None when there is none.
        probe_disabled: the image's own probe is switched off (compose ``disable: true``).
        depends_on: dependencies in the profile's order.
        restart: the restart policy, None when not set (the engine's default: ``no``).
        replicas: the number of containers, None when not set (one).
        resources: limits and reservations, None when not set.
        volumes: mounts in order.
        config_files: files placed in the container, in the profile's order.
        labels: container labels the profile gives (not the ones a target derives from routes).
        one_shot: a job that runs to completion, not a long-running service: another service
            waits for it with :attr:`Condition.COMPLETED`. A target runs it as a job (no
            restart on success, no probe needed).
        compose_extras: compose service keys the profile passes through that the model does
            not describe (``build``, ``container_name``, ``logging``, ``extra_hosts``,
            ``env_file``, ``networks``, ``mem_limit``, ``scale``, ``deploy`` other than its
            ``replicas``/``resources``/``restart_policy`` …), in the profile's order and text
            rules; only the compose target reads them.
        compose_verbatim: compose service keys given under ``verbatim``: compose text, written
            exactly as given, replacing what the target would write for that key.
    """

    name: str
    kind: Kind = "app"
    image: str | None = None
    command: Command | None = None
    entrypoint: Command | None = None
    environment: tuple[EnvVar, ...] = ()
    ports: tuple[Port, ...] = ()
    expose: tuple[Port, ...] = ()
    probe: Probe | None = None
    probe_disabled: bool = False
    depends_on: tuple[Dependency, ...] = ()
    restart: Restart | None = None
    replicas: int | None = None
    resources: Resources | None = None
    volumes: tuple[Volume, ...] = ()
    config_files: tuple[ConfigFile, ...] = ()
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    one_shot: bool = False
    compose_extras: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    compose_verbatim: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def env(self, name: str) -> EnvValue | None:
        """The value of variable ``name``, None when the service does not set it."""
        return next((e.value for e in self.environment if e.name == name), None)


@dataclass(frozen=True)
class NamedVolume:
    """A top-level named volume.

    Attributes:
        name: the volume name the services mount.
        options: engine options as the profile gives them (compose ``driver``,
            ``driver_opts``, ``external``, ``labels``, ``name``); empty for a default volume.
    """

    name: str
    options: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True)
class Network:
    """A top-level network.

    Attributes:
        name: the network name.
        options: engine options as the profile gives them (compose ``driver``, ``external``, …).
    """

    name: str
    options: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True)
class Stack:
    """A profile planned: every service resolved, in start order.

    Attributes:
        name: the project name (``^[a-z0-9][a-z0-9_-]*$``).
        write_name: the output states the project name (``policies.project_name``).
        source: how generated files name the profile in their header.
        interpolation: how ``$`` in the model's text is meant (module docstring).
        engine: the Docker Engine version the profile targets (``(24, 0, 7)``), None when not
            declared (a current engine).
        services: in start order: every service after the services it depends on; among
            services ready together, the profile's order.
        routes: reverse-proxy routes, in the profile's ``domains`` order.
        volumes: top-level named volumes, sorted by name.
        networks: top-level networks, in the profile's order.
        warnings: non-fatal diagnostics found while planning.
        policy: dotted output path (``services.db.restart``) → why a stackgen policy, not the
            profile, put the value there (``policies.restart: defaults.restart``).
    """

    name: str
    source: str
    services: tuple[Service, ...]
    write_name: bool = True
    interpolation: Interpolation = "braced"
    engine: tuple[int, ...] | None = None
    routes: tuple[Route, ...] = ()
    volumes: tuple[NamedVolume, ...] = ()
    networks: tuple[Network, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    policy: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    @property
    def start_order(self) -> tuple[str, ...]:
        """Service names in the order they start (dependencies first)."""
        return tuple(s.name for s in self.services)

    @property
    def jobs(self) -> tuple[Service, ...]:
        """The one-shot services (:attr:`Service.one_shot`), in start order."""
        return tuple(s for s in self.services if s.one_shot)

    def service(self, name: str) -> Service:
        """The service called ``name``.

        Raises:
            KeyError: no such service.
        """
        for svc in self.services:
            if svc.name == name:
                return svc
        raise KeyError(name)
