"""What a service's compose text changes in its Kubernetes records.

A profile may give a service compose keys the typed model holds as text: keys under
``verbatim`` (written as given, replacing what the compose target would write) and compose
keys passed through that the model does not describe (a ``deploy`` block, a healthcheck
``test`` the probe record cannot hold). :func:`compose_overrides` reads the ones Kubernetes
has a place for, the way compose does (:mod:`.compose_values`); the others are reported as not
carried over.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any, cast

from ...diff.normalise import normalise_service
from ...output.secret_rule import is_secret_key
from ...plan import model
from .compose_values import argv_of, interpolated, ports_of, probe_of, resources_of, typed
from .view import EnvVar, Volume

#: compose keys this module reads from a service's compose text
READ = frozenset(
    {
        "command",
        "entrypoint",
        "environment",
        "ports",
        "expose",
        "healthcheck",
        "deploy",
        "volumes",
    }
)


def compose_overrides(
    svc: model.Service, listens: tuple[int, ...], sensitive: tuple[str, ...]
) -> dict[str, Any]:
    """The :class:`~.view.Service` fields that ``svc``'s compose text sets.

    Args:
        svc: the planned service.
        listens: container ports its catalog image listens on (kept beside verbatim ports).
        sensitive: the profile's ``sensitive`` names (secret environment values).

    Returns:
        Field name (``probe``, ``resources``, ``command``, ``entrypoint``, ``env``,
        ``ports``, ``volumes``) → value; empty when the model's typed values stand.

    Raises:
        UnmappableValue: a duration, size or number Kubernetes needs as a value is a
            ``${VAR}`` reference (or otherwise not a literal).
    """
    verbatim = svc.compose_verbatim
    given: dict[str, Any] = {
        k: v for k, v in svc.compose_extras.items() if k in ("healthcheck", "deploy")
    }
    given.update((k, v) for k, v in verbatim.items() if k in READ)
    if not given:
        return {}
    # the canonical form compose reads (long-syntax ports and volumes, test lists, …)
    body = normalise_service(_plain(given), ("services", svc.name), {})
    out: dict[str, Any] = {}
    if "healthcheck" in given:
        hc = body.get("healthcheck") or {}
        disabled = hc.get("disable") is True
        out["probe"] = None if disabled else typed(svc.name, "healthcheck", partial(probe_of, hc))
    if "deploy" in given and (svc.resources is None or "deploy" in verbatim):
        out["resources"] = typed(svc.name, "deploy", partial(resources_of, body))
    for key in ("command", "entrypoint"):
        if key in verbatim:
            out[key] = argv_of(body.get(key))
    if "environment" in verbatim:
        out["env"] = tuple(
            EnvVar(
                k,
                None if v is None else interpolated(str(v)),
                is_secret_key(k, sensitive),
            )
            for k, v in (body.get("environment") or {}).items()
            if "#" not in k  # a repeated key's ignored copies (normalise's KEY#2)
        )
    if "ports" in verbatim or "expose" in verbatim:
        out["ports"] = ports_of(body, listens)
    if "volumes" in verbatim:
        out["volumes"] = tuple(
            Volume(
                cast(Any, v.get("type", "volume")),
                str(v.get("target")),
                v.get("source"),
                bool(v.get("read_only", False)),
            )
            for v in body.get("volumes", [])
            if v.get("type", "volume") in ("volume", "bind", "tmpfs")
        )
    return out


def _plain(value: Any) -> Any:
    """The model's read-only mappings and tuples as the plain data compose reads."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
