"""The profile: pydantic models (unknown keys rejected) and the overlay merge.

A profile file may name a base with ``extends: base.yml`` (a path relative to the profile) and
the command line may add ``--set path.to.key=value``. The merge rule, applied base first,
then each ``extends`` child, then each ``--set`` in order:

* a mapping merges into a mapping key by key, recursively;
* ``null`` removes the key (to make an env var pass-through in an overlay, write
  ``{passthrough: true}``);
* anything else (a list, a scalar) replaces the base value whole;
* ``extends`` itself is not inherited.

This is Helm's values rule: lists replace, so an environment can narrow a list (ports,
depends_on) without a special syntax.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ..compose import schema as compose
from ..compose.units import parse_duration, parse_size
from ..errors import Diagnostic, InputError, require_utf8
from ..yamlio.loader import Document, Mark, Path_, dotted, load_file, load_text

KINDS = ("postgres", "redis", "zookeeper", "kafka", "clickhouse", "otel-collector", "app")
Kind = Literal["postgres", "redis", "zookeeper", "kafka", "clickhouse", "otel-collector", "app"]
CONDITIONS = ("service_started", "service_healthy", "service_completed_successfully")


# compose-spec schema, "services" patternProperties
_SERVICE_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")
_NAMES_REPORTED = "service names are checked by _bad_service_names"

_RESTART = re.compile(r"^(?:no|always|unless-stopped|on-failure(?::\d+)?)$")


def _restart(value: str) -> str:
    # compose spec, services "restart"
    if not _RESTART.match(value):
        raise ValueError(f"{value!r} is not one of no, always, on-failure[:N], unless-stopped")
    return value


Restart = Annotated[
    str, AfterValidator(_restart), Field(json_schema_extra={"pattern": _RESTART.pattern})
]


class _Strict(BaseModel):
    # attribute docstrings become the JSON Schema descriptions editors show
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def _duration(value: Any) -> str:
    """Compose duration text for a profile value: checked, numbers read as seconds."""
    parse_duration(value)  # raises ValueError for anything compose would not accept
    return f"{value}s" if isinstance(value, int | float) else str(value)


Duration = Annotated[str, Field(description="compose duration, e.g. 30s or 1m30s")]


class HealthTiming(_Strict):
    """Healthcheck timing (compose spec ``healthcheck``); durations as compose text."""

    interval: Duration | None = None
    """Time between probes (compose duration such as 10s or 1m30s; a number means seconds)."""
    timeout: Duration | None = None
    """How long one probe may run before it counts as failed (compose duration)."""
    retries: int | None = Field(default=None, ge=0)
    """Consecutive failures before the service is unhealthy."""
    start_period: Duration | None = None
    """Grace time after start in which failures do not count (compose duration)."""
    start_interval: Duration | None = None
    """Time between probes during start_period (compose duration; Docker Engine 25+)."""

    @field_validator(
        "interval",
        "timeout",
        "start_period",
        "start_interval",
        mode="before",
        json_schema_input_type=str | int | float | None,
    )
    @classmethod
    def _check_duration(cls, value: Any) -> Any:
        return None if value is None else _duration(value)


class Healthcheck(HealthTiming):
    """A service healthcheck: one of the shorthands or compose's own ``test``.

    * ``http: URL`` — GET the URL with ``tool`` (``wget`` or ``curl``) inside the container;
    * ``tcp: PORT`` — open a TCP connection to 127.0.0.1:PORT with ``nc -z``;
    * ``command: "sh text"`` (CMD-SHELL) or ``command: [argv…]`` (CMD);
    * ``test:`` — the compose form, verbatim (string = CMD-SHELL);
    * ``disable: true`` — no healthcheck, even from the catalog.
    """

    http: str | None = None
    """Probe: GET this URL from inside the container with `tool` (wget or curl)."""
    tcp: int | None = Field(default=None, ge=1, le=65535)
    """Probe: open a TCP connection to 127.0.0.1:PORT with `nc -z`."""
    command: str | list[str] | None = None
    """Probe: a shell command (string, CMD-SHELL) or an argv list (CMD)."""
    test: str | list[str] | None = None
    """Probe in compose form, verbatim (a string means CMD-SHELL)."""
    tool: Literal["wget", "curl"] = "wget"
    """HTTP client used by the `http` probe; it must exist in the image."""
    disable: bool = False
    """No healthcheck at all, not even the catalog one."""

    @model_validator(mode="after")
    def _one_probe(self) -> Healthcheck:
        given = [k for k in ("http", "tcp", "command", "test") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"give only one of http, tcp, command, test (got {', '.join(given)})")
        return self

    @property
    def has_probe(self) -> bool:
        """True when this block itself says how to probe."""
        return any(getattr(self, k) is not None for k in ("http", "tcp", "command", "test"))


class Policies(_Strict):
    """Switches for what stackgen adds to a compose file on its own (all on by default).

    Each one, when on, may add to or change what the profile says; ``stackgen diff`` labels
    every change it makes as ``added by stackgen policy`` (``docs/import.md``). All off, a
    profile renders exactly what it states (``stackgen import --as-is`` writes that).

    Attributes:
        restart: services that set no ``restart`` get ``defaults.restart``.
        healthchecks: a catalog kind's healthcheck for services that give none.
        conditions: list-form ``depends_on`` waits for ``service_healthy`` when the dependency
            has a healthcheck (off: ``service_started``, compose's meaning of the list form).
        catalog: a kind's default image, ports, volumes and environment, and the env stackgen
            derives (``KAFKA_SERVERS``/``KAFKA_TOPIC`` for apps using a broker).
        probes: explicit probes get ``localhost`` rewritten to ``127.0.0.1`` and their checks
            are errors (off: written as given, the checks only warn).
        project_name: the compose file gets a top-level ``name`` (off: compose derives the
            project name from the directory, as for a file without ``name``).
    """

    restart: bool = True
    """Services that set no restart get defaults.restart."""
    healthchecks: bool = True
    """A catalog kind's healthcheck for services that give none."""
    conditions: bool = True
    """List-form depends_on waits for service_healthy when the dependency has a healthcheck."""
    catalog: bool = True
    """A kind's default image, ports, volumes and environment, and derived Kafka env."""
    probes: bool = True
    """Probes get localhost rewritten to 127.0.0.1 and their checks are errors (off: warnings)."""
    project_name: bool = True
    """The compose file gets a top-level name."""


class Defaults(_Strict):
    """Values applied to every service that does not set its own."""

    restart: Restart = "unless-stopped"
    """Restart policy for services that set none: no, always, on-failure[:N] or unless-stopped."""
    healthcheck: HealthTiming = HealthTiming()
    """Healthcheck timings for services that set none."""


# Docker Engine versions as `docker version` prints them: MAJOR[.MINOR[.PATCH]]
_ENGINE = re.compile(r"^[0-9]+(?:\.[0-9]+){0,2}$")


def _engine(value: str) -> str:
    if not _ENGINE.match(value):
        raise ValueError(
            f"{value!r} is not a Docker Engine version: give it dotted, as `docker version` "
            'prints it under Server: Engine, e.g. "24.0.7" or "25.0"'
        )
    return value


EngineVersion = Annotated[
    str, AfterValidator(_engine), Field(json_schema_extra={"pattern": _ENGINE.pattern})
]


class Target(_Strict):
    """What the rendered file must run on; keys the target cannot run are left out."""

    engine: EngineVersion | None = None
    """Docker Engine version the stack runs on, e.g. "24.0.7" (`docker version`, Server: Engine). Below 25, healthcheck start_interval (Engine 25+, API 1.44) is omitted with a warning. Unset: every key is emitted, as if the engine were current."""

    @property
    def engine_version(self) -> tuple[int, ...] | None:
        """The engine version as integers (``"24.0.7"`` → ``(24, 0, 7)``), None when unset."""
        return None if self.engine is None else tuple(int(p) for p in self.engine.split("."))


class Dependency(_Strict):
    """Long-form ``depends_on`` entry (compose spec ``depends_on``)."""

    condition: (
        Literal["service_started", "service_healthy", "service_completed_successfully"] | None
    ) = None
    """What to wait for: service_started, service_healthy or service_completed_successfully (default: healthy when the dependency has a healthcheck)."""
    restart: bool | None = None
    """Restart this service when the dependency is restarted."""
    required: bool | None = None
    """false: start even if the dependency is not part of the stack."""


class Limits(_Strict):
    """Memory (bytes, any of ``512MiB``/``1GiB``/``1g``/``512m``) and CPUs (cores)."""

    memory: int | None = None
    """Memory limit: bytes, or a size such as 512MiB, 1GiB, 1g, 512m."""
    cpus: float | None = Field(default=None, gt=0)
    """CPU limit in cores (0.5 = half a core)."""

    @field_validator("memory", mode="before", json_schema_input_type=str | int | None)
    @classmethod
    def _size(cls, value: Any) -> Any:
        return None if value is None else parse_size(value)


class Resources(Limits):
    """``resources`` → ``deploy.resources.limits`` (and ``reservations``)."""

    reservations: Limits | None = None
    """Guaranteed resources (deploy.resources.reservations)."""


class RestartPolicy(_Strict):
    """Swarm-style ``restart_policy``; stackgen maps it onto the plain ``restart`` key."""

    condition: Literal["none", "on-failure", "any"] = "any"
    """When to restart: none, on-failure or any (swarm names)."""
    max_attempts: int | None = Field(default=None, ge=0)
    """Restarts to try before giving up."""
    delay: Duration | None = None
    """Wait between restarts (compose duration)."""
    window: Duration | None = None
    """How long a restart must stay up to count as a success (compose duration)."""


class Passthrough(_Strict):
    """Environment value taken from the host at ``up`` time (rendered as ``KEY: null``)."""

    passthrough: Literal[True]
    """Take the value from the host environment when the stack starts."""


def _env_value(value: Any) -> Any:
    """One environment value: text, null (pass-through), or ``{passthrough: true}``."""
    if value is None or isinstance(value, str | Passthrough):
        return value
    if isinstance(value, dict) and value == {"passthrough": True}:
        return Passthrough(passthrough=True)
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    raise ValueError("an environment value is a string, null, or {passthrough: true}")


EnvValue = Annotated[
    str | Passthrough | None,
    BeforeValidator(
        _env_value, json_schema_input_type=str | int | float | bool | Passthrough | None
    ),
]


def _absolute(path: str) -> str:
    if not path.startswith("/"):
        raise ValueError(f"must be an absolute container path, got {path!r}")
    return path


ContainerPath = Annotated[str, AfterValidator(_absolute)]


class Migrate(_Strict):
    """A one-shot migration job for a service whose instances would otherwise set up the
    database concurrently: rendered as its own service ``<service>-migrate`` (same image,
    environment and ``env_file``; ``restart: "no"``; waiting for the service's databases to be
    healthy), and every instance of the service, and of each service sharing its image and a
    database, waits for it with ``condition: service_completed_successfully``."""

    command: str | list[str]
    """The command that creates or upgrades the schema, then exits 0 (compose `command`)."""
    image: str | None = None
    """Image to run it with (default: the service's own)."""


#: stackgen's own service keys that may also be given under ``verbatim``
VERBATIM_OWN_KEYS = ("healthcheck",)


class Service(BaseModel):
    """One service of the profile.

    Known keys are typed below; any other key of the compose-spec service schema is passed
    through verbatim (``build``, ``command``, ``logging``, ``extra_hosts``, ``env_file`` …).
    Keys that are neither are errors.

    ``verbatim`` holds pass-through keys whose values are compose text already: written out
    exactly as given (``$$`` and ``${VAR}`` mean what compose makes of them; stackgen escapes
    nothing), for values the profile's ``$`` rules cannot express, such as a ``command`` in
    which compose interpolates ``${VAR}``. A key may be given verbatim or outside it, not both;
    of stackgen's own keys only ``healthcheck`` may be verbatim (it then counts as the
    service's healthcheck for ``depends_on`` conditions).
    """

    model_config = ConfigDict(extra="allow", frozen=True, use_attribute_docstrings=True)

    kind: Kind | None = None
    """A catalog kind (image, ports, healthcheck, volumes filled in); omit or `app` for your own image."""
    image: str | None = None
    """Container image; for a catalog kind, overrides its default image."""
    ports: list[int | str | dict[str, Any]] = []
    """Published ports: compose short syntax (8080, "8080:80", "127.0.0.1:5432:5432") or long syntax."""
    expose: list[int | str] = []
    """Ports reachable from other services only."""
    environment: dict[str, EnvValue] = {}
    """Environment variables: a mapping (or a KEY=VALUE list); null or {passthrough: true} takes the host value."""
    depends_on: list[str] | dict[str, Dependency] = []
    """Services to start first: a list (condition chosen from their healthchecks) or a mapping with explicit conditions."""
    healthcheck: Healthcheck | None = None
    """How to probe the service: http, tcp, command or test, plus timings."""
    replicas: int | None = Field(default=None, ge=0)
    """Number of containers (deploy.replicas)."""
    resources: Resources | None = None
    """Limits and reservations → deploy.resources."""
    volumes: list[str | dict[str, Any]] = []
    """Mounts, compose short ("data:/var/lib/x") or long syntax."""
    restart: Restart | None = None
    """Restart policy: no, always, on-failure[:N] or unless-stopped (default from defaults.restart)."""
    restart_policy: RestartPolicy | None = None
    """Swarm-style restart policy, mapped onto restart."""
    config_files: dict[ContainerPath, str] = Field(
        default={}, json_schema_extra={"propertyNames": {"pattern": "^/"}}
    )
    """Files to place in the container: absolute container path → file content (rendered as compose configs)."""
    labels: dict[str, str] = {}
    """Container labels (e.g. Traefik rules)."""
    verbatim: dict[str, Any] = {}
    """Compose service keys written exactly as given (compose text: no `$` escaping)."""
    migrate: Migrate | None = None
    """A one-shot migration run before any instance starts (its own service, restart "no")."""
    first_start: Duration | None = None
    """How long the service's first start can take until it serves (compose duration; default: its kind's)."""
    proxy: bool | None = None
    """true: a reverse proxy that forwards to other services (recognised by image otherwise); false: not one."""
    ignore: dict[str, str] = {}
    """Rule id → why: silence one `stackgen check` rule for this service (render and check; check lists it)."""

    @field_validator("first_start", mode="before", json_schema_input_type=str | int | float | None)
    @classmethod
    def _first_start(cls, value: Any) -> Any:
        return None if value is None else _duration(value)

    @field_validator(
        "environment", mode="before", json_schema_input_type=dict[str, EnvValue] | list[str]
    )
    @classmethod
    def _env_list(cls, value: Any) -> Any:
        if isinstance(value, list):
            out: dict[str, Any] = {}
            for item in value:
                if not isinstance(item, str):
                    raise ValueError("list-form environment entries must be KEY=VALUE strings")
                key, sep, val = item.partition("=")
                out[key] = val if sep else None
            return out
        return value

    @model_validator(mode="after")
    def _known_extras(self) -> Service:
        unknown = [k for k in self.model_extra or {} if not is_service_key(k)]
        if unknown:
            raise ValueError(_unknown_key_message(unknown[0], service_key_names()))
        for key in self.verbatim:
            # verbatim holds compose text for pass-through keys and healthcheck, nothing else
            own = key in Service.model_fields and key not in VERBATIM_OWN_KEYS
            if own or not (key in compose.service_keys() or key.startswith("x-")):
                raise ValueError(
                    f"verbatim: {key!r} is not a pass-through compose service key "
                    "(stackgen's own keys other than healthcheck go outside verbatim)"
                )
            if key in (self.model_extra or {}) or key in self.model_fields_set:
                raise ValueError(f"{key!r} is given both verbatim and outside verbatim; give one")
        return self

    @property
    def passthrough(self) -> dict[str, Any]:
        """Compose keys given verbatim (not modelled by stackgen)."""
        return dict(self.model_extra or {})


class ConsumerGroup(_Strict):
    """Broker-side consumer-group settings, Kafka's names, in milliseconds."""

    initial_rebalance_delay_ms: int | None = Field(default=None, ge=0)
    """group.initial.rebalance.delay.ms: how long the coordinator waits for members before the first rebalance."""
    min_session_timeout_ms: int | None = Field(default=None, ge=0)
    """group.min.session.timeout.ms: smallest session.timeout.ms a consumer may ask for."""
    max_session_timeout_ms: int | None = Field(default=None, ge=0)
    """group.max.session.timeout.ms: largest session.timeout.ms a consumer may ask for."""


# RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens
_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"(?:{_HOST_LABEL}\.)*{_HOST_LABEL}")


