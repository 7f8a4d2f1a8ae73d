"""Field types of the profile models and their checks: restart, durations, engine versions, environment values, container paths, host names."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)

from ..compose.units import parse_duration

_RESTART = re.compile(r"(?:no|always|unless-stopped|on-failure(?::[0-9]{1,9})?)")  # fullmatch


def _restart(value: str) -> str:
    # compose spec, services "restart"
    if not _RESTART.fullmatch(value):
        raise ValueError(f"{value!r} is not one of no, always, on-failure[:N], unless-stopped")
    return value


Restart = Annotated[
    str, AfterValidator(_restart), Field(json_schema_extra={"pattern": f"^{_RESTART.pattern}$"})
]


def _duration(value: Any) -> str:
    """Compose duration text for a profile value: checked, numbers read as seconds."""
    parse_duration(value)  # raises ValueError for anything compose would not accept
    return f"{value}s" if isinstance(value, int | float) else str(value)


Duration = Annotated[str, Field(description="compose duration, e.g. 30s or 1m30s")]
# Docker Engine versions as `docker version` prints them: MAJOR[.MINOR[.PATCH]]
_ENGINE = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9}){0,2}")  # fullmatch


def _engine(value: str) -> str:
    if not _ENGINE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a Docker Engine version: give it dotted, as `docker version` "
            'prints it under Server: Engine, e.g. "24.0.7" or "25.0"'
        )
    return value


EngineVersion = Annotated[
    str, AfterValidator(_engine), Field(json_schema_extra={"pattern": f"^{_ENGINE.pattern}$"})
]


def _absolute(path: str) -> str:
    if not path.startswith("/"):
        raise ValueError(f"must be an absolute container path, got {path!r}")
    return path


ContainerPath = Annotated[str, AfterValidator(_absolute)]
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


class _Strict(BaseModel):
    # attribute docstrings become the JSON Schema descriptions editors show, when `stackgen
    # schema` asks (stackgen.profile.jsonschema; reading the source here slows every start-up).
    # defer_build: a model's validator is built when it is first used, not as its class is
    # created; a profile's validation builds the one schema it needs (its nested models
    # inline), and models a command never validates on their own are never built
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
