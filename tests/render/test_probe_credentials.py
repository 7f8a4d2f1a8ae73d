"""Catalog probes use the credentials the container has (issue 14 point 7).

postgres: user and database from the service's literal environment, else read by a CMD-SHELL
probe from the container's own environment (``env_file``, ``${VAR:-default}``), with the
image's defaults. Redis with a password: redis-cli authenticates through REDISCLI_AUTH in the
environment, never argv; NOAUTH fails the probe.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from engines import compose_config
from helpers import run_stackgen

SHELL_PROBE = (
    'pg_isready -h 127.0.0.1 -p 5432 -U "${POSTGRES_USER:-postgres}" '
    '-d "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"'
)


def _probe(tmp_path: Path, service: str, files: dict[str, str] | None = None) -> dict[str, Any]:
    """Render a one-service profile and return that service as compose reads it."""
    for name, text in (files or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "p.yml").write_text(f"name: d\nservices:\n  db:\n{service}", encoding="utf-8")
    done = run_stackgen("render", "p.yml", "-o", "compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = compose_config("compose.yml", cwd=tmp_path, env={"PGU": "from-host"})
    assert result.clean, (result.stderr, result.warnings)
    assert result.config is not None
    db: dict[str, Any] = result.config["services"]["db"]
    return db


def _container_side(test: list[str]) -> list[str]:
    # compose's canonical output writes the container's `$` as `$$`
    return [item.replace("$$", "$") for item in test]


def test_literal_user_and_database(tmp_path: Path) -> None:
    db = _probe(tmp_path, "    image: postgres:16\n    environment: {POSTGRES_USER: app}\n")
    assert db["healthcheck"]["test"] == [
        "CMD", "pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "app", "-d", "app"
    ]  # fmt: skip


def test_image_defaults_without_environment(tmp_path: Path) -> None:
    db = _probe(tmp_path, "    image: postgres:16\n")
    assert db["healthcheck"]["test"][-4:] == ["-U", "postgres", "-d", "postgres"]


@pytest.mark.parametrize(
    ("service", "files"),
    [
        ("    image: postgres:16\n    env_file: db.env\n", {"db.env": "POSTGRES_USER=u1\n"}),
        ("    image: postgres:16\n    environment: {POSTGRES_USER: '${PGU:-bob}'}\n", {}),
        ("    image: postgres:16\n    environment: {POSTGRES_USER: '${PGU}'}\n", {}),
    ],
)
def test_only_the_container_knows_them(tmp_path: Path, service: str, files: dict[str, str]) -> None:
    db = _probe(tmp_path, service, files)
    test = _container_side(db["healthcheck"]["test"])
    assert test == ["CMD-SHELL", SHELL_PROBE]
    # the shell the probe runs in reads what the container was given
    env = {k: v for k, v in db["environment"].items() if v is not None}
    shown = subprocess.run(
        ["sh", "-c", test[1].replace("pg_isready -h 127.0.0.1 -p 5432", "echo")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    user = env["POSTGRES_USER"]
    assert shown == ["-U", user, "-d", user]
    assert user in ("u1", "from-host")


def test_redis_without_password_needs_pong(tmp_path: Path) -> None:
    db = _probe(tmp_path, "    image: redis:7\n")
    assert db["healthcheck"]["test"] == [
        "CMD-SHELL",
        "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q '^PONG'",
    ]
    assert "REDISCLI_AUTH" not in (db.get("environment") or {})


@pytest.mark.parametrize(
    ("service", "secret"),
    [
        ("    image: redis:7\n    command: [redis-server, --requirepass, s3cr3t]\n", "s3cr3t"),
        ("    image: redis:7\n    command: redis-server --requirepass s3cr3t\n", "s3cr3t"),
        ("    image: redis:7\n    environment: {REDIS_PASSWORD: '${PGU}'}\n", "from-host"),
    ],
)
def test_redis_with_password_authenticates_through_the_environment(
    tmp_path: Path, service: str, secret: str
) -> None:
    db = _probe(tmp_path, service)
    test = db["healthcheck"]["test"]
    assert test == ["CMD-SHELL", "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q '^PONG'"]
    assert secret not in " ".join(test)  # not on the probe's command line
    assert db["environment"]["REDISCLI_AUTH"] == secret


def test_rendered_text_has_no_noauth_escape(tmp_path: Path) -> None:
    _probe(tmp_path, "    image: redis:7\n")
    assert "NOAUTH" not in (tmp_path / "compose.yml").read_text(encoding="utf-8")
    assert yaml.safe_load((tmp_path / "compose.yml").read_text(encoding="utf-8"))
