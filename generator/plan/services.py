"""One service planned: image, restart, probe, ports, environment, volumes, labels and
resources resolved from the profile, its catalog kind and the policies, each problem recorded.

The result is a :class:`Draft`: the typed parts of a :class:`~stackgen.plan.model.Service`
plus the profile's own spelling of ports and volumes, which the stack-wide checks read
(:mod:`stackgen.plan.checks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog.kinds import KindDefaults
from ..compose.units import parse_duration
from ..profile.models import Service
from .context import PlanContext
from .health import healthcheck, start_interval_unsupported
from .kafka import derived_env, wiring_env
from .records import Command, Duration, Probe, Resources, ResourceSet, Restart, RestartMode
from .resources import check_deploy, restart_from_policy


@dataclass
class Draft:
    """A service while the stack is planned.

    Attributes:
        image: the image, None for a built service.
        command: the command, None when not given (or not an argv/string: then in ``extras``).
        entrypoint: as ``command``.
        restart: the restart policy, None when not set.
        probe: the probe, None when none.
        probe_disabled: ``healthcheck: {disable: true}``.
        has_probe: dependants may wait for ``service_healthy`` (a probe, also a verbatim one).
        ports: the ports as compose text (short syntax, ints as ``"N:N"``, mappings).
        port_items: the ports as the profile (or catalog) gives them.
        expose: the exposed ports as text.
        environment: name → value text (None: from the host), in output order.
        volumes: the mounts as written.
        labels: the profile's labels.
        replicas: containers asked for (profile ``replicas``, else ``deploy.replicas``).
        resources: the profile's ``resources``, None when not given.
        extras: compose keys passed through, not modelled (``deploy`` without
            ``restart_policy``); in the profile's order.
        verbatim: compose keys given under ``verbatim``.
    """

    image: str | None = None
    command: Command | None = None
    entrypoint: Command | None = None
    restart: Restart | None = None
    probe: Probe | None = None
    probe_disabled: bool = False
    has_probe: bool = False
    ports: list[Any] = field(default_factory=list)
    port_items: list[Any] = field(default_factory=list)
    expose: list[str] = field(default_factory=list)
    environment: dict[str, str | None] = field(default_factory=dict)
    volumes: list[Any] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    replicas: int | None = None
    resources: Resources | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    verbatim: dict[str, Any] = field(default_factory=dict)


def _port_text(spec: int | str | dict[str, Any]) -> str | dict[str, Any]:
    return f"{spec}:{spec}" if isinstance(spec, int) else spec


def _command(value: Any) -> Command | None:
    """A command/entrypoint the model can hold: a string or a list of strings."""
    if isinstance(value, str):
        return Command(line=value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return Command(argv=tuple(value))
    return None


_RESTART_MODES: dict[str, RestartMode] = {
    "no": "no",
    "always": "always",
    "on-failure": "on-failure",
    "unless-stopped": "unless-stopped",
}


def _restart(text: str) -> Restart:
    """``on-failure:3`` → ``Restart("on-failure", 3)`` (the profile model checked the form)."""
    mode, _, attempts = text.partition(":")
    return Restart(_RESTART_MODES[mode], int(attempts) if attempts else None)


def _duration(text: str | None) -> Duration | None:
    return None if text is None else Duration(parse_duration(text), text)


def _probe(out: dict[str, Any]) -> Probe | None:
    """A compose-shaped healthcheck mapping as a :class:`Probe` (None for a ``test`` the
    model cannot hold: it is then passed through as compose)."""
    test = out["test"]
    argv: tuple[str, ...] | None = None
    shell: str | None = None
    if test and test[0] == "CMD":
        argv = tuple(test[1:])
    elif len(test) == 2 and test[0] == "CMD-SHELL":
        shell = test[1]
    elif test != ["NONE"]:
        return None
    return Probe(
        argv=argv,
        shell=shell,
        interval=_duration(out.get("interval")),
        timeout=_duration(out.get("timeout")),
        start_period=_duration(out.get("start_period")),
        start_interval=_duration(out.get("start_interval")),
        retries=out.get("retries"),
    )


def plan_service(
    ctx: PlanContext,
    name: str,
    svc: Service,
    kinds: dict[str, str],
    defaults: dict[str, KindDefaults],
) -> Draft:
    """Plan service ``name`` (dependencies are resolved later, for the whole stack).

    Args:
        ctx: the planning context (problems are recorded there).
        name: the service name.
        svc: its profile entry.
        kinds: every service's catalog kind.
        defaults: every service's catalog defaults.
    """
    base = ("services", name)
    kd = defaults[name]
    profile = ctx.profile
    draft = Draft(verbatim=dict(svc.verbatim))
    passthrough = svc.passthrough

    policies = profile.policies
    built = "build" in passthrough or "build" in svc.verbatim
    # a built service keeps no catalog image: compose would tag the build with that name
    image = svc.image or (None if built or not policies.catalog else kd.image)
    if image:
        draft.image = image
        if svc.image is None:
            ctx.added((*base, "image"), f"policies.catalog: default image of kind {kinds[name]}")
    elif not built:
        why = f"the {kinds[name]!r} kind has no default image"
        if not policies.catalog:  # the kind's default is not used at all
            why = "policies.catalog is false, so no kind gives a default image"
        ctx.error(base, f"needs an image (or a build section): {why}")

    for key, value in passthrough.items():
        if key in ("command", "entrypoint") and _command(value) is not None:
            setattr(draft, key, _command(value))
        elif key == "deploy" and isinstance(value, dict):
            deploy = dict(value)
            deploy.pop("restart_policy", None)  # mapped onto `restart` below
            draft.extras[key] = deploy
        else:
            draft.extras[key] = value

    # restart: one plain-compose policy; swarm's restart_policy (profile key or
    # deploy.restart_policy) is mapped onto it, never emitted beside it (B23)
    swarm: list[tuple[tuple[str | int, ...], Any]] = []
    if svc.restart_policy is not None:
        swarm.append(((*base, "restart_policy"), svc.restart_policy))
    # a deploy that is not a mapping is passed through and refused by the compose schema
    # (stackgen.targets.compose.target): nothing is read from it
    block = passthrough.get("deploy")
    deploy_block: dict[str, Any] = block if isinstance(block, dict) else {}
    deploy_policy = deploy_block.get("restart_policy")
    if deploy_policy is not None:
        swarm.append(((*base, "deploy", "restart_policy"), deploy_policy))
    restart: str | None = None
    if svc.restart is not None:
        restart = svc.restart
    elif not swarm and policies.restart and name in ctx.jobs:
        # a job that exits 0 is done: unless-stopped/always would start it again
        restart = "no"
        ctx.added((*base, "restart"), "policies.restart: one-shot job, not restarted")
    elif not swarm and policies.restart:
        restart = profile.defaults.restart
        ctx.added((*base, "restart"), "policies.restart: defaults.restart")
    for where, policy in swarm:
        if svc.restart is not None or len(swarm) > 1:
            ctx.error(
                where,
                "restart is set more than once (restart, restart_policy, "
                "deploy.restart_policy); set one",
            )
            break
        mapped = restart_from_policy(ctx, where, policy)
        if mapped is not None:
            restart = mapped
    if restart is not None:
        draft.restart = _restart(restart)  # checked by the profile model (or mapped)

    # healthcheck
    hc_body = healthcheck(ctx, name, svc, kd, image, catalog_image=kinds[name] != "app")
    if hc_body is not None:
        if hc_body.get("disable", False):
            draft.probe_disabled = True
        else:
            draft.has_probe = True
            draft.probe = _probe(hc_body)
            if draft.probe is None:
                draft.extras["healthcheck"] = hc_body
    verbatim_hc = svc.verbatim.get("healthcheck")
    if isinstance(verbatim_hc, dict):
        test = verbatim_hc.get("test")
        draft.has_probe = not verbatim_hc.get("disable", False) and test not in (None, ["NONE"])
        old_engine = start_interval_unsupported(ctx)
        if "start_interval" in verbatim_hc and old_engine is not None:
            # verbatim is written as given, so it cannot be left out; the target cannot run it
            ctx.error(
                (*base, "verbatim", "healthcheck", "start_interval"),
                f"start_interval needs Docker Engine >= 25 (target {old_engine}): docker "
                "compose refuses it on an older engine, and a verbatim healthcheck is written "
                "as given; remove it here, or give the healthcheck outside verbatim, where "
                "stackgen omits it with a warning",
            )

    catalog = policies.catalog
    # ports
    ports = list(svc.ports) if svc.ports or not catalog else list(kd.ports)
    if ports and not svc.ports:
        ctx.added((*base, "ports"), f"policies.catalog: default ports of kind {kinds[name]}")
    draft.ports = [_port_text(p) for p in ports]
    draft.port_items = ports
    draft.expose = [str(p) for p in svc.expose]

    # environment: catalog < derived settings < the profile's own
    env: dict[str, str | None] = dict(kd.environment) if catalog else {}
    settings = derived_env(ctx, name, kinds)
    wiring = wiring_env(ctx, svc, kinds, defaults) if catalog and kinds[name] == "app" else {}
    for key in [*env, *wiring]:
        if key not in svc.environment and key not in settings:
            why = "wired to its broker" if key in wiring else f"set for kind {kinds[name]}"
            ctx.added((*base, "environment", key), f"policies.catalog: {why}")
    env.update(settings)
    env.update(wiring)
    if (*base, "healthcheck") in ctx.policy:  # a catalog probe: give it what it needs
        for key, value in kd.probe_environment.items():
            if key not in env and key not in svc.environment:
                env[key] = value
                ctx.added((*base, "environment", key), "policies.healthchecks: the probe needs it")
    for key, value in svc.environment.items():
        env[key] = value if (value is None or isinstance(value, str)) else None
    draft.environment = env

    volumes = list(svc.volumes) if svc.volumes or not catalog else list(kd.volumes)
    if volumes and not svc.volumes:
        ctx.added((*base, "volumes"), f"policies.catalog: default volumes of kind {kinds[name]}")
    draft.volumes = volumes
    draft.labels = dict(svc.labels)

    # compose's deploy.replicas counts as the replicas asked for (scale stays compose's own)
    deploy_replicas = deploy_block.get("replicas")
    draft.replicas = svc.replicas if svc.replicas is not None else deploy_replicas
    if svc.resources is not None:
        res = svc.resources
        limits = (
            ResourceSet(res.memory, res.cpus)
            if res.memory is not None or res.cpus is not None
            else None
        )
        reserved = res.reservations
        draft.resources = Resources(
            limits=limits,
            reservations=None if reserved is None else ResourceSet(reserved.memory, reserved.cpus),
        )
    check_deploy(ctx, name, svc, env)
    return draft
