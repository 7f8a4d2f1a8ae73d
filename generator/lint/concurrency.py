"""``concurrent-init``: several containers that would initialise one database at once.

A service with ``replicas > 1``, or several services running one image, that depend on the
same database each run the application's schema setup when they start; compose starts them
together once the database is healthy, and they race: duplicate-key violations on the
migrations table, held advisory locks, half-applied migrations (the seed's 502s;
multica-ai/multica#3647, backend replicas racing on ``migrate up`` into a
``schema_migrations`` primary-key violation; rails/rails#22092; hashgraph/guardian#6340,
replicas crash-looping on ``E11000 duplicate key``). The group is safe when every member
waits for one one-shot job with ``condition: service_completed_successfully`` (a migration
job: ``migrate:`` in a profile, :mod:`stackgen.plan.migrations`). When some members wait for
such a job and others do not (Airflow's ``airflow-init``, which ``airflow-cli`` and ``flower``
skip), the stack has its migration step and the others are taken not to set the database up.

One-shot jobs themselves (services another waits for with
``service_completed_successfully``) are not members. A service whose image is only known from
``build`` is judged alone (its replicas), since two builds need not be one image.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..catalog.families import DATABASES
from .model import Subject, effective_image, replicas


def _jobs(subject: Subject, services: Mapping[str, dict[str, Any]]) -> set[str]:
    return {
        dep
        for spec in services.values()
        for dep, condition, _ in subject.deps(spec)
        if condition == "service_completed_successfully"
    }


def check(subject: Subject) -> None:
    """Add a ``concurrent-init`` finding per database and image whose containers would set the
    database up concurrently, with no common migration job to wait for."""
    services = dict(subject.services())
    jobs = _jobs(subject, services)
    groups: dict[tuple[str, str], list[str]] = {}
    for name, spec in services.items():
        if name in jobs:
            continue
        image = effective_image(spec) or spec.get("image")
        identity = str(image) if image else f"build of {name}"
        for dep, _, _ in subject.deps(spec):
            target = services.get(dep)
            if target is not None and subject.family(target) in DATABASES:
                groups.setdefault((dep, identity), []).append(name)
    reported: set[tuple[str, ...]] = set()
    for (database, image), members in groups.items():
        counts = {m: _instances(services[m]) for m in members}
        if sum(counts.values()) < 2 or tuple(members) in reported:
            continue
        waits = [
            {d for d, c, _ in subject.deps(services[m]) if c == "service_completed_successfully"}
            for m in members
        ]
        if any(waits):
            # a one-shot job sets the database up already: the members that do not wait for
            # it (Airflow's airflow-cli and flower beside airflow-init) are taken not to
            continue
        reported.add(tuple(members))
        _report(subject, services, database, image, members, counts)


def _instances(spec: Mapping[str, Any]) -> int:
    found = replicas(spec)
    return 1 if found is None else found[0]


def _report(
    subject: Subject,
    services: Mapping[str, dict[str, Any]],
    database: str,
    image: str,
    members: list[str],
    counts: dict[str, int],
) -> None:
    scaled = [m for m in members if counts[m] > 1]
    first = scaled[0] if scaled else members[0]
    found = replicas(services[first])
    path = ("services", first, *found[1]) if found and counts[first] > 1 else ("services", first)
    described = [f"{m} (replicas: {counts[m]})" if counts[m] > 1 else m for m in members]
    if len(members) == 1:
        who = f"{described[0]} runs {counts[first]} containers"
    else:
        who = f"{', '.join(described[:-1])} and {described[-1]} run {image}"
    message = (
        f"{who} against {database}: each container sets the database up when it starts, all "
        f"at once when {database} turns healthy, and they race (duplicate keys, held locks, "
        "half-applied migrations)"
    )
    one = " or set replicas: 1" if len(members) == 1 else ""
    if subject.kind == "profile":
        hint = (
            f"add migrate: {{command: …}} (the schema setup, run once before any instance "
            f"starts) to services.{first}{one}"
        )
    else:
        hint = (
            f'add a one-shot migration service (restart: "no", depends_on {database} '
            "service_healthy) and make each of them wait for it with condition: "
            f"service_completed_successfully{one}"
        )
    subject.report("concurrent-init", path, message, hint=hint)
