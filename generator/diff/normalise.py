"""Any compose mapping → the canonical form both sides of a diff are compared in.

The rules follow how ``docker compose config`` reads a file (compose spec, "Services top-level
element" and its short/long syntaxes), so two files that mean the same thing normalise to the
same value:

* ``environment``, ``labels``, ``build.args``, ``sysctls``, ``extra_hosts``: mappings of
  strings. ``KEY`` (pass-through) → ``None``, ``KEY=`` → ``""``, ``KEY=v`` → ``"v"``; numbers
  and booleans become their text (``5432`` → ``"5432"``). A key listed twice keeps compose's
  last-wins value under ``KEY`` and each occurrence it ignores (in order) under ``KEY#2``,
  ``KEY#3`` … so a repeated entry stays visible to the comparison.
* ``ports``: long syntax (``target`` int, ``published`` str, ``protocol`` default ``tcp``,
  ``host_ip``; ``mode: ingress`` is the default and dropped); ranges are expanded.
* ``volumes``: long syntax (``type``, ``source``, ``target``, ``read_only``).
* ``depends_on``: mapping of ``{condition: …}``; the list form means ``service_started``.
* ``healthcheck.test``: a list; a string is ``["CMD-SHELL", string]``; ``disable: true`` is
  ``["NONE"]``. Durations (healthcheck, ``stop_grace_period``, restart/update delays) become
  the shortest duration text (``60000ms`` → ``1m``); sizes become the largest exact unit
  (``1024m`` → ``1g``).
* ``command`` / ``entrypoint`` strings are split like a POSIX shell, as compose does.
* ``mem_limit``/``cpus``/``mem_reservation`` move to ``deploy.resources`` (B24);
  ``deploy.restart_policy`` becomes the engine ``restart`` policy it maps to (B23; compose
  gives ``deploy.restart_policy`` precedence over ``restart``).
* ``scale`` moves to ``deploy.replicas``; ``deploy.replicas: 1`` (compose's default: one
  replica) is dropped, and so is a ``deploy`` block left empty (or ``null``).
* ``x-`` keys and the obsolete ``version`` are dropped (unless ``keep_extensions``).

Values compose would reject are kept verbatim rather than raised (the diff validates files
before normalising them: :func:`stackgen.diff.pipeline.validate_compose`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..compose import ports
from ..compose.syntax import split_outside
from ..compose.units import format_duration, format_size, parse_duration, parse_size
from ..yamlio.loader import Path_

#: service keys whose values are ``KEY=value`` lists or mappings
_MAP_FIELDS = ("environment", "labels", "sysctls", "annotations")
_DURATION_KEYS = ("interval", "timeout", "start_period", "start_interval")

_RESTART_OF_CONDITION = {"none": "no", "any": "always", "on-failure": "on-failure", "": "always"}


@dataclass(frozen=True)
class Canonical:
    """A compose mapping in canonical form.

    Attributes:
        data: the canonical mapping (plain dicts, lists, strings, ints, floats, bools, None).
        origins: canonical path → path in the input mapping, for every value whose place
            changed (an env list item now under its key, ``mem_limit`` now under
            ``deploy.resources``); paths not listed stand where they stood.
    """

    data: dict[str, Any]
    origins: dict[Path_, Path_] = field(default_factory=dict)

    def raw_path(self, path: Path_) -> Path_:
        """The input-mapping path of canonical ``path`` (its longest mapped prefix, rebased)."""
        for cut in range(len(path), 0, -1):
            prefix = path[:cut]
            if prefix in self.origins:
                return self.origins[prefix] + path[cut:]
        return path


def scalar_text(value: Any) -> str | None:
    """The string compose reads for a scalar in a string-typed field.

    Args:
        value: a YAML scalar (None, bool, int, float, str).

    Returns:
        None for None; ``"true"``/``"false"`` for booleans; the decimal text of numbers
        (``1.0`` → ``"1"``, as Go formats it); strings unchanged.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def split_key_value(item: Any, seps: str = "=") -> tuple[str, str | None]:
    """Split one list-form entry ``KEY=value`` (or ``KEY`` alone → value None).

    Separators inside ``${…}`` do not count (``host:${IP:-a=b}``; see :func:`split_outside`).

    Args:
        item: the list item.
        seps: the separators tried in order (``extra_hosts`` also accepts ``:``).

    Returns:
        ``(key, value)``; value None when no separator stands outside an interpolation.
    """
    text = scalar_text(item) or ""
    for sep in seps:
        parts = split_outside(text, sep)
        if len(parts) > 1:
            return parts[0], sep.join(parts[1:])
    return text, None


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


