"""Planning: a validated profile → a :class:`~stackgen.plan.stack.Stack` in compose terms.

Applies defaults and the catalog, resolves ``depends_on`` conditions and startup order
(stdlib ``graphlib``), checks ports and domains, derives Kafka and retention settings, and
escapes ``$``. Every problem found is collected; :class:`InputError` carries them all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..catalog.kinds import KindDefaults, infer_kind, kind_defaults
from ..catalog.probes import check_test, shorthand_test
from ..compose import schema as compose
from ..compose.addresses import local_addresses
from ..compose.ports import parse_port
from ..compose.references import named_volume, undefined
from ..compose.restart import engine_restart
from ..compose.startorder import start_order
from ..compose.units import format_size, parse_size
from ..errors import Diagnostic, InputError
from ..profile.fields import is_hostname
from ..profile.load import LoadedProfile
from ..profile.models import Profile, Service
from ..profile.settings import RestartPolicy
from ..yamlio.nodes import Path_, dotted
from ..yamlio.scalars import escape_all, escape_literal
from .paths import place_paths
from .stack import PlannedService, Stack

INFRA_KINDS = ("postgres", "redis", "zookeeper", "kafka", "clickhouse")
_KAFKA_MODE_ENV = frozenset(
    {
        "KAFKA_ZOOKEEPER_CONNECT",
        "KAFKA_PROCESS_ROLES",
        "KAFKA_CFG_ZOOKEEPER_CONNECT",
        "KAFKA_CFG_PROCESS_ROLES",
    }
)
_XMX = re.compile(r"-Xmx([0-9]{1,18}[kKmMgG]?)")
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
# Container-side text: every `$` is literal to the container, so all are escaped (B12).
_CONTAINER_SIDE = ("command", "entrypoint")


@dataclass
class _Ctx:
    loaded: LoadedProfile
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    #: output path → why a policy put it there (see Policies)
    policy: dict[Path_, str] = field(default_factory=dict)
    #: one-shot jobs (:func:`one_shot_jobs`)
    jobs: frozenset[str] = frozenset()

    @property
    def profile(self) -> Profile:
        return self.loaded.profile

    def _diag(self, path: Path_, message: str) -> Diagnostic:
        mark = self.loaded.source.mark(path)
        return Diagnostic(mark.file, mark.line, mark.col, dotted(path), message)

    def error(self, path: Path_, message: str) -> None:
        self.errors.append(self._diag(path, message))

    def warn(self, path: Path_, message: str) -> None:
        self.warnings.append(self._diag(path, message))

    def added(self, path: Path_, reason: str) -> None:
        """Record that a policy (not the profile) put the value at output ``path``."""
        self.policy[path] = reason


def _deps(svc: Service) -> dict[str, str | None]:
    """Dependency name → explicit condition (None when the profile used the list form)."""
    if isinstance(svc.depends_on, list):
        return {name: None for name in svc.depends_on}
    return {name: dep.condition for name, dep in svc.depends_on.items()}


def _port_text(spec: int | str | dict[str, Any]) -> str | dict[str, Any]:
    return f"{spec}:{spec}" if isinstance(spec, int) else spec


def _container_ports(specs: list[int | str | dict[str, Any]]) -> set[int]:
    out: set[int] = set()
    for spec in specs:
        try:
            out.update(parse_port(spec).target_ports())
        except ValueError:
            pass  # reported where the service's ports are checked
    return out


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
        output_dir: the folder the compose file will be read from; relative host paths (each
            relative to the folder of the profile that states it) are rewritten relative to
            it (:mod:`stackgen.compose.paths`). None: the profile's own folder.

    Returns:
        The stack, services in dependency order, plus warnings.

    Raises:
        InputError: every problem found (unknown dependency, cycle, bad port, …).
        TemplateError: a catalog partial failed.
    """
    ctx = _Ctx(loaded)
    profile = loaded.profile
    services = profile.services
    # compose keys given verbatim are read below (deploy, container_name, mem_limit, scale,
    # long-syntax volumes): they must be what the compose spec allows before anything relies
    # on their shape
    verbatim = {
        "services": {
            name: {
                **svc.passthrough,
                **svc.verbatim,
                **({"volumes": svc.volumes} if svc.volumes else {}),
            }
            for name, svc in services.items()
        }
    }
    for path, message in compose.schema_errors(verbatim):
        ctx.error(path, f"not valid compose: {message}")
    if ctx.errors:
        raise InputError(ctx.errors)
    # without `kind`, a catalog image still gets its kind (postgres:16 → postgres)
    kinds: dict[str, str] = {
        name: (svc.kind or infer_kind(svc.image)) for name, svc in services.items()
    }

    defaults: dict[str, KindDefaults] = {}
    for name, svc in services.items():
        zk = next((d for d in _deps(svc) if kinds.get(d) == "zookeeper"), None)
        # Bitnami images read the same settings as KAFKA_CFG_* (bitnami/containers, kafka README)
        own_mode = _KAFKA_MODE_ENV & set(svc.environment)
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
            templates=templates,
            env_file=bool(svc.passthrough.get("env_file") or svc.verbatim.get("env_file")),
            args=_words(svc.passthrough.get("command", svc.verbatim.get("command"))),
        )

    bodies: dict[str, dict[str, Any]] = {}
    healthy: dict[str, bool] = {}
    ctx.jobs = one_shot_jobs(services)
    for name, svc in services.items():
        body, has_probe = _service(ctx, name, svc, kinds, defaults)
        bodies[name] = body
        healthy[name] = has_probe

    order = _order_and_conditions(ctx, bodies, healthy)
    _check_kafka_settings(ctx)
    _check_domains(ctx, bodies, defaults)
    _check_host_ports(ctx, bodies)
    _check_expose(ctx)
    _check_localhost_clients(ctx, bodies, kinds, defaults)

    volumes: dict[str, Any] = {}
    for name in order:
        for vol in _named_volumes(bodies[name].get("volumes", [])):
            if vol in volumes or vol in profile.volumes or not profile.policies.catalog:
                continue  # without the policy an undeclared volume is an error (below)
            ctx.added(("volumes", vol), f"named volume used by {name}, declared by stackgen")
            volumes[vol] = {}
    for vol, opts in profile.volumes.items():
        volumes[vol] = opts or {}
    own_configs = {k: v.model_dump(exclude_none=True) for k, v in profile.configs.items()}
    configs: dict[str, Any] = {}
    for name, svc in services.items():
        for target, content in svc.config_files.items():
            stem = f"{name}_" + re.sub(r"[^A-Za-z0-9_.-]", "_", target.strip("/"))
            # distinct files may sanitise to one name ("a b", "a_b"): never share content
            cname, n = stem, 1
            while cname in configs or cname in own_configs:
                n += 1
                cname = f"{stem}_{n}"
            configs[cname] = {"content": content}
            bodies[name].setdefault("configs", []).append({"source": cname, "target": target})
    secrets = {k: v.model_dump(exclude_none=True) for k, v in profile.secrets.items()}
    declared = {
        "networks": set(profile.networks),
        "secrets": set(secrets),
        "configs": set(configs) | set(own_configs),
        "volumes": set(volumes),
    }
    for name in order:
        keys = {**bodies[name], **services[name].verbatim}
        for where, message in undefined(name, keys, declared):
            if where[2] in services[name].verbatim:
                where = (*where[:2], "verbatim", *where[2:])
            ctx.error(where, message)
    placed = place_paths(
        ctx,
        {"services": bodies, "configs": own_configs, "secrets": secrets},
        output_dir,
        verbatim={n: set(s.verbatim) for n, s in services.items()},
    )
    bodies, own_configs, secrets = placed["services"], placed["configs"], placed["secrets"]

    if ctx.errors:
        raise InputError(ctx.errors)
    if profile.policies.project_name:
        ctx.added(("name",), "policies.project_name: the project name is pinned in the file")
    # `$` is escaped once, here, over the finished values (checks above read them as written);
    # keys a service gives `verbatim` are compose text already and are written as given
    dollars = _Dollars(profile.interpolation)
    planned = tuple(
        PlannedService(n, _ordered(dollars.service(bodies[n], keep=services[n].verbatim)))
        for n in order
    )
    networks = {k: dollars.value(v or {}) for k, v in profile.networks.items()}
    stack = Stack(
        name=profile.name,
        write_name=profile.policies.project_name,
        policy={dotted(p): why for p, why in ctx.policy.items()},
        source=source,
        services=planned,
        volumes={k: dollars.value(v) for k, v in sorted(volumes.items())},
        networks=networks,
        configs={
            **{k: dollars.value(v) for k, v in own_configs.items()},
            **{k: {"content": dollars.container(v["content"])} for k, v in configs.items()},
        },
        secrets={k: dollars.value(v) for k, v in secrets.items()},
        warnings=tuple(ctx.warnings),
    )
    # values passed through verbatim must still be what the compose spec allows
    for path, message in compose.schema_errors(stack.to_compose()):
        ctx.error(path, f"not valid compose: {message}")
    if ctx.errors:
        raise InputError(ctx.errors)
    return stack


