"""The compose emitter: a :class:`~stackgen.plan.model.Stack` → the compose file as data
(:class:`ComposeDocument`), everything compose-specific written here.

* ``$``: compose interpolates ``$NAME``/``${NAME…}`` in every value (not in keys) and reads
  ``$$`` as ``$`` (compose spec "Interpolation"). Under the profile's ``interpolation``:
  ``braced`` (default) keeps variable references and doubles every other ``$``; container-side
  text (``command``, ``entrypoint``, healthcheck ``test``, config file content) doubles every
  ``$``, so the container's shell sees it; ``none`` doubles every ``$`` everywhere;
  ``verbatim`` writes values as given. Keys a service gives ``verbatim`` are written as given.
* ports in short syntax (an integer port ``8080`` → ``"8080:8080"``), or as the profile wrote
  them; routes as Traefik docker-provider labels; replicas and resources in ``deploy``;
  ``start_interval`` left out for a Docker Engine older than 25 (:mod:`stackgen.compose.engine`);
  service keys in a fixed order (image, build, container_name, command, … deploy, then others).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ...compose.engine import supports_start_interval
from ...compose.units import format_size
from ...plan.model import (
    Command,
    ComposeText,
    Config,
    Duration,
    EnvValue,
    Port,
    Probe,
    Secret,
    Service,
    Stack,
    Template,
    Text,
    VariableRef,
    Volume,
)
from ...yamlio.scalars import escape_all, escape_literal
from .document import ComposeDocument, ComposeService

_ORDER = (
    "image",
    "build",
    "container_name",
    "command",
    "entrypoint",
    "restart",
    "depends_on",
    "healthcheck",
    "ports",
    "expose",
    "env_file",
    "environment",
    "volumes",
    "configs",
    "labels",
    "deploy",
)
_ORDERED = frozenset(_ORDER)
# Container-side text: every `$` is literal to the container, so all are escaped (B12).
_CONTAINER_SIDE = ("command", "entrypoint")


def emit(stack: Stack) -> ComposeDocument:
    """The compose file of ``stack``.

    Args:
        stack: the planned stack.

    Returns:
        The document: services in start order, each body's keys in output order, ``$``
        escaped by the stack's interpolation rule.
    """
    dollars = _Dollars(stack.interpolation)
    routers = _routers(stack)
    services = tuple(
        ComposeService(
            svc.name,
            _ordered(dollars.service(_body(stack, svc, routers), keep=svc.compose_verbatim)),
        )
        for svc in stack.services
    )
    return ComposeDocument(
        name=stack.name,
        write_name=stack.write_name,
        policy=dict(stack.policy),
        source=stack.source,
        services=services,
        volumes={v.name: dollars.value(_plain(v.options)) for v in stack.volumes},
        networks={n.name: dollars.value(_plain(n.options)) for n in stack.networks},
        configs={
            **{c.name: dollars.value(_declared(c)) for c in stack.declared_configs},
            **{c.name: {"content": dollars.container(c.content)} for c in stack.configs},
        },
        secrets={s.name: dollars.value(_declared(s)) for s in stack.secrets},
        warnings=stack.warnings,
    )


def _plain(value: Any) -> Any:
    """A read-only mapping of the model as the plain dict the compose file data is made of."""
    return dict(value) if isinstance(value, Mapping) else value


def _declared(item: Config | Secret) -> dict[str, str]:
    """A top-level config or secret as compose writes it (``file``, ``content``,
    ``environment``, ``name``: the one source, then the platform name)."""
    fields = {
        "file": item.file,
        "content": item.content if isinstance(item, Config) else None,
        "environment": item.environment,
        "name": item.platform_name,
    }
    return {k: v for k, v in fields.items() if v is not None}


def _routers(stack: Stack) -> dict[int, str]:
    """Route index → Traefik router name: the host lower-cased, runs of other characters as
    ``-``; a host that sanitises like an earlier one gets ``-2``, ``-3`` …"""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for index, route in enumerate(stack.routes):
        router = stem = re.sub(r"[^a-z0-9]+", "-", route.host.lower()).strip("-")
        n = 1
        while router in taken:
            n += 1
            router = f"{stem}-{n}"
        taken.add(router)
        names[index] = router
    return names


def _body(stack: Stack, svc: Service, routers: dict[int, str]) -> dict[str, Any]:
    """The compose body of one service, ``$`` not yet escaped, keys not yet ordered."""
    body: dict[str, Any] = {}
    if svc.image:
        body["image"] = svc.image
    for key, value in svc.compose_extras.items():
        if key == "healthcheck" and not supports_start_interval(stack.engine):
            value = {k: v for k, v in value.items() if k != "start_interval"}
        if key != "deploy":
            body[key] = value
    if svc.command is not None:
        body["command"] = _command(svc.command)
    if svc.entrypoint is not None:
        body["entrypoint"] = _command(svc.entrypoint)
    if svc.restart is not None:
        mode, attempts = svc.restart.mode, svc.restart.max_attempts
        body["restart"] = mode if attempts is None else f"{mode}:{attempts}"
    if svc.probe_disabled:
        body["healthcheck"] = {"disable": True}
    elif svc.probe is not None:
        body["healthcheck"] = _healthcheck(svc.probe, stack.engine)
    if svc.depends_on:
        depends: dict[str, Any] = {}
        for d in svc.depends_on:
            entry: dict[str, Any] = {"condition": d.condition.value}
            if d.restart is not None:
                entry["restart"] = d.restart
            if d.required is not None:
                entry["required"] = d.required
            depends[d.service] = entry
        body["depends_on"] = depends
    if svc.ports:
        body["ports"] = [_port(p) for p in svc.ports]
    if svc.expose:
        body["expose"] = [_port(p) for p in svc.expose]
    if svc.environment:
        body["environment"] = {e.name: _env(e.value, stack) for e in svc.environment}
    if svc.volumes:
        body["volumes"] = [_volume(v) for v in svc.volumes]
    if svc.config_files:
        mounts = [{"source": c.name, "target": c.target} for c in svc.config_files]
        given = body.get("configs", [])
        body["configs"] = [*given, *mounts] if isinstance(given, list) else given
    labels = dict(svc.labels)
    for index, route in enumerate(stack.routes):
        if route.service == svc.name:
            router = routers[index]
            labels["traefik.enable"] = "true"
            labels[f"traefik.http.routers.{router}.rule"] = f"Host(`{route.host}`)"
            labels[f"traefik.http.routers.{router}.service"] = router
            labels[f"traefik.http.services.{router}.loadbalancer.server.port"] = str(route.port)
    if labels:
        body["labels"] = labels
    given = svc.compose_extras.get("deploy")
    if given is not None and not isinstance(given, dict):
        body["deploy"] = given  # not a mapping: written for the compose schema to refuse
    elif deploy := _deploy(svc):
        body["deploy"] = deploy
    # compose text as given: no escaping, nothing derived from it
    body.update(svc.compose_verbatim)
    return body


def _command(command: Command) -> str | list[str]:
    return list(command.argv) if command.argv is not None else command.line or ""


def _text(duration: Duration | None) -> str | None:
    return None if duration is None else duration.text


def _healthcheck(probe: Probe, engine: tuple[int, ...] | None) -> dict[str, Any]:
    if probe.argv is not None:
        test = ["CMD", *probe.argv]
    elif probe.shell is not None:
        test = ["CMD-SHELL", probe.shell]
    else:
        test = ["NONE"]
    out: dict[str, Any] = {"test": test}
    timing: dict[str, Any] = {
        "interval": _text(probe.interval),
        "timeout": _text(probe.timeout),
        "retries": probe.retries,
        "start_period": _text(probe.start_period),
        "start_interval": _text(probe.start_interval),
    }
    if not supports_start_interval(engine):
        timing["start_interval"] = None  # compose refuses it there (the plan warned)
    out.update({k: v for k, v in timing.items() if v is not None})
    return out


def _port(port: Port) -> str | dict[str, Any]:
    if port.text is None:
        return f"{port.host_port}:{port.container}" if port.published else str(port.container)
    return _plain(port.text)  # type: ignore[no-any-return]


def _volume(volume: Volume) -> str | dict[str, Any]:
    if volume.text is None:
        source = f"{volume.source}:" if volume.source else ""
        return f"{source}{volume.target}" + (":ro" if volume.read_only else "")
    return _plain(volume.text)  # type: ignore[no-any-return]


def _env(value: EnvValue, stack: Stack) -> str | None:
    """An environment value as compose text (None: taken from the host)."""
    if isinstance(value, ComposeText):
        return value.text
    if isinstance(value, Text):
        return value.text if stack.interpolation == "verbatim" else escape_all(value.text)
    if isinstance(value, VariableRef):
        return "${" + value.name + value.operator + escape_literal(value.default or "") + "}"
    if isinstance(value, Template):
        return "".join(_env(part, stack) or "" for part in value.parts)
    return None  # FromHost, SecretRef


def _deploy(svc: Service) -> dict[str, Any]:
    """``deploy``: the profile's own compose ``deploy`` block, with replicas and resources."""
    deploy: dict[str, Any] = dict(svc.compose_extras.get("deploy") or {})
    if svc.replicas is not None:
        deploy["replicas"] = svc.replicas
    res = svc.resources
    if res is not None:
        resources: dict[str, Any] = dict(deploy.get("resources") or {})
        limits: dict[str, Any] = dict(resources.get("limits") or {})
        if res.limits is not None and res.limits.memory is not None:
            limits["memory"] = format_size(res.limits.memory)
        if res.limits is not None and res.limits.cpus is not None:
            limits["cpus"] = res.limits.cpus
        if limits:
            resources["limits"] = limits
        if res.reservations is not None:
            reservations: dict[str, Any] = {}
            if res.reservations.memory is not None:
                reservations["memory"] = format_size(res.reservations.memory)
            if res.reservations.cpus is not None:
                reservations["cpus"] = res.reservations.cpus
            resources["reservations"] = reservations
        deploy["resources"] = resources
    return deploy


