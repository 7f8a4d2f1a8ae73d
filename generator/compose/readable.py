"""Values the compose-spec schema lets through and docker compose cannot read.

The schema types durations and sizes as any string and integers as any integer; compose-go
then decodes them with Go's readers (:mod:`stackgen.compose.goparse`) and refuses what they
refuse (``interval: soon``, ``interval: 10000000h``, an integer beyond int64). Both pipelines
run :func:`value_errors` after the schema: ``check``/``diff``/``import`` on compose files
(:mod:`stackgen.compose.validate`), ``render`` on the file it is about to write.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..yamlio.nodes import Path_
from .goparse import INT64_MAX, INT64_MIN, compose_duration, compose_size, int64_range_error
from .schema import COMPOSE_DURATION_FORMS, COMPOSE_SIZE_FORMS

_HC = ("services", "*", "healthcheck")
_DEPLOY = ("services", "*", "deploy")
#: fields compose decodes as durations / sizes when it loads a file (the schema says "string");
#: each a path below ``services.*`` (:func:`_in_services`)
_DURATION_FIELDS: tuple[Path_, ...] = (
    *((*_HC, key) for key in ("interval", "timeout", "start_period", "start_interval")),
    ("services", "*", "stop_grace_period"),
    *(
        (*_DEPLOY, block, key)
        for block in ("restart_policy", "update_config", "rollback_config")
        for key in ("delay", "window", "monitor")
    ),
)
_SIZE_FIELDS: tuple[Path_, ...] = (
    *(("services", "*", key) for key in ("mem_limit", "mem_reservation", "shm_size")),
    *((*_DEPLOY, "resources", part, "memory") for part in ("limits", "reservations")),
)


def value_errors(data: Any) -> list[tuple[Path_, str]]:
    """Values the compose-spec schema lets through that docker compose cannot read:
    durations and sizes Go cannot parse (``interval: soon``, ``interval: 10000000h``), and
    integers outside Go's int64 (:mod:`stackgen.compose.goparse`). ``(path, message)`` each;
    text holding ``$`` is left to interpolation.
    """
    found: list[tuple[Path_, str]] = []
    services = data.get("services") if isinstance(data, Mapping) else None
    if not isinstance(services, Mapping):
        services = {}
    for fields, parse, what, forms in (
        (_DURATION_FIELDS, compose_duration, "duration", COMPOSE_DURATION_FORMS),
        (_SIZE_FIELDS, compose_size, "size", COMPOSE_SIZE_FORMS),
    ):
        read: set[str] = set()  # values this reader takes (a stack repeats a few of them)
        for pattern in fields:
            for path, value in _in_services(services, pattern):
                if isinstance(value, str) and "$" not in value and value not in read:
                    try:
                        parse(value)
                    except ValueError as exc:
                        found.append(
                            (path, f"{value!r} is not a {what} compose reads ({exc}); use {forms}")
                        )
                    else:
                        read.add(value)
    if _may_hold_big_integer(data):  # (almost never: then the walk that names the paths)
        found.extend(_big_integers(data, ()))
    return found


#: scalars that hold no integer (bool is an int subclass: not one, as ``type(...) is int``)
_LEAVES = frozenset({str, bool, float, type(None)})


def _may_hold_big_integer(data: Any) -> bool:
    """False only when :func:`_big_integers` finds nothing in ``data``: no integer outside
    Go's int64 in its dicts and lists, and nothing else there that is not a plain scalar (a
    :class:`~collections.abc.Mapping` of another type, a tagged value: True, left to the
    walk). One loop over a stack, no call per container and no paths made."""
    stack = [data]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        kind = type(node)
        if kind is dict:
            values: Any = node.values()
        elif kind is list:
            values = node
        elif kind is int:
            if not INT64_MIN <= node <= INT64_MAX:
                return True
            continue
        elif kind in _LEAVES:
            continue
        else:
            return True
        for value in values:
            kind = type(value)
            if kind is str:
                continue  # most values
            if kind is dict or kind is list:
                push(value)
            elif kind is int:
                if not INT64_MIN <= value <= INT64_MAX:
                    return True
            elif kind not in _LEAVES:
                return True
    return False


def _big_integers(data: Any, here: Path_) -> list[tuple[Path_, str]]:
    """``(path, message)`` for every integer outside Go's int64 in ``data``, in document
    order (one walk; only containers are descended into, an integer is judged in place)."""
    found: list[tuple[Path_, str]] = []
    kind = type(data)
    if kind is int:
        problem = int64_range_error(data)
        return [] if problem is None else [(here, problem)]
    if kind is dict or (kind is not list and isinstance(data, Mapping)):
        items: Any = data.items()
    elif kind is list:
        items = enumerate(data)
    else:
        return found
    for key, value in items:
        kind = type(value)
        if kind in _LEAVES:
            continue
        if kind is int:
            if not INT64_MIN <= value <= INT64_MAX:
                found.extend(_big_integers(value, (*here, key)))
        elif kind is dict or kind is list or isinstance(value, Mapping):
            found.extend(_big_integers(value, (*here, key)))
    return found


def _in_services(services: Mapping[Any, Any], pattern: Path_) -> Iterator[tuple[Path_, Any]]:
    """``(path, value)`` of every value at ``pattern`` (``("services", "*", key, …)``), in
    document order; a path is made only for a value that is there."""
    rest = pattern[2:]
    for name, node in services.items():
        for key in rest:
            if not (type(node) is dict or isinstance(node, Mapping)) or key not in node:
                break
            node = node[key]
        else:
            yield ("services", name, *rest), node