def _ordered(body: dict[str, Any]) -> dict[str, Any]:
    keys = [k for k in _ORDER if k in body] + [k for k in body if k not in _ORDER]
    return {k: body[k] for k in keys}


def _service(
    ctx: _Ctx, name: str, svc: Service, kinds: dict[str, str], defaults: dict[str, KindDefaults]
) -> tuple[dict[str, Any], bool]:
    """Compose body of one service (depends_on filled in later) and whether it has a probe."""
    base = ("services", name)
    kd = defaults[name]
    profile = ctx.profile
    body: dict[str, Any] = {}
    passthrough = svc.passthrough

    policies = profile.policies
    built = "build" in passthrough or "build" in svc.verbatim
    # a built service keeps no catalog image: compose would tag the build with that name
    image = svc.image or (None if built or not policies.catalog else kd.image)
    if image:
        body["image"] = image
        if svc.image is None:
            ctx.added((*base, "image"), f"policies.catalog: default image of kind {kinds[name]}")
    elif not built:
        ctx.error(base, "needs an image (or a build section): the 'app' kind has no default image")

    for key, value in passthrough.items():
        if key == "deploy":
            continue
        body[key] = value

    # restart: one plain-compose policy; swarm's restart_policy (profile key or
    # deploy.restart_policy) is mapped onto it, never emitted beside it (B23)
    swarm: list[tuple[Path_, Any]] = []
    if svc.restart_policy is not None:
        swarm.append(((*base, "restart_policy"), svc.restart_policy))
    deploy_policy = (passthrough.get("deploy") or {}).get("restart_policy")
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
        mapped = _restart_from_policy(ctx, where, policy)
        if mapped is not None:
            restart = mapped
    if restart is not None:
        body["restart"] = restart  # checked by the profile model (or mapped from a policy)

    # healthcheck
    has_probe = False
    hc_body = _healthcheck(ctx, name, svc, kd, image, catalog_image=kinds[name] != "app")
    if hc_body is not None:
        body["healthcheck"] = hc_body
        has_probe = not hc_body.get("disable", False)
    verbatim_hc = svc.verbatim.get("healthcheck")
    if isinstance(verbatim_hc, dict):
        test = verbatim_hc.get("test")
        has_probe = not verbatim_hc.get("disable", False) and test not in (None, ["NONE"])
        old_engine = _start_interval_unsupported(ctx)
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
    if ports:
        body["ports"] = [_port_text(p) for p in ports]
    if svc.expose:
        body["expose"] = [str(p) for p in svc.expose]

    # environment: catalog < derived settings < the profile's own
    env: dict[str, str | None] = dict(kd.environment) if catalog else {}
    settings = _derived_env(ctx, name, kinds)
    wiring = _wiring_env(ctx, svc, kinds) if catalog and kinds[name] == "app" else {}
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
    if env:
        body["environment"] = env

    volumes = list(svc.volumes) if svc.volumes or not catalog else list(kd.volumes)
    if volumes and not svc.volumes:
        ctx.added((*base, "volumes"), f"policies.catalog: default volumes of kind {kinds[name]}")
    if volumes:
        body["volumes"] = volumes

    labels = dict(svc.labels)
    if labels:
        body["labels"] = labels

    deploy = _deploy(ctx, name, svc, env)
    if deploy:
        body["deploy"] = deploy
    # compose text as given: no escaping, nothing derived from it
    body.update(svc.verbatim)
    return body, has_probe


