"""The shape a kind partial must render (README, "Your own templates"), checked for a user's
``--templates`` partial before its values are used: a wrong type there is the user's mistake
(exit 2 at the template and key), never a crash inside stackgen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..compose.units import parse_duration
from ..errors import Diagnostic, InputError

#: the healthcheck timing keys, each a compose duration
_DURATIONS = ("interval", "timeout", "start_period", "start_interval")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _a(value: Any) -> str:
    """What YAML value ``value`` is, for a message (never the value: it may be a secret)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null" if value is None else "text"


def _list_of(test: Callable[[Any], bool], one: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return f"must be a list, each item {one}; not {_a(value)}"
        bad = next((i for i, item in enumerate(value) if not test(item)), None)
        return None if bad is None else f"item {bad} must be {one}, not {_a(value[bad])}"

    return check


def _mapping_of_scalars(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"must be a mapping, not {_a(value)}"
    bad = next((str(k) for k, v in value.items() if not _is_scalar(v)), None)
    # the value is not shown: environment values may be secrets
    return None if bad is None else f"{bad} must be a string or a number, not {_a(value[bad])}"


def _healthcheck(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"must be a mapping, not {_a(value)}"
    test = value.get("test")
    if test is not None and not (isinstance(test, list) and all(map(_is_scalar, test))):
        return "test must be a list of strings (CMD or CMD-SHELL first)"
    for key in _DURATIONS:
        if value.get(key) is not None:
            try:
                parse_duration(value[key])
            except (TypeError, ValueError) as exc:
                return f"{key}: {exc}"
    return None


_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "image": lambda v: None if isinstance(v, str) else f"must be a string, not {_a(v)}",
    "listens": _list_of(lambda p: _is_int(p) and 0 < p < 65536, "a port number (1-65535)"),
    "ports": _list_of(_is_scalar, "a string"),
    "volumes": _list_of(lambda v: isinstance(v, str), "a string"),
    "named_volumes": _list_of(lambda v: isinstance(v, str), "a string"),
    "environment": _mapping_of_scalars,
    "probe_environment": _mapping_of_scalars,
    "healthcheck": _healthcheck,
    "volume_size": lambda v: None if _is_scalar(v) else f"must be a size such as 8Gi, not {_a(v)}",
}


def check_kind_mapping(data: dict[Any, Any], file: str) -> None:
    """Check the mapping a user's kind partial rendered: each known key (``image``,
    ``listens``, ``ports``, ``volumes``, ``named_volumes``, ``environment``, ``healthcheck``,
    ``probe_environment``, ``volume_size``) of the type stackgen reads; a key left out or
    null is allowed (the kind then has no default for it).

    Args:
        data: the parsed output of the partial.
        file: the partial's file as the user named it (``DIR/kinds/_<kind>.yml.j2``).

    Raises:
        InputError: one diagnostic per key of a wrong type, ``file: key: message`` (no value
            shown).
    """
    problems = []
    for key, check in _CHECKS.items():
        if data.get(key) is not None:
            message = check(data[key])
            if message is not None:
                problems.append(
                    Diagnostic(file, 0, 0, key, f"{message} (in the text the template rendered)")
                )
    if problems:
        raise InputError(problems)