def _maybe_int(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


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


def _range(text: str) -> list[int] | None:
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
    if not m:
        return None
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    return list(range(low, high + 1)) if high >= low else None


def _port_entry(target: Any, published: Any, protocol: Any, host_ip: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"target": _maybe_int(target)}
    pub = scalar_text(published)
    if pub:
        entry["published"] = pub
    entry["protocol"] = scalar_text(protocol) or "tcp"
    if host_ip:
        entry["host_ip"] = str(host_ip)
    return entry


def parse_port(item: Any) -> list[dict[str, Any]]:
    """One ``ports`` entry (short or long syntax) → long-syntax entries.

    Args:
        item: ``8080``, ``"127.0.0.1:8080:80/udp"``, ``"8000-8002:8000-8002"``,
            ``"${PORT:-8080}:80"`` (an interpolation is one opaque token, so its ``:`` and
            ``-`` split nothing: published ``"${PORT:-8080}"``), or a mapping.

    Returns:
        Canonical long entries (compose spec "ports"): ``target`` int, ``published`` str
        (absent when not published), ``protocol`` (default ``tcp``), ``host_ip`` (absent
        when empty), other long-syntax keys kept except the default ``mode: ingress``.
        A range expands to one entry per port. Unparsable text (more than three ``:`` parts,
        an empty target) is returned as ``[{"target": text, "protocol": "tcp"}]`` so that it
        still compares.
    """
    if isinstance(item, Mapping):
        entry = _port_entry(
            item.get("target"), item.get("published"), item.get("protocol"), item.get("host_ip")
        )
        for key, value in item.items():
            if key in ("target", "published", "protocol", "host_ip"):
                continue
            if key == "mode" and value == "ingress":
                continue
            entry[str(key)] = value
        return [entry]
    if isinstance(item, int) and not isinstance(item, bool):
        return [_port_entry(item, None, None, None)]
    text = scalar_text(item) or ""
    try:
        spec = ports.parse_port(text)
    except ValueError:
        return [_port_entry(text, None, None, None)]  # not compose syntax: compared as text
    host_ip, published, target, protocol = spec.host_ip, spec.published, spec.target, spec.protocol
    targets = _range(target)
    if targets is None or len(targets) == 1:
        return [_port_entry(target, published, protocol, host_ip)]
    pubs = _range(published) if published else None
    if pubs is not None and len(pubs) == len(targets):
        return [_port_entry(t, p, protocol, host_ip) for t, p in zip(targets, pubs, strict=True)]
    return [_port_entry(t, published, protocol, host_ip) for t in targets]


def _is_bind_source(source: str) -> bool:
    # a named volume's name never holds a path separator (compose spec "volumes" short syntax)
    return source.startswith((".", "/", "~")) or "/" in source or "\\" in source


def parse_volume(item: Any) -> dict[str, Any]:
    """One service ``volumes`` entry (short or long syntax) → canonical long syntax.

    Args:
        item: ``"data:/var/lib/data:ro"``, ``"./conf:/etc/conf"``, ``"/cache"``,
            ``"${DATA:-./data}:/data:ro"`` (``${…}`` is one token: its ``:`` splits nothing),
            or a mapping.

    Returns:
        ``type`` (bind/volume/tmpfs/…), ``source`` (absent for anonymous volumes),
        ``target``, ``read_only: True`` only when read-only, and the other long-syntax keys
        except defaults (``bind.create_host_path: true``, empty option blocks).
    """
    if isinstance(item, Mapping):
        out: dict[str, Any] = {}
        for key, value in item.items():
            if key == "read_only" and not value:
                continue
            if isinstance(value, Mapping):
                value = {
                    k: v for k, v in value.items() if not (k == "create_host_path" and v is True)
                }
                if not value:
                    continue
            out[str(key)] = value
        return out
    text = scalar_text(item) or ""
    parts = split_outside(text, ":")
    if len(parts) == 1:
        return {"type": "volume", "target": text}
    source, target = parts[0], parts[1]
    kind = "bind" if _is_bind_source(source) else "volume"
    entry: dict[str, Any] = {"type": kind, "source": source, "target": target}
    for option in ":".join(parts[2:]).split(",") if len(parts) > 2 else []:
        if option == "ro":
            entry["read_only"] = True
        elif option in ("z", "Z") and kind == "bind":
            entry["bind"] = {"selinux": option}
        elif option == "nocopy" and kind == "volume":
            entry["volume"] = {"nocopy": True}
        elif option in ("rw", "", "cached", "delegated", "consistent"):
            continue
        else:
            entry.setdefault("options", []).append(option)
    return entry


def _mount_ref(item: Any) -> Any:
    """``secrets``/``configs`` entry → ``{"source": …, …}``."""
    if isinstance(item, Mapping):
        return {str(k): v for k, v in item.items()}
    return {"source": scalar_text(item)}


def command_list(value: Any) -> Any:
    """``command``/``entrypoint`` → argv list (strings split like a POSIX shell, as compose does).

    Returns the value unchanged when it is not a string, or a one-item list when the string
    cannot be split (unbalanced quotes).
    """
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError:
            return [value]
    if isinstance(value, list):
        return [scalar_text(v) for v in value]
    return value


def healthcheck_test(value: Any) -> Any:
    """A healthcheck ``test`` → list form (a string means ``["CMD-SHELL", string]``)."""
    if isinstance(value, str):
        return ["CMD-SHELL", value]
    if isinstance(value, list):
        return [scalar_text(v) for v in value]
    return value


def _healthcheck(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key.startswith("x-"):
            continue
        if key == "test":
            out["test"] = healthcheck_test(item)
        elif key in _DURATION_KEYS:
            out[key] = _duration(item)
        elif key == "retries":
            out[key] = _maybe_int(item)
        elif key == "disable":
            if item is True or item == "true":
                out["test"] = ["NONE"]
        else:
            out[key] = item
    return out


def engine_restart(policy: Mapping[str, Any]) -> str:
    """The engine restart policy a ``deploy.restart_policy`` block means to docker compose.

    ``condition`` none → ``no``, any (default) → ``always``, on-failure → ``on-failure`` or
    ``on-failure:N`` with ``max_attempts: N``. Source: docker compose ``getRestartPolicy``
    (compose uses ``deploy.restart_policy`` over ``restart`` when both are set).
    """
    condition = str(policy.get("condition") or "")
    name = _RESTART_OF_CONDITION.get(condition, condition)
    attempts = _maybe_int(policy.get("max_attempts"))
    if name == "on-failure" and isinstance(attempts, int) and attempts > 0:
        return f"on-failure:{attempts}"
    return name


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
            if key == "restart" and item is False:
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
    return {str(k): dict(v) if isinstance(v, Mapping) else {} for k, v in value.items()}


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
        return {"context": value}
    if not isinstance(value, Mapping):
        return value
    out = {str(k): v for k, v in value.items() if not str(k).startswith("x-")}
    for key in ("args", "labels"):
        if key in out:
            out[key] = _canonical_map(out[key], (*path, key), origins)
    return out


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
                        k: _size(v) if k == "memory" else _cpus(v) if k == "cpus" else v
                        for k, v in spec.items()
                    }
                else:
                    res[part] = spec
            out[key] = res
        elif key in ("restart_policy", "update_config", "rollback_config") and isinstance(
            item, Mapping
        ):
            out[key] = {
                k: _duration(v) if k in ("delay", "window", "monitor") else v
                for k, v in item.items()
            }
        else:
            out[key] = item
    return out


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


def normalise_service(
    service: Any, path: Path_, origins: dict[Path_, Path_], keep_extensions: bool = False
) -> Any:
    """One service mapping → canonical form (see the module docstring).

    Args:
        service: the service's mapping from the (merged) compose file.
        path: its path in the input, e.g. ``("services", "backend")``.
        origins: filled with canonical path → input path for values that moved.
        keep_extensions: keep ``x-`` keys.

    Returns:
        A new mapping; the input is not changed. A non-mapping is returned as is.
    """
    if not isinstance(service, Mapping):
        return service
    out: dict[str, Any] = {}
    for key, value in service.items():
        here = (*path, key)
        if key.startswith("x-") and not keep_extensions:
            continue
        if key in _MAP_FIELDS:
            out[key] = _canonical_map(value, here, origins)
        elif key == "extra_hosts":
            out[key] = _canonical_map(value, here, origins, seps="=:")
        elif key == "ports":
            out[key] = _flat(value, parse_port, here, origins)
        elif key == "volumes":
            out[key] = _listed(value, parse_volume)
        elif key in ("secrets", "configs"):
            out[key] = _listed(value, _mount_ref)
        elif key == "depends_on":
            out[key] = _depends_on(value, here, origins)
        elif key == "healthcheck":
            out[key] = _healthcheck(value)
        elif key in ("command", "entrypoint"):
            out[key] = command_list(value)
        elif key == "networks":
            out[key] = _networks(value, here, origins)
        elif key == "build":
            out[key] = _build(value, here, origins)
        elif key == "deploy":
            out[key] = _deploy(value)
        elif key == "ulimits":
            out[key] = _ulimits(value)
        elif key == "env_file":
            out[key] = _env_file(value)
        elif key in ("dns", "dns_search", "dns_opt", "tmpfs"):
            out[key] = [value] if isinstance(value, str) else value
        elif key == "expose":
            out[key] = _listed(value, scalar_text)
        elif key in ("stop_grace_period",):
            out[key] = _duration(value)
        elif key in ("memswap_limit", "shm_size"):
            out[key] = _size(value)
        elif key == "logging" and isinstance(value, Mapping):
            logging = dict(value)
            if isinstance(logging.get("options"), Mapping):
                logging["options"] = _canonical_map(logging["options"], (*here, "options"), origins)
            out[key] = logging
        else:
            out[key] = value
    _move_resources(out, path, origins)
    _restart(out, path, origins)
    _replicas(out, path, origins)
    return out


def _listed(value: Any, convert: Any) -> Any:
    if not isinstance(value, list):
        return value
    return [convert(item) for item in value]


def _flat(value: Any, convert: Any, path: Path_, origins: dict[Path_, Path_]) -> Any:
    """Convert each item to a list of entries; record where expanded entries came from."""
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for index, item in enumerate(value):
        for entry in convert(item):
            if len(out) != index:
                origins[(*path, len(out))] = (*path, index)
            out.append(entry)
    return out


def _definitions(value: Any, path: Path_, origins: dict[Path_, Path_], keep: bool) -> Any:
    """Top-level ``networks``/``volumes``/``secrets``/``configs``: an entry's null → ``{}``."""
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for name, spec in value.items():
        if str(name).startswith("x-") and not keep:
            continue
        if not isinstance(spec, Mapping):
            out[str(name)] = {} if spec is None else spec
            continue
        entry = {str(k): v for k, v in spec.items() if keep or not str(k).startswith("x-")}
        if "labels" in entry:
            entry["labels"] = _canonical_map(entry["labels"], (*path, name, "labels"), origins)
        out[str(name)] = entry
    return out


def normalise(data: Any, *, keep_extensions: bool = False) -> Canonical:
    """A whole compose mapping → :class:`Canonical`.

    Args:
        data: the compose mapping after reading and merging (``None`` for an empty file).
        keep_extensions: keep ``x-`` keys (top level and services).

    Returns:
        The canonical form; ``version`` (obsolete in the compose spec) is dropped, and so is
        a top-level ``networks``/``volumes``/``secrets``/``configs`` that is null or empty.
    """
    origins: dict[Path_, Path_] = {}
    out: dict[str, Any] = {}
    if not isinstance(data, Mapping):
        return Canonical({}, origins)
    for key, value in data.items():
        if key == "version" or (key.startswith("x-") and not keep_extensions):
            continue
        if key == "services" and isinstance(value, Mapping):
            out[key] = {
                str(name): normalise_service(
                    spec, ("services", str(name)), origins, keep_extensions
                )
                for name, spec in value.items()
            }
        elif key in ("networks", "volumes", "secrets", "configs"):
            definitions = _definitions(value, (key,), origins, keep_extensions)
            if definitions not in (None, {}):  # no entries: the same as no key
                out[key] = definitions
        else:
            out[key] = value
    return Canonical(out, origins)
