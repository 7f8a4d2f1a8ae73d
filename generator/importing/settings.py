"""Profile settings an import reads off the compose files: the project name and the Kafka listener port."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..compose.interpolation import interpolate
from ..compose.names import is_project_name, project_name_from
from ..compose.ports import parse_port
from ..errors import InputError

_LISTENER = re.compile(r"^\s*([A-Za-z0-9_]+)://[^:,]*:([0-9]{1,5})\s*\Z")


def _project_name(
    data: Mapping[str, Any], first: Path, given: str | None, env: Mapping[str, str]
) -> str:
    """``name`` as compose would take it: given, ``COMPOSE_PROJECT_NAME`` from the project's
    ``.env``, the file's own ``name``, else the first file's directory (compose docs "Specify
    a project name": -p, then COMPOSE_PROJECT_NAME, then top-level name; compose spec "name":
    lower case, ``[a-z0-9_-]``, starting alphanumeric).

    Raises:
        InputError: a ``given`` name compose would refuse (``My Project``).
    """
    if given is not None and not is_project_name(given):
        # compose refuses such a -p NAME outright (it normalises only a folder's name)
        raise InputError.single(
            "<--name>",
            0,
            0,
            "name",
            f"{given!r} is not a project name: use lower-case letters, digits, - and _, "
            "starting with a letter or digit (docker compose -p refuses it too)",
        )
    raw = given or env.get("COMPOSE_PROJECT_NAME") or None
    raw = raw or (data.get("name") if isinstance(data.get("name"), str) else None)
    raw = raw or first.resolve().parent.name
    return project_name_from(raw)


def _kafka_port(services: Mapping[str, Any], env: Mapping[str, str]) -> int | None:
    """The port the catalog's Kafka probe should use (``kafka.listeners.internal_port``): the
    one client port every broker without its own healthcheck listens on. Per broker, the
    first non-``CONTROLLER`` listener of ``KAFKA_LISTENERS`` (Bitnami: ``KAFKA_CFG_LISTENERS``),
    else of the advertised listeners (Confluent's image listens where it advertises; ``${VAR}``
    looked up in ``env``), else its one published container port."""
    found: set[int] = set()
    for spec in services.values():
        if (
            spec.get("kind") != "kafka"
            or "healthcheck" in spec
            or "healthcheck" in spec.get("verbatim", {})
        ):
            continue
        port = _listener_port(spec.get("environment") or {}, env) or _published(spec)
        if port is None:
            return None
        found.add(port)
    return found.pop() if len(found) == 1 else None


def _listener_port(broker_env: Mapping[str, Any], env: Mapping[str, str]) -> int | None:
    for key in ("LISTENERS", "ADVERTISED_LISTENERS"):
        for prefix in ("KAFKA_", "KAFKA_CFG_"):
            text = broker_env.get(prefix + key)
            if not isinstance(text, str):
                continue
            for item in interpolate(text, env).split(","):
                m = _LISTENER.match(item)
                if m and "CONTROLLER" not in m.group(1).upper():
                    return int(m.group(2))
    return None


def _published(spec: Mapping[str, Any]) -> int | None:
    targets: set[int] = set()
    for item in spec.get("ports") or []:
        try:
            targets.update(
                parse_port(item, compose_file=True).target_ports() if isinstance(item, str) else []
            )
        except ValueError:
            continue
    return targets.pop() if len(targets) == 1 else None
