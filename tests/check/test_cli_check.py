"""``stackgen check`` from the command line: formats, exit codes, inputs, our own files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engines import compose_config
from helpers import REAL, REPO, run_stackgen
from stackgen.lint.check import check

B29 = """services:
  kafka:
    image: confluentinc/cp-kafka:7.7.0
    environment:
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://localhost:9092
  backend:
    image: ghcr.io/example/backend:latest
    depends_on: [kafka]
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_our_profiles_and_outputs_are_quiet() -> None:
    inputs = sorted(str(p.relative_to(REPO)) for p in (REPO / "profiles").glob("*.yml")) + sorted(
        str(p.relative_to(REPO)) for p in (REPO / "out").glob("*/compose.yml")
    )
    assert "out/highlight-hobby/compose.yml" in inputs
    assert "profiles/highlight-hobby.yml" in inputs
    proc = run_stackgen("check", *inputs, cwd=REPO)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    report = json.loads(run_stackgen("check", *inputs, "--format", "json", cwd=REPO).stdout)
    assert report["findings"] == []
    assert {i["file"]: i["type"] for i in report["inputs"]} == {
        **{p: "profile" for p in inputs if p.startswith("profiles/")},
        **{p: "compose" for p in inputs if p.startswith("out/")},
    }


def test_text_format_and_exit_code(tmp_path: Path) -> None:
    path = _write(tmp_path, "compose.yml", B29)
    proc = run_stackgen("check", str(path))
    assert proc.returncode == 1  # kafka-advertised-localhost is an error
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == [
        f"{path}:5:7: error: kafka advertises only PLAINTEXT://localhost:9092; backend depends "
        "on it and would be sent to localhost, its own container (kafka-advertised-localhost)",
        "    hint: advertise an INTERNAL listener as the service name (kafka:29092) for "
        "containers and keep localhost only for an EXTERNAL listener used from the host",
        f"{path}:7:5: warning: backend uses ghcr.io/example/backend:latest: tagged latest; each "
        "pull may bring another version (image-latest)",
        "    hint: pin a released tag (or a digest)",
        "1 error, 1 warning in 1 file",
    ]


def test_warnings_only_exit_zero(tmp_path: Path) -> None:
    path = _write(tmp_path, "compose.yml", "services:\n  web:\n    image: nginx\n")
    proc = run_stackgen("check", str(path))
    assert proc.returncode == 0
    assert proc.stdout.endswith("0 errors, 1 warning in 1 file\n")


def test_json_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "compose.yml", B29)
    proc = run_stackgen("check", str(path), "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["inputs"] == [{"file": str(path), "type": "compose"}]
    assert report["summary"] == {"errors": 1, "warnings": 1, "info": 0}
    first = report["findings"][0]
    assert first == {
        "file": str(path),
        "line": 5,
        "col": 7,
        "rule": "kafka-advertised-localhost",
        "severity": "error",
        "path": "services.kafka.environment.KAFKA_ADVERTISED_LISTENERS",
        "message": "kafka advertises only PLAINTEXT://localhost:9092; backend depends on it and "
        "would be sent to localhost, its own container",
        "hint": "advertise an INTERNAL listener as the service name (kafka:29092) for containers "
        "and keep localhost only for an EXTERNAL listener used from the host",
    }


def test_github_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "compose.yml", B29)
    lines = run_stackgen("check", str(path), "--format", "github").stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        f"::error file={path},line=5,col=7,title=stackgen check (kafka-advertised-localhost)::"
        "kafka advertises only PLAINTEXT://localhost:9092; backend depends on it"
    )
    assert lines[0].endswith(
        "its own container. Fix: advertise an INTERNAL listener as the service name "
        "(kafka:29092) for containers and keep localhost only for an EXTERNAL listener used "
        "from the host"
    )
    assert lines[1].startswith(f"::warning file={path},line=7,col=5,title=stackgen check")