def is_hostname(text: str) -> bool:
    """True for an RFC 1123 host name (also a dotted IPv4 address): labels of letters,
    digits and inner ``-``, at most 63 characters each and 253 in all, no trailing dot."""
    return len(text) <= 253 and _HOSTNAME.fullmatch(text) is not None


def _host(value: str) -> str:
    if not is_hostname(value) and not re.fullmatch(r"\[[0-9A-Fa-f:.]+\]", value):
        raise ValueError(
            f"must be a host name or IP address (IPv6 in brackets), got {value!r}: it is "
            "written into KAFKA_ADVERTISED_LISTENERS as-is"
        )
    return value


class Listeners(_Strict):
    """Kafka listeners: internal (service name, containers) and external (published)."""

    internal_port: int = Field(default=29092, ge=1, le=65535)
    """Listener port for containers (advertised as the service name)."""
    external_port: int = Field(default=9092, ge=1, le=65535)
    """Published listener port for clients on the host."""
    external_host: Annotated[str, AfterValidator(_host)] = "localhost"
    """Host name advertised to clients outside the stack."""


class ConsumerEnv(_Strict):
    """Environment variable names a consuming service reads its consumer settings from (the
    application decides them); each named one is rendered into its environment."""

    session_timeout_ms: str | None = None
    """Variable for session.timeout.ms."""
    heartbeat_interval_ms: str | None = None
    """Variable for heartbeat.interval.ms."""
    max_poll_interval_ms: str | None = None
    """Variable for max.poll.interval.ms."""


