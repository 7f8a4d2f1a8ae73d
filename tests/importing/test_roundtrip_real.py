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

from helpers import REAL
from stackgen.cli import main

# every test here reads ../shared/fixtures/real
pytestmark = pytest.mark.fixtures

#: every compose file of real/, in the groups docker compose merges them in
GROUPS: dict[str, list[str]] = {
    "airflow": ["airflow/docker-compose.yaml"],
    "dokploy-plausible": ["dokploy-plausible/docker-compose.yml"],
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
    # Coolify's volume `content` is Coolify's own extension, not compose
    "coolify-plausible": (
        ["coolify-plausible/plausible.yaml"],
        "Additional properties are not allowed ('content' was unexpected) (docker compose "
        "rejects this and stackgen renders only valid compose: cannot import)",
    ),
}


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


@pytest.mark.parametrize("group", GROUPS)
def test_as_is_round_trip_has_zero_drift(group: str, tmp_path: Path) -> None:
    files = [str(REAL / f) for f in GROUPS[group]]
    profile = _import(tmp_path, GROUPS[group], "--as-is")
    rendered = tmp_path / "compose.yml"
    code, _, err = cli("render", str(profile), "-o", str(rendered))
    assert code == 0, err
    for left in (profile, rendered):
        code, out, err = cli("diff", str(left), *files, "--format", "json")
        assert (code, json.loads(out)["changes"]) == (0, []), err
    # interpolated with the project's .env, both sides still mean the same
    env = (REAL / GROUPS[group][0]).parent / ".env"
    if env.is_file():
        code, out, err = cli(
            "diff", str(profile), *files, "--env-file", str(env), "--format", "json"
        )
        assert (code, json.loads(out)["changes"]) == (0, []), err


@pytest.mark.parametrize("group", GROUPS)
def test_plain_import_differs_only_by_policy_additions(group: str, tmp_path: Path) -> None:
    files = [str(REAL / f) for f in GROUPS[group]]
    profile = _import(tmp_path, GROUPS[group])
    code, _, err = cli("render", str(profile), "-o", str(tmp_path / "compose.yml"))
    assert code == 0, err
    code, out, err = cli("diff", str(profile), *files, "--format", "json")
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
    code, text, _ = cli("diff", str(profile), *files)
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
