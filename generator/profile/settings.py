"""The profile's settings blocks: healthcheck, policies, defaults, target, dependencies,
resources, restart policy, Kafka and retention settings (pydantic, unknown keys rejected)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from ..compose.goparse import INT64_MAX
from ..compose.units import parse_size
from .fields import Duration, EngineVersion, Restart, _duration, _host, _Strict

#: the largest Java ``int`` (Kafka's ``ConfigDef.Type.INT`` settings) and Kubernetes ``int32``
INT32_MAX = 2**31 - 1
#: the most CPUs docker holds: the engine runs ``cpus`` as NanoCPUs, a Go int64 of 1e-9 cores
#: (at most 9223372036.85 cores), and compose-go reads ``cpus`` as a float32, whose rounding
#: near that bound reaches 2**63; 2**33 cores times 1e9 stays below it in either precision
MAX_CPUS = float(2**33)
#: the most days of ``retention.session_days``: an application turns days into a duration,
#: and the finest common one, Go's ``time.Duration`` (int64 nanoseconds), holds 106751 days
MAX_SESSION_DAYS = INT64_MAX // (86_400 * 10**9)
#: Kafka's smallest ``log.segment.bytes`` (``atLeast(LegacyRecord.RECORD_OVERHEAD_V0)``)
MIN_SEGMENT_BYTES = 14
#: what a size field takes in JSON Schema: text (``512MiB``, checked by stackgen), or bytes
_BYTES = str | Annotated[int, Field(ge=0, le=INT64_MAX)] | None
_SEGMENT_BYTES = str | Annotated[int, Field(ge=MIN_SEGMENT_BYTES, le=INT32_MAX)] | None


class HealthTiming(_Strict):
    """Healthcheck timing (compose spec ``healthcheck``); durations as compose text."""

    interval: Duration | None = None
    """Time between probes (compose duration such as 10s or 1m30s; a number means seconds)."""
    timeout: Duration | None = None
    """How long one probe may run before it counts as failed (compose duration)."""
    retries: int | None = Field(default=None, ge=0, le=INT32_MAX)
    """Consecutive failures before the service is unhealthy (at most 2147483647: the Kubernetes target writes it as failureThreshold, an int32)."""
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
    # model_construct: the instance HealthTiming() makes, without building its validator at
    # import (defer_build); the same for every default block below (tested equal)
    healthcheck: HealthTiming = HealthTiming.model_construct()
    """Healthcheck timings for services that set none."""


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
    cpus: float | None = Field(default=None, gt=0, le=MAX_CPUS)
    """CPU limit in cores (0.5 = half a core; at most 8589934592 = 2**33: docker holds it as int64 nanocores)."""

    @field_validator("memory", mode="before", json_schema_input_type=_BYTES)
    @classmethod
    def _size(cls, value: Any) -> Any:
        return None if value is None else parse_size(value, profile=True)


class Resources(Limits):
    """``resources`` → ``deploy.resources.limits`` (and ``reservations``)."""

    reservations: Limits | None = None
    """Guaranteed resources (deploy.resources.reservations)."""


class RestartPolicy(_Strict):
    """Swarm-style ``restart_policy``; stackgen maps it onto the plain ``restart`` key."""

    condition: Literal["none", "on-failure", "any"] = "any"
    """When to restart: none, on-failure or any (swarm names)."""
    max_attempts: int | None = Field(default=None, ge=0, le=INT64_MAX)
    """Restarts to try before giving up (restart on-failure:N; docker reads N as a 64-bit int)."""
    delay: Duration | None = None
    """Wait between restarts (compose duration)."""
    window: Duration | None = None
    """How long a restart must stay up to count as a success (compose duration)."""


class ConsumerGroup(_Strict):
    """Broker-side consumer-group settings, Kafka's names, in milliseconds (each a Java int in
    Kafka's broker config: at most 2147483647)."""

    initial_rebalance_delay_ms: int | None = Field(default=None, ge=0, le=INT32_MAX)
    """group.initial.rebalance.delay.ms: how long the coordinator waits for members before the first rebalance."""
    min_session_timeout_ms: int | None = Field(default=None, ge=0, le=INT32_MAX)
    """group.min.session.timeout.ms: smallest session.timeout.ms a consumer may ask for."""
    max_session_timeout_ms: int | None = Field(default=None, ge=0, le=INT32_MAX)
    """group.max.session.timeout.ms: largest session.timeout.ms a consumer may ask for."""


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
    """Client side of one consuming service's consumer group (Kafka consumer configs, ms; each a
    Java int in Kafka's consumer config: at most 2147483647)."""

    group: str | None = None
    """group.id (default: the service name); services sharing one start together."""
    session_timeout_ms: int | None = Field(default=None, ge=1, le=INT32_MAX)
    """session.timeout.ms (Kafka's default 45000)."""
    heartbeat_interval_ms: int | None = Field(default=None, ge=1, le=INT32_MAX)
    """heartbeat.interval.ms (Kafka's default 3000); at most a third of the session timeout."""
    max_poll_interval_ms: int | None = Field(default=None, ge=1, le=INT32_MAX)
    """max.poll.interval.ms (Kafka's default 300000): longest time between two polls."""
    processing_time_ms: int | None = Field(default=None, ge=0, le=INT32_MAX - 1)
    """The longest the application takes to process one poll's records (not a Kafka setting; it must stay below max.poll.interval.ms, at most 2147483647, so at most 2147483646)."""
    env: ConsumerEnv = ConsumerEnv.model_construct()
    """Environment names the service reads the settings from."""


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