class Consumer(_Strict):
    """Client side of one consuming service's consumer group (Kafka consumer configs, ms)."""

    group: str | None = None
    """group.id (default: the service name); services sharing one start together."""
    session_timeout_ms: int | None = Field(default=None, ge=1)
    """session.timeout.ms (Kafka's default 45000)."""
    heartbeat_interval_ms: int | None = Field(default=None, ge=1)
    """heartbeat.interval.ms (Kafka's default 3000); at most a third of the session timeout."""
    max_poll_interval_ms: int | None = Field(default=None, ge=1)
    """max.poll.interval.ms (Kafka's default 300000): longest time between two polls."""
    processing_time_ms: int | None = Field(default=None, ge=0)
    """The longest the application takes to process one poll's records (not a Kafka setting)."""
    env: ConsumerEnv = ConsumerEnv()
    """Environment names the service reads the settings from."""


class KafkaSettings(_Strict):
    """Top-level ``kafka``: topic, consumer-group settings, listeners."""

    topic: str | None = None
    """Topic the applications use."""
    consumer_group: ConsumerGroup = ConsumerGroup()
    """Broker-side consumer-group settings."""
    listeners: Listeners = Listeners()
    """Internal and external listeners."""
    consumers: dict[str, Consumer] = {}
    """Consuming service → its consumer settings, checked with the broker's group settings."""