class _Dollars:
    """Compose interpolation policy (README "Values and ``$``"; compose spec
    "Interpolation"): compose substitutes ``$NAME``/``${NAME…}`` in every value, not in
    keys, and reads ``$$`` as ``$``.

    * ``braced`` (default): values keep ``${NAME…}`` references for compose and double every
      other ``$``; container-side text (``command``, ``entrypoint``, healthcheck ``test``,
      config file content) doubles every ``$``, so the container's shell sees it;
    * ``none``: every ``$`` is doubled, everywhere;
    * ``verbatim``: values are written as given (the profile is already compose text).
    """

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
        if isinstance(value, str):
            return self.container(value) if container else self.literal(value)
        if isinstance(value, list):
            return [self.value(v, container=container) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v, container=container) for k, v in value.items()}
        return value

    def service(self, body: dict[str, Any], keep: Mapping[str, Any]) -> dict[str, Any]:
        """A service body, container-side keys by the container rule; the keys in ``keep``
        (a service's ``verbatim``) are written as ``keep`` gives them."""
        out: dict[str, Any] = {}
        for key, item in body.items():
            if key in keep:
                out[key] = keep[key]
            elif key == "healthcheck" and isinstance(item, dict):
                out[key] = {k: self.value(v, container=k == "test") for k, v in item.items()}
            else:
                out[key] = self.value(item, container=key in _CONTAINER_SIDE)
        return out


