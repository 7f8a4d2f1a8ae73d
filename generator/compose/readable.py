"""Values the compose-spec schema lets through and docker compose cannot read.

The schema types durations and sizes as any string and integers as any integer; compose-go
then decodes them with Go's readers (:mod:`stackgen.compose.goparse`) and refuses what they
refuse (``interval: soon``, ``interval: 10000000h``, an integer beyond int64). Both pipelines
run :func:`value_errors` after the schema: ``check``/``diff``/``import`` on compose files
(:mod:`stackgen.compose.validate`), ``render`` on the file it is about to write.

An integer beyond int64 is no problem where compose reads YAML free-form (:func:`free_form`):
under an extension key (``x-*``, at the top and in any object the schema lets carry one) and
as the value of a text mapping (``labels``, ``environment``, ``sysctls``, ``driver_opts``,
``logging.options`` …), which compose turns into text. Checked against the Docker Compose v2
binary (``tests/hardening/test_big_integer_places.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..yamlio.nodes import Path_
from .goparse import INT64_MAX, INT64_MIN, compose_duration, compose_size, int64_range_error
from .schema import COMPOSE_DURATION_FORMS, COMPOSE_SIZE_FORMS, schema

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
        memo: dict[Path_, Any] = {}  # one schema walk per shared start of the paths
        found.extend(p for p in _big_integers(data, ()) if not free_form(data, p[0], memo))
        found.extend(_big_floats_cast_to_int(data))
    return found


#: where docker compose refuses a float beyond int64 (it makes an integer of the value and
#: fails), each probed with the real binary (tests/hardening/test_big_float_casts.py); other
#: integer fields take such a float and read another number (cpu_quota, retries, pids_limit)
_INTEGER_ONLY: tuple[Path_, ...] = (
    ("services", "*", "deploy", "replicas"),
    ("services", "*", "scale"),
    ("services", "*", "ulimits", "*"),
    ("services", "*", "ulimits", "*", "soft"),
    ("services", "*", "ulimits", "*", "hard"),
    ("services", "*", "configs", "*", "mode"),
    ("services", "*", "secrets", "*", "mode"),
)


def _big_floats_cast_to_int(data: Any) -> list[tuple[Path_, str]]:
    """``(path, message)`` for each float beyond int64 at :data:`_INTEGER_ONLY`:
    ``replicas: 99999999999999999999`` is a float to Go's YAML reader (too big for an
    integer), which the schema lets through as a whole number and compose then refuses."""
    found: list[tuple[Path_, str]] = []
    for pattern in _INTEGER_ONLY:
        for path, value in _at(data, pattern, ()):
            if type(value) is float and not INT64_MIN <= value <= INT64_MAX:
                message = f"{value:g} is beyond the 64-bit integer docker compose reads here"
                found.append((path, message))
    return found


def _at(node: Any, pattern: Path_, here: Path_) -> Iterator[tuple[Path_, Any]]:
    """``(path, value)`` of every value at ``pattern`` (``*``: any key or index)."""
    if not pattern:
        yield here, node
        return
    head, rest = pattern[0], pattern[1:]
    if isinstance(node, Mapping):
        items: Any = node.items() if head == "*" else ([(head, node[head])] if head in node else [])
    elif isinstance(node, list) and head == "*":
        items = enumerate(node)
    else:
        return
    for key, value in items:
        yield from _at(value, rest, (*here, key))


#: scalars that hold no integer (bool is an int subclass: not one, as ``type(...) is int``)
_LEAVES = frozenset({str, bool, float, type(None)})


def _may_hold_big_integer(data: Any) -> bool:
    """False only when :func:`_big_integers` and :func:`_big_floats_cast_to_int` find
    nothing in ``data``: no integer or float outside Go's int64 in its dicts and lists, and
    nothing else there that is not a plain scalar (a
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
            elif kind is int or kind is float:
                # (a float too: beyond int64 where compose makes an integer of it)
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


#: schema keywords that leave a value unconstrained (an extension's ``{}``, a bare description)
_NOTES = frozenset({"description", "title", "$comment", "deprecated", "default", "examples"})
#: JSON Schema types a value of each JSON kind fits (an integer is a number too)
_FITS = {"integer": ("integer", "number"), "number": ("number",)}
#: (id of a schema node, JSON kind) → (the node, its branches): a file repeats a few places
_BRANCHES: dict[tuple[int, str], tuple[Any, list[dict[str, Any]]]] = {}
#: (id of a schema node, key) → (the node, its children), at most _MEMO of them
_CHILDREN: dict[tuple[int, Any], tuple[Any, list[tuple[Any, bool]]]] = {}
_MEMO = 4096


def free_form(data: Any, path: Path_, memo: dict[Path_, Any] | None = None) -> bool:
    """True when docker compose reads the value at ``path`` of ``data`` as free-form YAML, so
    that any integer there loads: inside an extension (a key ``x-…`` the compose-spec schema
    gives ``{}``) or as a value of a text mapping (a ``patternProperties`` value the schema
    types as text or number, never as an integer: ``labels``, ``environment``,
    ``annotations``, ``sysctls``, build ``args``, ``driver_opts``, ``logging.options``),
    which compose turns into text. False where compose decodes the value into a Go number
    (``retries``, ``ulimits``, ``ports``, list-form ``labels``) or where the schema has no
    place for it.

    ``memo``: a dict kept across calls on the same ``data``, so that paths sharing a start
    (``services.web.labels.…``) follow the schema down it once.
    """
    here, value = _schema_nodes(data, path, {} if memo is None else memo)
    if here is True or here is False:
        return bool(here)
    kind = _kind(value)
    return any(
        _unconstrained(b) or (by_pattern and _text_value(b))
        for node, by_pattern in here
        for b in _branches(node, kind)
    )


def _schema_nodes(data: Any, path: Path_, memo: dict[Path_, Any]) -> tuple[Any, Any]:
    """``(nodes, value)``: the value at ``path`` and its schema nodes (each with whether a
    pattern reached it), or True when the value is inside an extension (free-form), False
    when the schema has no place for it."""
    known = memo.get(path)
    if known is not None:
        return known  # type: ignore[no-any-return]
    if not path:
        found: tuple[Any, Any] = ([(schema(), False)], data)
    else:
        above, parent = _schema_nodes(data, path[:-1], memo)
        value = parent[path[-1]] if above is not True and above is not False else None
        if above is True or above is False:
            found = (above, None)
        else:
            branches = [b for node, _ in above for b in _branches(node, _kind(parent))]
            if any(_unconstrained(b) for b in branches):
                found = (True, None)  # the whole value below is free-form (an extension)
            else:
                nodes = [child for b in branches for child in _children(b, path[-1])]
                found = (nodes or False, value)
    memo[path] = found
    return found


def _kind(value: Any) -> str:
    """The JSON kind of a value as the schema names it (``other`` for none of them)."""
    if type(value) is bool:  # an int to Python, never an integer to JSON Schema
        return "boolean"
    for kind, types in (
        ("integer", int),
        ("number", float),
        ("string", str),
        ("null", type(None)),
        ("object", Mapping),
        ("array", list),
    ):
        if isinstance(value, types):
            return kind
    return "other"


def _branches(node: Any, kind: str) -> list[dict[str, Any]]:
    """The schema objects that apply to a value of JSON ``kind`` at ``node``: ``$ref``
    followed, ``allOf``, ``anyOf`` and ``oneOf`` opened, those whose ``type`` does not fit
    left out (made once per node and kind)."""
    known = _BRANCHES.get((id(node), kind))
    if known is not None and known[0] is node:
        return known[1]
    out: list[dict[str, Any]] = []
    todo = [node]
    while todo:
        here = todo.pop()
        if here is True:
            here = {}
        if not isinstance(here, dict):
            continue
        ref = here.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = schema()
            for part in ref[2:].split("/"):
                target = target.get(part) if isinstance(target, dict) else None
            todo.append(target)
        for word in ("allOf", "anyOf", "oneOf"):
            todo.extend(here.get(word, ()))
        types = here.get("type")
        names = [types] if isinstance(types, str) else types
        if names is None or any(t in names for t in _FITS.get(kind, (kind,))):
            out.append(here)
    _BRANCHES[(id(node), kind)] = (node, out)  # the node is kept: its id stays its own
    return out


def _children(node: dict[str, Any], key: Any) -> list[tuple[Any, bool]]:
    """Schema nodes for ``key`` below ``node``, each with whether a pattern reached it: a
    named property, else every matching ``patternProperties`` entry (else
    ``additionalProperties``); a list index: ``items``. Remembered for the keys a file
    repeats (``labels``, a label name), up to :data:`_MEMO` of them."""
    memo = (id(node), key)
    known = _CHILDREN.get(memo)
    if known is not None and known[0] is node:
        return known[1]
    found: list[tuple[Any, bool]] = []
    if isinstance(key, int):
        items = node.get("items")
        found = [(items, False)] if isinstance(items, dict) else []
    elif key in node.get("properties", {}):
        found = [(node["properties"][key], False)]
    else:
        found = [
            (sub, True)
            for pattern, sub in node.get("patternProperties", {}).items()
            if re.search(pattern, str(key))
        ]
        extra = node.get("additionalProperties")
        if not found and isinstance(extra, dict):
            found.append((extra, True))
    if len(_CHILDREN) >= _MEMO:
        _CHILDREN.clear()  # a file of many distinct keys: start over, never grow without end
    _CHILDREN[memo] = (node, found)
    return found


def _unconstrained(node: dict[str, Any]) -> bool:
    return set(node) <= _NOTES


def _text_value(node: dict[str, Any]) -> bool:
    kinds = node.get("type")
    names = [kinds] if isinstance(kinds, str) else kinds or []
    return "string" in names and "integer" not in names