class KafkaRetention(_Strict):
    """Kafka log retention (→ ``KAFKA_LOG_RETENTION_HOURS`` / ``_BYTES``, ``KAFKA_LOG_SEGMENT_BYTES``)."""

    hours: int | None = Field(default=None, ge=1)
    """log.retention.hours."""
    bytes_per_partition: int | None = None
    """log.retention.bytes (a size such as 10GiB)."""
    segment_bytes: int | None = None
    """log.segment.bytes (a size such as 256MiB)."""

    @field_validator(
        "bytes_per_partition",
        "segment_bytes",
        mode="before",
        json_schema_input_type=str | int | None,
    )
    @classmethod
    def _size(cls, value: Any) -> Any:
        return None if value is None else parse_size(value)


class Retention(_Strict):
    """Retention settings, written into the env of the services that use them."""

    session_days: int | None = Field(default=None, ge=1)
    """Days to keep sessions (SESSION_RETENTION_DAYS)."""
    apply_to: list[str] | None = None
    """Services that receive the retention settings (default: all that use them)."""
    kafka: KafkaRetention = KafkaRetention()
    """Kafka log retention."""


class Profile(_Strict):
    """A whole profile (after ``extends`` and ``--set`` are merged in)."""

    name: str = Field(json_schema_extra={"pattern": "^[a-z0-9][a-z0-9_-]*$"})
    """Compose project name: lower-case letters, digits, - and _."""
    extends: str | None = None
    """A base profile (path relative to this file) that this one overlays."""
    defaults: Defaults = Defaults()
    """Values every service gets unless it sets its own."""
    policies: Policies = Policies()
    """stackgen's policies, each on by default; `stackgen import --as-is` turns them off."""
    target: Target = Target()
    """What the rendered file must run on: target.engine, the Docker Engine version."""
    services: dict[str, Service] = Field(
        json_schema_extra={"propertyNames": {"pattern": _SERVICE_NAME.pattern}}
    )
    """The services, by name."""
    domains: dict[str, str] = {}
    """Host name → service:port routed by the reverse proxy."""
    retention: Retention = Retention()
    """Data retention settings."""
    kafka: KafkaSettings = KafkaSettings()
    """Kafka topic, consumer-group and listener settings."""
    volumes: dict[str, dict[str, Any] | None] = {}
    """Top-level named volumes (compose volumes)."""
    networks: dict[str, dict[str, Any] | None] = {}
    """Top-level networks (compose networks)."""
    sensitive: list[str] = []
    """Environment variable names whose values reports mask as ***."""
    interpolation: Literal["braced", "none", "verbatim"] = "braced"
    """How `$` is written: braced keeps ${VAR} references for compose (README "Values and $")."""

    @field_validator("name")
    @classmethod
    def _project_name(cls, value: str) -> str:
        # compose-spec: a project name is lowercase letters, digits, dashes and underscores,
        # starting with a letter or digit
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
            raise ValueError(
                f"{value!r} is not a compose project name: use lowercase letters, digits, "
                "'_' and '-', starting with a letter or digit"
            )
        return value

    @field_validator("services")
    @classmethod
    def _service_names(cls, value: dict[str, Service]) -> dict[str, Service]:
        if not value:
            raise ValueError("a profile needs at least one service")
        for name in value:
            if not _SERVICE_NAME.match(name):
                # load_profile reports each bad name at its own key
                raise ValueError(_NAMES_REPORTED)
        return value