class KafkaSettings(_Strict):
    """Top-level ``kafka``: topic, consumer-group settings, listeners."""

    topic: str | None = None
    """Topic the applications use."""
    consumer_group: ConsumerGroup = ConsumerGroup.model_construct()
    """Broker-side consumer-group settings."""
    listeners: Listeners = Listeners.model_construct()
    """Internal and external listeners."""
    consumers: dict[str, Consumer] = Field(default_factory=dict)
    """Consuming service → its consumer settings, checked with the broker's group settings."""


class KafkaRetention(_Strict):
    """Kafka log retention (→ ``KAFKA_LOG_RETENTION_HOURS`` / ``_BYTES``, ``KAFKA_LOG_SEGMENT_BYTES``)."""

    hours: int | None = Field(default=None, ge=1, le=INT32_MAX)
    """log.retention.hours (a Java int in Kafka's broker config: at most 2147483647)."""
    bytes_per_partition: int | None = None
    """log.retention.bytes (a size such as 10GiB)."""
    segment_bytes: int | None = Field(default=None, ge=MIN_SEGMENT_BYTES, le=INT32_MAX)
    """log.segment.bytes (a size such as 256MiB; a Java int in Kafka's broker config: 14 bytes to 2147483647, just under 2GiB)."""

    @field_validator("bytes_per_partition", mode="before", json_schema_input_type=_BYTES)
    @classmethod
    def _size(cls, value: Any) -> Any:
        return None if value is None else parse_size(value, profile=True)

    @field_validator("segment_bytes", mode="before", json_schema_input_type=_SEGMENT_BYTES)
    @classmethod
    def _segment_size(cls, value: Any) -> Any:
        # a number of bytes goes to the field's own bounds (Kafka's int), stated as such
        if value is None or type(value) is int:
            return value
        return parse_size(value, profile=True)


class Retention(_Strict):
    """Retention settings, written into the env of the services that use them."""

    session_days: int | None = Field(default=None, ge=1, le=MAX_SESSION_DAYS)
    """Days to keep sessions (SESSION_RETENTION_DAYS; at most 106751, the most days a Go time.Duration, int64 nanoseconds, holds)."""
    apply_to: list[str] | None = None
    """Services that receive the retention settings (default: all that use them)."""
    kafka: KafkaRetention = KafkaRetention.model_construct()
    """Kafka log retention."""


class TopSecret(_Strict):
    """A top-level secret (compose-spec secrets.md): exactly one source, a file or a variable."""

    file: str | None = None
    """Host file holding the secret (relative paths: to the profile's folder)."""
    environment: str | None = None
    """Name of the variable, in the environment docker compose runs in, holding the secret."""
    name: str | None = None
    """Name of the secret on the platform (default: <project>_<key>)."""

    @model_validator(mode="after")
    def _one_source(self) -> TopSecret:
        if (self.file is None) == (self.environment is None):
            raise ValueError("a secret needs exactly one of file or environment")
        return self


class TopConfig(_Strict):
    """A top-level config (compose-spec configs.md): exactly one of file, content, environment."""

    file: str | None = None
    """Host file holding the config (relative paths: to the profile's folder)."""
    content: str | None = None
    """The config's text, written into the compose file."""
    environment: str | None = None
    """Name of the variable, in the environment docker compose runs in, holding the config."""
    name: str | None = None
    """Name of the config on the platform (default: <project>_<key>)."""

    @model_validator(mode="after")
    def _one_source(self) -> TopConfig:
        if sum(v is not None for v in (self.file, self.content, self.environment)) != 1:
            raise ValueError("a config needs exactly one of file, content or environment")
        return self
