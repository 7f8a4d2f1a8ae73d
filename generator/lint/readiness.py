"""Readiness rules: what ``depends_on`` waits for (compose spec ``depends_on``, B01).

* ``depends-on-started``: the list form, or ``condition: service_started``, towards a service
  that declares a healthcheck: the dependant starts as soon as the container runs, before the
  server in it answers (docker-library/postgres#256).
* ``healthy-without-healthcheck``: ``condition: service_healthy`` towards a service with no
  healthcheck of its own: ``docker compose up`` stops with "container … has no healthcheck
  configured" unless the image happens to define one.
* ``job-restart``: a one-shot job (another service waits for it with
  ``service_completed_successfully``, or a profile marks it ``one_shot: true``) with ``restart:
  always`` or ``unless-stopped``: the engine starts it again after it exits 0, so a migration
  or init step runs over and over (compose spec ``restart``).
"""

from __future__ import annotations

from .model import Subject

RULES_HINT = 'restart: "no" (or on-failure to retry a failed run)'


_RESTARTS_AFTER_SUCCESS = ("always", "unless-stopped")


def check(subject: Subject) -> None:
    """Add the readiness findings of ``subject`` (see the module docstring)."""
    services = dict(subject.services())
    jobs = {n for n, spec in services.items() if spec.get("one_shot") is True}
    if subject.loaded is not None:  # a profile: its planned compose form has no one_shot key
        jobs |= {n for n, svc in subject.loaded.profile.services.items() if svc.one_shot}
    for spec in services.values():
        jobs |= {d for d, c, _ in subject.deps(spec) if c == "service_completed_successfully"}
    for name in sorted(jobs, key=list(services).index):
        restart = services.get(name, {}).get("restart") if name in services else None
        if restart in _RESTARTS_AFTER_SUCCESS:
            subject.report(
                "job-restart",
                ("services", name, "restart"),
                f"{name} is a one-shot job but has restart: {restart}: the engine starts it "
                "again each time it exits 0",
                hint=RULES_HINT,
            )
    for name, spec in services.items():
        for dep, condition, sub in subject.deps(spec):
            target = services.get(dep)
            if target is None:
                continue  # an unknown service is the schema's or compose's business
            path = ("services", name, *sub)
            has_probe = subject.probe(target) is not None
            if has_probe and condition in (None, "service_started"):
                form = (
                    "the list form of depends_on"
                    if condition is None
                    else ("condition: service_started")
                )
                subject.report(
                    "depends-on-started",
                    path,
                    f"{name} waits only for {dep} to start ({form}), but {dep} has a "
                    f"healthcheck: {name} may start before {dep} is ready",
                    hint=f"depends_on: {{{dep}: {{condition: service_healthy}}}}",
                )
            elif condition == "service_healthy" and not has_probe:
                subject.report(
                    "healthy-without-healthcheck",
                    path,
                    f"{name} waits for {dep} to be healthy, but {dep} declares no healthcheck "
                    "(docker compose up fails unless the image defines one)",
                    hint=f"add services.{dep}.healthcheck, or use condition: service_started",
                )
