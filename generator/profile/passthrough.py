"""Compose keys a profile passes through (not modelled by stackgen), checked against the
compose-spec schema while the profile itself is validated, so one run reports every schema
problem: the profile's own and its pass-through keys' (the planner checks them again, for
a profile that is otherwise valid)."""

from __future__ import annotations

from typing import Any

from ..compose import schema as compose
from ..errors import Diagnostic
from ..yamlio.nodes import Document, dotted
from .models import Service


def passthrough_problems(doc: Document) -> list[Diagnostic]:
    """Each compose-schema violation of a service's pass-through keys (compose keys that are
    not stackgen's own, ``x-`` extensions left out), at its position in the profile.

    Args:
        doc: the profile after ``extends`` and ``--set`` are merged in.

    Returns:
        ``file:line:col: services.NAME.KEY…: not valid compose: …`` diagnostics, in schema
        order; none when every pass-through value is valid (or there are no services).
    """
    services = doc.data.get("services") if isinstance(doc.data, dict) else None
    if not isinstance(services, dict):
        return []
    own = set(Service.model_fields)
    keys = compose.service_keys()
    passed: dict[str, Any] = {
        str(name): {k: v for k, v in body.items() if k not in own and k in keys}
        for name, body in services.items()
        if isinstance(body, dict)
    }
    out = []
    for path, message in compose.schema_errors({"services": passed}):
        if len(path) < 3:
            continue  # about the services mapping itself (a bad name): the profile's own check
        mark = doc.mark(path)
        out.append(
            Diagnostic(
                mark.file, mark.line, mark.col, dotted(path), f"not valid compose: {message}"
            )
        )
    return out
