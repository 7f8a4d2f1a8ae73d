"""Health probes: the profile's healthcheck shorthands and the catalog's probes, checked
(:mod:`stackgen.catalog.probes`) and completed with timing from the profile's defaults."""

from __future__ import annotations

from typing import Any

from ..catalog.kinds import KindDefaults, infer_kind
from ..catalog.probes import check_test, shorthand_test
from ..compose.engine import DEFAULT_INTERVAL, supports_start_interval
from ..profile.models import Service
from ..yamlio.nodes import Path_
from .context import PlanContext
from .records import Probe


def healthcheck(
    ctx: PlanContext,
    name: str,
    svc: Service,
    kd: KindDefaults,
    image: str | None,
    *,
    catalog_image: bool,
) -> dict[str, Any] | None:
    """The healthcheck of service ``name`` as a compose-shaped mapping (``test`` list plus
    timing text, or ``{"disable": True}``), None when it has none or gives it ``verbatim``."""
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
    elif kd.probe is not None and policies.healthchecks and name not in ctx.jobs:
        clash = [k for k, v in kd.probe_environment.items() if svc.environment.get(k, v) != v]
        if clash:
            # a probe that cannot succeed would hold back every service waiting for it
            ctx.warn(
                ("services", name, "environment", clash[0]),
                f"no catalog healthcheck: its probe needs {clash[0]}="
                f"{kd.probe_environment[clash[0]]!r}, which the service sets otherwise",
            )
            return None
        test = catalog_test(kd.probe)
        ctx.added(path, f"policies.healthchecks: catalog probe of kind {kind_of(ctx, name)}")
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
    catalog = kd.probe is not None and test == catalog_test(kd.probe)
    for key in ("interval", "timeout", "retries", "start_period", "start_interval"):
        value = getattr(hc, key) if hc is not None else None
        came_from[key] = (*path, key)
        if value is None and catalog and kd.probe is not None:
            value = _catalog_timing(kd.probe, key)
            came_from[key] = ("services", name)  # the catalog: no profile key of its own
        if value is None:
            value = getattr(ctx.profile.defaults.healthcheck, key)
            came_from[key] = ("defaults", "healthcheck", key)
        if value is not None:
            out[key] = value
    if "start_interval" in out and start_interval_unsupported(ctx) is not None:
        # the compose target leaves it out (stackgen.compose.engine); say so where it was given
        warn_start_interval(ctx, name, out, came_from["start_interval"])
    return out


def start_interval_unsupported(ctx: PlanContext) -> str | None:
    """The declared target engine when it predates start_interval, else None (also when no
    target is declared: then the file is written for a current engine)."""
    target = ctx.profile.target
    return None if supports_start_interval(target.engine_version) else target.engine


def warn_start_interval(ctx: PlanContext, name: str, out: dict[str, Any], came_from: Path_) -> None:
    """Warn at the profile key that gave ``start_interval`` (or the service, for the
    catalog) that it was left out, and how long the first probe now waits."""
    need = f"needs Docker Engine >= 25 (target {start_interval_unsupported(ctx)})"
    if came_from == ("services", name):
        kind = kind_of(ctx, name)
        what = f"the catalog healthcheck of kind {kind} sets start_interval, which {need}; omitted"
    elif came_from[0] == "defaults":
        what = f"start_interval {need}; omitted from services.{name}"
    else:
        what = f"start_interval {need}; omitted"
    interval = out.get("interval")
    wait = f"{interval} (interval)" if interval else f"{DEFAULT_INTERVAL} (default interval)"
    ctx.warn(
        came_from,
        f"{what}. The first probe then runs {wait} after start, so the first healthy result "
        "takes at least that long; a shorter interval shortens the wait",
    )


def kind_of(ctx: PlanContext, name: str) -> str:
    """The catalog kind of service ``name`` (``kind``, else inferred from its image)."""
    svc = ctx.profile.services[name]
    return svc.kind or infer_kind(svc.image)


def catalog_test(probe: Probe) -> list[str]:
    """A catalog probe as a compose ``test`` list (``CMD``/``CMD-SHELL`` form)."""
    if probe.argv is not None:
        return ["CMD", *probe.argv]
    if probe.shell is not None:
        return ["CMD-SHELL", probe.shell]
    return ["NONE"]


def _catalog_timing(probe: Probe, key: str) -> Any:
    """The catalog probe's ``key`` timing as the partial spelled it (retries as a number)."""
    if key == "retries":
        return probe.retries
    value = getattr(probe, key)
    return None if value is None else value.text
