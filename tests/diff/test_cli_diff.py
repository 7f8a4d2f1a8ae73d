"""``stackgen diff`` end to end: exit codes, formats, options, the Highlight profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from diff.difftools import REAL, run_diff, split_case, write_text

from helpers import REPO, run_stackgen
from stackgen.errors import InputError

HIGHLIGHT = REAL / "highlight"
WEB = "services:\n  web:\n    image: nginx:1.27\n"


def test_no_drift_exits_0(tmp_path: Path) -> None:
    left, right = split_case("B34", tmp_path)
    proc = run_stackgen("diff", str(left), str(right))
    assert proc.returncode == 0, proc.stderr
    assert "no drift" in proc.stdout


def test_drift_exits_1_and_fail_on_limits_it(tmp_path: Path) -> None:
    left, right = split_case("B36", tmp_path)
    assert run_stackgen("diff", str(left), str(right)).returncode == 1
    # the command order change is category "other"
    assert run_stackgen("diff", str(left), str(right), "--fail-on", "readiness").returncode == 0
    assert run_stackgen("diff", str(left), str(right), "--fail-on", "other,env").returncode == 1


def test_ignore_glob_drops_changes(tmp_path: Path) -> None:
    left, right = split_case("B36", tmp_path)
    proc = run_stackgen("diff", str(left), str(right), "--ignore", "services.*.command")
    assert proc.returncode == 0
    assert "no drift" in proc.stdout


def test_bad_input_exits_2_with_position(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", "services:\n  s:\n    image: a\n")
    bad = write_text(tmp_path, "r.yml", "services:\n  s:\n    image: a\n    image: b\n")
    proc = run_stackgen("diff", str(left), str(bad))
    assert proc.returncode == 2
    assert f"{bad}:4:5: services.s.image: duplicate key" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert run_stackgen("diff", str(left), str(left), "--fail-on", "nope").returncode == 2
    assert run_stackgen("diff", str(left), str(tmp_path / "missing.yml")).returncode == 2


def test_warnings_go_to_stderr_and_report_to_stdout(tmp_path: Path) -> None:
    base, override = split_case("B27", tmp_path)
    proc = run_stackgen("diff", str(base), str(base), str(override), "--format", "json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"] == {"changes": 3, "services": 1, "accepted": 0}
    assert "!reset null" in proc.stderr


def test_env_file_interpolates(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", "services:\n  s:\n    image: nginx:1.2\n")
    right = write_text(tmp_path, "r.yml", "services:\n  s:\n    image: nginx:${TAG}\n")
    env = write_text(tmp_path, "x.env", "TAG=1.2\n")
    assert run_stackgen("diff", str(left), str(right)).returncode == 1
    assert run_stackgen("diff", str(left), str(right), "--env-file", str(env)).returncode == 0


@pytest.mark.fixtures
def test_highlight_profile_against_the_real_pair() -> None:
    proc = run_stackgen(
        "diff",
        "profiles/highlight-hobby.yml",
        str(HIGHLIGHT / "compose.yml"),
        str(HIGHLIGHT / "compose.hobby.yml"),
        "--format",
        "json",
        cwd=REPO,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    changes = {c["path"]: c for c in report["changes"]}
    infra = str(HIGHLIGHT / "compose.yml")
    hobby = str(HIGHLIGHT / "compose.hobby.yml")

    # healthchecks the profile adds to infrastructure that has none (compose.yml: the
    # service keys zookeeper/redis/clickhouse stand on lines 6/44/79)
    for service, line in (("zookeeper", 6), ("redis", 44), ("clickhouse", 79)):
        change = changes[f"services.{service}.healthcheck"]
        assert (change["kind"], change["category"]) == ("removed", "probes")
        assert (change["file"], change["line"]) == (infra, line)

    # `depends_on: [zookeeper]` (line 28) waits for started; the profile waits for healthy
    condition = changes["services.kafka.depends_on.zookeeper.condition"]
    assert (condition["left"], condition["right"]) == ("service_healthy", "service_started")
    assert (condition["category"], condition["file"], condition["line"]) == (
        "dependencies",
        infra,
        28,
    )

    # backend has no depends_on at all in compose.hobby.yml (service key on line 3)
    backend_deps = changes["services.backend.depends_on"]
    assert (backend_deps["kind"], backend_deps["category"]) == ("removed", "dependencies")
    assert (backend_deps["file"], backend_deps["line"]) == (hobby, 3)

    # one restart policy from the profile defaults vs `restart: on-failure` (hobby line 6)
    restart = changes["services.backend.restart"]
    assert (restart["kind"], restart["right"], restart["category"]) == (
        "changed",
        "on-failure",
        "restart",
    )
    assert (restart["file"], restart["line"]) == (hobby, 6)

    # infrastructure published on loopback only vs upstream's 0.0.0.0 (postgres: line 67)
    bind = changes["services.postgres.ports[target=5432].host_ip"]
    assert (bind["left"], bind["right"], bind["category"]) == ("127.0.0.1", "0.0.0.0", "ports")
    assert (bind["file"], bind["line"]) == (infra, 67)


@pytest.mark.fixtures
def test_highlight_pair_has_no_replicas_change() -> None:
    proc = run_stackgen(
        "diff",
        "profiles/highlight-hobby.yml",
        str(HIGHLIGHT / "compose.yml"),
        str(HIGHLIGHT / "compose.hobby.yml"),
        "--format",
        "json",
        cwd=REPO,
    )
    assert proc.returncode == 1, proc.stderr
    paths = [c["path"] for c in json.loads(proc.stdout)["changes"]]
    assert not [p for p in paths if "replicas" in p or p.endswith(".scale")]


def test_ignore_matching_nothing_warns(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", WEB + "    restart: always\n")
    right = write_text(tmp_path, "r.yml", WEB + "    restart: unless-stopped\n")
    proc = run_stackgen(
        "diff", str(left), str(right), "--ignore", "service.*.restart", "--ignore", "x.*"
    )
    assert proc.returncode == 1  # exit code unaffected
    assert "warning: --ignore 'service.*.restart' matched nothing" in proc.stderr
    assert "warning: --ignore 'x.*' matched nothing" in proc.stderr
    # a glob that matches a path is not warned about, with or without a change there
    fine = run_stackgen(
        "diff", str(left), str(right), "--ignore", "services.*.restart", "--ignore", "*.image"
    )
    assert fine.returncode == 0
    assert "matched nothing" not in fine.stderr
    ports = write_text(tmp_path, "p.yml", WEB + "    ports: ['8080:80']\n")
    result = run_diff(ports, ports, ignore=["services.web.ports[target=80]", "services.db"])
    assert result.unmatched_ignores == ("services.db",)


def test_ignore_names_list_entries_with_literal_brackets(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", WEB + "    ports: ['8080:80', '443:443']\n")
    right = write_text(tmp_path, "r.yml", WEB + "    ports: ['8081:80', '443:443']\n")
    (change,) = run_diff(left, right).changes
    assert change.path == "services.web.ports[target=80].published"
    result = run_diff(left, right, ignore=["services.web.ports[target=80]"])
    assert (result.changes, result.unmatched_ignores) == ((), ())


def test_empty_or_unknown_fail_on_is_a_usage_error(tmp_path: Path) -> None:
    left, right = split_case("B36", tmp_path)  # drift in category "other"
    for value in ("", " ", ",", "nope", "other,nope"):
        proc = run_stackgen("diff", str(left), str(right), "--fail-on", value)
        assert proc.returncode == 2, (value, proc.stdout)
        assert "routes, replicas, resources, probes, dependencies, restart, ports" in proc.stderr
        assert "(readiness: probes and dependencies)" in proc.stderr
        assert "Traceback" not in proc.stderr
    for fail_on in ([], [""], ["nope"]):
        with pytest.raises(InputError, match=r"use .*dependencies"):
            run_diff(left, right, fail_on=fail_on)
    assert run_diff(left, right, fail_on=["other"]).exit_code == 1
