"""Profile problems as diagnostics: pydantic errors and unknown or misnamed keys, each at its file:line:col."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)

from ..errors import Diagnostic
from ..yamlio.nodes import Document, Path_, describe, dotted
from .models import (
    _NAMES_REPORTED,
    _SERVICE_NAME,
    Profile,
    Service,
    _unknown_key_message,
    is_service_key,
    service_key_names,
)


def _set_on_missing_service(profile: Any, override: Document) -> Diagnostic | None:
    """A ``--set services.NAME…`` naming a service the profile does not define: --set changes
    a profile, it does not add services (a typo would otherwise create a new one).
    ``profile`` is the profile's data so far."""
    data = override.data
    if not (isinstance(data, dict) and isinstance(data.get("services"), dict)):
        return None
    ((name, value),) = data["services"].items()
    services = profile.get("services") if isinstance(profile, dict) else None
    if value is None or (isinstance(services, dict) and name in services):
        return None  # removing a service that is not there is harmless
    known = sorted(services) if isinstance(services, dict) else []
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    mark = override.marks[("services", name)]
    return Diagnostic(
        mark.file,
        mark.line,
        mark.col,
        f"services.{name}",
        f"no service {name!r} in the profile; {hint}--set changes existing services "
        "(add new ones in the profile or an extends overlay)",
    )


def _bad_service_names(doc: Document) -> list[Diagnostic]:
    """Service names outside the compose-spec pattern, each at its own key."""
    services = doc.data.get("services") if isinstance(doc.data, dict) else None
    if not isinstance(services, dict):
        return []
    out = []
    for name in services:
        if not _SERVICE_NAME.fullmatch(str(name)):
            mark = doc.mark(("services", name))
            out.append(
                Diagnostic(
                    mark.file,
                    mark.line,
                    mark.col,
                    dotted(("services", name)),
                    f"service name {name!r} is not allowed: compose service names use only "
                    "letters, digits, '.', '_' and '-' (compose-spec ^[a-zA-Z0-9._-]+$)",
                )
            )
    return out


def _unknown_service_keys(doc: Document) -> list[Diagnostic]:
    """Service keys that are neither stackgen's nor compose's, each at its own position."""
    services = doc.data.get("services") if isinstance(doc.data, dict) else None
    if not isinstance(services, dict):
        return []
    out = []
    for name, body in services.items():
        if not isinstance(body, dict):
            continue
        for key in body:
            if not is_service_key(str(key)):
                mark = doc.mark(("services", name, key))
                path = dotted(("services", name, key))
                message = _unknown_key_message(key, service_key_names())
                out.append(Diagnostic(mark.file, mark.line, mark.col, path, message))
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


# pydantic error types that mean "the value has the wrong type" → what was expected
_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _message(err: Any, path: Path_) -> str:
    """A pydantic error as one plain sentence; values are named by type only, except an
    unknown choice (a kind, a condition), whose value is the point of the message."""
    kind, msg, ctx = err["type"], err["msg"], err.get("ctx") or {}
    if kind == "literal_error":
        field = path[-1] if path and isinstance(path[-1], str) else "value"
        choices = re.findall(r"'([^']*)'", str(ctx["expected"]))
        close = difflib.get_close_matches(str(err["input"]).lower(), choices, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown {field} {err['input']!r}{hint} (one of {', '.join(choices)})"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {
            "greater_than_equal": f"at least {_number(ctx.get('ge'))}",
            "less_than_equal": f"at most {_number(ctx.get('le'))}",
            "greater_than": f"more than {_number(ctx.get('gt'))}",
            "less_than": f"less than {_number(ctx.get('lt'))}",
        }[kind]
        return f"must be {bound}, got {err['input']!r}"
    if kind == "string_pattern_mismatch":
        return f"must match {ctx.get('pattern')}"
    if kind == "missing":
        return "required field is missing"
    if msg.startswith("Value error, "):
        return str(msg[len("Value error, ") :])
    return str(msg)


def _number(value: Any) -> str:
    # pydantic states float bounds as floats: "more than 0", not "more than 0.0"
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def validation_diagnostics(exc: ValidationError, doc: Document) -> list[Diagnostic]:
    """Turn a pydantic ValidationError into diagnostics with file:line:col.

    A union (``str | list[str]``) fails once per member; the type errors of one path are
    joined into one message naming every accepted type.
    """
    found: dict[str, Diagnostic] = {}
    expected: dict[str, list[str]] = {}
    for err in exc.errors(include_url=False):
        path = data_path(tuple(err["loc"]), doc.data)
        mark = doc.mark(path)
        where = dotted(path)
        if err["type"] == "extra_forbidden":
            known = _known_fields(tuple(err["loc"]))
            msg = _unknown_key_message(str(path[-1]) if path else "?", known)
        elif err["type"] in _EXPECTED:
            nouns = expected.setdefault(where, [])
            if _EXPECTED[err["type"]] not in nouns:
                nouns.append(_EXPECTED[err["type"]])
            msg = f"must be {' or '.join(nouns)}, got {describe(err['input'])}"
            if where in found and found[where].message.startswith("must be "):
                found[where] = Diagnostic(mark.file, mark.line, mark.col, where, msg)
        else:
            msg = _message(err, path)
        if err["type"] == "value_error" and msg.startswith("unknown key"):
            continue  # already reported, at the key itself, by _unknown_service_keys
        if msg == _NAMES_REPORTED:
            continue  # reported, at each name, by _bad_service_names
        diag = Diagnostic(mark.file, mark.line, mark.col, where, msg)
        # a union yields one error per member; keep the first per path
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
