"""``stackgen schema``: the committed ``profile.schema.json`` is current, every example profile
points at it and validates, and it flags what stackgen flags (unknown keys, bad values) while
accepting the shorthand forms the models accept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from helpers import REPO, run_stackgen
from stackgen.errors import InputError
from stackgen.profile.jsonschema import profile_schema, schema_text
from stackgen.profile.load import load_profile
from stackgen.yamlio.loader import load_file

COMMITTED = REPO / "profile.schema.json"
MODELINE = "# yaml-language-server: $schema=../profile.schema.json\n"
PROFILES = sorted((REPO / "profiles").glob("*.yml"))
VALID_CASES = sorted((REPO / "tests" / "cases" / "valid").glob("*/profile.yml"))


def validator() -> Any:
    return jsonschema_rs.Draft202012Validator(profile_schema())


def errors(data: Any) -> list[str]:
    """``instance/path: message`` for each violation, and for each reason an ``anyOf`` failed
    (the nested errors an editor shows at the key)."""
    assert validator().is_valid(data) == (not list(_deep(data)))  # the two validators agree
    return sorted(_deep(data))


def _deep(data: Any) -> Any:
    checker = jsonschema.Draft202012Validator(profile_schema())
    stack = list(checker.iter_errors(data))
    while stack:
        error = stack.pop()
        yield "/".join(map(str, error.absolute_path)) + ": " + error.message
        stack.extend(error.context or ())


def write(tmp_path: Path, text: str, name: str = "p.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_committed_schema_is_what_the_command_prints() -> None:
    proc = run_stackgen("schema")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == schema_text()
    assert COMMITTED.read_text(encoding="utf-8") == proc.stdout, (
        "profile.schema.json is stale: run `stackgen schema > profile.schema.json`"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = profile_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_example_profile_points_at_the_schema() -> None:
    assert len(PROFILES) >= 3
    for path in PROFILES:
        assert path.read_text(encoding="utf-8").startswith(MODELINE), path


@pytest.mark.parametrize("path", PROFILES + VALID_CASES, ids=lambda p: p.parent.name + "/" + p.name)
def test_valid_profiles_validate(path: Path) -> None:
    load_profile(path)  # stackgen accepts it …
    assert errors(load_file(path).data) == []  # … and so does the schema


SHORTHANDS = """\
name: shorthand
defaults:
  healthcheck: {interval: 10, timeout: 2.5, retries: 3}
services:
  db:
    kind: postgres
    environment: [POSTGRES_USER=app, POSTGRES_PASSWORD]
    resources: {memory: 512MiB, cpus: 0.5, reservations: {memory: 268435456}}
  web:
    image: nginx:1.27
    environment:
      WORKERS: 4
      DEBUG: false
      RATIO: 0.5
      TOKEN: null
      API_KEY: {passthrough: true}
    depends_on:
      db: {condition: service_healthy}
    healthcheck: {tcp: 80, start_period: 30s}
    restart: on-failure:3
    build: .
    x-note: kept
retention:
  kafka: {segment_bytes: 256MiB, bytes_per_partition: 1073741824}
"""


def test_shorthand_forms_are_accepted_by_both(tmp_path: Path) -> None:
    path = write(tmp_path, SHORTHANDS)
    load_profile(path)
    assert errors(load_file(path).data) == []


@pytest.mark.parametrize(
    ("snippet", "flagged"),
    [
        ("services: {web: {image: x, imgae: y}}", "imgae"),
        ("services: {web: {image: x, healthcheck: {htp: /}}}", "htp"),
        ("services: {web: {image: x}}\nretention: {session_day: 3}", "session_day"),
        ("services: {web: {image: x, restart: sometimes}}", "sometimes"),
        ("services: {web: {image: x, config_files: {etc/x.yml: a}}}", "etc/x.yml"),
        ("services: {'web app': {image: x}}", "web app"),
        ("services: {web: {kind: nginx}}", "nginx"),
        ("services: {web: {image: x, depends_on: {db: {condition: healthy}}}}", "healthy"),
    ],
)
def test_schema_flags_what_stackgen_rejects(tmp_path: Path, snippet: str, flagged: str) -> None:
    path = write(tmp_path, f"name: demo\n{snippet}\n")
    with pytest.raises(InputError):
        load_profile(path)
    found = errors(load_file(path).data)
    assert any(flagged in e for e in found), found


def test_unknown_keys_case_is_flagged_key_by_key() -> None:
    data = load_file(REPO / "tests" / "cases" / "invalid" / "unknown-keys" / "profile.yml").data
    found = errors(data)
    where = {
        "imgae": "services/web: ",
        "htp": "services/web/healthcheck: ",
        "session_day": "retention: ",
    }
    for key, at in where.items():
        # "… ('htp' was unexpected)", or "'imgae' does not match any of the regexes: '^x-'"
        assert any(e.startswith(at) and f"'{key}'" in e for e in found), (key, found)


def test_overlay_may_omit_required_keys_and_remove_with_null(tmp_path: Path) -> None:
    write(tmp_path, "name: base\nservices:\n  web: {image: x, ports: [80]}\n", "base.yml")
    overlay = write(
        tmp_path, "extends: base.yml\nservices:\n  web: {ports: null, replicas: 2}\n", "o.yml"
    )
    assert load_profile(overlay).profile.services["web"].ports == []
    assert errors(load_file(overlay).data) == []
    # without extends the same file is a whole profile: name missing, null not a list
    found = errors({"services": {"web": {"ports": None}}})
    assert any("'name' is a required property" in e for e in found), found
    assert "services/web/ports: None is not of type 'array'" in found


def test_every_field_has_a_description() -> None:
    defs = profile_schema()["$defs"]
    missing = [
        f"{name}.{field}"
        for name, body in defs.items()
        if not name.endswith("Overlay")
        for field, sub in body.get("properties", {}).items()
        if not sub.get("description")
    ]
    assert missing == []


def test_check_jsonschema_reads_the_profiles_as_an_editor_does() -> None:
    # check-jsonschema parses YAML 1.2 (ruamel), as yaml-language-server does: `8080:80` is a
    # string there, not YAML 1.1's base-60 number
    files = [str(p) for p in PROFILES + VALID_CASES]
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(COMMITTED), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    bad = REPO / "tests" / "cases" / "invalid" / "unknown-keys" / "profile.yml"
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(COMMITTED), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "'imgae' does not match any of the regexes: '^x-'" in proc.stdout
    assert "Additional properties are not allowed ('htp' was unexpected)" in proc.stdout
