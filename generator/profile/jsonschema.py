"""The profile's JSON Schema, for editors (yaml-language-server) and other tools.

Generated from the pydantic models of :mod:`stackgen.profile.models` (validation mode, so the
shorthand forms the models accept before validating — numbers as durations, ``512MiB`` as a
size, a ``KEY=VALUE`` environment list — are accepted), then completed with what the models
check in code:

* a service may hold only stackgen's keys, the compose-spec service keys (passed through
  verbatim; listed so editors complete them) and ``x-`` extensions: anything else is flagged;
* a file that ``extends`` a base profile is an overlay: it may set only what it changes
  (``name`` and ``services`` are not required) and ``null`` removes a key anywhere (the
  merge rule of :mod:`stackgen.profile.models`). The root schema is this lenient overlay form, so
  editors complete every key; a file without ``extends`` must also match the strict form,
  ``$defs/Profile``.

The committed ``profile.schema.json`` at the repository root is this text; a test keeps it
current.
"""

from __future__ import annotations

import json
from typing import Any

from ..compose import schema as compose
from .models import Profile

#: JSON Schema dialect pydantic writes (``$defs``, ``prefixItems``)
DIALECT = "https://json-schema.org/draft/2020-12/schema"


_NULL = {"type": "null"}
_OVERLAY = "Overlay"
_NOTES = ("title", "description", "default")


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` that also accepts null; title, description and default stay outside."""
    if node.get("type") == "null" or _NULL in node.get("anyOf", []) or node == {}:
        return node
    notes = {k: node[k] for k in _NOTES if k in node}
    rest = {k: v for k, v in node.items() if k not in _NOTES}
    return {"anyOf": [rest, _NULL], **notes} if rest else node


def _overlay(node: Any) -> Any:
    """A copy of schema ``node`` in which every property and mapping value may be null, and
    every ``$ref`` points to the overlay copy of its definition."""
    if isinstance(node, list):
        return [_overlay(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = value + _OVERLAY
        elif key in ("properties", "patternProperties"):
            out[key] = {name: _nullable(_overlay(sub)) for name, sub in value.items()}
        elif key == "additionalProperties" and isinstance(value, dict):
            out[key] = _nullable(_overlay(value))
        elif key == "required":
            continue  # an overlay names only what it changes
        else:
            out[key] = _overlay(value)
    return out


def profile_schema() -> dict[str, Any]:
    """The profile JSON Schema (draft 2020-12) as a dict.

    Returns:
        A new dict each call; the same content for the same stackgen and compose-spec
        versions.
    """
    schema = Profile.model_json_schema()
    service = schema["$defs"]["Service"]
    for key in sorted(compose.service_keys()):
        service["properties"].setdefault(
            key, {"description": f"compose-spec service key `{key}`, passed through verbatim."}
        )
    service["patternProperties"] = {"^x-": {"description": "extension, passed through."}}
    service["additionalProperties"] = False
    defs: dict[str, Any] = schema.pop("$defs")
    strict = {**defs, "Profile": schema}
    overlay = {f"{name}{_OVERLAY}": _overlay(body) for name, body in strict.items()}
    root = _overlay(schema)
    return {
        "$schema": DIALECT,
        **root,
        "$defs": {**strict, **overlay},
        "if": {"not": {"required": ["extends"]}},
        "then": {"$ref": "#/$defs/Profile"},
        "title": "stackgen profile",
        "description": (
            "A stackgen profile: a short description of a container stack that "
            "`stackgen render` turns into a docker compose file."
        ),
    }


def schema_text() -> str:
    """:func:`profile_schema` as the text ``stackgen schema`` prints: JSON, two-space indent,
    UTF-8 characters as they are, ending with a newline."""
    return json.dumps(profile_schema(), indent=2, ensure_ascii=False) + "\n"