def _restart_from_policy(ctx: _Ctx, where: Path_, policy: Any) -> str | None:
    """Map swarm's ``restart_policy`` onto compose's ``restart`` (compose spec
    "deploy.restart_policy"; B23): any → always, none → "no", on-failure + max_attempts →
    on-failure:N. delay and window are swarm-only and only warned about. None when invalid."""
    if not isinstance(policy, RestartPolicy):
        try:
            policy = RestartPolicy.model_validate(policy)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                ctx.error((*where, *err["loc"]), err["msg"])
            return None
    if policy.delay is not None or policy.window is not None:
        ctx.warn(where, "restart delay/window are swarm-only and are ignored by docker compose")
    return engine_restart({"condition": policy.condition, "max_attempts": policy.max_attempts})


def _healthcheck(
    ctx: _Ctx,
    name: str,
    svc: Service,
    kd: KindDefaults,
    image: str | None,
    *,
    catalog_image: bool,
) -> dict[str, Any] | None:
    path: Path_ = ("services", name, "healthcheck")
    hc = svc.healthcheck
    if "healthcheck" in svc.verbatim:
        return None  # written as given, after everything else
    if hc is not None and hc.disable:
        return {"disable": True}
    test: list[str] | None = None
    policies = ctx.profile.policies
    if hc is not None and hc.has_probe:
        test = shorthand_test(hc)
        if hc.http is not None and "localhost" in hc.http:
            pass  # the shorthand builds the probe itself and always uses 127.0.0.1
        elif test is not None:
            explicit = hc.test is not None or hc.command is not None
            checked, problems = check_test(test, image, catalog_image=catalog_image or not explicit)
            if policies.probes:
                if checked != test:
                    ctx.added((*path, "test"), "policies.probes: localhost → 127.0.0.1")
                test = checked
            for problem in problems:
                where = (
                    (*path, "test")
                    if hc.test is not None
                    else ((*path, "command") if hc.command is not None else path)
                )
                if policies.probes and problem.error:
                    ctx.error(where, problem.message)
                elif policies.probes or not problem.rewritten:
                    ctx.warn(where, problem.message)
                else:
                    ctx.warn(
                        where,
                        "probe uses localhost (IPv6 ::1 may be tried first while the server "
                        "listens on IPv4 only); kept as written: policies.probes is off",
                    )
    elif kd.healthcheck is not None and policies.healthchecks and name not in ctx.jobs:
        clash = [k for k, v in kd.probe_environment.items() if svc.environment.get(k, v) != v]
        if clash:
            # a probe that cannot succeed would hold back every service waiting for it
            ctx.warn(
                ("services", name, "environment", clash[0]),
                f"no catalog healthcheck: its probe needs {clash[0]}="
                f"{kd.probe_environment[clash[0]]!r}, which the service sets otherwise",
            )
            return None
        test = list(kd.healthcheck["test"])
        ctx.added(path, f"policies.healthchecks: catalog probe of kind {_kind_of(ctx, name)}")
    if test is None:
        if hc is not None and hc.model_fields_set - {"tool"}:
            ctx.error(
                path,
                "timing given but no probe: add http, tcp, command or test, or a "
                "kind whose catalog entry has one",
            )
        return None
    out: dict[str, Any] = {"test": list(test)}
    came_from: dict[str, Path_] = {}  # timing key → the profile key that gave it
    for key in ("interval", "timeout", "retries", "start_period", "start_interval"):
        value = getattr(hc, key) if hc is not None else None
        came_from[key] = (*path, key)
        if value is None and kd.healthcheck is not None and test == kd.healthcheck["test"]:
            value = kd.healthcheck.get(key)
            came_from[key] = ("services", name)  # the catalog: no profile key of its own
        if value is None:
            value = getattr(ctx.profile.defaults.healthcheck, key)
            came_from[key] = ("defaults", "healthcheck", key)
        if value is not None:
            out[key] = value
    if "start_interval" in out and _start_interval_unsupported(ctx) is not None:
        del out["start_interval"]
        _warn_start_interval(ctx, name, out, came_from["start_interval"])
    return out


# healthcheck.start_interval needs Docker Engine 25.0 (API 1.44); docker compose refuses a file
# that sets it on an older engine: "can't set healthcheck.start_interval as feature require
# Docker Engine v25 or later" (docker/compose#11360, docker-library/docker#473)
_START_INTERVAL_ENGINE = (25,)
# compose/Docker default healthcheck interval (Dockerfile reference, HEALTHCHECK --interval)
_DEFAULT_INTERVAL = "30s"


def _start_interval_unsupported(ctx: _Ctx) -> str | None:
    """The declared target engine when it predates start_interval, else None (also when no
    target is declared: then the file is written for a current engine)."""
    target = ctx.profile.target
    version = target.engine_version
    if version is None or version >= _START_INTERVAL_ENGINE:
        return None
    return target.engine


