"""The typed stack model (:mod:`stackgen.plan.model`) → the records the Kubernetes target
reads (:mod:`.view`).

The model holds the profile's text; how a ``$`` in it is meant follows
:attr:`~stackgen.plan.model.Stack.interpolation` (``braced``: ``${NAME…}`` in a value is a
reference, container-side text is literal; ``none``: every ``$`` literal; ``verbatim``: compose
text). Environment values arrive typed. What the catalog knows of a kind and the model does
not carry (ports its image listens on, a claim size) is read from the catalog.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Literal, cast

from ...catalog.kinds import kind_defaults, model_settings
from ...plan import model
from ...profile.kubernetes import size_bytes
from ...profile.models import Profile
from ...yamlio.scalars import escape_literal
from .compose_values import interpolated, probe_of
from .overrides import READ, compose_overrides
from .view import (
    Dependency,
    EnvVar,
    Port,
    Probe,
    Ref,
    Resources,
    Route,
    Service,
    Stack,
    Text,
    Volume,
)

# compose keys the target reads from ``compose_extras``; every other one is reported
_EXTRAS_READ = ("build", "env_file", "user", "working_dir")


def value_text(text: str, mode: model.Interpolation) -> Text:
    """A value of the model (not container-side) as literal parts and references."""
    if mode == "none":
        return (text,)
    return interpolated(text if mode == "verbatim" else escape_literal(text))


def container_text(text: str, mode: model.Interpolation) -> Text:
    """Container-side text (command, probe, file content): literal unless ``verbatim``."""
    return interpolated(text) if mode == "verbatim" else (text,)


def env_value(value: model.EnvValue, mode: model.Interpolation) -> Text | None:
    """A typed environment value as parts (None: from the host, or a secret)."""
    if isinstance(value, model.Text):
        return (value.text,)
    if isinstance(value, model.VariableRef):
        default = value.default if value.operator in (":-", "-") else None
        return (Ref(value.name, default),)
    if isinstance(value, model.Template):
        return tuple(
            p.text
            if isinstance(p, model.Text)
            else Ref(p.name, p.default if p.operator in (":-", "-") else None)
            for p in value.parts
        )
    if isinstance(value, model.ComposeText):
        return interpolated(value.text)
    return None  # FromHost, SecretRef


def _argv(command: model.Command | None, mode: model.Interpolation) -> tuple[Text, ...] | None:
    if command is None:
        return None
    words = command.argv if command.argv is not None else tuple(shlex.split(command.line or ""))
    return tuple(container_text(w, mode) for w in words)


def _ports(svc: model.Service, listens: tuple[int, ...]) -> tuple[Port, ...]:
    out: dict[tuple[int, str], Port] = {}
    for port, exposed in [(p, False) for p in svc.ports] + [(p, True) for p in svc.expose]:
        protocol = cast(Literal["TCP", "UDP", "SCTP"], port.protocol.upper())
        last = port.container_end or port.container
        for i, number in enumerate(range(port.container, last + 1)):
            host = None
            if not exposed and port.published and port.host_port is not None:
                host = port.host_port + i
            out.setdefault((number, protocol), Port(number, protocol, host, port.host_ip))
    for number in listens:
        out.setdefault((number, "TCP"), Port(number))
    return tuple(out.values())


def _probe(probe: model.Probe | None, mode: model.Interpolation) -> Probe | None:
    if probe is None or (probe.argv is None and probe.shell is None):
        return None
    # probe_of reads a compose healthcheck, where $$ is a literal $: the container-side
    # text is written that way, so it comes back exactly
    test: list[str] = (
        ["CMD-SHELL", _compose_text(container_text(probe.shell, mode))]
        if probe.shell is not None
        else ["CMD", *(_compose_text(container_text(a, mode)) for a in probe.argv or ())]
    )
    timing: dict[str, Any] = {"test": test}
    for key in ("interval", "timeout", "start_period"):
        duration = getattr(probe, key)
        if duration is not None:
            timing[key] = duration.seconds
    if probe.retries is not None:
        timing["retries"] = probe.retries
    return probe_of(timing)


def _compose_text(text: Text) -> str:
    """Container-side text as a compose value: a literal ``$`` doubled, a reference kept."""
    return "".join(p.replace("$", "$$") if isinstance(p, str) else f"${{{p.name}}}" for p in text)


def _plain(text: Text) -> list[str]:
    """Container-side text: a reference is kept as the container's shell reads it."""
    return [p if isinstance(p, str) else f"${{{p.name}}}" for p in text]


