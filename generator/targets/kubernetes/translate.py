"""The stack → Kubernetes manifests and the translation report (docs/kubernetes.md, key by key).

Workload per service: a ``Job`` for a one-shot service, a ``StatefulSet`` (headless Service,
``volumeClaimTemplates``) for one that keeps data in a named volume, a ``Deployment``
otherwise. Every problem the input holds is collected and raised together, each at its
profile position; what is carried over, approximated or left out goes to the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ...compose.units import parse_size
from ...errors import Diagnostic, InputError
from ...profile.kubernetes import KubernetesSettings
from . import manifests as m
from .envmap import SecretKeys, environment, expand
from .probes import (
    WAITER,
    container_probes,
    probe_variables,
    wait_completed,
    wait_healthy,
    wait_started,
)
from .quantity import cpu, memory
from .report import Note, Outcome, Report
from .rules import dns1035_label_problem, dns1123_label_problem
from .view import Service, Stack, Text, plain

#: ``(path in the profile, message)`` → a diagnostic at that path's position
Locate = Callable[[tuple[str | int, ...], str], Diagnostic]

NAME_LABEL = "app.kubernetes.io/name"
PART_OF_LABEL = "app.kubernetes.io/part-of"
# keys whose value the report may quote (none of them can hold a secret)
_QUOTED = ("restart", "network_mode", "privileged", "container_name", "pid", "ipc")
_WHY_DROPPED = {
    "logging": "the cluster's log collection reads container output; no per-pod driver",
    "labels": "container labels; routing labels (Traefik) become the Ingress",
    "extra_hosts": "host entries (host-gateway has no Kubernetes equivalent); use hostAliases "
    "with fixed IPs by hand",
    "network_mode": "pods have their own network; host networking is not carried over",
    "privileged": "not carried over: a privileged pod needs an explicit security decision",
    "container_name": "the controller names the pods",
    "cap_add": "not carried over: capabilities need an explicit security decision",
    "devices": "host devices are not carried over",
    "networks": "one flat pod network; NetworkPolicies are not generated",
    "stop_grace_period": "not carried over (terminationGracePeriodSeconds defaults to 30)",
}


def port_name(port: int, protocol: str = "TCP") -> str:
    """The name of a container and Service port: ``tcp-8082`` (an IANA_SVC_NAME, ≤ 15)."""
    return f"{protocol.lower()}-{port}"


def _is_file(source: str) -> bool:
    """A bind mount source that names a file: its last part has a suffix (``config.xml``,
    ``server.key``, ``init.sql``); anything else is taken for a directory."""
    return bool(PurePosixPath(source.rstrip("/")).suffix) and not source.endswith("/")


@dataclass
class _Built:
    """What dependants need to know of a translated service."""

    image: str
    env: tuple[m.EnvVar, ...]
    service_port: int | None


@dataclass
class _Ctx:
    stack: Stack
    settings: KubernetesSettings
    version: str
    locate: Locate
    secret: SecretKeys
    errors: list[Diagnostic] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    built: dict[str, _Built] = field(default_factory=dict)
    left_out: set[str] = field(default_factory=set)
    waits_on_jobs: bool = False

    @property
    def namespace(self) -> str | None:
        return self.settings.namespace

    def note(self, service: str, key: str, outcome: Outcome, detail: str) -> None:
        self.notes.append(Note(service, key, outcome, detail))

    def error(self, path: tuple[str | int, ...], message: str) -> None:
        self.errors.append(self.locate(path, message))

    def labels(self, name: str) -> m.Labels:
        return ((NAME_LABEL, name), (PART_OF_LABEL, self.stack.name))


def translate(
    stack: Stack, settings: KubernetesSettings, version: str, locate: Locate
) -> tuple[list[dict[str, Any]], Report]:
    """Translate ``stack`` into manifests (in apply order) and the report.

    Args:
        stack: the stack as the target reads it.
        settings: the profile's ``kubernetes:`` section.
        version: Kubernetes ``MAJOR.MINOR`` (validated against).
        locate: builds a diagnostic at a profile path.

    Raises:
        InputError: every construct that cannot be carried over safely and was not dropped
            by the profile (``kubernetes.drop``), every name Kubernetes refuses, each at its
            profile position.
    """
    ctx = _Ctx(stack, settings, version, locate, SecretKeys(settings.secret or f"{stack.name}-env"))
    ctx.note("", "name", "mapped", f"label {PART_OF_LABEL}={stack.name} on every object")
    volume_users: dict[str, list[str]] = {}
    for svc in stack.services:
        for vol in svc.volumes:
            if vol.type == "volume" and vol.source:
                volume_users.setdefault(vol.source, []).append(svc.name)
    for volume, users in volume_users.items():
        if len(set(users)) > 1:
            ctx.error(
                ("services", users[1], "volumes"),
                f"named volume {volume!r} is shared by {', '.join(dict.fromkeys(users))}: on "
                "Kubernetes each pod gets its own ReadWriteOnce claim, so they would not share "
                "data; give each service its own volume",
            )
    docs: list[dict[str, Any]] = []
    for svc in stack.services:
        docs += _service(ctx, svc)
    ingress = _ingress(ctx)
    if ingress is not None:
        docs.append(ingress.to_dict())
    for name in settings.drop:
        if name not in {s.name for s in stack.services}:
            ctx.error(("kubernetes", "drop", name), f"no service {name!r} in the profile")
    for name in settings.images:
        if name not in {s.name for s in stack.services}:
            ctx.error(("kubernetes", "images", name), f"no service {name!r} in the profile")
    for size_of in settings.volume_sizes:
        if size_of not in volume_users:
            ctx.error(
                ("kubernetes", "volume_sizes", size_of),
                f"no service mounts a named volume {size_of!r}",
            )
    if ctx.errors:
        raise InputError(ctx.errors)
    head: list[dict[str, Any]] = []
    if ctx.namespace is not None:
        head.append(
            {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": ctx.namespace, "labels": {PART_OF_LABEL: stack.name}},
            }
        )
        ctx.note("", "kubernetes.namespace", "mapped", f"Namespace {ctx.namespace} (created)")
    if ctx.waits_on_jobs:
        head += _waiter_rbac(ctx)
    rank = {s.name: i for i, s in enumerate(stack.services)}
    notes = sorted(ctx.notes, key=lambda n: rank.get(n.service, -1))  # stable: keeps key order
    env_files = tuple(
        dict.fromkeys(f for s in stack.services if s.name not in ctx.left_out for f in s.env_files)
    )
    report = Report(
        project=stack.name,
        version=version,
        namespace=ctx.namespace,
        secret=ctx.secret.name,
        secret_keys=tuple((k, tuple(v)) for k, v in ctx.secret.keys.items()),
        env_files=env_files,
        notes=tuple(notes),
    )
    return head + docs, report


def _resolve(ctx: _Ctx, svc: Service, text: Text, path: tuple[str | int, ...]) -> str | None:
    """An image reference with compose variables resolved to their defaults."""
    value = plain(text)
    if value is not None:
        return value
    out: list[str] = []
    for part in text:
        if isinstance(part, str):
            out.append(part)
        elif part.default is not None:
            out.append(part.default)
        else:
            ctx.error(
                path,
                f"the image reads ${{{part.name}}} without a default, which Kubernetes cannot "
                f"fill in; set kubernetes.images.{svc.name}",
            )
            return None
    ctx.note(
        svc.name,
        "image",
        "approximated",
        "compose variables resolved to their defaults; set kubernetes.images."
        f"{svc.name} to choose another image",
    )
    return "".join(out)


def _image(ctx: _Ctx, svc: Service) -> str | None:
    base = ("services", svc.name)
    dropped = ctx.settings.drop.get(svc.name, [])
    override = ctx.settings.images.get(svc.name)
    if svc.build:
        if override is not None or svc.image is not None:
            ctx.note(
                svc.name,
                "build",
                "dropped",
                "Kubernetes pulls images: build and push it, the manifest runs the image",
            )
        elif "build" in dropped:
            ctx.note(
                svc.name,
                "build",
                "dropped",
                "compose builds this service and it has no image: left out (kubernetes.drop)",
            )
            return None
        else:
            ctx.error(
                (*base, "build"),
                "is built by compose and has no image, which Kubernetes cannot run: push the "
                f"image and set kubernetes.images.{svc.name}, or leave the service out with "
                f"kubernetes.drop.{svc.name}: [build]",
            )
            return None
    if override is not None:
        ctx.note(svc.name, "image", "mapped", f"{override} (kubernetes.images)")
        return override
    if svc.image is None:
        ctx.error(base, "has no image")
        return None
    return _resolve(ctx, svc, svc.image, (*base, "image"))


def _service(ctx: _Ctx, svc: Service) -> list[dict[str, Any]]:
    name = svc.name
    base = ("services", name)
    problem = dns1035_label_problem(name)
    if problem:
        ctx.error(base, f"cannot name a Kubernetes Service and workload: {problem}")
        return []
    image = _image(ctx, svc)
    if image is None:
        ctx.left_out.add(name)
        return []
    notes: list[tuple[str, str]] = []
    env = list(environment(name, svc.env, ctx.stack.sensitive, ctx.secret, notes))
    for key, detail in notes:
        ctx.note(name, key, "mapped", detail)
    refs: list[str] = []
    command = tuple(expand(a, refs) for a in svc.entrypoint) if svc.entrypoint else None
    args = tuple(expand(a, refs) for a in svc.command) if svc.command else None
    defined = {e.name for e in env}
    for ref in dict.fromkeys(refs):
        if ref not in defined:
            ctx.secret.need(ref, f"{name}: command reads ${{{ref}}}")
            env.insert(0, m.EnvVar(ref, secret=ctx.secret.name, key=ref))
            defined.add(ref)
    if command is not None:
        ctx.note(name, "entrypoint", "mapped", "command")
    if args is not None:
        ctx.note(name, "command", "mapped", "args")
    if svc.env_files:
        ctx.note(
            name,
            "env_file",
            "mapped",
            f"envFrom Secret {ctx.secret.name} (create it from {', '.join(svc.env_files)})",
        )
    ports = tuple(
        m.ContainerPort(port_name(p.port, p.protocol), p.port, p.protocol) for p in svc.ports
    )
    resources = _resources(ctx, svc)
    mounts, volumes, claims, docs = _volumes(ctx, svc)
    readiness = liveness = startup = None
    if svc.probe is not None:
        readiness, liveness, startup = container_probes(svc.probe)
        extra = (
            f", startupProbe {startup.failure_threshold}×{startup.period}s "
            f"covers start_period {svc.probe.start_period:g}s"
            if startup
            else ""
        )
        ctx.note(name, "healthcheck", "mapped", f"readinessProbe, livenessProbe (lenient){extra}")
    else:
        ctx.note(
            name, "healthcheck", "dropped", "none given: no probes; dependants wait for its port"
        )
    run_as_user = run_as_group = None
    if svc.user is not None:
        user, _, group = svc.user.partition(":")
        if user.isdigit() and (not group or group.isdigit()):
            run_as_user, run_as_group = int(user), int(group) if group else None
            ctx.note(name, "user", "mapped", "securityContext.runAsUser/runAsGroup")
        else:
            ctx.note(name, "user", "dropped", "a user name: Kubernetes takes numeric ids only")
    if svc.working_dir is not None:
        ctx.note(name, "working_dir", "mapped", "workingDir")
    container = m.Container(
        name=name,
        image=image,
        command=command,
        args=args,
        working_dir=svc.working_dir,
        env=tuple(env),
        env_from_secret=ctx.secret.name if svc.env_files else None,
        ports=ports,
        resources=resources,
        readiness=readiness,
        liveness=liveness,
        startup=startup,
        mounts=mounts,
        run_as_user=run_as_user,
        run_as_group=run_as_group,
    )
    inits = _waits(ctx, svc)
    kind: m.WorkloadKind = "Job" if svc.one_shot else ("StatefulSet" if claims else "Deployment")
    labels = ctx.labels(name)
    workload = m.Workload(
        kind=kind,
        name=name,
        namespace=ctx.namespace,
        labels=labels,
        selector=labels,
        containers=(container,),
        replicas=svc.replicas,
        init_containers=inits,
        volumes=volumes,
        claims=claims,
        service_name=name if kind == "StatefulSet" else None,
        service_account=WAITER
        if any(i.image.startswith("registry.k8s.io/kubectl") for i in inits)
        else None,
    )
    why = {
        "Job": "runs once to completion (others wait for it with service_completed_successfully)",
        "StatefulSet": "keeps data in named volumes: one claim per volume (volumeClaimTemplates)",
        "Deployment": "stateless",
    }[kind]
    ctx.note(name, "(service)", "mapped", f"{kind}: {why}")
    if svc.replicas is not None:
        ctx.note(
            name,
            "replicas",
            "mapped",
            f"spec.replicas {svc.replicas}" if kind != "Job" else "a Job runs once",
        )
    _restart(ctx, svc, kind)
    _unmapped(ctx, svc)
    _kafka(ctx, svc)
    service_docs = _services(ctx, svc, kind)
    port = svc.ports[0].port if svc.ports else None
    ctx.built[name] = _Built(image, tuple(env), port)
    return docs + service_docs + [workload.to_dict()]


def _resources(ctx: _Ctx, svc: Service) -> m.Resources:
    r = svc.resources
    out = m.Resources(
        limits_memory=memory(r.memory) if r.memory is not None else None,
        limits_cpu=cpu(r.cpus) if r.cpus is not None else None,
        requests_memory=memory(r.reserved_memory) if r.reserved_memory is not None else None,
        requests_cpu=cpu(r.reserved_cpus) if r.reserved_cpus is not None else None,
    )
    if out.to_dict():
        ctx.note(svc.name, "resources", "mapped", "limits from limits, requests from reservations")
    return out


def _claim_size(ctx: _Ctx, svc: Service, volume: str) -> str:
    given = ctx.settings.volume_sizes.get(volume)
    if given is not None:
        return memory(parse_size(given))
    return memory(svc.claim_size or parse_size("1Gi"))


def _volumes(
    ctx: _Ctx, svc: Service
) -> tuple[tuple[m.Mount, ...], tuple[m.Volume, ...], tuple[m.Claim, ...], list[dict[str, Any]]]:
    name = svc.name
    mounts: list[m.Mount] = []
    volumes: list[m.Volume] = []
    claims: dict[str, m.Claim] = {}
    dropped = "volumes" in ctx.settings.drop.get(name, [])
    for i, vol in enumerate(svc.volumes):
        key = f"volumes[{i}]"
        if vol.type == "volume" and vol.source:
            problem = dns1123_label_problem(vol.source)
            if problem:
                ctx.error(
                    ("services", name, "volumes", i), f"cannot name a volume claim: {problem}"
                )
                continue
            if vol.source not in claims:
                size = _claim_size(ctx, svc, vol.source)
                claims[vol.source] = m.Claim(vol.source, size, ctx.settings.storage_class)
                origin = (
                    "kubernetes.volume_sizes"
                    if vol.source in ctx.settings.volume_sizes
                    else "catalog default"
                )
                ctx.note(
                    name, key, "mapped", f"claim {vol.source} ({size}, {origin}) at {vol.target}"
                )
            mounts.append(m.Mount(vol.source, vol.target, read_only=vol.read_only))
        elif vol.type == "volume":
            vname = f"anon-{i}"
            volumes.append(m.Volume(vname))
            mounts.append(m.Mount(vname, vol.target, read_only=vol.read_only))
            ctx.note(
                name,
                key,
                "approximated",
                f"anonymous volume → emptyDir at {vol.target} (lost with the pod)",
            )
        elif vol.type == "tmpfs":
            vname = f"tmpfs-{i}"
            volumes.append(m.Volume(vname, memory=True))
            mounts.append(m.Mount(vname, vol.target))
            ctx.note(name, key, "mapped", f"emptyDir (medium: Memory) at {vol.target}")
        elif _is_file(vol.source or ""):
            ctx.note(
                name,
                key,
                "dropped",
                f"bind mount of host file {vol.source} at {vol.target}: put its content in "
                "config_files (a ConfigMap) or a Secret",
            )
        elif dropped:
            ctx.note(
                name, key, "dropped", f"bind mount of host directory {vol.source} (kubernetes.drop)"
            )
        else:
            ctx.error(
                ("services", name, "volumes", i),
                f"bind mount of host directory {vol.source} at {vol.target} cannot be carried "
                "over safely (its data would stay on one host): use a named volume, or leave "
                f"it out with kubernetes.drop.{name}: [volumes]",
            )
    docs: list[dict[str, Any]] = []
    if svc.config_files:
        cm_name = f"{name}-files"
        data: list[tuple[str, str]] = []
        used: set[str] = set()
        for path, content in svc.config_files:
            stem = re.sub(r"[^-._a-zA-Z0-9]", "_", path.strip("/")) or "file"
            cm_key, n = stem, 1
            while cm_key in used:
                n += 1
                cm_key = f"{stem}_{n}"
            used.add(cm_key)
            data.append((cm_key, content))
            mounts.append(m.Mount("files", path, sub_path=cm_key, read_only=True))
            ctx.note(name, f"config_files.{path}", "mapped", f"ConfigMap {cm_name} key {cm_key}")
        volumes.append(m.Volume("files", config_map=cm_name))
        docs.append(m.ConfigMap(cm_name, ctx.namespace, ctx.labels(name), tuple(data)).to_dict())
    return tuple(mounts), tuple(volumes), tuple(claims.values()), docs


def _waits(ctx: _Ctx, svc: Service) -> tuple[m.Container, ...]:
    out: list[m.Container] = []
    by_name = {s.name: s for s in ctx.stack.services}
    for dep in svc.depends_on:
        key = f"depends_on.{dep.service}"
        target = by_name.get(dep.service)
        built = ctx.built.get(dep.service)
        if target is None or built is None:
            ctx.note(
                svc.name, key, "dropped", f"{dep.service} is left out on Kubernetes: not waited for"
            )
            continue
        if dep.condition == "service_healthy" and target.probe is not None:
            wanted = probe_variables(target.probe)
            env = tuple(e for e in built.env if e.name in wanted)
            out.append(wait_healthy(dep.service, built.image, target.probe, env))
            ctx.note(
                svc.name,
                key,
                "mapped",
                f"init container wait-{dep.service}: {dep.service}'s own check against its "
                "Service, in its image",
            )
        elif dep.condition == "service_completed_successfully" or target.one_shot:
            out.append(wait_completed(dep.service, ctx.version, ctx.namespace))
            ctx.waits_on_jobs = True
            ctx.note(
                svc.name,
                key,
                "mapped",
                f"init container wait-{dep.service}: kubectl wait for Job {dep.service} to "
                f"complete (ServiceAccount {WAITER}, may read Jobs in this namespace only)",
            )
        elif built.service_port is not None:
            out.append(wait_started(dep.service, built.service_port))
            ctx.note(
                svc.name,
                key,
                "mapped",
                f"init container wait-{dep.service}: until {dep.service}:{built.service_port} "
                "accepts connections",
            )
        else:
            ctx.note(
                svc.name, key, "dropped", f"{dep.service} listens on no port: nothing to wait for"
            )
    return tuple(out)


def _services(ctx: _Ctx, svc: Service, kind: str) -> list[dict[str, Any]]:
    name = svc.name
    labels = ctx.labels(name)
    ports = tuple(
        m.ServicePort(
            port_name(p.port, p.protocol), p.port, port_name(p.port, p.protocol), p.protocol
        )
        for p in svc.ports
    )
    public = [
        p for p in svc.ports if p.published is not None and p.host_ip not in ("127.0.0.1", "::1")
    ]
    for p in svc.ports:
        if p.published is None:
            continue
        where = f"ports ({p.host_ip + ':' if p.host_ip else ''}{p.published}:{p.port})"
        if p in public and ctx.settings.service_type != "ClusterIP":
            how = f"Service type {ctx.settings.service_type} (kubernetes.service_type)"
        elif p in public:
            how = "ClusterIP Service port (kubernetes.service_type); reach it through the Ingress or kubectl port-forward"
        else:
            how = "published on loopback only: cluster-internal Service port; use kubectl port-forward"
        outcome: Outcome = (
            "mapped" if p in public and ctx.settings.service_type != "ClusterIP" else "approximated"
        )
        if p.published != p.port:
            how += f" (Service port {p.port}, not the host port {p.published})"
        ctx.note(name, where, outcome, how)
    docs: list[dict[str, Any]] = []
    if kind == "StatefulSet":
        own = _names_itself(svc)
        docs.append(
            m.Service(
                name,
                ctx.namespace,
                labels,
                labels,
                ports,
                headless=True,
                publish_not_ready=own is not None,
            ).to_dict()
        )
        why = (
            f"; its {own} names it, so the name resolves before the pod is ready "
            "(publishNotReadyAddresses)"
            if own
            else ""
        )
        ctx.note(name, "(network)", "mapped", f"headless Service {name}{why}")
        if public and ctx.settings.service_type != "ClusterIP":
            extra = tuple(sp for sp, p in zip(ports, svc.ports, strict=True) if p in public)
            docs.append(
                m.Service(
                    f"{name}-public",
                    ctx.namespace,
                    labels,
                    labels,
                    extra,
                    type=ctx.settings.service_type,
                ).to_dict()
            )
    elif ports:
        stype = ctx.settings.service_type if public else "ClusterIP"
        docs.append(m.Service(name, ctx.namespace, labels, labels, ports, type=stype).to_dict())
        ctx.note(name, "(network)", "mapped", f"Service {name} ({stype}), ports named tcp-<port>")
    else:
        ctx.note(name, "(network)", "mapped", "listens on no port: no Service")
    return docs


def _names_itself(svc: Service) -> str | None:
    """The first variable whose value reaches the service by its own name and a port
    (``KAFKA_ADVERTISED_LISTENERS: INTERNAL://kafka:29092``): the pod connects to itself
    through its Service while it starts, so that name must resolve before it is ready."""
    pattern = re.compile(rf"(?<![\w.-]){re.escape(svc.name)}:\d+")
    for var in svc.env:
        text = plain(var.value) if var.value is not None else None
        if text is not None and pattern.search(text):
            return var.name
    return None


def _ingress(ctx: _Ctx) -> m.Ingress | None:
    rules: list[m.IngressRule] = []
    by_name = {s.name: s for s in ctx.stack.services}
    for route in ctx.stack.routes:
        key = f"domains.{route.host}"
        svc = by_name.get(route.service)
        if svc is None or route.service in ctx.left_out or route.service not in ctx.built:
            ctx.note(route.service, key, "dropped", f"{route.service} is left out on Kubernetes")
            continue
        proto = next((p.protocol for p in svc.ports if p.port == route.port), "TCP")
        rules.append(m.IngressRule(route.host.lower(), route.service, port_name(route.port, proto)))
        ctx.note(
            route.service,
            key,
            "mapped",
            f"Ingress rule {route.host.lower()} / (Prefix) → Service {route.service} port "
            f"{port_name(route.port, proto)}",
        )
    if not rules:
        return None
    return m.Ingress(
        ctx.stack.name,
        ctx.namespace,
        ((PART_OF_LABEL, ctx.stack.name),),
        tuple(rules),
        ctx.settings.ingress_class,
    )


def _restart(ctx: _Ctx, svc: Service, kind: str) -> None:
    given = dict(svc.unmapped).get("restart")
    if kind == "Job":
        ctx.note(svc.name, "restart", "mapped", "restartPolicy OnFailure (a Job retries failures)")
    elif given in (None, "always", "unless-stopped"):
        ctx.note(
            svc.name,
            "restart",
            "mapped",
            "restartPolicy Always (the only one a Deployment/StatefulSet allows)",
        )
    else:
        ctx.note(
            svc.name,
            "restart",
            "approximated",
            f"restart {given}: a Deployment/StatefulSet only allows restartPolicy Always",
        )


def _unmapped(ctx: _Ctx, svc: Service) -> None:
    for key, value in svc.unmapped:
        if key == "restart":
            continue
        shown = f" ({value})" if key in _QUOTED else ""
        why = _WHY_DROPPED.get(key, "no Kubernetes equivalent")
        ctx.note(svc.name, key, "dropped", f"{why}{shown}")


def _kafka(ctx: _Ctx, svc: Service) -> None:
    if svc.kind != "kafka":
        return
    for var in svc.env:
        text = plain(var.value) if var.value is not None else None
        if var.name == "KAFKA_ADVERTISED_LISTENERS" and text is not None:
            internal = [p for p in text.split(",") if p.startswith(f"INTERNAL://{svc.name}:")]
            if internal:
                ctx.note(
                    svc.name,
                    "environment.KAFKA_ADVERTISED_LISTENERS",
                    "mapped",
                    f"INTERNAL advertised as {internal[0][len('INTERNAL://') :]}, the Service "
                    "name; clients' KAFKA_SERVERS name it too",
                )
            external = [p for p in text.split(",") if p.startswith("EXTERNAL://")]
            if external:
                ctx.note(
                    svc.name,
                    "environment.KAFKA_ADVERTISED_LISTENERS",
                    "approximated",
                    f"EXTERNAL advertised as {external[0][len('EXTERNAL://') :]}: reachable "
                    "from outside the cluster only through kubectl port-forward",
                )


def _waiter_rbac(ctx: _Ctx) -> list[dict[str, Any]]:
    meta: dict[str, Any] = {"name": WAITER}
    if ctx.namespace is not None:
        meta["namespace"] = ctx.namespace
    meta["labels"] = {PART_OF_LABEL: ctx.stack.name}
    rule = {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get", "list", "watch"]}
    subject: dict[str, Any] = {"kind": "ServiceAccount", "name": WAITER}
    if ctx.namespace is not None:
        subject["namespace"] = ctx.namespace
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": dict(meta)},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": dict(meta),
            "rules": [rule],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": dict(meta),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": WAITER},
            "subjects": [subject],
        },
    ]