def _warn_start_interval(ctx: _Ctx, name: str, out: dict[str, Any], came_from: Path_) -> None:
    """Warn at the profile key that gave ``start_interval`` (or the service, for the
    catalog) that it was left out, and how long the first probe now waits."""
    need = f"needs Docker Engine >= 25 (target {_start_interval_unsupported(ctx)})"
    if came_from == ("services", name):
        kind = _kind_of(ctx, name)
        what = f"the catalog healthcheck of kind {kind} sets start_interval, which {need}; omitted"
    elif came_from[0] == "defaults":
        what = f"start_interval {need}; omitted from services.{name}"
    else:
        what = f"start_interval {need}; omitted"
    interval = out.get("interval")
    wait = f"{interval} (interval)" if interval else f"{_DEFAULT_INTERVAL} (default interval)"
    ctx.warn(
        came_from,
        f"{what}. The first probe then runs {wait} after start, so the first healthy result "
        "takes at least that long; a shorter interval shortens the wait",
    )


def _kind_of(ctx: _Ctx, name: str) -> str:
    svc = ctx.profile.services[name]
    return svc.kind or infer_kind(svc.image)


def _derived_env(ctx: _Ctx, name: str, kinds: dict[str, str]) -> dict[str, str]:
    """Env the profile's top-level settings (``kafka.consumer_group``, ``retention``) imply
    for this service."""
    profile = ctx.profile
    kind = kinds[name]
    env: dict[str, str] = {}
    if kind == "kafka":
        group = profile.kafka.consumer_group
        pairs: list[tuple[str, int | None]] = [
            ("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", group.initial_rebalance_delay_ms),
            ("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", group.min_session_timeout_ms),
            ("KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS", group.max_session_timeout_ms),
        ]
        kr = profile.retention.kafka
        pairs += [
            ("KAFKA_LOG_RETENTION_HOURS", kr.hours),
            ("KAFKA_LOG_RETENTION_BYTES", kr.bytes_per_partition),
            ("KAFKA_LOG_SEGMENT_BYTES", kr.segment_bytes),
        ]
        env.update({k: str(v) for k, v in pairs if v is not None})
    if profile.retention.session_days is not None:
        targets = profile.retention.apply_to
        if targets is None:
            targets = [n for n, k in kinds.items() if k == "app"]
        if name in targets:
            env["SESSION_RETENTION_DAYS"] = str(profile.retention.session_days)
    return env


def _wiring_env(ctx: _Ctx, svc: Service, kinds: dict[str, str]) -> dict[str, str]:
    """Env an app that depends on a broker gets (``KAFKA_SERVERS``, ``KAFKA_TOPIC``)."""
    profile = ctx.profile
    env: dict[str, str] = {}
    brokers = [d for d in _deps(svc) if kinds.get(d) == "kafka"]
    if brokers:
        port = profile.kafka.listeners.internal_port
        env["KAFKA_SERVERS"] = ",".join(f"{b}:{port}" for b in brokers)
        if profile.kafka.topic is not None:
            env["KAFKA_TOPIC"] = profile.kafka.topic
    return env


def _check_kafka_settings(ctx: _Ctx) -> None:
    """Profile-wide Kafka checks, whether or not a broker is in the stack.

    Kafka deletes only closed segments (Kafka docs: log.retention.bytes, log.segment.bytes),
    and a group's minimum session timeout may not exceed its maximum.
    """
    group = ctx.profile.kafka.consumer_group
    kr = ctx.profile.retention.kafka
    if (
        group.min_session_timeout_ms is not None
        and group.max_session_timeout_ms is not None
        and group.min_session_timeout_ms > group.max_session_timeout_ms
    ):
        ctx.error(
            ("kafka", "consumer_group"),
            "min_session_timeout_ms is greater than max_session_timeout_ms",
        )
    if (
        kr.segment_bytes is not None
        and kr.bytes_per_partition is not None
        and (kr.segment_bytes > kr.bytes_per_partition)
    ):
        ctx.error(
            ("retention", "kafka", "segment_bytes"),
            (
                f"segment_bytes {format_size(kr.segment_bytes)} > bytes_per_partition "
                f"{format_size(kr.bytes_per_partition)}; Kafka only deletes closed segments, so "
                "size-based retention would never trigger"
            ),
        )


