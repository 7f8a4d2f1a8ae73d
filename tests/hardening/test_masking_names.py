"""Issue 15 point 3: names and paths are never masked, values always are. Masking replaced a
secret value wherever it occurred in text, so a secret equal to a part of a name garbled it
(``plausible-***-data``, ``***-cleanup``). A value is now found where it stands as a value,
not where it is a part of a longer name or path joined by ``-``, ``_``, ``.`` or ``/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REAL, run_stackgen
from stackgen.output.masking import MASK, KnownValues, redact, shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # parts of names and paths: kept
        ("volume plausible-events-data", "volume plausible-events-data"),
        ("events-db waits", "events-db waits"),
        ("mounted at /srv/events/x", "mounted at /srv/events/x"),
        ("clickhouse plausible_events_db", "clickhouse plausible_events_db"),
        ("host events.example.test", "host events.example.test"),
        ("/var/lib/eventsql/data", "/var/lib/eventsql/data"),
        # values, alone or inside a longer value: masked
        ("events", MASK),
        ("token 'events' refused", f"token '{MASK}' refused"),
        ("postgres://app:events@db:5432/app", f"postgres://app:{MASK}@db:5432/app"),
        ("mysqladmin ping -pevents", f"mysqladmin ping -p{MASK}"),
        ("--password=events.", f"--password={MASK}."),
        ("KEY=events\n", f"KEY={MASK}\n"),
        ("xeventsx", f"x{MASK}x"),  # glued to letters, not joined: a longer value
    ],
)
def test_a_secret_is_masked_as_a_value_never_as_a_part_of_a_name(text: str, expected: str) -> None:
    assert redact(text, ["events"]) == expected


def test_a_secret_with_joints_of_its_own_is_masked_whole() -> None:
    # the joints inside the value do not matter, only what is around it
    assert redact("-pS3cr3t-Hunter2-Value'", ["S3cr3t-Hunter2-Value"]) == f"-p{MASK}'"
    assert redact("a/b-c.d", ["b-c"]) == "a/b-c.d"


def test_reports_mask_a_value_holding_a_secret_and_show_names_holding_it() -> None:
    known = KnownValues(["hunter2"])
    url = "postgres://app:hunter2@db:5432/app"
    assert shown(url, ("services", "web", "environment", "DATABASE_URL"), known=known) == MASK
    volume = "hunter2-data:/var/lib/hunter2/data"
    assert shown(volume, ("services", "db", "volumes", "0"), known=known) == volume


@pytest.mark.fixtures
def test_plausible_diff_shows_the_volume_named_like_the_password(tmp_path: Path) -> None:
    # the coolify plausible file as it is; its database password (from .env) is `postgres`,
    # a part of the volume name plausible-postgres-data and of the path /var/lib/postgresql
    text = (REAL / "coolify-plausible" / "plausible.yaml").read_text(encoding="utf-8")
    (tmp_path / "left.yaml").write_text(text, encoding="utf-8")
    right = text.replace("/var/lib/postgresql/data", "/var/lib/pg").replace(
        "@plausible-db:5432", "@plausible-db:5433"
    )
    (tmp_path / "right.yaml").write_text(right, encoding="utf-8")
    (tmp_path / "secrets.env").write_text("SERVICE_PASSWORD_POSTGRES=postgres\n", "utf-8")
    result = run_stackgen(
        "diff", "left.yaml", "right.yaml", "--env-file", "secrets.env", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    volume = '{"type": "volume", "source": "plausible-postgres-data", "target": '
    assert result.stdout.splitlines() == [
        "stackgen diff: left.yaml vs right.yaml: 3 changes in 2 services",
        "",
        "plausible",
        # postgres://:postgres@plausible-db:5432/plausible-db holds the password: masked
        f'  ~ services.plausible.environment.DATABASE_URL: "{MASK}" -> "{MASK} (changed)"'
        "  [env] right.yaml:14",
        "",
        "plausible-db",
        "  - services.plausible-db.volumes[target=/var/lib/postgresql/data]: removed "
        f'(was {volume}"/var/lib/postgresql/data"}})  [volumes] right.yaml:51',
        "  + services.plausible-db.volumes[target=/var/lib/pg]: added "
        f'{volume}"/var/lib/pg"}}  [volumes] right.yaml:52',
    ]
    assert "postgres://" not in result.stdout + result.stderr


@pytest.mark.fixtures
def test_sentry_check_names_the_service_named_like_a_secret() -> None:
    # sentry's compose file sets AWS_ACCESS_KEY_ID: sentry; its service sentry-cleanup
    # was reported as ***-cleanup
    path = REAL / "sentry" / "docker-compose.yml"
    result = run_stackgen("check", str(path))
    assert result.returncode == 0, result.stderr
    assert (
        f"{path}:597:3: warning: sentry-cleanup waits only for memcached to start "
        "(condition: service_started), but memcached has a healthcheck: sentry-cleanup may "
        "start before memcached is ready (depends-on-started)"
    ) in result.stdout.splitlines()
    assert f"{MASK}-cleanup" not in result.stdout
