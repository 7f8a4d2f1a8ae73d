"""The import guarantees on every real compose file (``../shared/fixtures/real``), end to end
through the CLI (in-process, real exit codes):

* ``import --as-is`` → ``render`` → ``diff``: no drift, both for the profile (rendered in
  memory) and for the file ``render`` wrote;
* ``import`` → ``render`` → ``diff``: every change is labelled as a stackgen policy addition,
  and only restart, readiness (healthchecks, conditions, probe address) and the project name
  are touched.

Each compose file is imported in the group docker compose reads it in (``-f a -f b``);
files that cannot form a project on their own are tested for a clear exit-2 error.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REAL
from stackgen.cli import main
from stackgen.importing.prove import KEPT_AS_IMPORTED

# every test here reads ../shared/fixtures/real
pytestmark = pytest.mark.fixtures

#: every compose file of real/, in the groups docker compose merges them in
GROUPS: dict[str, list[str]] = {
    "airflow": ["airflow/docker-compose.yaml"],
    "dokploy-windmill": ["dokploy-windmill/docker-compose.yml"],
    "highlight-hobby-2024-03": ["highlight-hobby-2024-03/compose.hobby.yml"],
    "highlight-infra": ["highlight/compose.yml"],
    "highlight-hobby": ["highlight/compose.hobby.yml"],
    "highlight-enterprise": ["highlight/compose.enterprise.yml"],
    "highlight-infra+hobby": ["highlight/compose.yml", "highlight/compose.hobby.yml"],
    "highlight-infra+enterprise": ["highlight/compose.yml", "highlight/compose.enterprise.yml"],
    "netbox": ["netbox/docker-compose.yml"],
    "netbox+override": ["netbox/docker-compose.yml", "netbox/docker-compose.override.yml.example"],
    "plausible": ["plausible/compose.yml"],
    "plausible+traefik": [
        "plausible/compose.yml",
        "plausible-traefik-override/docker-compose.traefik.yml",
    ],
    # the hobby file `extends` the base file's services: it is the project
    "posthog-hobby": ["posthog/docker-compose.hobby.yml"],
    "sentry": ["sentry/docker-compose.yml"],
    "temporal": ["temporal/docker-compose.yml"],
    "temporal-multirole": ["temporal/docker-compose-multirole.yaml"],
}

#: files that are no project by themselves (docker compose rejects them too) and why
UNIMPORTABLE: dict[str, tuple[list[str], str]] = {
    "plausible-traefik-override alone": (
        ["plausible-traefik-override/docker-compose.traefik.yml"],
        "services.plausible: has neither image nor build",
    ),
    "posthog base alone": (
        ["posthog/docker-compose.base.yml"],
        "services.worker: has neither image nor build",
    ),
    "posthog base + hobby": (
        ["posthog/docker-compose.base.yml", "posthog/docker-compose.hobby.yml"],
        "services.migrate: has neither image nor build",
    ),
    # env_file: .env, a file Dokploy writes at deploy time: docker compose refuses the project
    # without it ("env file …/.env not found"), so does import (issue 14 point 2)
    "dokploy-plausible alone": (
        ["dokploy-plausible/docker-compose.yml"],
        "services.plausible.env_file[0]: cannot import: env file",
    ),
    # Coolify's volume `content` is Coolify's own extension, not compose
    "coolify-plausible": (
        ["coolify-plausible/plausible.yaml"],
        "Additional properties are not allowed ('content' was unexpected) (docker compose "
        "rejects this and stackgen renders only valid compose: cannot import)",
    ),
}


#: what the rule set (docs/check.md) finds in real stacks, so `render` refuses a plain import
#: until the service silences it: (service, rule id) per group. That round trip is then
#: rendered with `--set services.S.ignore.RULE=…`, as a user accepting the file as it is would;
#: `import --as-is` writes those ignore entries itself (reason KEPT_AS_IMPORTED).
RULE_FINDINGS: dict[str, list[tuple[str, str]]] = {
    # windmill-server, windmill-worker (replicas: 3) and windmill-worker-native run one image
    # against windmill-postgres, and no job migrates first
    "dokploy-windmill": [("windmill-worker", "concurrent-init")],
    # web, plugins and temporal-django-worker run one image against clickhouse; the Caddy
    # proxy depends_on web without restart: true
    "posthog-hobby": [("web", "concurrent-init"), ("proxy", "proxy-upstream-restart")],
    # an nginx configured from a mounted file, in front of both temporal frontends
    "temporal-multirole": [("temporal-nginx", "proxy-upstream-restart")],
}


def _render_as_is(profile: Path, out: Path, group: str) -> None:
    """Render an ``--as-is`` import: written at once, the group's rule findings each silenced
    in the profile by an ignore entry import wrote."""
    loaded = yaml.safe_load(profile.read_text(encoding="utf-8"))
    ignored = sorted(
        (name, rule)
        for name, spec in loaded["services"].items()
        for rule, reason in (spec.get("ignore") or {}).items()
        if reason == KEPT_AS_IMPORTED
    )
    assert ignored == sorted(RULE_FINDINGS.get(group, []))
    code, _, err = cli("render", str(profile), "-o", str(out))
    assert code == 0, err


def _render(profile: Path, out: Path, group: str) -> None:
    """Render an imported profile: refused with exactly the group's rule findings, then
    written once each is silenced for its service."""
    expected = RULE_FINDINGS.get(group, [])
    code, _, err = cli("render", str(profile), "-o", str(out))
    found = sorted(
        {
            (line.split(": ")[1].split(".")[1], line.rsplit("(", 1)[1].rstrip(")"))
            for line in err.splitlines()
            if line.endswith(")")
        }
    )
    if not expected:
        assert code == 0, err
        return
    assert (code, found) == (2, sorted(expected)), err
    sets = [
        f"--set=services.{s}.ignore.{rule}=imported as the project ships it" for s, rule in expected
    ]
    code, _, err = cli("render", str(profile), "-o", str(out), *sets)
    assert code == 0, err


def cli(*args: str) -> tuple[int, str, str]:
    """Run ``stackgen ARGS`` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["stackgen", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()


def every_compose_file() -> set[str]:
    return {
        str(p.relative_to(REAL))
        for p in REAL.rglob("*")
        if p.is_file() and (p.suffix in (".yml", ".yaml") or p.name.endswith(".yml.example"))
    }


def test_every_real_compose_file_is_covered() -> None:
    covered = {f for files in GROUPS.values() for f in files}
    covered |= {f for files, _ in UNIMPORTABLE.values() for f in files}
    assert every_compose_file() == covered


def _import(tmp_path: Path, files: list[str], *extra: str) -> Path:
    profile = tmp_path / "profile.yml"
    code, _, err = cli("import", *(str(REAL / f) for f in files), "-o", str(profile), *extra)
    assert code == 0, err
    return profile


def _env_args(group: str) -> list[str]:
    """``--env-file`` of the project's ``.env``, if it has one: import wrote the values it
    sets into the profile (docs/import.md "Variables"), so the originals are compared as
    compose reads them, with it."""
    env = (REAL / GROUPS[group][0]).parent / ".env"
    return ["--env-file", str(env)] if env.is_file() else []


@pytest.mark.parametrize("group", GROUPS)
def test_as_is_round_trip_has_zero_drift(group: str, tmp_path: Path) -> None:
    files = [str(REAL / f) for f in GROUPS[group]]
    profile = _import(tmp_path, GROUPS[group], "--as-is")
    rendered = tmp_path / "compose.yml"
    _render_as_is(profile, rendered, group)
    for left in (profile, rendered):
        code, out, err = cli("diff", str(left), *files, *_env_args(group), "--format", "json")
        assert (code, json.loads(out)["changes"]) == (0, []), err


@pytest.mark.parametrize("group", GROUPS)
def test_plain_import_differs_only_by_policy_additions(group: str, tmp_path: Path) -> None:
    files = [str(REAL / f) for f in GROUPS[group]]
    profile = _import(tmp_path, GROUPS[group])
    _render(profile, tmp_path / "compose.yml", group)
    code, out, _ = cli("diff", str(profile), *files, *_env_args(group), "--format", "json")
    changes = json.loads(out)["changes"]
    unlabelled = [c["path"] for c in changes if c["policy"] is None]
    assert unlabelled == []
    # a file without `name` gets one (the only top-level change); the rest is probes and dependencies
    # (healthchecks, conditions, probe address), restart, and the env a catalog probe needs
    assert {c["category"] for c in changes} <= {"probes", "dependencies", "restart", "env", "other"}
    assert [c["path"] for c in changes if c["category"] == "other"] == ["name"]
    assert {c["policy"] for c in changes if c["category"] == "env"} <= {
        "policies.healthchecks: the probe needs it"
    }
    assert code == 1  # a plain import always adds at least the project name here
    code, text, _ = cli("diff", str(profile), *files, *_env_args(group))
    assert f"({len(changes)} added by stackgen policy)" in text.splitlines()[0]


@pytest.mark.parametrize("case", UNIMPORTABLE)
def test_unimportable_files_exit_2_with_the_reason(case: str, tmp_path: Path) -> None:
    files, reason = UNIMPORTABLE[case]
    out = tmp_path / "profile.yml"
    code, stdout, err = cli("import", *(str(REAL / f) for f in files), "-o", str(out))
    assert code == 2
    assert reason in err
    assert "Traceback" not in err and stdout == ""
    assert not out.exists()


def test_import_says_what_render_will_refuse(tmp_path: Path) -> None:
    # a plain import: each rule finding is a warning at the compose key that caused it
    profile = tmp_path / "profile.yml"
    files = [str(REAL / f) for f in GROUPS["posthog-hobby"]]
    code, _, err = cli("import", *files, "-o", str(profile))
    assert code == 0, err
    refusals = [line for line in err.splitlines() if "render refuses the profile until" in line]
    assert [line.rsplit("(", 2)[1].split(")")[0] for line in refusals] == [
        "concurrent-init",
        "proxy-upstream-restart",
    ]
    assert "ignore:" not in profile.read_text(encoding="utf-8")
