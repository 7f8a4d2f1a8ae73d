"""Healthcheck rules, from the probe knowledge of :mod:`stackgen.catalog.probes` (B06, B08, B09, B11).

Every declared ``test`` goes through :func:`stackgen.catalog.probes.check_test` with the service's
image; each problem it finds carries its rule id (``probe-tool-missing``, ``probe-localhost``,
``probe-cmd-shell``, ``probe-zookeeper``). Images outside the catalog are not reported as
unverifiable: nothing is known of their tools, and saying so on every service is noise.

``start_interval`` needs Docker Engine 25 (API 1.44); an info finding says so wherever the
engine the file runs on is not declared (a profile with ``target.engine`` has it gated by
the planner already).
"""

from __future__ import annotations

from ..catalog.probes import check_test
from .findings import RULES
from .model import Subject, effective_image


def check(subject: Subject) -> None:
    """Add the healthcheck findings of ``subject``."""
    for name, spec in subject.services():
        hc = spec.get("healthcheck")
        if subject.engine is None and isinstance(hc, dict) and "start_interval" in hc:
            subject.report(
                "start-interval-engine",
                ("services", name, "healthcheck", "start_interval"),
                "start_interval needs Docker Engine 25 or later (API 1.44); on an older engine "
                "docker compose refuses the file",
            )
        test = subject.probe(spec)
        if test is None:
            continue
        _, problems = check_test(test, effective_image(spec))
        for problem in problems:
            if problem.rule not in RULES:
                continue
            message = problem.message
            if problem.rule == "probe-localhost":
                message = (
                    "probe uses localhost: IPv6 ::1 may be tried first while the server listens "
                    "on IPv4 only, and the probe fails"
                )
            subject.report(problem.rule, ("services", name, "healthcheck", "test"), message)