def _ordered(body: dict[str, Any]) -> dict[str, Any]:
    out = {k: body[k] for k in _ORDER if k in body}
    out.update((k, v) for k, v in body.items() if k not in _ORDERED)
    return out


class _Dollars:
    """The ``$`` rule of the module docstring for one ``interpolation`` mode."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def literal(self, text: str) -> str:
        """A value: ``${NAME…}`` kept under ``braced``."""
        if self.mode == "verbatim":
            return text
        return escape_literal(text) if self.mode == "braced" else escape_all(text)

    def container(self, text: str) -> str:
        """Container-side text: every ``$`` literal unless ``verbatim``."""
        return text if self.mode == "verbatim" else escape_all(text)

    def value(self, value: Any, *, container: bool = False) -> Any:
        """Every string inside ``value`` (values only; keys are not interpolated)."""
        return _escaped(value, self.container if container else self.literal)

    def service(self, body: dict[str, Any], keep: Mapping[str, Any]) -> dict[str, Any]:
        """A service body, container-side keys by the container rule; the keys in ``keep``
        (a service's ``verbatim``) are written as ``keep`` gives them."""
        out: dict[str, Any] = {}
        for key, item in body.items():
            if key in keep:
                out[key] = keep[key]
            elif type(item) is str and "$" not in item:
                out[key] = item  # (image, restart …: no mode changes text without a $)
            elif key == "environment" and isinstance(item, dict):
                out[key] = item  # written by _env from the typed values
            elif key == "healthcheck" and isinstance(item, dict):
                out[key] = {
                    k: _escaped(v, self.container if k == "test" else self.literal)
                    for k, v in item.items()
                }
            else:
                escape = self.container if key in _CONTAINER_SIDE else self.literal
                out[key] = _escaped(item, escape)
        return out


def _escaped(value: Any, escape: Callable[[str], str]) -> Any:
    """``value`` with ``escape`` applied to every string inside it (lists and dicts copied).

    Text without a ``$`` is left as it is without calling ``escape`` (no mode changes it):
    a 1,000-service stack has some 30,000 strings, a few with a ``$``.
    """
    kind = type(value)
    if kind is str:
        return escape(value) if "$" in value else value
    if kind is dict:
        return {
            k: (escape(v) if "$" in v else v) if type(v) is str else _escaped(v, escape)
            for k, v in value.items()
        }
    if kind is list:
        return [
            (escape(v) if "$" in v else v) if type(v) is str else _escaped(v, escape) for v in value
        ]
    if kind is int or kind is bool or value is None:
        return value
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v, escape) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v, escape) for k, v in value.items()}
    return value