def _deploy(ctx: _Ctx, name: str, svc: Service, env: dict[str, str | None]) -> dict[str, Any]:
    base: Path_ = ("services", name)
    deploy: dict[str, Any] = dict(svc.passthrough.get("deploy") or {})
    deploy.pop("restart_policy", None)  # mapped onto `restart` above
    if svc.replicas is not None:
        deploy["replicas"] = svc.replicas
    # compose's own deploy.replicas and scale ask for several containers just the same
    replicas = deploy.get("replicas", svc.passthrough.get("scale"))
    container_name = svc.passthrough.get("container_name")
    if container_name and isinstance(replicas, int) and replicas > 1:
        ctx.error(
            (*base, "container_name"),
            (
                f"container_name {container_name!r} cannot be combined with replicas: "
                f"{replicas} (container names must be unique per host). Remove container_name"
            ),
        )
    elif container_name:
        ctx.warn(
            (*base, "container_name"),
            f"container_name {container_name!r} is fixed: a second project on the same host "
            "(another environment of this profile) will collide with it; compose names "
            "containers <project>-<service>-N without it",
        )
    res = svc.resources
    limit_bytes: int | None = None
    if res is not None:
        resources: dict[str, Any] = dict(deploy.get("resources") or {})
        limits: dict[str, Any] = dict(resources.get("limits") or {})
        if res.memory is not None:
            limits["memory"] = format_size(res.memory)
            limit_bytes = res.memory
        if res.cpus is not None:
            limits["cpus"] = res.cpus
        if limits:
            resources["limits"] = limits
        if res.reservations is not None:
            reservations: dict[str, Any] = {}
            if res.reservations.memory is not None:
                reservations["memory"] = format_size(res.reservations.memory)
                if res.memory is not None and res.reservations.memory > res.memory:
                    ctx.error(
                        (*base, "resources", "reservations", "memory"),
                        "reservation is larger than the memory limit",
                    )
            if res.reservations.cpus is not None:
                reservations["cpus"] = res.reservations.cpus
            resources["reservations"] = reservations
        deploy["resources"] = resources
    mem_limit = svc.passthrough.get("mem_limit")
    # a ${VAR} reference: compose fills it in at `up` time, only compose knows the size
    if mem_limit is not None and not (isinstance(mem_limit, str) and "$" in mem_limit):
        try:
            mem_bytes = parse_size(mem_limit)
        except ValueError as exc:
            ctx.error((*base, "mem_limit"), str(exc))
        else:
            if limit_bytes is not None and mem_bytes != limit_bytes:
                ctx.error(
                    (*base, "mem_limit"),
                    (
                        f"resources.memory ({format_size(limit_bytes)}) and mem_limit ({mem_limit}) "
                        "disagree; set one"
                    ),
                )
            limit_bytes = limit_bytes or mem_bytes
    if limit_bytes is not None:
        # any variable a JVM reads (KAFKA_HEAP_OPTS, JAVA_TOOL_OPTIONS, KAFKA_OPTS …); the
        # JVM takes the last -Xmx it is given
        for key, value in env.items():
            heaps = _XMX.findall(value or "")
            if heaps and parse_size(heaps[-1]) > limit_bytes:
                ctx.error(
                    (*base, "environment", key),
                    (
                        f"{key} -Xmx{heaps[-1]} exceeds the container memory limit "
                        f"{format_size(limit_bytes)}; the JVM would be OOM-killed and restart-loop"
                    ),
                )
    return deploy


def _words(command: Any) -> list[str]:
    """A compose ``command`` (a string or a list of strings) as words split at white space
    (``["redis-server", "--requirepass x"]`` → ``redis-server``, ``--requirepass``, ``x``)."""
    items = [command] if isinstance(command, str) else command if isinstance(command, list) else []
    return [word for item in items for word in str(item).split()]


def one_shot_jobs(services: Mapping[str, Service]) -> frozenset[str]:
    """The services that run to completion: marked ``one_shot``, or waited on by another
    service with ``condition: service_completed_successfully``."""
    waited = {
        dep
        for svc in services.values()
        if isinstance(svc.depends_on, dict)
        for dep, spec in svc.depends_on.items()
        if spec.condition == "service_completed_successfully"
    }
    return frozenset(n for n, s in services.items() if s.one_shot or n in waited)