def test_bad_input_exits_2(tmp_path: Path) -> None:
    good = _write(tmp_path, "compose.yml", B29)
    broken = _write(tmp_path, "broken.yml", "services:\n  web: [\n")
    proc = run_stackgen("check", str(good), str(broken), str(tmp_path / "missing.yml"))
    assert proc.returncode == 2
    assert proc.stdout == ""
    errors = proc.stderr.splitlines()
    assert errors[0].startswith(f"{broken}:3:1: YAML syntax error")
    assert errors[1] == f"{tmp_path / 'missing.yml'}: cannot read file: No such file or directory"
    bad_format = run_stackgen("check", str(good), "--format", "markdown")
    assert bad_format.returncode == 2
    assert "'markdown' is not one of text, json, github" in bad_format.stderr
    invalid = _write(tmp_path, "docker-compose.yml", "services:\n  web:\n    ports: 80\n")
    proc = run_stackgen("check", str(invalid))
    assert proc.returncode == 2
    assert f"{invalid}:3:5: services.web.ports:" in proc.stderr


def test_profile_that_does_not_validate_is_bad_input(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.yml", "name: p\nservices:\n  web: {image: a:1, kind: nope}\n")
    proc = run_stackgen("check", str(path))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{path}:3:")


def test_dotenv_beside_the_file_and_env_file(tmp_path: Path) -> None:
    compose = "services:\n  cache:\n    image: ${CACHE_IMAGE}\n"
    path = _write(tmp_path, "compose.yml", compose)
    # ${CACHE_IMAGE} unknown: nothing to say about the image
    assert run_stackgen("check", str(path)).stdout == ""
    _write(tmp_path, ".env", "CACHE_IMAGE=redis:latest\n")
    assert "uses redis:latest: tagged latest" in run_stackgen("check", str(path)).stdout
    other = _write(tmp_path, "other.env", "CACHE_IMAGE=redis:7.2\n")
    assert run_stackgen("check", str(path), "--env-file", str(other)).stdout == ""


def test_profile_findings_point_into_the_profile(tmp_path: Path) -> None:
    text = (
        "name: p\n"
        "services:\n"
        "  zookeeper: {kind: zookeeper}\n"
        "  kafka: {kind: kafka, depends_on: [zookeeper]}\n"
        "  db:\n"
        "    kind: postgres\n"
        "  web:\n"
        "    image: nginx:latest\n"
        "    depends_on: {db: {condition: service_started}}\n"
    )
    path = _write(tmp_path, "p.yml", text)
    proc = run_stackgen("check", str(path), "--format", "json")
    assert proc.returncode == 0
    found = [
        (f["rule"], f["line"], f["col"], f["path"]) for f in json.loads(proc.stdout)["findings"]
    ]
    assert found == [
        # the catalog publishes the broker's external 9092 on all interfaces: the profile
        # wrote no port, so the finding stands at the service's key
        ("infra-port-public", 4, 3, "services.kafka.ports[0]"),
        ("image-latest", 8, 5, "services.web.image"),
        ("depends-on-started", 9, 18, "services.web.depends_on.db"),
    ]


@pytest.mark.fixtures
def test_real_fixtures_never_crash() -> None:
    files = sorted(
        p
        for p in REAL.rglob("*")
        if p.is_file() and (p.suffix in (".yml", ".yaml") or p.name.endswith(".yml.example"))
    )
    assert len(files) == 17
    # one run over all of them: any bad input would make it exit 2 with no report
    proc = run_stackgen("check", *map(str, files), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""
    report = json.loads(proc.stdout)
    assert [i["file"] for i in report["inputs"]] == [str(p) for p in files]
    assert {i["type"] for i in report["inputs"]} == {"compose"}
    assert proc.returncode == 1
    # an error exactly where docker compose refuses the file read alone in its folder (the
    # .env beside it interpolated): Coolify's volume `content` extension and two undeclared
    # named volumes; Dokploy's env_file .env, written at deploy time; services of override
    # and base files that get their image from the file they complete
    errors = [
        (Path(f["file"]).relative_to(REAL).as_posix(), f["rule"], f["line"], f["path"])
        for f in report["findings"]
        if f["severity"] == "error"
    ]
    plausible, posthog = "coolify-plausible/plausible.yaml", "posthog/docker-compose.base.yml"
    assert errors == [
        (plausible, "undefined-reference", 52, "services.plausible-db.volumes[0]"),
        (plausible, "undefined-reference", 68, "services.plausible-events-db.volumes[0]"),
        (plausible, "compose-refuses", 69, "services.plausible-events-db.volumes[1]"),
        (plausible, "compose-refuses", 74, "services.plausible-events-db.volumes[2]"),
        (
            "dokploy-plausible/docker-compose.yml",
            "missing-env-file",
            33,
            "services.plausible.env_file[0]",
        ),
        ("netbox/docker-compose.override.yml.example", "no-image", 2, "services.netbox"),
        (
            "plausible-traefik-override/docker-compose.traefik.yml",
            "no-image",
            3,
            "services.plausible",
        ),
        *[
            (posthog, "no-image", line, f"services.{name}")
            for line, name in [
                (191, "worker"),
                (217, "web"),
                (315, "plugins"),
                (338, "migrate"),
                (349, "asyncmigrationscheck"),
                (415, "temporal-django-worker"),
            ]
        ],
    ]
    refused = {file for file, *_ in errors}
    for path in files:
        verdict = compose_config(path.name, cwd=path.parent, quiet=True)
        assert verdict.returncode == (1 if path.relative_to(REAL).as_posix() in refused else 0), (
            path,
            verdict.stderr,
        )
    assert report["summary"]["errors"] == len(errors)
    assert report["summary"]["warnings"] == len(report["findings"]) - len(errors) > 0


def _findings(path: Path) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in check([path]).findings]


@pytest.mark.fixtures
def test_real_fixture_findings() -> None:
    real = REAL
    # netbox waits for started on three services that have healthchecks (lines 5-7), and its
    # own probe curls localhost (line 11); ./configuration, which upstream ships beside the
    # file, is not in the fixture folder (bound at line 16, and through the YAML alias by the
    # two services at lines 20 and 34)
    assert _findings(real / "netbox" / "docker-compose.yml") == [
        ("depends-on-started", 5),
        ("depends-on-started", 6),
        ("depends-on-started", 7),
        ("probe-localhost", 11),
        ("missing-path", 16),
        ("missing-path", 20),
        ("missing-path", 34),
    ]
    # highlight's infrastructure half publishes kafka, redis, postgres, clickhouse on 0.0.0.0
    # (images from the .env beside it); it binds files of upstream's tree that the fixture
    # does not carry (../scripts/migrations/init.sql, ./config.xml, ./users.xml,
    # ../backend/localhostssl/server.crt and .key)
    assert _findings(real / "highlight" / "compose.yml") == [
        ("infra-port-public", 25),
        ("infra-port-public", 54),
        ("infra-port-public", 67),
        ("missing-path", 72),
        ("infra-port-public", 85),
        ("infra-port-public", 86),
        ("missing-path", 88),
        ("missing-path", 89),
        ("missing-path", 108),
        ("missing-path", 109),
    ]
    # sentry's ["CMD", "/bin/bash", "-c", script] probes are shell scripts, not CMD mistakes;
    # its kafka probe `nc -z localhost 9092` is a localhost probe (line 232: the test key)
    sentry = _findings(real / "sentry" / "docker-compose.yml")
    assert not [r for r, _ in sentry if r == "probe-cmd-shell"]
    assert ("probe-localhost", 232) in sentry


def test_type_option_overrides_detection(tmp_path: Path) -> None:
    # valid as both a profile and a compose file, not named like a compose file: auto reads
    # it as a profile, where `restart: no` is the text "no" (nothing to report); read as a
    # compose file its source text has a YAML 1.1 boolean
    text = "name: s\nservices:\n  web:\n    image: nginx:1.27\n    restart: no\n"
    path = _write(tmp_path, "stack.yml", text)
    as_profile = json.loads(run_stackgen("check", str(path), "--format", "json").stdout)
    assert as_profile["inputs"] == [{"file": str(path), "type": "profile"}]
    assert as_profile["findings"] == []
    proc = run_stackgen("check", str(path), "--type", "compose", "--format", "json")
    report = json.loads(proc.stdout)
    assert report["inputs"] == [{"file": str(path), "type": "compose"}]
    assert [(f["rule"], f["line"], f["col"]) for f in report["findings"]] == [("yaml-bool", 5, 14)]
    bad = run_stackgen("check", str(path), "--type", "helm")
    assert bad.returncode == 2 and "use one of auto, profile, compose" in bad.stderr


def test_a_profile_forced_as_compose_gets_check_advice() -> None:
    """check --type compose on a profile names check's own fix, not diff's."""
    proc = run_stackgen("check", "profiles/minimal.yml", "--type", "compose", cwd=REPO)
    assert proc.returncode == 2
    assert proc.stderr == (
        "profiles/minimal.yml:15:1: domains: looks like a stackgen profile (top-level key "
        "'domains' is not a compose key); drop --type compose or use --type profile\n"
    )
    assert "stackgen diff" not in proc.stderr
