"""``startup-budget``: a healthcheck that gives up before the service's first start can finish.

The probe budget ``start_period + retries × (interval + timeout)`` is how long the engine
lets a container become healthy; the service's need is its declared first start plus the
wait for the dependencies it only waits to *start* (:mod:`stackgen.timeline`).
When the need is longer, a first ``up`` on empty volumes marks the service unhealthy, every
service waiting for it with ``service_healthy`` fails to start, and a restart policy restarts
it in the middle of its initialisation (WordPress/wordpress-develop#12753: MySQL's first
start outlasting ``interval × retries``, ``dependency failed to start: container … is
unhealthy``; truenas/apps#514: Nextcloud's first start outlasting 30 s + 5 × 10 s).

The fix is a longer ``start_period``: failures inside it do not count, and later probes keep
their pace. Raising ``retries`` alone also delays noticing a crash for the rest of the
container's life.
"""

from __future__ import annotations

from ..timeline import compose_first_starts, profile_first_starts, secs, timeline
from .model import Subject


def check(subject: Subject) -> None:
    """Add a ``startup-budget`` finding for each service whose worst-case first start
    outlasts its probe budget."""
    firsts = (
        profile_first_starts(subject.loaded.profile)
        if subject.loaded is not None
        else compose_first_starts(subject.data)
    )
    for entry in timeline(subject.data, firsts).entries:
        probe = entry.probe
        if probe is None or entry.need <= probe.budget:
            continue
        parts = [
            f"its own first start {secs(entry.first_start.seconds)} ({entry.first_start.source})"
        ]
        if entry.waits_for is not None:
            waited = entry.need - entry.first_start.seconds
            parts.insert(
                0,
                f"{secs(waited)} until {entry.waits_for} serves (it waits only for "
                f"{entry.waits_for} to start)",
            )
        floor = entry.need - probe.retries * (probe.interval + probe.timeout)
        subject.report(
            "startup-budget",
            ("services", entry.name, "healthcheck", "start_period"),
            f"{entry.name} may need {secs(entry.need)} to serve on a first start "
            f"({' then '.join(parts)}), but its healthcheck gives up after "
            f"{secs(probe.budget)} ({probe.describe()})",
            hint=f"raise healthcheck.start_period to at least {secs(_up(floor))} (not retries: "
            "they would also delay noticing a crash later)"
            + (
                f", or wait for {entry.waits_for} with condition: service_healthy"
                if entry.waits_for is not None
                else ""
            ),
        )


def _up(value: float) -> float:
    """Whole seconds, rounded up."""
    whole = int(value)
    return float(whole if whole == value else whole + 1)