def _order_and_conditions(
    ctx: _Ctx, bodies: dict[str, dict[str, Any]], healthy: dict[str, bool]
) -> list[str]:
    """Fill in long-form ``depends_on`` and return services in dependency order.

    ``depends_on: [x]`` waits for ``service_healthy`` when x has a healthcheck, else
    ``service_started`` (compose spec ``depends_on``); an explicit condition wins, but
    ``service_healthy`` towards a service without a healthcheck is an error.
    """
    services = ctx.profile.services
    graph: dict[str, list[str]] = {}
    for name, svc in services.items():
        long: dict[str, Any] = {}
        graph[name] = []
        explicit = svc.depends_on if isinstance(svc.depends_on, dict) else {}
        for dep, condition in _deps(svc).items():
            path: Path_ = ("services", name, "depends_on", dep)
            if isinstance(svc.depends_on, list):
                path = ("services", name, "depends_on", svc.depends_on.index(dep))
            if dep not in services:
                ctx.error(path, f"depends on unknown service {dep!r}{_did_you_mean(dep, services)}")
                continue
            if dep == name:
                ctx.error(path, "a service cannot depend on itself")
                continue
            if condition is None:
                condition = "service_started"
                if dep in ctx.jobs and ctx.profile.policies.conditions:
                    condition = "service_completed_successfully"
                    ctx.added(
                        (*path[:3], dep, "condition"),
                        f"policies.conditions: {dep} is a one-shot job",
                    )
                elif healthy[dep] and ctx.profile.policies.conditions:
                    condition = "service_healthy"
                    ctx.added(
                        (*path[:3], dep, "condition"),
                        f"policies.conditions: {dep} has a healthcheck",
                    )
            elif condition == "service_healthy" and not healthy[dep]:
                why = (
                    "policies.healthchecks is off"
                    if not ctx.profile.policies.healthchecks
                    else "image not in catalogue"
                )
                ctx.error(
                    path,
                    (
                        f"{name} needs {dep} to be healthy, but {dep} has no healthcheck ({why}). "
                        f"Add services.{dep}.healthcheck to the profile or use "
                        "condition: service_started"
                    ),
                )
            entry: dict[str, Any] = {"condition": condition}
            extra = explicit.get(dep)
            if extra is not None:
                if extra.restart is not None:
                    entry["restart"] = extra.restart
                if extra.required is not None:
                    entry["required"] = extra.required
            long[dep] = entry
            graph[name].append(dep)
        if long:
            bodies[name]["depends_on"] = long
    return _topological(ctx, graph, list(services))


def _topological(ctx: _Ctx, graph: dict[str, list[str]], declared: list[str]) -> list[str]:
    """Dependencies first; among ready services, profile order (deterministic); a cycle is
    an error naming it (:mod:`stackgen.compose.startorder`)."""
    order, cycle = start_order({name: graph.get(name, []) for name in declared})
    if cycle:
        ctx.error(("services", cycle[0], "depends_on"), "dependency cycle: " + " → ".join(cycle))
        return declared
    return order


def _check_domains(
    ctx: _Ctx, bodies: dict[str, dict[str, Any]], defaults: dict[str, KindDefaults]
) -> None:
    """Domains → Traefik router/service labels (Traefik docker provider label names).

    A domain is a host name (RFC 1123 labels: letters, digits, ``-``; at most 63 characters
    each, 253 in all), so it can stand between the backticks of ``Host(`…`)`` unchanged;
    host names ignore case (RFC 4343), so two spellings of one name are one domain twice.
    """
    seen: dict[str, str] = {}
    routers: set[str] = set()
    for host, target in ctx.profile.domains.items():
        path: Path_ = ("domains", host)
        if not is_hostname(host):
            ctx.error(
                path,
                "is not a hostname Traefik's Host rule can match: dot-separated labels of "
                "letters, digits and inner '-', up to 63 characters each (international names "
                "in punycode, xn--…)",
            )
            continue
        if host.lower() in seen:
            ctx.error(path, f"is the domain {seen[host.lower()]!r} again (host names ignore case)")
            continue
        seen[host.lower()] = host
        svc_name, sep, port_text = target.rpartition(":")
        if not sep or not re.fullmatch(r"[0-9]{1,5}", port_text) or not svc_name:
            ctx.error(path, f"must be service:port, got {target!r}")
            continue
        if svc_name not in bodies:
            ctx.error(path, f"names unknown service {svc_name!r}{_did_you_mean(svc_name, bodies)}")
            continue
        svc = ctx.profile.services[svc_name]
        exposed = (
            set(defaults[svc_name].listens)
            | _container_ports(list(svc.ports))
            | (_container_ports([*svc.expose]))
        )
        port = int(port_text)
        if port not in exposed:
            listed = ", ".join(str(p) for p in sorted(exposed)) or "none"
            ctx.error(path, f"service {svc_name!r} does not expose port {port} (exposes: {listed})")
            continue
        router = stem = re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")
        # a.example and a-example sanitise alike: each domain keeps a router of its own
        n = 1
        while router in routers:
            n += 1
            router = f"{stem}-{n}"
        routers.add(router)
        labels = bodies[svc_name].setdefault("labels", {})
        labels["traefik.enable"] = "true"
        labels[f"traefik.http.routers.{router}.rule"] = f"Host(`{host}`)"
        labels[f"traefik.http.routers.{router}.service"] = router
        labels[f"traefik.http.services.{router}.loadbalancer.server.port"] = str(port)


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check_expose(ctx: _Ctx) -> None:
    """``expose`` entries are container ports only: PORT[-PORT][/PROTOCOL] (compose spec
    "expose"), each 1-65535."""
    for name, svc in ctx.profile.services.items():
        for i, spec in enumerate(svc.expose):
            label = repr(spec) if isinstance(spec, str) else str(spec)
            if isinstance(spec, str) and ":" in spec:
                problem = f"{label} publishes a host port; expose takes container ports only"
            else:
                try:
                    parse_port(spec)
                    continue
                except ValueError as exc:
                    problem = str(exc)
                if "not a port mapping" in problem:
                    problem = (
                        f"{label} is not an exposed port (PORT[-PORT][/PROTOCOL], "
                        "e.g. 8080 or 9000-9001/udp)"
                    )
            ctx.error(("services", name, "expose", i), problem)


