"""One-shot migration jobs (``migrate:`` on a service), expanded before planning.

Several containers that set up one database at the same start race each other: a service with
``replicas > 1``, or several services running one image against one database, each run the
schema setup on start, and the losers fail on duplicate keys or held locks (the seed's 502s;
``concurrent-init`` in ``docs/check.md``). The fix is one job that migrates first and exits.

``services.S.migrate: {command: …}`` becomes the service ``S-migrate``:

* the image of ``S`` (or ``migrate.image``), the migration ``command``, ``S``'s
  ``environment`` and ``env_file``, marked ``one_shot`` (the planner's one-shot jobs: restart
  ``"no"``, so a job that exits 0 stays down, and no catalog healthcheck);
* ``depends_on`` every database ``S`` depends on (list form: ``service_healthy`` when the
  database has a healthcheck, the planner's rule);

and ``S``, and every service sharing ``S``'s image and one of those databases, waits for it with
``condition: service_completed_successfully`` (compose spec ``depends_on``), so no instance
starts before the schema is in place, and none if the migration fails.
"""

from __future__ import annotations

from typing import Any

from ..catalog.families import DATABASES, image_family
from ..errors import Diagnostic, InputError
from ..profile.load import LoadedProfile
from ..profile.models import Service
from ..profile.settings import Dependency
from ..yamlio.nodes import Mark, Path_, dotted

#: the job's name: ``<service><SUFFIX>``
SUFFIX = "-migrate"


def databases(svc: Service, services: dict[str, Service]) -> list[str]:
    """The services ``svc`` depends on that are databases (:data:`DATABASES`), in order."""
    deps = svc.depends_on if isinstance(svc.depends_on, list) else list(svc.depends_on)
    out = []
    for dep in deps:
        other = services.get(dep)
        if other is not None and image_family(other.image, other.kind) in DATABASES:
            out.append(dep)
    return out


def _with_dependency(svc: Service, job: str) -> Service:
    deps: dict[str, Dependency] = (
        {d: Dependency() for d in svc.depends_on}
        if isinstance(svc.depends_on, list)
        else dict(svc.depends_on)
    )
    if job in deps:
        return svc
    deps[job] = Dependency(condition="service_completed_successfully")
    return svc.model_copy(update={"depends_on": deps})


def _job(svc: Service, dbs: list[str]) -> Service:
    assert svc.migrate is not None
    body: dict[str, Any] = {
        "kind": "app",
        "image": svc.migrate.image or svc.image,
        "command": svc.migrate.command,
        "one_shot": True,
        "depends_on": dbs,
        "environment": dict(svc.environment),
    }
    for key in ("env_file", "build", "networks"):
        if key in svc.passthrough and not (key == "build" and body["image"]):
            body[key] = svc.passthrough[key]
    return Service.model_validate(body)


def expand(loaded: LoadedProfile) -> LoadedProfile:
    """``loaded`` with each ``migrate:`` turned into its job service and the waits for it
    (module docstring); the profile itself when no service has one.

    Positions: the job, and each wait added for it, stand at the ``migrate`` key.

    Raises:
        InputError: the job's name is a service of the profile already, or the service depends
            on no database (then there is nothing to migrate before it starts).
    """
    services = dict(loaded.profile.services)
    if not any(svc.migrate is not None for svc in services.values()):
        return loaded
    marks = dict(loaded.source.marks)
    problems: list[Diagnostic] = []
    for name, svc in loaded.profile.services.items():
        if svc.migrate is None:
            continue
        at: Path_ = ("services", name, "migrate")
        mark = loaded.source.mark(at)
        job = name + SUFFIX
        dbs = databases(svc, services)
        if job in loaded.profile.services:
            problems.append(
                _problem(
                    mark,
                    at,
                    f"the migration job would be named {job!r}, a "
                    "service of the profile already; rename that service",
                )
            )
            continue
        if not dbs:
            problems.append(
                _problem(
                    mark,
                    at,
                    f"{name} depends on no database (postgres, "
                    "mysql, mongo, clickhouse, cassandra): add the one it "
                    "migrates to depends_on",
                )
            )
            continue
        services[job] = _job(svc, dbs)
        _place(marks, ("services", job), mark)
        sharers = [
            other
            for other, osvc in services.items()
            if other == name
            or (
                osvc.image is not None
                and osvc.image == svc.image
                and other != job
                and set(databases(osvc, services)) & set(dbs)
            )
        ]
        for other in sharers:
            services[other] = _with_dependency(services[other], job)
            _place(marks, ("services", other, "depends_on", job), mark)
    if problems:
        raise InputError(problems)
    profile = loaded.profile.model_copy(update={"services": services})
    source = type(loaded.source)(
        data=loaded.source.data, marks=marks, texts=loaded.source.texts, file=loaded.source.file
    )
    return type(loaded)(profile=profile, source=source, path=loaded.path)


def _problem(mark: Mark, path: Path_, message: str) -> Diagnostic:
    return Diagnostic(mark.file, mark.line, mark.col, dotted(path), message)


def _place(marks: dict[Path_, Mark], path: Path_, mark: Mark) -> None:
    marks.setdefault(path, mark)
