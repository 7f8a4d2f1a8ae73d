"""The canonical form of single compose fields (healthcheck, depends_on, networks, ulimits, env_file, build, deploy, restart, replicas), as docker compose config reads them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..compose.restart import engine_restart
from ..compose.units import format_duration, format_size, parse_duration, parse_size
from ..compose.values import (
    _maybe_int,
    compose_bool,
    healthcheck_test,
    scalar_text,
    split_key_value,
)
from ..yamlio.nodes import Path_
from .zeros import without_zeros

_DURATION_KEYS = ("interval", "timeout", "start_period", "start_interval")


def _duration(value: Any) -> Any:
    try:
        return format_duration(parse_duration(value))
    except (ValueError, TypeError):
        return value


def _size(value: Any) -> Any:
    try:
        return format_size(parse_size(value))
    except (ValueError, TypeError):
        return value


def _cpus(value: Any) -> Any:
    try:
        return f"{float(value):g}"
    except (ValueError, TypeError):
        return value


def _mount_ref(item: Any) -> Any:
    """``secrets``/``configs`` entry → ``{"source": …, …}``; a secret's ``target`` of
    ``/run/secrets/<source>`` is compose's default (it prints none) and is dropped."""
    if isinstance(item, Mapping):
        out = {str(k): v for k, v in item.items()}
        if out.get("target") == f"/run/secrets/{out.get('source')}":
            del out["target"]
        return out
    return {"source": scalar_text(item)}


