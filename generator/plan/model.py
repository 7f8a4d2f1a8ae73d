"""The stack model: what a profile plans into, for every target to emit (typed, immutable).

It knows no target's syntax: no ``$$``, no ``"8082:8082"``, no Traefik labels, no ``deploy:``
shape and no key order; ``stackgen.targets.compose`` writes those, a Kubernetes target writes
its own. Every record is immutable (a named tuple, or a frozen dataclass where
:mod:`stackgen.plan.records` says why); sequences are tuples and mappings are read-only
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
from typing import Any, NamedTuple

from ..errors import Diagnostic
from .records import (
    _EMPTY,
    Command,
    ComposeText,
    Condition,
    ConfigFile,
    Dependency,
    Duration,
    EnvValue,
    EnvVar,
    FromHost,
    Interpolation,
    Kind,
    Operator,
    Port,
    Probe,
    Protocol,
    Resources,
    ResourceSet,
    Restart,
    RestartMode,
    Route,
    SecretRef,
    Template,
    Text,
    VariableRef,
    Volume,
    VolumeType,
    frozen_map,
)

__all__ = [
    "Command",
    "ComposeText",
    "Condition",
    "Config",
    "ConfigFile",
    "Dependency",
    "Duration",
    "EnvValue",
    "EnvVar",
    "FromHost",
    "Interpolation",
    "Kind",
    "NamedVolume",
    "Network",
    "Operator",
    "Port",
    "Probe",
    "Protocol",
    "ResourceSet",
    "Resources",
    "Restart",
    "RestartMode",
    "Route",
    "Secret",
    "SecretRef",
    "Service",
    "Stack",
    "Template",
    "Text",
    "VariableRef",
    "Volume",
    "VolumeType",
    "frozen_map",
]


class Service(NamedTuple):
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
            ``env_file``, ``networks``, ``mem_limit``, ``scale``, ``user``, …), in the
            profile's order and text rules; only the compose target reads them. Also here:
            the profile's own compose ``deploy`` block without ``restart_policy`` (mapped onto
            :attr:`restart`; its ``replicas`` is :attr:`replicas` too), a ``command`` or
            ``entrypoint`` that is neither a string nor a list of strings, and a healthcheck
            ``test`` :class:`Probe` cannot hold (neither ``CMD``, ``CMD-SHELL`` with one
            string, nor ``NONE``).
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
    labels: Mapping[str, str] = _EMPTY
    one_shot: bool = False
    compose_extras: Mapping[str, Any] = _EMPTY
    compose_verbatim: Mapping[str, Any] = _EMPTY

    def env(self, name: str) -> EnvValue | None:
        """The value of variable ``name``, None when the service does not set it."""
        return next((e.value for e in self.environment if e.name == name), None)


class NamedVolume(NamedTuple):
    """A top-level named volume.

    Attributes:
        name: the volume name the services mount.
        options: engine options as the profile gives them (compose ``driver``,
            ``driver_opts``, ``external``, ``labels``, ``name``); empty for a default volume.
    """

    name: str
    options: Mapping[str, Any] = _EMPTY


class Network(NamedTuple):
    """A top-level network.

    Attributes:
        name: the network name.
        options: engine options as the profile gives them (compose ``driver``, ``external``, …).
    """

    name: str
    options: Mapping[str, Any] = _EMPTY


class Secret(NamedTuple):
    """A top-level secret the profile declares (compose spec "secrets"): exactly one source.

    Attributes:
        name: the name services list under ``secrets``.
        file: a host file holding it (a relative path is relative to the folder the output
            is written to), or None.
        environment: the name of a variable of the environment the engine runs in, or None.
        platform_name: the secret's name on the platform, None for the default.
    """

    name: str
    file: str | None = None
    environment: str | None = None
    platform_name: str | None = None


class Config(NamedTuple):
    """A top-level config the profile declares (compose spec "configs"): exactly one source.

    Attributes:
        name: the name services list under ``configs``.
        file: a host file holding it (relative as :attr:`Secret.file`), or None.
        content: the config's text, or None.
        environment: the name of a variable of the environment the engine runs in, or None.
        platform_name: the config's name on the platform, None for the default.
    """

    name: str
    file: str | None = None
    content: str | None = None
    environment: str | None = None
    platform_name: str | None = None


class Stack(NamedTuple):
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
        configs: every service's config files, services in the profile's order.
        declared_configs: the top-level configs the profile declares, in its order.
        secrets: the top-level secrets the profile declares, in its order.
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
    configs: tuple[ConfigFile, ...] = ()
    declared_configs: tuple[Config, ...] = ()
    secrets: tuple[Secret, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    policy: Mapping[str, str] = _EMPTY

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