def _check_host_ports(ctx: _Ctx, bodies: dict[str, dict[str, Any]]) -> None:
    """Each port is valid short syntax, and a host port (per protocol and host IP) is
    published once in the whole stack (compose spec "ports"; docker binds each once)."""
    # (host port, protocol) → host IP → where; indexed so 10,000 services stay linear
    seen: dict[tuple[int, str], dict[str, tuple[str, int]]] = {}
    for name, body in bodies.items():
        replicas = (body.get("deploy") or {}).get("replicas")
        for i, spec in enumerate(body.get("ports", [])):
            path: Path_ = ("services", name, "ports", i)
            own = ctx.profile.services[name].ports
            mine = own[i] if own and i < len(own) else spec
            # messages quote the profile's text (8080, not 8080:8080)
            written = spec if isinstance(mine, dict) and not isinstance(spec, dict) else mine
            try:
                port = parse_port(written)
            except ValueError as exc:
                ctx.error(path, str(exc))
                continue
            published = port.published_ports()
            if replicas is not None and replicas > 1 and len(published) == 1:
                ctx.error(
                    path,
                    f"host port {published[0]} is published by a service with "
                    f"replicas: {replicas}; only one container can bind it",
                )
            ip = port.host_ip or "0.0.0.0"
            for number in published:
                # a wildcard bind clashes with every address, and every address with it
                bound = seen.setdefault((number, port.protocol), {})
                clash = next(
                    (
                        where
                        for other_ip, where in bound.items()
                        if other_ip == ip or "0.0.0.0" in (other_ip, ip)
                    ),
                    None,
                )
                if clash:
                    other = dotted(("services", clash[0], "ports", clash[1]))
                    ctx.error(
                        path, f"host port {number}/{port.protocol} is already published by {other}"
                    )
                    break
                bound[ip] = (name, i)


def _check_localhost_clients(
    ctx: _Ctx,
    bodies: dict[str, dict[str, Any]],
    kinds: dict[str, str],
    defaults: dict[str, KindDefaults],
) -> None:
    """Env values pointing at localhost:PORT of an infrastructure service are errors (B29):
    inside a container, localhost is the container itself."""
    owners: dict[int, tuple[str, int]] = {}
    for name, kind in kinds.items():
        if kind not in INFRA_KINDS:
            continue
        internal = ctx.profile.kafka.listeners.internal_port if kind == "kafka" else None
        for listen in defaults[name].listens:
            owners[listen] = (name, internal or listen)
        for spec in bodies[name].get("ports", []):
            try:
                mapping = parse_port(spec)
            except ValueError:
                continue  # reported by _check_host_ports
            published, targets = mapping.published_ports(), mapping.target_ports()
            if len(published) == 1 and len(targets) == 1:
                owners.setdefault(published[0], (name, internal or targets[0]))
    # only what the profile wrote: the catalog's own env (a broker's EXTERNAL advertised
    # listener on localhost, meant for clients outside the stack) is deliberate
    for name, svc in ctx.profile.services.items():
        for key, value in svc.environment.items():
            for address, port in local_addresses(value if isinstance(value, str) else ""):
                owner = owners.get(port)
                if owner and owner[0] != name:
                    ctx.error(
                        ("services", name, "environment", key),
                        (
                            f"points at {address}; inside the {name} container localhost is "
                            f"{name} itself. Use {owner[0]}:{owner[1]}"
                            + (
                                " (internal listener) or omit it to let stackgen fill it in"
                                if kinds[owner[0]] == "kafka"
                                else ""
                            )
                        ),
                    )


def _named_volumes(volumes: list[Any]) -> list[str]:
    return [n for n in map(named_volume, volumes) if n is not None]
