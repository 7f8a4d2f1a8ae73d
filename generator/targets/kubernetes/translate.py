"""The stack → Kubernetes manifests and the translation report (docs/kubernetes.md, key by key).

Workload per service: a ``Job`` for a one-shot service, a ``StatefulSet`` (headless Service,
``volumeClaimTemplates``) for one that keeps data in a named volume, a ``Deployment``
otherwise. Every problem the input holds is collected and raised together, each at its
profile position; what is carried over, approximated or left out goes to the report.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import InputError
from ...profile.kubernetes import KubernetesSettings
from . import manifests as m
from . import network, notes, waits
from . import objects as o
from .argmap import hide_credentials
from .context import PART_OF_LABEL, Built, Ctx, Locate, port_name
from .envmap import SecretKeys, environment, expand
from .limits import check_names, probe_problems, statefulset_name_problem
from .probes import WAITER, container_probes
from .quantity import cpu, memory
from .report import Report
from .rules import dns1035_label_problem
from .view import Service, Stack, Text, plain
from .volumes import volumes as mounts_of


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
    ctx = Ctx(stack, settings, version, locate, SecretKeys(settings.secret or f"{stack.name}-env"))
    ctx.note("", "name", "mapped", f"label {PART_OF_LABEL}={stack.name} on every object")
    check_names(stack, version, ctx.error)
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
    for svc in stack.services:
        if svc.name in ctx.built:
            notes.dangling(ctx, svc)
    ingress = network.ingress(ctx)
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
        head += waits.waiter_rbac(ctx)
    rank = {s.name: i for i, s in enumerate(stack.services)}
    ordered = sorted(ctx.notes, key=lambda n: rank.get(n.service, -1))  # stable: keeps key order
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
        notes=tuple(ordered),
    )
    return head + docs, report


def _resolve(ctx: Ctx, svc: Service, text: Text, path: tuple[str | int, ...]) -> str | None:
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


def _image(ctx: Ctx, svc: Service) -> str | None:
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


def _service(ctx: Ctx, svc: Service) -> list[dict[str, Any]]:
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
    env_notes: list[tuple[str, str]] = []
    env = list(environment(name, svc.env, ctx.stack.sensitive, ctx.secret, env_notes))
    for key, detail in env_notes:
        ctx.note(name, key, "mapped", detail)
    refs: list[str] = []
    entrypoint, hidden = hide_credentials(svc.entrypoint or (), name, ctx.stack.sensitive)
    arguments, more = hide_credentials(svc.command or (), name, ctx.stack.sensitive)
    for key in hidden + more:
        ctx.note(name, "command", "mapped", f"a credential in it as $({key}), from the Secret")
    command = tuple(expand(a, refs) for a in entrypoint) if svc.entrypoint else None
    args = tuple(expand(a, refs) for a in arguments) if svc.command else None
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
    mounts, pod_volumes, claims, docs = mounts_of(ctx, svc)
    readiness = liveness = startup = None
    if svc.probe is not None:
        readiness, liveness, startup = container_probes(svc.probe)
        for key, problem in probe_problems(readiness, liveness, startup):
            ctx.error(("services", name, "healthcheck", key), problem)
        extra = (
            f", startupProbe {startup.failure_threshold}×{startup.period}s "
            f"covers start_period {svc.probe.start_period:g}s"
            if startup
            else ""
        )
        ctx.note(name, "healthcheck", "mapped", f"readinessProbe, livenessProbe (lenient){extra}")
    elif svc.ports:
        # the kubelet connects itself: works for images without any tool (FROM scratch)
        first = svc.ports[0]
        readiness = m.Probe(tcp_port=port_name(first.port, first.protocol), timeout=5)
        ctx.note(
            name,
            "healthcheck",
            "approximated",
            f"none given: readinessProbe tcpSocket on port {first.port} (the kubelet connects; "
            "no tool needed in the image); no liveness probe",
        )
    else:
        ctx.note(name, "healthcheck", "dropped", "none given and no port: no probes")
    run_as_user = run_as_group = None
    if svc.user is not None:
        user, _, group = svc.user.partition(":")
        if re.fullmatch(r"[0-9]+", user) and (not group or re.fullmatch(r"[0-9]+", group)):
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
    inits = waits.waits(ctx, svc)
    kind: o.WorkloadKind = "Job" if svc.one_shot else ("StatefulSet" if claims else "Deployment")
    if kind == "StatefulSet" and (problem := statefulset_name_problem(name)):
        ctx.error(("services", name), problem)
    labels = ctx.labels(name)
    workload = o.Workload(
        kind=kind,
        name=name,
        namespace=ctx.namespace,
        labels=labels,
        selector=labels,
        containers=(container,),
        replicas=svc.replicas,
        init_containers=inits,
        volumes=pod_volumes,
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
    notes.restart(ctx, svc, kind)
    notes.unmapped(ctx, svc)
    notes.kafka(ctx, svc)
    service_docs = network.services(ctx, svc, kind)
    port = svc.ports[0].port if svc.ports else None
    ctx.built[name] = Built(image, tuple(env), port, container.env_from_secret)
    return docs + service_docs + [workload.to_dict()]


def _cpu(ctx: Ctx, svc: Service, cpus: float | None, *keys: str) -> str | None:
    """``cpus`` as a quantity, or None (an error at ``resources.<keys>`` when no quantity
    holds it)."""
    if cpus is None:
        return None
    try:
        return cpu(cpus)
    except ValueError as exc:
        ctx.error(("services", svc.name, "resources", *keys), str(exc))
        return None


def _resources(ctx: Ctx, svc: Service) -> m.Resources:
    r = svc.resources
    out = m.Resources(
        limits_memory=memory(r.memory) if r.memory is not None else None,
        limits_cpu=_cpu(ctx, svc, r.cpus, "cpus"),
        requests_memory=memory(r.reserved_memory) if r.reserved_memory is not None else None,
        requests_cpu=_cpu(ctx, svc, r.reserved_cpus, "reservations", "cpus"),
    )
    if out.to_dict():
        ctx.note(svc.name, "resources", "mapped", "limits from limits, requests from reservations")
    return out
