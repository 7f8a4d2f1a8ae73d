"""What the Kubernetes target reads of a planned stack: typed, target-neutral records.

Values are what the container gets (no compose ``$$`` escaping); a value may hold references
to variables (``${NAME}``, filled in from the environment at ``docker compose up`` time),
kept as :class:`Ref` parts. Times are seconds, sizes bytes, CPUs a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Condition = Literal["service_started", "service_healthy", "service_completed_successfully"]


@dataclass(frozen=True)
class Ref:
    """A variable reference inside a value (compose ``${NAME}``, ``${NAME-default}`` …).

    Attributes:
        name: the variable.
        default: the default text compose would use when it is unset (``-``/``:-``), or None.
    """

    name: str
    default: str | None = None


#: a value: literal text parts and references, in order
Text = tuple[str | Ref, ...]


def plain(text: Text) -> str | None:
    """The text when it holds no reference, else None."""
    if all(isinstance(p, str) for p in text):
        return "".join(p for p in text if isinstance(p, str))
    return None


@dataclass(frozen=True)
class EnvVar:
    """One environment variable: ``value`` None means compose takes it from the host
    (``KEY`` without ``=``, a pass-through); ``secret`` marks a value the plan knows is secret
    (besides the name rule every target applies)."""

    name: str
    value: Text | None
    secret: bool = False


@dataclass(frozen=True)
class Port:
    """A port the service listens on; ``published`` set when compose publishes it on the
    host (``host_ip`` the address it binds)."""

    port: int
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"
    published: int | None = None
    host_ip: str | None = None


@dataclass(frozen=True)
class Probe:
    """A healthcheck. Exactly one of ``argv`` (run directly), ``shell`` (run by ``sh -c``),
    ``http_url`` (the ``http:`` shorthand) or ``tcp_port`` (the ``tcp:`` shorthand).

    Attributes:
        interval, timeout, start_period: seconds.
        retries: consecutive failures before unhealthy.
    """

    argv: tuple[str, ...] | None = None
    shell: str | None = None
    http_url: str | None = None
    tcp_port: int | None = None
    interval: float = 30.0
    timeout: float = 30.0
    retries: int = 3
    start_period: float = 0.0


@dataclass(frozen=True)
class Dependency:
    """``depends_on`` entry: wait for ``service`` to reach ``condition``."""

    service: str
    condition: Condition


@dataclass(frozen=True)
class Volume:
    """A mount: a named volume, a bind mount (``source`` a host path, as written) or a tmpfs."""

    type: Literal["volume", "bind", "tmpfs"]
    target: str
    source: str | None = None
    read_only: bool = False


@dataclass(frozen=True)
class Resources:
    """Limits and reservations (bytes, CPUs); None where not set."""

    memory: int | None = None
    cpus: float | None = None
    reserved_memory: int | None = None
    reserved_cpus: float | None = None


@dataclass(frozen=True)
class Service:
    """One service.

    Attributes:
        name: service name.
        kind: catalog kind (``postgres`` … ``app``).
        image: image reference (may hold references), None when only built.
        build: the service has a ``build`` section.
        command, entrypoint: argv (compose's ``command``/``entrypoint``), None when unset.
        working_dir, user: as compose has them.
        env: environment, in order.
        env_files: ``env_file`` entries.
        ports: what it listens on (published and exposed).
        probe: its healthcheck, or None.
        depends_on: what it waits for.
        resources: limits and reservations.
        volumes: mounts.
        config_files: (container path, content) pairs.
        replicas: copies (None: one).
        one_shot: runs to completion (others wait on it with service_completed_successfully).
        unmapped: (key, value as text) of the compose keys the mapping does not read
            (restart, logging, network_mode, privileged, extra_hosts, labels, …).
        claim_size: bytes of a volume claim when the profile names no size (the kind's
            catalog default), or None.
    """

    name: str
    kind: str
    image: Text | None
    build: bool = False
    command: tuple[Text, ...] | None = None
    entrypoint: tuple[Text, ...] | None = None
    working_dir: str | None = None
    user: str | None = None
    env: tuple[EnvVar, ...] = ()
    env_files: tuple[str, ...] = ()
    ports: tuple[Port, ...] = ()
    probe: Probe | None = None
    depends_on: tuple[Dependency, ...] = ()
    resources: Resources = Resources()
    volumes: tuple[Volume, ...] = ()
    config_files: tuple[tuple[str, str], ...] = ()
    replicas: int | None = None
    one_shot: bool = False
    unmapped: tuple[tuple[str, str], ...] = ()
    claim_size: int | None = None


@dataclass(frozen=True)
class Route:
    """A domain routed to a service port."""

    host: str
    service: str
    port: int


@dataclass(frozen=True)
class Stack:
    """The stack as the Kubernetes target reads it.

    Attributes:
        name: project name.
        source: the profile as named in headers.
        services: in dependency order.
        routes: the profile's ``domains``.
        sensitive: env names the profile marks secret.
    """

    name: str
    source: str
    services: tuple[Service, ...]
    routes: tuple[Route, ...] = ()
    sensitive: tuple[str, ...] = ()
