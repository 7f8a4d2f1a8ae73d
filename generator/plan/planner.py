"""Planning: a validated profile → a :class:`~stackgen.plan.model.Stack`, the target-neutral
model every target emits.

Applies defaults and the catalog, resolves ``depends_on`` conditions and startup order,
checks ports and domains, derives Kafka and retention settings. Every problem found is
collected; :class:`InputError` carries them all. No target's syntax is written here: ``$``
escaping, short port syntax, Traefik labels and the ``deploy`` shape are the compose target's
(:mod:`stackgen.targets.compose.emit`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

from ..catalog.kinds import (
    KindDefaults,
    command_words,
    infer_kind,
    kind_defaults,
    profile_client_port,
)
from ..compose.ports import parse_port
from ..compose.references import named_volume, undefined
from ..compose.values import parse_volume
from ..errors import InputError
from ..profile.load import LoadedProfile
from ..profile.models import Service as ProfileService
from ..yamlio.nodes import dotted
from .checks import (
    check_domains,
    check_expose,
    check_host_ports,
    check_localhost_clients,
)
from .context import PlanContext, dependencies, one_shot_jobs
from .environment import env_value
from .kafka import KAFKA_MODE_ENV, check_kafka_settings
from .model import (
    Condition,
    Config,
    ConfigFile,
    EnvVar,
    Kind,
    NamedVolume,
    Network,
    Port,
    Protocol,
    Secret,
    Service,
    Stack,
    Volume,
    VolumeType,
    frozen_map,
)
from .order import order_and_conditions
from .paths import place_paths
from .services import Draft, plan_service


def plan(
    loaded: LoadedProfile,
    *,
    source: str,
    templates: Path | None = None,
    output_dir: Path | None = None,
) -> Stack:
    """Plan a loaded profile into a :class:`Stack`.

    Args:
        loaded: the validated profile with its value positions.
        source: how the generated header names the profile.
        templates: optional user template directory.
        output_dir: the folder the output will be read from; relative host paths (each
            relative to the folder of the profile that states it) are rewritten relative to
            it (:mod:`stackgen.plan.paths`). None: the profile's own folder.

    Returns:
        The stack, services in dependency order, plus warnings.

    Raises:
        InputError: every problem found (unknown dependency, cycle, bad port, …).
        TemplateError: a catalog partial failed.
    """
    ctx = PlanContext(loaded)
    profile = loaded.profile
    services = profile.services
    ctx.jobs = one_shot_jobs(services)
    # compose keys passed through (deploy, container_name, mem_limit, scale, long-syntax
    # volumes …) are read only where they have the shape compose allows; the compose target
    # validates the whole file once (stackgen.targets.compose.target), at profile positions
    # without `kind`, a catalog image still gets its kind (postgres:16 → postgres)
    kinds: dict[str, str] = {
        name: (svc.kind or infer_kind(svc.image)) for name, svc in services.items()
    }

    defaults: dict[str, KindDefaults] = {}
    for name, svc in services.items():
        zk = next((d for d in dependencies(svc) if kinds.get(d) == "zookeeper"), None)
        own_mode = KAFKA_MODE_ENV & set(svc.environment)
        if kinds[name] == "kafka" and zk is None and not own_mode and profile.policies.catalog:
            # the catalog broker runs in ZooKeeper mode: without a connect string it won't start
            keepers = [n for n, k in kinds.items() if k == "zookeeper"]
            hint = f"add depends_on: [{keepers[0]}]" if keepers else "add a zookeeper service"
            ctx.error(
                ("services", name, "depends_on") if svc.depends_on else ("services", name),
                f"the kafka broker needs a zookeeper service in depends_on ({hint}), or set "
                "KAFKA_ZOOKEEPER_CONNECT / KAFKA_PROCESS_ROLES (KRaft) in its environment",
            )
        env: dict[str, str | None] = {
            k: v for k, v in svc.environment.items() if isinstance(v, str)
        }
        defaults[name] = kind_defaults(
            kinds[name],
            name=name,
            image=svc.image,
            env=env,
            kafka=profile.kafka,
            zookeeper=zk,
            zookeeper_port=profile_client_port("zookeeper", services[zk], profile.kafka)
            if zk
            else None,
            templates=templates,
            env_file=bool(svc.passthrough.get("env_file") or svc.verbatim.get("env_file")),
            args=command_words(svc.passthrough.get("command", svc.verbatim.get("command"))),
        )

    drafts: dict[str, Draft] = {}
    for name, svc in services.items():
        drafts[name] = plan_service(ctx, name, svc, kinds, defaults)

    order, deps = order_and_conditions(ctx, {n: d.has_probe for n, d in drafts.items()})
    check_kafka_settings(ctx)
    routes = check_domains(ctx, defaults)
    ports = {name: draft.ports for name, draft in drafts.items()}
    check_host_ports(ctx, ports, {name: draft.replicas for name, draft in drafts.items()})
    check_expose(ctx)
    check_localhost_clients(ctx, ports, kinds, defaults)

    volumes: dict[str, Any] = {}
    for name in order:
        for vol in _named_volumes(drafts[name].volumes):
            if vol in volumes or vol in profile.volumes or not profile.policies.catalog:
                continue  # without the policy an undeclared volume is an error (below)
            ctx.added(("volumes", vol), f"named volume used by {name}, declared by stackgen")
            volumes[vol] = {}
    for vol, opts in profile.volumes.items():
        volumes[vol] = opts or {}
    own_configs = {k: v.model_dump(exclude_none=True) for k, v in profile.configs.items()}
    secrets = {k: v.model_dump(exclude_none=True) for k, v in profile.secrets.items()}
    configs: list[ConfigFile] = []
    files: dict[str, list[ConfigFile]] = {}
    taken: set[str] = set(own_configs)
    for name, svc in services.items():
        for target, content in svc.config_files.items():
            stem = f"{name}_" + re.sub(r"[^A-Za-z0-9_.-]", "_", target.strip("/"))
            # distinct files may sanitise to one name ("a b", "a_b"): never share content
            cname, n = stem, 1
            while cname in taken:
                n += 1
                cname = f"{stem}_{n}"
            taken.add(cname)
            config = ConfigFile(cname, target, content)
            configs.append(config)
            files.setdefault(name, []).append(config)

    declared = {
        "networks": set(profile.networks),
        "secrets": set(secrets),
        "configs": taken,
        "volumes": set(volumes),
    }
    for name in order:
        for where, message in undefined(name, _compose_keys(drafts[name]), declared):
            if where[2] in drafts[name].verbatim:
                where = (*where[:2], "verbatim", *where[2:])
            ctx.error(where, message)
    own_configs, secrets = _place_paths(ctx, drafts, own_configs, secrets, output_dir)

    if ctx.errors:
        raise InputError(ctx.errors)
    if profile.policies.project_name:
        ctx.added(("name",), "policies.project_name: the project name is pinned in the file")
    waited_on = {
        d.service for found in deps.values() for d in found if d.condition is Condition.COMPLETED
    }
    env_vars: dict[tuple[str, str | None], EnvVar] = {}
    return Stack(
        name=profile.name,
        write_name=profile.policies.project_name,
        source=source,
        interpolation=profile.interpolation,
        engine=profile.target.engine_version,
        services=tuple(
            _service(
                ctx,
                name,
                services[name],
                drafts[name],
                kind=kinds[name],
                deps=deps.get(name, ()),
                files=files.get(name, []),
                one_shot=name in waited_on or name in ctx.jobs,
                env_vars=env_vars,
            )
            for name in order
        ),
        routes=tuple(routes),
        volumes=tuple(NamedVolume(k, frozen_map(v)) for k, v in sorted(volumes.items())),
        networks=tuple(Network(k, frozen_map(v or {})) for k, v in profile.networks.items()),
        configs=tuple(configs),
        declared_configs=tuple(
            Config(
                name,
                file=spec.get("file"),
                content=spec.get("content"),
                environment=spec.get("environment"),
                platform_name=spec.get("name"),
            )
            for name, spec in own_configs.items()
        ),
        secrets=tuple(
            Secret(
                name,
                file=spec.get("file"),
                environment=spec.get("environment"),
                platform_name=spec.get("name"),
            )
            for name, spec in secrets.items()
        ),
        warnings=tuple(ctx.warnings),
        policy=frozen_map({dotted(p): why for p, why in ctx.policy.items()}),
    )


def _service(
    ctx: PlanContext,
    name: str,
    svc: ProfileService,
    draft: Draft,
    *,
    kind: str,
    deps: Any,
    files: list[ConfigFile],
    one_shot: bool,
    env_vars: dict[tuple[str, str | None], EnvVar],
) -> Service:
    """The model of one planned service; ``env_vars`` keeps each (name, value) entry's
    :class:`EnvVar` for the services after it (entries repeat service after service; the
    records are frozen)."""
    return Service(
        name=name,
        kind=cast(Kind, kind),
        image=draft.image,
        command=draft.command,
        entrypoint=draft.entrypoint,
        environment=tuple(
            env_vars.get(entry) or _env_var(ctx, env_vars, entry)
            for entry in draft.environment.items()
        ),
        ports=tuple(_port(item) for item in draft.port_items),
        expose=tuple(_port(text, published=False) for text in draft.expose),
        probe=draft.probe,
        probe_disabled=draft.probe_disabled,
        depends_on=tuple(deps),
        restart=draft.restart,
        replicas=draft.replicas if isinstance(draft.replicas, int) else None,
        resources=draft.resources,
        volumes=tuple(_volume(item) for item in draft.volumes),
        config_files=tuple(files),
        labels=frozen_map(draft.labels),
        one_shot=one_shot,
        compose_extras=frozen_map(draft.extras),
        compose_verbatim=frozen_map(draft.verbatim),
    )


def _env_var(
    ctx: PlanContext,
    env_vars: dict[tuple[str, str | None], EnvVar],
    entry: tuple[str, str | None],
) -> EnvVar:
    """The :class:`EnvVar` of one environment entry ``(name, value)``, kept in ``env_vars``."""
    key, value = entry
    secret = ctx.is_secret(key)
    var = EnvVar(
        key,
        env_value(value, name=key, mode=ctx.profile.interpolation, secret=secret),
        secret=secret,
    )
    env_vars[entry] = var
    return var


def _number(text: str | None) -> tuple[int | None, int | None]:
    """``"8000-8002"`` → (8000, 8002); ``"80"`` → (80, None); a variable → (None, None)."""
    if text is None:
        return None, None
    low, _, high = text.partition("-")
    if not re.fullmatch(r"[0-9]{1,5}", low) or (high and not re.fullmatch(r"[0-9]{1,5}", high)):
        return None, None
    return int(low), (int(high) if high else None)


_PROTOCOLS: dict[str, Protocol] = {"tcp": "tcp", "udp": "udp", "sctp": "sctp"}


def _port(item: Any, *, published: bool = True) -> Port:
    """A port record for one ``ports`` (or ``expose``) entry as the profile gives it."""
    if isinstance(item, int):
        return Port(container=item, host_port=item if published else None, published=published)
    if isinstance(item, dict):
        target = item.get("target")
        host, host_end = _number(None if item.get("published") is None else str(item["published"]))
        return Port(
            container=target if isinstance(target, int) else 0,
            protocol=_PROTOCOLS.get(str(item.get("protocol", "tcp")), "tcp"),
            host_port=host,
            host_port_end=host_end,
            host_ip=item.get("host_ip"),
            published="published" in item,
            text=frozen_map(item),
        )
    try:
        spec = parse_port(item)
    except ValueError:
        return Port(container=0, published=published, text=str(item))  # reported already
    container, container_end = _number(spec.target)
    host, host_end = _number(spec.published)
    return Port(
        container=container or 0,
        container_end=container_end,
        protocol=_PROTOCOLS.get(spec.protocol, "tcp"),
        host_port=host if published else None,
        host_port_end=host_end if published else None,
        host_ip=spec.host_ip,
        published=published and spec.published is not None,
        text=item,
    )


_VOLUME_TYPES = {"volume": VolumeType.NAMED, "bind": VolumeType.BIND, "tmpfs": VolumeType.TMPFS}


def _volume(item: Any) -> Volume:
    """A mount record for one ``volumes`` entry as the profile (or catalog) gives it."""
    entry = parse_volume(item)
    source = entry.get("source")
    return Volume(
        type=_VOLUME_TYPES.get(str(entry.get("type")), VolumeType.BIND),
        source=None if source is None else str(source),
        target=str(entry.get("target", "")),
        read_only=bool(entry.get("read_only", False)),
        text=frozen_map(item) if isinstance(item, dict) else item,
    )


def _named_volumes(volumes: list[Any]) -> list[str]:
    return [n for n in map(named_volume, volumes) if n is not None]


def _compose_keys(draft: Draft) -> dict[str, Any]:
    """The compose keys of a planned service that can name a path or a top-level element
    (``volumes``, ``build``, ``env_file``, ``networks``, ``secrets``, ``configs``), as the
    profile gives them; ``verbatim`` keys replace the others."""
    keys = dict(draft.extras)
    if draft.volumes:
        keys["volumes"] = draft.volumes
    keys.update(draft.verbatim)
    return keys


def _place_paths(
    ctx: PlanContext,
    drafts: dict[str, Draft],
    configs: dict[str, Any],
    secrets: dict[str, Any],
    output_dir: Path | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check every host path and rewrite the relative ones for ``output_dir``
    (:func:`stackgen.plan.paths.place_paths`): the drafts' mounts and passed-through keys are
    updated in place; returns the top-level configs and secrets as placed."""
    data = {
        "services": {name: _compose_keys(draft) for name, draft in drafts.items()},
        "configs": configs,
        "secrets": secrets,
    }
    placed = place_paths(
        ctx, data, output_dir, verbatim={n: set(d.verbatim) for n, d in drafts.items()}
    )
    for name, draft in drafts.items():
        body = placed["services"][name]
        if "volumes" not in draft.verbatim and draft.volumes:
            draft.volumes = body["volumes"]
        for key in draft.extras:
            if key not in draft.verbatim:
                draft.extras[key] = body[key]
    return placed["configs"], placed["secrets"]
