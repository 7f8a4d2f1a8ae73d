"""The profile: pydantic models (unknown keys rejected) and the overlay merge.

A profile file may name a base with ``extends: base.yml`` (a path relative to the profile) and
the command line may add ``--set path.to.key=value``. The merge rule, applied base first,
then each ``extends`` child, then each ``--set`` in order:

* a mapping merges into a mapping key by key, recursively;
* ``null`` removes the key (to make an env var pass-through in an overlay, write
  ``{passthrough: true}``);
* anything else (a list, a scalar) replaces the base value whole;
* a value tagged ``!replace`` (or compose's ``!override``), or written ``{$replace: VALUE}``,
  replaces the base value whole, mapping or not (:mod:`stackgen.profile.replace`);
* ``extends`` itself is not inherited.

This is Helm's values rule: lists replace, so an environment can narrow a list (ports,
depends_on) without a special syntax.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from ..compose import schema as compose
from ..compose.names import PROJECT_NAME_PATTERN, is_project_name
from .fields import (
    ContainerPath,
    Duration,
    EnvValue,
    Restart,
    _duration,
)
from .kubernetes import KubernetesSettings, TargetName
from .settings import (
    Defaults,
    Dependency,
    Healthcheck,
    KafkaSettings,
    Migrate,
    Policies,
    Resources,
    RestartPolicy,
    Retention,
    Target,
    TopConfig,
    TopSecret,
)

KINDS = ("postgres", "redis", "zookeeper", "kafka", "clickhouse", "otel-collector", "app")
Kind = Literal["postgres", "redis", "zookeeper", "kafka", "clickhouse", "otel-collector", "app"]


# compose-spec schema, "services" patternProperties
_SERVICE_NAME = re.compile(r"[a-zA-Z0-9._-]+")  # used with fullmatch; ^…$ in JSON Schema
_NAMES_REPORTED = "service names are checked by _bad_service_names"


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

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

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
    replicas: int | None = Field(default=None, ge=0, le=2**31 - 1)
    """Number of containers (deploy.replicas; at most 2147483647: Kubernetes' spec.replicas is an int32)."""
    resources: Resources | None = None
    """Limits and reservations → deploy.resources."""
    volumes: list[str | dict[str, Any]] = []
    """Mounts, compose short ("data:/var/lib/x") or long syntax."""
    restart: Restart | None = None
    """Restart policy: no, always, on-failure[:N] or unless-stopped (default from defaults.restart)."""
    restart_policy: RestartPolicy | None = None
    """Swarm-style restart policy, mapped onto restart."""
    one_shot: bool = False
    """A job that runs to completion (a migration, an init step), not a long-running service: no restart policy from defaults (restart "no"), no catalog healthcheck, and list-form depends_on on it waits for service_completed_successfully. A service others wait on with service_completed_successfully is one without this key."""
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


class Profile(BaseModel):
    """A whole profile (after ``extends`` and ``--set`` are merged in)."""

    # attribute docstrings become JSON Schema descriptions when `stackgen schema` asks
    # (stackgen.profile.jsonschema: reading the source here would slow every start-up)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(json_schema_extra={"pattern": PROJECT_NAME_PATTERN})
    """Compose project name: lower-case letters, digits, - and _."""
    extends: str | None = None
    """A base profile (path relative to this file) that this one overlays."""
    # the settings blocks' defaults are made with model_construct: with no values there is
    # nothing to validate, and calling Defaults() here would build validators at import that
    # the profile's own validator does not use (defer_build); equal to Defaults() (tested)
    defaults: Defaults = Defaults.model_construct()
    """Values every service gets unless it sets its own."""
    policies: Policies = Policies.model_construct()
    """stackgen's policies, each on by default; `stackgen import --as-is` turns them off."""
    target: Target = Target.model_construct()
    """What the rendered file must run on: target.engine, the Docker Engine version."""
    services: dict[str, Service] = Field(
        json_schema_extra={"propertyNames": {"pattern": f"^{_SERVICE_NAME.pattern}$"}}
    )
    """The services, by name."""
    domains: dict[str, str] = {}
    """Host name → service:port routed by the reverse proxy."""
    retention: Retention = Retention.model_construct()
    """Data retention settings."""
    kafka: KafkaSettings = KafkaSettings.model_construct()
    """Kafka topic, consumer-group and listener settings."""
    volumes: dict[str, dict[str, Any] | None] = {}
    """Top-level named volumes (compose volumes)."""
    networks: dict[str, dict[str, Any] | None] = {}
    """Top-level networks (compose networks)."""
    secrets: dict[str, TopSecret] = {}
    """Top-level secrets (compose secrets) that services list under `secrets`: `file` (a host path, relative to the profile's folder) or `environment` (a variable of the environment docker compose runs in)."""
    configs: dict[str, TopConfig] = {}
    """Top-level configs (compose configs) that services list under `configs`: `file`, `content` or `environment`."""
    sensitive: list[str] = []
    """Environment variable names whose values reports mask as ***."""
    interpolation: Literal["braced", "none", "verbatim"] = "braced"
    """How `$` is written: braced keeps ${VAR} references for compose (README "Values and $")."""
    targets: list[TargetName] = Field(default=["compose"], min_length=1)
    """What `stackgen render` writes for this profile: compose (out/<profile>/compose.yml), kubernetes (out/<profile>/kubernetes.yml), or both."""
    kubernetes: KubernetesSettings = KubernetesSettings.model_construct()
    """Settings of the Kubernetes target (render --target kubernetes)."""

    @field_validator("name")
    @classmethod
    def _project_name(cls, value: str) -> str:
        # compose-spec: a project name is lowercase letters, digits, dashes and underscores,
        # starting with a letter or digit
        if not is_project_name(value):
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
            if not _SERVICE_NAME.fullmatch(name):
                # load_profile reports each bad name at its own key
                raise ValueError(_NAMES_REPORTED)
        return value


def _unknown_key_message(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r}{hint}"


def service_key_names() -> list[str]:
    """Keys a profile service may have: stackgen's own, then the compose-spec service keys."""
    return [*Service.model_fields, *sorted(compose.service_keys())]


@cache
def _service_keys() -> frozenset[str]:
    # the union, made once: asked for every key of every service of a profile
    return frozenset(Service.model_fields) | compose.service_keys()


def is_service_key(key: str) -> bool:
    """True for a stackgen or compose-spec service key, or an ``x-`` extension."""
    return key in _service_keys() or key.startswith("x-")
