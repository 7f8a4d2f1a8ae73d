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

from . import compose
from .errors import Diagnostic, InputError
from .loader import Document, Mark, Path_, dotted, load_file, load_text
from .units import parse_duration, parse_size

KINDS = ("postgres", "redis", "zookeeper", "kafka", "clickhouse", "otel-collector", "app")
Kind = Literal["postgres", "redis", "zookeeper", "kafka", "clickhouse", "otel-collector", "app"]
CONDITIONS = ("service_started", "service_healthy", "service_completed_successfully")


_RESTART = re.compile(r"^(?:no|always|unless-stopped|on-failure(?::\d+)?)$")


def _restart(value: str) -> str:
    # compose spec, services "restart"
    if not _RESTART.match(value):
        raise ValueError(f"{value!r} is not one of no, always, on-failure[:N], unless-stopped")
    return value


Restart = Annotated[str, AfterValidator(_restart)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _duration(value: Any) -> str:
    """Compose duration text for a profile value: checked, numbers read as seconds."""
    parse_duration(value)  # raises ValueError for anything compose would not accept
    return f"{value}s" if isinstance(value, int | float) else str(value)


Duration = Annotated[str, Field(description="compose duration, e.g. 30s or 1m30s")]


class HealthTiming(_Strict):
    """Healthcheck timing (compose spec ``healthcheck``); durations as compose text."""

    interval: Duration | None = None
    timeout: Duration | None = None
    retries: int | None = Field(default=None, ge=0)
    start_period: Duration | None = None
    start_interval: Duration | None = None

    @field_validator("interval", "timeout", "start_period", "start_interval", mode="before")
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
    tcp: int | None = Field(default=None, ge=1, le=65535)
    command: str | list[str] | None = None
    test: str | list[str] | None = None
    tool: Literal["wget", "curl"] = "wget"
    disable: bool = False

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


class Defaults(_Strict):
    """Values applied to every service that does not set its own."""

    restart: Restart = "unless-stopped"
    healthcheck: HealthTiming = HealthTiming()


class Dependency(_Strict):
    """Long-form ``depends_on`` entry (compose spec ``depends_on``)."""

    condition: (
        Literal["service_started", "service_healthy", "service_completed_successfully"] | None
    ) = None
    restart: bool | None = None
    required: bool | None = None


class Limits(_Strict):
    """Memory (bytes, any of ``512MiB``/``1GiB``/``1g``/``512m``) and CPUs (cores)."""

    memory: int | None = None
    cpus: float | None = Field(default=None, gt=0)

    @field_validator("memory", mode="before")
    @classmethod
    def _size(cls, value: Any) -> Any:
        return None if value is None else parse_size(value)


class Resources(Limits):
    """``resources`` → ``deploy.resources.limits`` (and ``reservations``)."""

    reservations: Limits | None = None


class RestartPolicy(_Strict):
    """Swarm-style ``restart_policy``; stackgen maps it onto the plain ``restart`` key."""

    condition: Literal["none", "on-failure", "any"] = "any"
    max_attempts: int | None = Field(default=None, ge=0)
    delay: Duration | None = None
    window: Duration | None = None


class Passthrough(_Strict):
    """Environment value taken from the host at ``up`` time (rendered as ``KEY: null``)."""

    passthrough: Literal[True]


def _env_value(value: Any) -> Any:
    """One environment value: text, null (pass-through), or ``{passthrough: true}``."""
    if value is None or isinstance(value, str | Passthrough):
        return value
    if isinstance(value, dict) and value == {"passthrough": True}:
        return Passthrough(passthrough=True)
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    raise ValueError("an environment value is a string, null, or {passthrough: true}")


EnvValue = Annotated[str | Passthrough | None, BeforeValidator(_env_value)]


def _absolute(path: str) -> str:
    if not path.startswith("/"):
        raise ValueError(f"must be an absolute container path, got {path!r}")
    return path


ContainerPath = Annotated[str, AfterValidator(_absolute)]


class Service(BaseModel):
    """One service of the profile.

    Known keys are typed below; any other key of the compose-spec service schema is passed
    through verbatim (``build``, ``command``, ``logging``, ``extra_hosts``, ``env_file`` …).
    Keys that are neither are errors.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    kind: Kind | None = None
    image: str | None = None
    ports: list[int | str] = []
    expose: list[int | str] = []
    environment: dict[str, EnvValue] = {}
    depends_on: list[str] | dict[str, Dependency] = []
    healthcheck: Healthcheck | None = None
    replicas: int | None = Field(default=None, ge=0)
    resources: Resources | None = None
    volumes: list[str | dict[str, Any]] = []
    restart: Restart | None = None
    restart_policy: RestartPolicy | None = None
    config_files: dict[ContainerPath, str] = {}
    labels: dict[str, str] = {}

    @field_validator("environment", mode="before")
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
        return self

    @property
    def passthrough(self) -> dict[str, Any]:
        """Compose keys given verbatim (not modelled by stackgen)."""
        return dict(self.model_extra or {})


class ConsumerGroup(_Strict):
    """Broker-side consumer-group settings, Kafka's names, in milliseconds."""

    initial_rebalance_delay_ms: int | None = Field(default=None, ge=0)
    min_session_timeout_ms: int | None = Field(default=None, ge=0)
    max_session_timeout_ms: int | None = Field(default=None, ge=0)


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
    external_port: int = Field(default=9092, ge=1, le=65535)
    external_host: Annotated[str, AfterValidator(_host)] = "localhost"


class KafkaSettings(_Strict):
    """Top-level ``kafka``: topic, consumer-group settings, listeners."""

    topic: str | None = None
    consumer_group: ConsumerGroup = ConsumerGroup()
    listeners: Listeners = Listeners()


class KafkaRetention(_Strict):
    """Kafka log retention (→ ``KAFKA_LOG_RETENTION_HOURS`` / ``_BYTES``, ``KAFKA_LOG_SEGMENT_BYTES``)."""

    hours: int | None = Field(default=None, ge=1)
    bytes_per_partition: int | None = None
    segment_bytes: int | None = None

    @field_validator("bytes_per_partition", "segment_bytes", mode="before")
    @classmethod
    def _size(cls, value: Any) -> Any:
        return None if value is None else parse_size(value)


class Retention(_Strict):
    """Retention settings, written into the env of the services that use them."""

    session_days: int | None = Field(default=None, ge=1)
    apply_to: list[str] | None = None
    kafka: KafkaRetention = KafkaRetention()


class Profile(_Strict):
    """A whole profile (after ``extends`` and ``--set`` are merged in)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    extends: str | None = None
    defaults: Defaults = Defaults()
    services: dict[str, Service]
    domains: dict[str, str] = {}
    retention: Retention = Retention()
    kafka: KafkaSettings = KafkaSettings()
    volumes: dict[str, dict[str, Any] | None] = {}
    networks: dict[str, dict[str, Any] | None] = {}
    sensitive: list[str] = []
    # how `$` is written (README "Values and $"; plan._Dollars)
    interpolation: Literal["braced", "none", "verbatim"] = "braced"

    @field_validator("services")
    @classmethod
    def _service_names(cls, value: dict[str, Service]) -> dict[str, Service]:
        for name in value:
            if not re.fullmatch(r"[a-zA-Z0-9._-]+", name):
                raise ValueError(f"service name {name!r} may hold only letters, digits, . _ -")
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
        InputError: no ``=`` or an empty path.
    """
    name = f"<--set #{index + 1}>"
    key, sep, raw = expr.partition("=")
    parts = [p.replace("\x00", ".") for p in key.replace("\\.", "\x00").split(".")]
    if not sep:
        # the text is not echoed: without its `=`, a secret value cannot be told from the path
        raise InputError.single(name, 1, 1, "", "--set needs path.to.key=value (no '=' found)")
    if not all(parts):
        raise InputError.single(name, 1, 1, key, "--set needs path.to.key=value (empty key)")
    value_doc = load_text(raw, name) if raw.strip() else Document(data="", file=name)
    value: Any = value_doc.data
    for part in reversed(parts):
        value = {part: value}
    marks: dict[Path_, Mark] = {tuple(parts[: i + 1]): Mark(name, 1, 1) for i in range(len(parts))}
    marks.update({(*parts, *p): Mark(name, 1, len(key) + 2) for p in value_doc.marks})
    texts = {(*parts, *p): t for p, t in value_doc.texts.items()}
    return Document(data=value, marks=marks, texts=texts, file=name)


def read_chain(path: Path, seen: tuple[Path, ...] = ()) -> Document:
    """Read a profile file and, recursively, the bases it ``extends``; returns the overlay.

    Raises:
        InputError: unreadable file, YAML error, ``extends`` cycle or missing base.
    """
    doc = load_file(path)
    if doc.data is None:
        doc.data = {}
    if not isinstance(doc.data, dict):
        raise InputError.single(doc.file, 1, 1, "", "a profile must be a mapping")
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
            mark.file, mark.line, mark.col, "extends", f"base profile {str(base_path)!r} not found"
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
    doc = read_chain(path)
    for i, expr in enumerate(sets or []):
        doc = overlay(doc, parse_set(expr, i), keep_merged_marks=True)
    _restore_text(doc)
    problems = _unknown_service_keys(doc)
    try:
        model = Profile.model_validate(doc.data)
    except ValidationError as exc:
        problems += validation_diagnostics(exc, doc)
    if problems:
        raise InputError(problems)
    return LoadedProfile(profile=model, source=doc, path=path)


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


def validation_diagnostics(exc: ValidationError, doc: Document) -> list[Diagnostic]:
    """Turn a pydantic ValidationError into diagnostics with file:line:col."""
    found: dict[str, Diagnostic] = {}
    for err in exc.errors(include_url=False):
        path = data_path(tuple(err["loc"]), doc.data)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            known = _known_fields(tuple(err["loc"]))
            msg = _unknown_key_message(str(path[-1]) if path else "?", known)
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        elif err["type"] == "missing":
            msg = "required field is missing"
        mark = doc.mark(path)
        diag = Diagnostic(mark.file, mark.line, mark.col, dotted(path), msg)
        # a union yields one error per member; keep the first per path
        if err["type"] == "value_error" and msg.startswith("unknown key"):
            continue  # already reported, at the key itself, by _unknown_service_keys
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
