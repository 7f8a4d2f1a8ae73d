"""One-shot jobs (issue 14 point 5): no restart from defaults, no catalog probe, waited for
with service_completed_successfully; check flags a restart policy that reruns one; import
recognises them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engines import compose_config
from helpers import REAL, run_stackgen


def _render(tmp_path: Path, text: str) -> dict[str, Any]:
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    done = run_stackgen("render", "p.yml", "-o", "compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = compose_config("compose.yml", cwd=tmp_path)
    assert result.clean, (result.stderr, result.warnings)
    data = yaml.safe_load((tmp_path / "compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_marked_job_is_not_restarted_and_is_waited_to_complete(tmp_path: Path) -> None:
    data = _render(
        tmp_path,
        "name: d\nservices:\n  migrate:\n    image: app:1\n    one_shot: true\n"
        "  web:\n    image: app:1\n    depends_on: [migrate]\n",
    )
    services = data["services"]
    assert services["migrate"]["restart"] == "no"
    assert services["web"]["restart"] == "unless-stopped"
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"}
    }


def test_waited_on_job_gets_no_default_restart(tmp_path: Path) -> None:
    data = _render(
        tmp_path,
        "name: d\nservices:\n  init:\n    image: app:1\n  web:\n    image: app:1\n"
        "    depends_on:\n      init: {condition: service_completed_successfully}\n",
    )
    assert data["services"]["init"]["restart"] == "no"


def test_job_of_a_catalog_kind_gets_no_server_probe(tmp_path: Path) -> None:
    # psql run once against another database: the image is postgres, the container no server
    data = _render(
        tmp_path,
        "name: d\nservices:\n  seed:\n    image: postgres:16\n    one_shot: true\n"
        "    command: [psql, -h, db, -c, select 1]\n    volumes: []\n",
    )
    assert "healthcheck" not in data["services"]["seed"]
    assert data["services"]["seed"]["restart"] == "no"


@pytest.mark.parametrize("restart", ["always", "unless-stopped"])
def test_a_one_shot_service_with_a_restart_that_reruns_it_is_flagged_in_the_profile(
    tmp_path: Path, restart: str
) -> None:
    # nothing waits on it: one_shot alone makes it a job (docs/check.md, job-restart); the
    # rule reads the profile, as the planned compose form has no one_shot key
    text = (
        f"name: d\nservices:\n  job:\n    image: app:1\n    one_shot: true\n"
        f"    restart: {restart}\n  web:\n    image: app:1\n"
    )
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    done = run_stackgen("check", "p.yml", cwd=tmp_path)
    assert done.stdout.splitlines()[0] == (
        f"p.yml:6:5: warning: job is a one-shot job but has restart: {restart}: the engine "
        "starts it again each time it exits 0 (job-restart)"
    )
    rendered = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert rendered.returncode == 0
    assert (
        f"p.yml:6:5: services.job.restart: job is a one-shot job but has restart: {restart}: "
        "the engine starts it again each time it exits 0 (job-restart) (warning)"
    ) in rendered.stderr.splitlines()


def test_explicit_restart_on_a_job_is_kept_and_check_flags_it(tmp_path: Path) -> None:
    text = (
        "name: d\nservices:\n  init:\n    image: app:1\n    restart: always\n"
        "  web:\n    image: app:1\n    depends_on:\n"
        "      init: {condition: service_completed_successfully}\n"
    )
    assert _render(tmp_path, text)["services"]["init"]["restart"] == "always"
    done = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert (
        "compose.yml:7:5: warning: init is a one-shot job but has restart: always: the engine "
        "starts it again each time it exits 0 (job-restart)"
    ) in done.stdout


@pytest.mark.fixtures
def test_import_recognises_airflow_init(tmp_path: Path) -> None:
    source = REAL / "airflow" / "docker-compose.yaml"
    done = run_stackgen("import", str(source), "-o", "airflow.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    profile = yaml.safe_load((tmp_path / "airflow.yml").read_text(encoding="utf-8"))
    jobs = [n for n, s in profile["services"].items() if s.get("one_shot")]
    assert jobs == ["airflow-init"]
    done = run_stackgen("render", "airflow.yml", "-o", "out/compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rendered = yaml.safe_load((tmp_path / "out" / "compose.yml").read_text(encoding="utf-8"))
    # upstream's airflow-init sets no restart; the import's restart policy leaves it at "no"
    assert rendered["services"]["airflow-init"]["restart"] == "no"
    assert rendered["services"]["airflow-scheduler"]["restart"] == "always"  # upstream's own