def _unknown_key_message(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r}{hint}"


@dataclass(frozen=True)
class LoadedProfile:
    """A validated profile with where each value came from.

    Attributes:
        profile: the model.
        source: merged data and marks (file:line:col of each value after overlays).
        path: the profile file as given.
    """

    profile: Profile
    source: Document
    path: Path


# Fields whose values the profile keeps as the exact text written, whatever YAML would make
# of it (``KAFKA_BROKER_ID: 1`` → "1", ``ALLOW_PLAINTEXT_LISTENER: yes`` → "yes").
_TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("services", "*", "environment", "*"),
    ("services", "*", "labels", "*"),
    ("services", "*", "image"),
    ("services", "*", "restart"),
    ("services", "*", "container_name"),
    ("domains", "*"),
    ("kafka", "topic"),
    ("defaults", "restart"),
    ("target", "engine"),  # `engine: 25.0` is the version 25.0, not the number 25.0
)


def _matches(path: Path_, pattern: tuple[str, ...]) -> bool:
    return len(path) == len(pattern) and all(
        p == "*" or p == q for p, q in zip(pattern, path, strict=True)
    )


def _restore_text(doc: Document) -> None:
    for path, text in doc.texts.items():
        if any(_matches(path, pat) for pat in _TEXT_FIELDS):
            _set_in(doc.data, path, text)


