"""concurrent-init and migration jobs: several containers setting one database up at once.

The stacks follow multica-ai/multica#3647 (backend replicas racing on ``migrate up`` into a
``schema_migrations`` primary-key violation) and the seed's second backend racing the first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rules.rulestools import refused, rendered, services


@pytest.fixture(autouse=True)
def env_file(tmp_path: Path) -> None:
    """The ``.env`` the backend reads (docker compose refuses a missing env_file)."""
    (tmp_path / ".env").write_text("LOG_LEVEL=info\n", encoding="utf-8")


RACE = """\
name: race
services:
  db:
    image: postgres:16
    environment: {POSTGRES_PASSWORD: pw}
  backend:
    image: ghcr.io/example/backend:1.4.0
    replicas: 2
    depends_on: [db]
    environment: {DATABASE_URL: "postgres://postgres:pw@db:5432/postgres"}
    env_file: .env
  worker:
    image: ghcr.io/example/backend:1.4.0
    command: [worker]
    depends_on: [db]
"""
FIXED = RACE.replace(
    "    replicas: 2\n", "    replicas: 2\n    migrate: {command: [backend, migrate]}\n"
)


def test_replicas_and_a_second_service_on_one_image_and_database_are_refused(
    tmp_path: Path,
) -> None:
    (problem,) = refused(tmp_path, RACE)
    # at the replicas key of the scaled service
    assert (problem.line, problem.col, problem.path) == (8, 5, "services.backend.deploy.replicas")
    assert problem.message == (
        "backend (replicas: 2) and worker run ghcr.io/example/backend:1.4.0 against db: each "
        "container sets the database up when it starts, all at once when db turns healthy, "
        "and they race (duplicate keys, held locks, half-applied migrations); fix: add "
        "migrate: {command: …} (the schema setup, run once before any instance starts) to "
        "services.backend (concurrent-init)"
    )


def test_the_named_migration_renders_as_a_one_shot_job_every_instance_waits_for(
    tmp_path: Path,
) -> None:
    result = rendered(tmp_path, FIXED)
    out = services(result)
    # the job runs after the database and before every service that waits for it
    assert list(out) == ["db", "backend-migrate", "backend", "worker"]
    assert out["backend-migrate"] == {
        "image": "ghcr.io/example/backend:1.4.0",
        "command": ["backend", "migrate"],
        "restart": "no",
        "depends_on": {"db": {"condition": "service_healthy"}},
        "env_file": ".env",
        "environment": {"DATABASE_URL": "postgres://postgres:pw@db:5432/postgres"},
    }
    for name in ("backend", "worker"):
        assert out[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "backend-migrate": {"condition": "service_completed_successfully"},
        }
    assert out["backend"]["deploy"] == {"replicas": 2}
    assert result.warnings == ()


def test_one_scaled_service_alone_may_also_go_back_to_one_replica(tmp_path: Path) -> None:
    alone = RACE.split("  worker:")[0].replace("replicas: 2", "replicas: 3")
    (problem,) = refused(tmp_path, alone)
    assert problem.message.startswith("backend (replicas: 3) runs 3 containers against db: ")
    assert problem.message.endswith("to services.backend or set replicas: 1 (concurrent-init)")
    assert services(rendered(tmp_path, alone.replace("replicas: 3", "replicas: 1")))["backend"][
        "deploy"
    ] == {"replicas": 1}


def test_services_on_other_images_or_other_databases_do_not_race(tmp_path: Path) -> None:
    apart = RACE.replace("replicas: 2", "replicas: 1").replace(
        "    image: ghcr.io/example/backend:1.4.0\n    command: [worker]",
        "    image: ghcr.io/example/worker:1.4.0\n    command: [worker]",
    )
    assert list(services(rendered(tmp_path, apart))) == ["db", "backend", "worker"]


def test_a_migration_needs_a_database_and_a_free_name(tmp_path: Path) -> None:
    nodb = FIXED.replace("    depends_on: [db]\n    environment", "    environment", 1)
    problems = refused(tmp_path, nodb)
    assert [(p.path, p.message) for p in problems] == [
        (
            "services.backend.migrate",
            "backend depends on no database (postgres, mysql, mongo, clickhouse, cassandra): "
            "add the one it migrates to depends_on",
        )
    ]
    taken = FIXED + "  backend-migrate: {image: 'busybox:1.36'}\n"
    (problem,) = refused(tmp_path, taken)
    assert problem.message.startswith("the migration job would be named 'backend-migrate'")
