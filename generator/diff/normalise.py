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
* ``volumes``: long syntax (``type``, ``source``, ``target``, ``read_only``); a short-syntax
  bind mount has ``bind.create_host_path: true``, as compose gives it (the long syntax
  creates a missing host folder only when it says so).
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
* a value compose prints as no key (``privileged: false``, ``cap_add: []``, ``user: ""``,
  ``pids_limit: 0``, ``networks: [default]``) is no key; booleans written as text are
  booleans (:mod:`stackgen.diff.zeros`).
* ``x-`` keys and the obsolete ``version`` are dropped (unless ``keep_extensions``).

Values compose would reject are kept verbatim rather than raised (the diff validates files
before normalising them: :func:`stackgen.diff.pipeline.validate_compose`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..compose.values import (
    command_list,
    parse_port,
    parse_volume,
    scalar_text,
)
from ..yamlio.nodes import Path_
from .fields import (
    _build,
    _canonical_map,
    _depends_on,
    _deploy,
    _device,
    _duration,
    _env_file,
    _extra_hosts,
    _healthcheck,
    _mount_ref,
    _move_resources,
    _networks,
    _replicas,
    _restart,
    _size,
    _ulimits,
)
from .zeros import drop_zeros, read_booleans

#: service keys whose values are ``KEY=value`` lists or mappings
_MAP_FIELDS = ("environment", "labels", "sysctls", "annotations")


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
            if key != "environment":
                # a label, annotation or sysctl without a value is "" to compose (a bare
                # environment name means "from the host": it stays null)
                out[key] = {k: "" if v is None else v for k, v in out[key].items()}
        elif key == "extra_hosts":
            out[key] = _extra_hosts(value, here, origins)
        elif key == "devices":
            out[key] = _listed(value, _device)
        elif key == "group_add":
            out[key] = _listed(value, scalar_text)
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
    read_booleans(out)
    drop_zeros(out)
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
