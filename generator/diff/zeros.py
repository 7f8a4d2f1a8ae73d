"""Service values docker compose reads as no value at all, and its spellings of one value.

``docker compose config`` prints a service from compose-go's model, where most fields are
plain Go values left out when zero: ``privileged: false``, ``user: ""``, ``cap_add: []``,
``environment: {}``, ``pids_limit: 0``, ``shm_size: 0`` print exactly as no key, so the diff
treats them as no key. The few fields compose-go keeps as pointers print even when zero and
mean something then (``command: []`` clears the image's command, ``init: false`` overrides
the daemon's default, ``scale: 0`` runs no container): they stay. Booleans written as text
(``"false"``, ``"Yes"``) read as the booleans compose makes of them, ``networks: [default]``
is the network a service joins without a ``networks`` key, and ``pull_policy:
if_not_present`` is compose's other name for ``missing``. Each rule is checked against the
real loader by ``tests/diff/test_compose_equivalence.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..compose.units import parse_size
from ..compose.values import compose_bool

#: boolean service keys (compose-go reads ``"false"``, ``"on"`` … in them as booleans)
SERVICE_BOOLS = frozenset(
    {"privileged", "read_only", "tty", "stdin_open", "oom_kill_disable", "init", "attach"}
)
#: keys compose prints even with a zero value, which then means something (pointer fields)
_KEPT_ZERO = frozenset(
    {"command", "entrypoint", "init", "attach", "scale", "stop_grace_period", "deploy"}
)
#: keys holding a size: ``0``, ``"0b"`` and ``"0m"`` are all zero
_SIZES = frozenset({"shm_size", "mem_limit", "mem_reservation", "memswap_limit", "memory"})
#: compose's other names for a pull policy
_PULL_POLICY = {"if_not_present": "missing"}


def read_booleans(service: dict[str, Any]) -> None:
    """Replace boolean text in ``service``'s boolean keys with the boolean (in place)."""
    for key in SERVICE_BOOLS & service.keys():
        service[key] = compose_bool(service[key])


def drop_zeros(service: dict[str, Any]) -> None:
    """Remove from ``service`` (canonical, in place) the keys whose value compose prints as no
    key (see the module docstring), and name ``pull_policy`` as compose prints it."""
    if service.get("networks") in ({}, {"default": {}}):
        del service["networks"]
    policy = service.get("pull_policy")
    if isinstance(policy, str):
        service["pull_policy"] = _PULL_POLICY.get(policy, policy)
    for key in [
        k for k, v in service.items() if v is None or (k not in _KEPT_ZERO and is_zero(k, v))
    ]:
        del service[key]


def without_zeros(value: Any) -> Any:
    """A mapping (and the mappings in it) less the keys compose prints as no key: for the
    options of a network a service joins (``priority: 0``, ``aliases: []``) and ``deploy``
    (``resources: {limits: {memory: "0"}}`` prints as nothing). Other values are returned as
    they are."""
    if not isinstance(value, Mapping):
        return value
    out = {key: without_zeros(item) for key, item in value.items()}
    return {key: item for key, item in out.items() if item is not None and not is_zero(key, item)}


def is_zero(key: str, value: Any) -> bool:
    """Whether ``value`` under ``key`` is a zero compose prints as no key: ``False``, ``""``,
    ``[]``, ``{}``, the number 0, a size of 0 bytes (``"0b"``) or ``cpus: "0"``."""
    if value is False or value in ("", [], {}):
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == 0
    if key in _SIZES:
        try:
            return parse_size(value) == 0
        except (ValueError, TypeError):
            return False
    if key == "cpus" and isinstance(value, str):
        try:
            return float(value) == 0
        except ValueError:
            return False
    return False