def _extra_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_extra_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_extra_text(v) for v in value)
    return str(value)


def _env_files(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    return tuple(str(i.get("path") if isinstance(i, Mapping) else i) for i in items if i)


def read_model(stack: model.Stack, profile: Profile) -> Stack:
    """Read a planned :class:`stackgen.plan.model.Stack` (``profile`` gives the Kafka
    settings the catalog's listeners follow and the ``sensitive`` names)."""
    mode = stack.interpolation
    services: list[Service] = []
    for svc in stack.services:
        zookeeper = next(
            (d.service for d in svc.depends_on if stack.service(d.service).kind == "zookeeper"),
            None,
        )
        env, args = model_settings(svc)  # the ports the service sets itself
        catalog = kind_defaults(
            svc.kind,
            name=svc.name,
            image=svc.image,
            env=env,
            args=args,
            kafka=profile.kafka,
            zookeeper=zookeeper,
        )
        # compose keys as text: passed through, and verbatim (which replace them)
        extras = {**svc.compose_extras, **svc.compose_verbatim}
        unmapped: list[tuple[str, str]] = []
        if svc.restart is not None:
            unmapped.append(("restart", svc.restart.mode))
        if svc.labels:
            unmapped.append(("labels", _extra_text(svc.labels)))
        unmapped += [
            (k, _extra_text(v))
            for k, v in extras.items()
            if k not in _EXTRAS_READ and k not in READ
        ]
        limits = svc.resources.limits if svc.resources else None
        reserved = svc.resources.reservations if svc.resources else None
        user = extras.get("user")
        planned = Service(
            name=svc.name,
            kind=svc.kind,
            image=value_text(svc.image, mode) if svc.image is not None else None,
            build="build" in extras,
            command=_argv(svc.command, mode),
            entrypoint=_argv(svc.entrypoint, mode),
            working_dir=extras.get("working_dir"),
            user=None if user is None else str(user),
            env=tuple(EnvVar(e.name, env_value(e.value, mode), e.secret) for e in svc.environment),
            env_files=_env_files(extras.get("env_file")),
            ports=_ports(svc, catalog.listens),
            probe=_probe(svc.probe, mode),
            depends_on=tuple(
                Dependency(d.service, cast(Any, d.condition.value)) for d in svc.depends_on
            ),
            resources=Resources(
                limits.memory if limits else None,
                limits.cpus if limits else None,
                reserved.memory if reserved else None,
                reserved.cpus if reserved else None,
            ),
            volumes=tuple(
                Volume(cast(Any, v.type.value), v.target, v.source, v.read_only)
                for v in svc.volumes
            ),
            config_files=tuple(
                (f.target, "".join(_plain(container_text(f.content, mode))))
                for f in svc.config_files
            ),
            replicas=svc.replicas,
            one_shot=svc.one_shot,
            unmapped=tuple(unmapped),
            claim_size=size_bytes(catalog.volume_size) if catalog.volume_size else None,
        )
        overrides = compose_overrides(svc, catalog.listens, tuple(profile.sensitive))
        services.append(replace(planned, **overrides) if overrides else planned)
    return Stack(
        name=stack.name,
        source=stack.source,
        services=tuple(services),
        routes=tuple(Route(r.host, r.service, r.port) for r in stack.routes),
        sensitive=tuple(profile.sensitive),
    )
