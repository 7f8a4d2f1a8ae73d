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

import ast
import inspect
import json
import textwrap
from functools import cache
from itertools import pairwise
from typing import Any

from pydantic import BaseModel

from ..compose import schema as compose
from . import fields, kubernetes, models, settings
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


def _attribute_docs(cls: type) -> dict[str, str]:
    """The docstring written under each annotated attribute in the body of ``cls`` itself
    (PEP 257 "attribute docstrings"), cleaned as :func:`inspect.cleandoc` does."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for first, second in pairwise(body):
        if (
            isinstance(first, ast.AnnAssign)
            and isinstance(first.target, ast.Name)
            and isinstance(second, ast.Expr)
            and isinstance(second.value, ast.Constant)
            and isinstance(second.value.value, str)
        ):
            docs[first.target.id] = inspect.cleandoc(second.value.value)
    return docs


@cache
def _document_fields() -> None:
    """Give each field of the profile models the description its attribute docstring
    holds, and rebuild the models' schemas with them: what editors show.

    Done here, when ``stackgen schema`` asks, rather than by pydantic's
    ``use_attribute_docstrings`` as the classes are built: reading and parsing the module's
    source is a good share of the start-up of every other command, which never shows a
    description. A field declared with its own ``description`` keeps it; an inherited field
    takes the docstring of the class that declares it.
    """
    # module by module, each in declaration order: a model after the models it uses
    classes = [
        value
        for module in (fields, settings, kubernetes, models)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    ]
    own = {cls: _attribute_docs(cls) for cls in classes}
    for cls in classes:
        for name, info in cls.model_fields.items():
            if info.description is not None:
                continue
            for base in cls.__mro__:
                if name in own.get(base, {}):
                    info.description = own[base][name]
                    break
    for cls in classes:
        cls.model_rebuild(force=True)


def profile_schema() -> dict[str, Any]:
    """The profile JSON Schema (draft 2020-12) as a dict.

    Returns:
        A new dict each call; the same content for the same stackgen and compose-spec
        versions.
    """
    _document_fields()
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