def _healthcheck(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key.startswith("x-") or key == "disable":
            continue
        if key == "test":
            out["test"] = healthcheck_test(item)
        elif key in _DURATION_KEYS:
            out[key] = _duration(item)
        elif key == "retries":
            out[key] = _maybe_int(item)
        else:
            out[key] = item
    # compose turns the check off whenever disable is set, whatever test says and wherever
    # the keys stand (compose-go: `if check.Disable { test = NONE }`)
    if compose_bool(value.get("disable")) is True:
        out["test"] = ["NONE"]
    return out


def _depends_on(value: Any, path: Path_, origins: dict[Path_, Path_]) -> Any:
    if isinstance(value, list):
        out: dict[str, Any] = {}
        for index, name in enumerate(value):
            out[str(name)] = {"condition": "service_started"}
            origins[(*path, str(name))] = (*path, index)
        return out
    if not isinstance(value, Mapping):
        return value
    result: dict[str, Any] = {}
    for name, spec in value.items():
        spec = spec if isinstance(spec, Mapping) else {}
        entry: dict[str, Any] = {"condition": spec.get("condition") or "service_started"}
        for key, item in spec.items():
            if key == "condition" or (key == "required" and item is True):
                continue
            if key == "restart":
                item = compose_bool(item)
                if item is False:
                    continue
            entry[str(key)] = item
        result[str(name)] = entry
    return result


def _networks(value: Any, path: Path_, origins: dict[Path_, Path_]) -> Any:
    if isinstance(value, list):
        out: dict[str, Any] = {}
        for index, name in enumerate(value):
            out[str(name)] = {}
            origins[(*path, str(name))] = (*path, index)
        return out
    if not isinstance(value, Mapping):
        return value
    return {
        str(k): without_zeros(dict(v)) if isinstance(v, Mapping) else {} for k, v in value.items()
    }


def _ulimits(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {
        str(k): {"soft": v, "hard": v} if isinstance(v, int | str) else v for k, v in value.items()
    }


def _env_file(value: Any) -> Any:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return value
    out: list[Any] = []
    for item in items:
        if isinstance(item, Mapping):
            path, required = item.get("path"), item.get("required", True)
            out.append(path if required is True else {"path": path, "required": required})
        else:
            out.append(item)
    return out


def _build(value: Any, path: Path_, origins: dict[Path_, Path_]) -> Any:
    if isinstance(value, str):
        value = {"context": value}
    if not isinstance(value, Mapping):
        return value
    out = {str(k): v for k, v in value.items() if not str(k).startswith("x-")}
    for key in ("args", "labels"):
        if key in out:
            out[key] = _canonical_map(out[key], (*path, key), origins)
    if "dockerfile_inline" not in out:
        out.setdefault("dockerfile", "Dockerfile")  # compose's default, printed
    return out


def _devices(value: Any) -> Any:
    """``deploy.resources.reservations.devices``: ``count: all`` is -1 to compose."""
    if not isinstance(value, list):
        return value
    return [
        {**d, "count": -1} if isinstance(d, Mapping) and d.get("count") == "all" else d
        for d in value
    ]


def _deploy(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "resources" and isinstance(item, Mapping):
            res: dict[str, Any] = {}
            for part, spec in item.items():
                if isinstance(spec, Mapping):
                    res[part] = {
                        k: _size(v)
                        if k == "memory"
                        else _cpus(v)
                        if k == "cpus"
                        else _devices(v)
                        if k == "devices"
                        else v
                        for k, v in spec.items()
                    }
                else:
                    res[part] = spec
            out[key] = without_zeros(res)  # limits: {memory: "0"} sets nothing
        elif key in ("restart_policy", "update_config", "rollback_config") and isinstance(
            item, Mapping
        ):
            out[key] = {
                k: _duration(v) if k in ("delay", "window", "monitor") else v
                for k, v in item.items()
            }
        elif key == "labels":
            out[key] = _canonical_map(item, (), {})
        else:
            out[key] = item
    # an empty block sets nothing (compose prints `resources: {}` for none)
    return {key: item for key, item in out.items() if item != {}}


def _extra_hosts(value: Any, path: Path_, origins: dict[Path_, Path_]) -> Any:
    """``extra_hosts`` → host name → address, or the list of addresses of a name given more
    than once (compose keeps every ``name=address`` line, in order)."""
    if not isinstance(value, list):
        hosts = _canonical_map(value, path, origins) if isinstance(value, Mapping) else value
        if isinstance(hosts, dict):
            return {
                k: (v[0] if len(v) == 1 else sorted(v, key=str)) if isinstance(v, list) else v
                for k, v in hosts.items()
            }
        return hosts
    grouped: dict[str, list[str | None]] = {}
    for index, item in enumerate(value):
        key, text = split_key_value(item, "=:")
        grouped.setdefault(key, []).append(text)
        origins.setdefault((*path, key), (*path, index))
    # compose prints the lines sorted: the order of a name's addresses means nothing to it
    return {k: v[0] if len(v) == 1 else sorted(v, key=str) for k, v in grouped.items()}


def _device(item: Any) -> Any:
    """A ``devices`` entry → ``{source, target, permissions}`` (compose's long form: the
    target defaults to the source, the permissions to ``rwm``)."""
    if not isinstance(item, str):
        return item
    parts = item.split(":")
    return {
        "source": parts[0],
        "target": parts[1] if len(parts) > 1 else parts[0],
        "permissions": parts[2] if len(parts) > 2 else "rwm",
    }


def _move_resources(service: dict[str, Any], path: Path_, origins: dict[Path_, Path_]) -> None:
    # mem_limit & co. are the service-level spelling of deploy.resources (B24)
    moves = {
        "mem_limit": ("limits", "memory", _size),
        "cpus": ("limits", "cpus", _cpus),
        "mem_reservation": ("reservations", "memory", _size),
    }
    for key, (part, name, convert) in moves.items():
        if key not in service:
            continue
        value = convert(service[key])
        deploy = service.setdefault("deploy", {})
        if not isinstance(deploy, dict):
            continue
        resources = deploy.setdefault("resources", {})
        block = resources.setdefault(part, {})
        if name in block and block[name] != value:
            continue  # both spellings, disagreeing: keep both so the diff shows them
        del service[key]
        block[name] = value
        origins.setdefault((*path, "deploy", "resources", part, name), (*path, key))


def _restart(service: dict[str, Any], path: Path_, origins: dict[Path_, Path_]) -> None:
    deploy = service.get("deploy")
    if not isinstance(deploy, dict) or not isinstance(deploy.get("restart_policy"), dict):
        return
    policy = dict(deploy["restart_policy"])
    service["restart"] = engine_restart(policy)
    origins[(*path, "restart")] = (*path, "deploy", "restart_policy")
    # delay/window/… stay visible: they are real (if swarm-only) differences
    for key in ("condition", "max_attempts"):
        policy.pop(key, None)
    if policy:
        deploy["restart_policy"] = policy
    else:
        del deploy["restart_policy"]
    if not deploy:
        del service["deploy"]


def _replicas(service: dict[str, Any], path: Path_, origins: dict[Path_, Path_]) -> None:
    # scale is the service-level spelling of deploy.replicas; one replica is compose's default
    if "scale" in service:
        scale = _maybe_int(service["scale"])
        deploy = service.setdefault("deploy", {})
        if isinstance(deploy, dict) and _maybe_int(deploy.get("replicas", scale)) == scale:
            del service["scale"]
            deploy["replicas"] = scale
            origins.setdefault((*path, "deploy", "replicas"), (*path, "scale"))
    deploy = service.get("deploy")
    if isinstance(deploy, dict) and "replicas" in deploy:
        deploy["replicas"] = _maybe_int(deploy["replicas"])
        if deploy["replicas"] == 1:
            del deploy["replicas"]
    if "deploy" in service and (service["deploy"] is None or service["deploy"] == {}):
        del service["deploy"]


def _canonical_map(
    value: Any, path: Path_, origins: dict[Path_, Path_], seps: str = "="
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, list):
                out[str(key)] = [scalar_text(v) for v in item]
            else:
                out[str(key)] = scalar_text(item)
        return out
    if not isinstance(value, list):
        return out
    positions: dict[str, list[int]] = {}
    values: list[tuple[str, str | None]] = []
    for index, item in enumerate(value):
        key, text = split_key_value(item, seps)
        positions.setdefault(key, []).append(index)
        values.append((key, text))
    for key, indexes in positions.items():
        # compose keeps the last occurrence; the ones it ignores stay visible as KEY#2, …
        out[key] = values[indexes[-1]][1]
        origins[(*path, key)] = (*path, indexes[-1])
        for n, index in enumerate(indexes[:-1], start=2):
            out[f"{key}#{n}"] = values[index][1]
            origins[(*path, f"{key}#{n}")] = (*path, index)
    return out