def _set_in(data: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def overlay(base: Document, top: Document, *, keep_merged_marks: bool = False) -> Document:
    """Merge ``top`` over ``base`` by the module's rule; marks follow the winning values.

    Args:
        keep_merged_marks: for ``--set``: a mapping both sides have keeps the base file's
            position (the command line only names it on the way to the key it sets).

    Returns:
        A new :class:`Document` (inputs are not changed).
    """
    marks = dict(base.marks)
    texts = dict(base.texts)
    merged: set[Path_] = set()

    def merge(b: Any, t: Any, path: Path_) -> Any:
        if isinstance(b, dict) and isinstance(t, dict):
            merged.add(path)
            out = dict(b)
            for key, value in t.items():
                if value is None:
                    # null removes the key; on a key the base lacks it does nothing
                    out.pop(key, None)
                    _drop_under(marks, (*path, key))
                    _drop_under(texts, (*path, key))
                    continue
                out[key] = merge(b.get(key), value, (*path, key)) if key in b else value
                if key not in b or not (isinstance(b.get(key), dict) and isinstance(value, dict)):
                    _drop_under(marks, (*path, key))
                    _drop_under(texts, (*path, key))
            return out
        return t

    data = merge(base.data, top.data, ())
    for path, mark in top.marks.items():
        if path and not (keep_merged_marks and path in merged):
            marks[path] = mark
    texts.update(top.texts)
    return Document(data=data, marks=marks, texts=texts, file=top.file)


def _drop_under(table: dict[Path_, Any], prefix: Path_) -> None:
    n = len(prefix)
    for key in [k for k in table if k[:n] == prefix]:
        del table[key]


def parse_set(expr: str, index: int) -> Document:
    """Turn one ``--set path.to.key=value`` into a one-path document.

    ``\\.`` escapes a dot inside a key (``domains.app\\.example\\.test=frontend:3001``); the
    value is read as YAML (``3``, ``true``, ``[a, b]``, ``{k: v}``).

    Raises:
        InputError: no ``=``, an empty path, a path or value that is not valid UTF-8
            (``<--set #1>:1:COL: path: the value is not valid UTF-8``), or a value that is
            not valid YAML.
    """
    name = f"<--set #{index + 1}>"
    key, sep, raw = expr.partition("=")
    parts = [p.replace("\x00", ".") for p in key.replace("\\.", "\x00").split(".")]
    # the column where each part starts in the expression (``\.`` takes two characters)
    starts, col = [], 1
    for raw_part in key.replace("\\.", "\x00\x00").split("."):
        starts.append(col)
        col += len(raw_part) + 1
    if not sep:
        # the text is not echoed: without its `=`, a secret value cannot be told from the path
        raise InputError.single(name, 1, 1, "", "--set needs path.to.key=value (no '=' found)")
    if not all(parts):
        raise InputError.single(name, 1, 1, key, "--set needs path.to.key=value (empty key)")
    # a byte that is not UTF-8 (argv is decoded with surrogateescape) reaches no parser
    require_utf8(key, name, dotted(tuple(parts)), what="path")
    require_utf8(raw, name, dotted(tuple(parts)), col=len(key) + 2)
    try:
        value_doc = load_text(raw, name) if raw.strip() else Document(data="", file=name)
    except InputError as exc:
        # the value's own line:col, moved onto the one-line command-line expression
        first = exc.diagnostics[0]
        col = len(key) + 1 + (first.col if first.line == 1 else len(raw) + 1)
        # the parser's own "(while parsing … that starts at L:C)" counts inside the value
        reason = re.sub(r" \(while .*\)$", "", first.message.removeprefix("YAML syntax error: "))
        raise InputError.single(
            name,
            1,
            col,
            dotted(tuple(parts)),
            f"the value is not valid YAML ({reason}); quote it to pass it as text",
        ) from None
    value: Any = value_doc.data
    for part in reversed(parts):
        value = {part: value}
    marks: dict[Path_, Mark] = {
        tuple(parts[: i + 1]): Mark(name, 1, starts[i]) for i in range(len(parts))
    }
    # the set key itself keeps its own column (problems point at keys, as in a file);
    # positions inside a structured value point at the value
    marks.update({(*parts, *p): Mark(name, 1, len(key) + 2) for p in value_doc.marks if p})
    texts = {(*parts, *p): t for p, t in value_doc.texts.items()}
    return Document(data=value, marks=marks, texts=texts, file=name)


def read_chain(path: Path, seen: tuple[Path, ...] = ()) -> Document:
    """Read a profile file and, recursively, the bases it ``extends``; returns the overlay.

    Raises:
        InputError: unreadable file, YAML error, ``extends`` cycle or missing base.
    """
    doc = load_file(path)
    if doc.data is None and not seen:
        raise InputError.single(
            doc.file, 1, 1, "", "the profile is empty; it needs at least name and services"
        )
    if doc.data is None:
        doc.data = {}  # an empty base adds nothing
    if not isinstance(doc.data, dict):
        mark = doc.mark(())
        raise InputError.single(
            mark.file,
            mark.line,
            mark.col,
            "",
            f"a profile must be a mapping of keys (name, services, …), not {describe(doc.data)}",
        )
    base_name = doc.data.get("extends")
    if base_name is None:
        return doc
    mark = doc.mark(("extends",))
    if not isinstance(base_name, str):
        raise InputError.single(mark.file, mark.line, mark.col, "extends", "must be a file path")
    base_path = path.parent / base_name
    resolved = base_path.resolve()
    if resolved in seen or resolved == path.resolve():
        chain = " → ".join(str(p.name) for p in (*seen, path.resolve(), resolved))
        raise InputError.single(
            mark.file, mark.line, mark.col, "extends", f"extends cycle: {chain}"
        )
    if not base_path.is_file():
        raise InputError.single(
            mark.file,
            mark.line,
            mark.col,
            "extends",
            f"base profile {base_path.as_posix()!r} not found "
            "(extends paths are relative to the profile that names them)",
        )
    base = read_chain(base_path, (*seen, path.resolve()))
    if isinstance(base.data, dict):
        base.data.pop("extends", None)
    return overlay(base, doc)


def load_profile(path: Path, sets: list[str] | None = None) -> LoadedProfile:
    """Load, overlay and validate a profile.

    Args:
        path: the profile file.
        sets: ``--set path.to.key=value`` overrides, applied in order after ``extends``.

    Returns:
        The :class:`LoadedProfile`.

    Raises:
        InputError: every validation problem, each as ``file:line:col: path: message``.
    """
    return _validated(read_chain(path), path, sets)


def load_profile_text(text: str, display: str) -> LoadedProfile:
    """Validate a profile held in memory (no ``extends``: nothing to read it relative to).

    Args:
        text: the profile YAML.
        display: its name in marks and messages.

    Raises:
        InputError: as :func:`load_profile`, or ``extends`` given.
    """
    doc = load_text(text, display)
    if not isinstance(doc.data, dict):
        raise InputError.single(display, 1, 1, "", "a profile must be a mapping")
    if "extends" in doc.data:
        mark = doc.mark(("extends",))
        raise InputError.single(
            mark.file, mark.line, mark.col, "extends", "not available for a profile in memory"
        )
    return _validated(doc, Path(display), None)


def _validated(doc: Document, path: Path, sets: list[str] | None) -> LoadedProfile:
    problems: list[Diagnostic] = []
    for i, expr in enumerate(sets or []):
        try:
            override = parse_set(expr, i)
        except InputError as exc:
            problems += exc.diagnostics  # every --set mistake at once
            continue
        missing = _set_on_missing_service(doc, override)
        if missing:
            problems.append(missing)
            continue
        doc = overlay(doc, override, keep_merged_marks=True)
    _restore_text(doc)
    problems += _unknown_service_keys(doc) + _bad_service_names(doc)
    try:
        model = Profile.model_validate(doc.data)
    except ValidationError as exc:
        problems += validation_diagnostics(exc, doc)
    if problems:
        raise InputError(problems)
    return LoadedProfile(profile=model, source=doc, path=path)


def describe(value: Any) -> str:
    """What a YAML value is, in words, without its content (which may be a secret)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _set_on_missing_service(doc: Document, override: Document) -> Diagnostic | None:
    """A ``--set services.NAME…`` naming a service the profile does not define: --set changes
    a profile, it does not add services (a typo would otherwise create a new one)."""
    data = override.data
    if not (isinstance(data, dict) and isinstance(data.get("services"), dict)):
        return None
    ((name, value),) = data["services"].items()
    services = doc.data.get("services") if isinstance(doc.data, dict) else None
    if value is None or (isinstance(services, dict) and name in services):
        return None  # removing a service that is not there is harmless
    known = sorted(services) if isinstance(services, dict) else []
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    mark = override.marks[("services", name)]
    return Diagnostic(
        mark.file,
        mark.line,
        mark.col,
        f"services.{name}",
        f"no service {name!r} in the profile; {hint}--set changes existing services "
        "(add new ones in the profile or an extends overlay)",
    )


def _bad_service_names(doc: Document) -> list[Diagnostic]:
    """Service names outside the compose-spec pattern, each at its own key."""
    services = doc.data.get("services") if isinstance(doc.data, dict) else None
    if not isinstance(services, dict):
        return []
    out = []
    for name in services:
        if not _SERVICE_NAME.match(str(name)):
            mark = doc.mark(("services", name))
            out.append(
                Diagnostic(
                    mark.file,
                    mark.line,
                    mark.col,
                    dotted(("services", name)),
                    f"service name {name!r} is not allowed: compose service names use only "
                    "letters, digits, '.', '_' and '-' (compose-spec ^[a-zA-Z0-9._-]+$)",
                )
            )
    return out


def service_key_names() -> list[str]:
    """Keys a profile service may have: stackgen's own, then the compose-spec service keys."""
    return [*Service.model_fields, *sorted(compose.service_keys())]


def is_service_key(key: str) -> bool:
    """True for a stackgen or compose-spec service key, or an ``x-`` extension."""
    return key in Service.model_fields or key in compose.service_keys() or key.startswith("x-")


def _unknown_service_keys(doc: Document) -> list[Diagnostic]:
    """Service keys that are neither stackgen's nor compose's, each at its own position."""
    services = doc.data.get("services") if isinstance(doc.data, dict) else None
    if not isinstance(services, dict):
        return []
    known = service_key_names()
    out = []
    for name, body in services.items():
        if not isinstance(body, dict):
            continue
        for key in body:
            if not is_service_key(str(key)):
                mark = doc.mark(("services", name, key))
                path = dotted(("services", name, key))
                out.append(
                    Diagnostic(
                        mark.file, mark.line, mark.col, path, _unknown_key_message(key, known)
                    )
                )
    return out


def data_path(loc: tuple[Any, ...], data: Any) -> Path_:
    """Keep only the parts of a pydantic ``loc`` that are real keys/indices of ``data``."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and _is_field_name(part):
            out.append(part)  # a required key that is missing: name it
            node = None
    return tuple(out)


def _is_field_name(part: str) -> bool:
    # pydantic also puts union member tags in a loc: types (str, list[str], function-after[…])
    # and model class names (Passthrough); field names are snake_case
    return (
        part.isidentifier()
        and not part[:1].isupper()
        and part not in ("str", "int", "float", "list", "dict", "bool")
    )


# pydantic error types that mean "the value has the wrong type" → what was expected
_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _message(err: Any, path: Path_) -> str:
    """A pydantic error as one plain sentence; values are named by type only, except an
    unknown choice (a kind, a condition), whose value is the point of the message."""
    kind, msg, ctx = err["type"], err["msg"], err.get("ctx") or {}
    if kind == "literal_error":
        field = path[-1] if path and isinstance(path[-1], str) else "value"
        choices = re.findall(r"'([^']*)'", str(ctx["expected"]))
        close = difflib.get_close_matches(str(err["input"]).lower(), choices, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown {field} {err['input']!r}{hint} (one of {', '.join(choices)})"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {
            "greater_than_equal": f"at least {_number(ctx.get('ge'))}",
            "less_than_equal": f"at most {_number(ctx.get('le'))}",
            "greater_than": f"more than {_number(ctx.get('gt'))}",
            "less_than": f"less than {_number(ctx.get('lt'))}",
        }[kind]
        return f"must be {bound}, got {err['input']!r}"
    if kind == "string_pattern_mismatch":
        return f"must match {ctx.get('pattern')}"
    if kind == "missing":
        return "required field is missing"
    if msg.startswith("Value error, "):
        return str(msg[len("Value error, ") :])
    return str(msg)


def _number(value: Any) -> str:
    # pydantic states float bounds as floats: "more than 0", not "more than 0.0"
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def validation_diagnostics(exc: ValidationError, doc: Document) -> list[Diagnostic]:
    """Turn a pydantic ValidationError into diagnostics with file:line:col.

    A union (``str | list[str]``) fails once per member; the type errors of one path are
    joined into one message naming every accepted type.
    """
    found: dict[str, Diagnostic] = {}
    expected: dict[str, list[str]] = {}
    for err in exc.errors(include_url=False):
        path = data_path(tuple(err["loc"]), doc.data)
        mark = doc.mark(path)
        where = dotted(path)
        if err["type"] == "extra_forbidden":
            known = _known_fields(tuple(err["loc"]))
            msg = _unknown_key_message(str(path[-1]) if path else "?", known)
        elif err["type"] in _EXPECTED:
            nouns = expected.setdefault(where, [])
            if _EXPECTED[err["type"]] not in nouns:
                nouns.append(_EXPECTED[err["type"]])
            msg = f"must be {' or '.join(nouns)}, got {describe(err['input'])}"
            if where in found and found[where].message.startswith("must be "):
                found[where] = Diagnostic(mark.file, mark.line, mark.col, where, msg)
        else:
            msg = _message(err, path)
        if err["type"] == "value_error" and msg.startswith("unknown key"):
            continue  # already reported, at the key itself, by _unknown_service_keys
        if msg == _NAMES_REPORTED:
            continue  # reported, at each name, by _bad_service_names
        diag = Diagnostic(mark.file, mark.line, mark.col, where, msg)
        # a union yields one error per member; keep the first per path
        found.setdefault(diag.path or str(diag), diag)
    return list(found.values())


def _known_fields(loc: tuple[Any, ...]) -> list[str]:
    model: Any = Profile
    for part in loc[:-1]:
        fields = getattr(model, "model_fields", None) or {}
        if part in fields:
            model = _model_in(fields[part].annotation) or model
    known = list(getattr(model, "model_fields", None) or {})
    return service_key_names() if model is Service else known


def _model_in(ann: Any) -> Any:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
