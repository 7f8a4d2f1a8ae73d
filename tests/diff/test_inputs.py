"""What LEFT and RIGHT are: a profile or a compose file (detection, ``--left-type``), and what
RIGHT (and a compose LEFT) must be to be diffed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from diff.difftools import run_diff, write_text

from helpers import REPO, run_stackgen
from stackgen.api import render_profile
from stackgen.diff import inputs
from stackgen.diff.inputs import detect_left
from stackgen.errors import InputError

# B01 as a profile: only `name` and `services`, every service key also a compose key
B01_PROFILE = """name: b01
services:
  backend:
    image: ghcr.io/example/backend:1.0
    depends_on: [postgres]
  postgres:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_DB: app
      POSTGRES_PASSWORD: example-only
"""
PLAIN_COMPOSE = "services:\n  web:\n    image: nginx:1.27\n"


def _b01(tmp_path: Path) -> tuple[Path, Path]:
    profile = write_text(tmp_path, "b01.yml", B01_PROFILE)
    rendered = write_text(tmp_path, "rendered.yml", render_profile(profile).text)
    return profile, rendered


def test_b01_profile_against_its_own_output_is_no_drift(tmp_path: Path) -> None:
    profile, rendered = _b01(tmp_path)
    result = run_diff(profile, rendered)
    assert result.left_type == "profile"
    assert result.changes == ()
    assert result.exit_code == 0
    proc = run_stackgen("diff", str(profile), str(rendered))
    assert proc.returncode == 0, proc.stderr
    assert "no drift" in proc.stdout
    # valid both ways: the choice is named on stderr with the override
    assert "--left-type compose" in proc.stderr


def test_left_type_option_overrides_detection(tmp_path: Path) -> None:
    profile, rendered = _b01(tmp_path)
    forced = run_diff(profile, rendered, left_type="compose")
    assert forced.left_type == "compose"
    assert "services.backend.restart" in {c.path for c in forced.changes}
    proc = run_stackgen("diff", str(profile), str(rendered), "--left-type", "compose")
    assert proc.returncode == 1
    assert run_stackgen("diff", str(profile), str(rendered), "--left-type", "x").returncode == 2
    with pytest.raises(InputError):
        run_diff(profile, rendered, left_type="x")


def test_detection_rules(tmp_path: Path) -> None:
    profile, rendered = _b01(tmp_path)
    assert detect_left(rendered).kind == "compose"  # the stackgen header line
    assert detect_left(profile).kind == "profile"  # valid both ways, not a compose file name
    # the same text under a name docker compose uses is a compose file
    named = write_text(tmp_path, "docker-compose.prod.yml", B01_PROFILE)
    assert detect_left(named).kind == "compose"
    # no `name`: not a valid profile
    assert detect_left(write_text(tmp_path, "a.yml", PLAIN_COMPOSE)).kind == "compose"
    # profile-only forms, whatever the file name
    for i, body in enumerate(
        (
            "    kind: postgres\n",
            "    replicas: 2\n",
            "    resources: {memory: 1GiB}\n",
            "    restart_policy: {condition: any}\n",
            "    config_files: {/etc/x.conf: x}\n",
            "    healthcheck: {http: 'http://localhost:80/'}\n",
            "    healthcheck: {tcp: 80}\n",
            "    healthcheck: {command: 'true'}\n",
            "    environment: {TOKEN: {passthrough: true}}\n",
        )
    ):
        path = write_text(tmp_path, f"compose.{i}.yml", PLAIN_COMPOSE + body)
        assert detect_left(path).kind == "profile", body
    top = write_text(tmp_path, "compose.yml", "name: x\ndomains: {}\n" + PLAIN_COMPOSE)
    assert detect_left(top).kind == "profile"
    # a compose-only merge tag decides for compose
    tagged = write_text(tmp_path, "t.yml", "name: t\n" + PLAIN_COMPOSE + "    ports: !reset []\n")
    assert detect_left(tagged).kind == "compose"
    # valid as a profile (numbers of seconds are durations there), not against the schema
    seconds = "name: t\n" + PLAIN_COMPOSE + "    healthcheck: {test: [CMD, 'true'], interval: 30}\n"
    found = detect_left(write_text(tmp_path, "compose.yml", seconds))
    assert (found.kind, found.ambiguous) == ("profile", False)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("", ":1:1: services: ", "empty file"),
        ("# nothing here\n", ":1:1: services: ", "empty file"),
        ("name: x\n", ":1:1: services: ", "missing"),
        ("- a\n- b\n", ":1:1: services: ", "not a compose file"),
        ("name: x\nservices:\n", ":2:1: services: ", "must be a mapping"),
        ("services: [a, b]\n", ":1:1: services: ", "must be a mapping"),
    ],
)
def test_right_must_be_a_compose_file(tmp_path: Path, text: str, where: str, message: str) -> None:
    left = write_text(tmp_path, "left.yml", PLAIN_COMPOSE)
    right = write_text(tmp_path, "right.yml", text)
    proc = run_stackgen("diff", str(left), str(right))
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"{right}{where}"), line
    assert message in line
    assert "Traceback" not in proc.stderr
    # the same holds for a compose LEFT
    swapped = run_stackgen("diff", str(right), str(left), "--left-type", "compose")
    assert swapped.returncode == 2
    assert swapped.stderr.startswith(f"{right}{where}")


def test_override_file_without_services_is_fine_after_the_first(tmp_path: Path) -> None:
    left = write_text(tmp_path, "left.yml", PLAIN_COMPOSE)
    volumes = write_text(tmp_path, "volumes.yml", "volumes:\n  data: {}\n")
    (change,) = run_diff(left, left, volumes).changes
    assert (change.path, change.kind) == ("volumes.data", "added")
    empty = write_text(tmp_path, "empty.yml", "")
    with pytest.raises(InputError, match="empty file"):
        run_diff(left, left, empty)


def test_a_profile_on_the_right_is_rendered_in_memory(tmp_path: Path) -> None:
    """Two profiles compare as what they render to (issue 18: diff anything against anything)."""
    left = write_text(tmp_path, "left.yml", PLAIN_COMPOSE)
    proc = run_stackgen("diff", str(left), "profiles/minimal.yml", "--format", "json", cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["right"] == ["profiles/minimal.yml"]
    # positions point into the rendered text, and say so
    assert {c["file"] for c in report["changes"]} == {"profiles/minimal.yml (rendered)"}
    # a profile after a side's first file is an error, pointed at its profile-only key
    kind = write_text(tmp_path, "right.yml", PLAIN_COMPOSE + "    kind: app\n")
    with pytest.raises(InputError, match=r"services\.web\.kind: looks like a stackgen profile"):
        run_diff(left, left, kind)


BAD_VALUES = """services:
  web:
    image: nginx:1.27
    ports: "8082:8082"
    restart: 5
    healthcheck: {interval: soon}
"""


def test_schema_errors_stop_the_diff_with_each_position(tmp_path: Path) -> None:
    left = write_text(tmp_path, "left.yml", PLAIN_COMPOSE)
    bad = write_text(tmp_path, "bad.yml", BAD_VALUES)
    proc = run_stackgen("diff", str(left), str(bad))
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f'{bad}:4:5: services.web.ports: "8082:8082" is not of type "array"',
        f'{bad}:5:5: services.web.restart: 5 is not of type "string"',
        # the schema's duration rule is compose's own (Go's time.ParseDuration: a unit on
        # every number), so it speaks first, at the same position
        f"{bad}:6:19: services.web.healthcheck.interval: 'soon' is not a duration compose "
        "reads; use a number with a unit on every part (ns, us, ms, s, m, h, d, w), e.g. 30s or "
        "1m30s, or 0, or a ${VAR} reference",
    ]
    # a compose LEFT, and an override file after the first RIGHT, are validated too
    swapped = run_stackgen("diff", str(bad), str(left), "--left-type", "compose")
    assert swapped.returncode == 2
    assert f"{bad}:5:5: services.web.restart" in swapped.stderr
    override = write_text(tmp_path, "over.yml", "services:\n  web:\n    mem_limit: lots\n")
    with pytest.raises(InputError) as caught:
        run_diff(left, left, override)
    (problem,) = caught.value.diagnostics
    assert (problem.file, problem.line, problem.col, problem.path) == (
        str(override),
        3,
        5,
        "services.web.mem_limit",
    )


def test_values_still_holding_variables_are_not_type_checked(tmp_path: Path) -> None:
    text = """services:
  web:
    image: nginx:${TAG:-1.27}
    ports: ["${PORT:-8080}:80", "${HOST_IP}:${P}:81/udp"]
    restart: ${RESTART:-always}
    healthcheck:
      interval: ${INTERVAL}
      retries: ${RETRIES}
    ulimits: {nofile: {soft: "${SOFT}", hard: 2}}
    mem_limit: ${MEM:-1g}
"""
    left = write_text(tmp_path, "left.yml", PLAIN_COMPOSE)
    right = write_text(tmp_path, "right.yml", text)
    assert run_diff(left, right).exit_code == 1  # read, validated and compared
    env = write_text(tmp_path, "x.env", "RETRIES=3\nINTERVAL=10s\nSOFT=1\nP=81\n")
    assert run_diff(left, right, env_file=env).exit_code == 1


def test_partial_overrides_tags_and_unknown_keys_are_no_schema_errors(tmp_path: Path) -> None:
    left = write_text(tmp_path, "left.yml", PLAIN_COMPOSE)
    override = write_text(
        tmp_path,
        "over.yml",
        "services:\n  web:\n    ports: !reset []\n    environment: !override {A: 1}\n"
        "    volumes:\n      - {type: bind, source: ./a, target: /a, content: x}\n",
    )
    result = run_diff(left, left, override)
    (warning,) = result.warnings
    assert (warning.file, warning.line, warning.path) == (
        str(override),
        6,
        "services.web.volumes[0]",
    )
    assert "'content' was unexpected" in warning.message
    assert "compared as written" in warning.message


BOTH = "name: p\nservices:\n  web:\n    image: nginx:1.27\n    ports: [8080:80]\n"


def test_the_left_profile_given_again_as_right_is_no_drift(tmp_path: Path) -> None:
    """diff P P used to exit 1 with the policies' additions as fake drift: P is now read as a
    profile on both sides."""
    write_text(tmp_path, "p.yml", BOTH)
    for right in ("p.yml", "./p.yml", str(tmp_path / "p.yml")):
        proc = run_stackgen("diff", "p.yml", right, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert "no drift" in proc.stdout
    # read as compose on the left (by --left-type), the same file on the right is no drift
    same = run_stackgen("diff", "p.yml", "p.yml", "--left-type", "compose", cwd=tmp_path)
    assert (same.returncode, same.stderr) == (0, "")


def test_a_right_valid_as_both_is_read_as_compose(tmp_path: Path) -> None:
    write_text(tmp_path, "p.yml", BOTH)
    write_text(tmp_path, "app.yml", BOTH)  # not a compose file name: LEFT would be a profile
    proc = run_stackgen("diff", "p.yml", "app.yml", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert '"right": [\n    "app.yml"\n  ]' in proc.stdout


def test_a_right_valid_only_as_a_profile_is_read_as_one(tmp_path: Path) -> None:
    # interval: 5 is 5 seconds in a profile; compose wants a duration string
    text = BOTH + "    healthcheck: {test: [CMD, nginx, -t], interval: 5}\n"
    write_text(tmp_path, "v.yml", text)
    proc = run_stackgen(
        "diff", str(REPO / "profiles" / "minimal.yml"), "v.yml", "--format", "json", cwd=tmp_path
    )
    assert proc.returncode == 1, proc.stderr
    changes = {c["path"]: c for c in json.loads(proc.stdout)["changes"]}
    assert changes["services.web.healthcheck.interval"]["right"] == "5s"
    # forced to compose, it is a compose file that breaks the schema
    forced = run_stackgen(
        "diff", str(REPO / "profiles" / "minimal.yml"), "v.yml", "--right-type", "compose",
        cwd=tmp_path,
    )  # fmt: skip
    assert forced.returncode == 2
    assert forced.stderr.startswith("v.yml:6:")
    # a compose file that breaks the schema keeps its own schema errors
    write_text(tmp_path, "bad.yml", "services:\n  web:\n    image: nginx\n    labels: [1]\n")
    bad = run_stackgen("diff", str(REPO / "profiles" / "minimal.yml"), "bad.yml", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.startswith("bad.yml:4:5: services.web.labels: ")


def test_profile_keys_are_told_as_from_the_profile_models() -> None:
    # profile_evidence reads the models only for a key compose does not know (check of a
    # compose file imports no pydantic): what it finds must be what the models say
    from stackgen.compose import schema
    from stackgen.diff.inputs import COMPOSE_TOP_LEVEL, profile_evidence
    from stackgen.profile.models import Profile, Service
    from stackgen.profile.settings import Healthcheck

    compose_service = schema.service_keys()
    compose_hc = set(schema.schema()["$defs"]["healthcheck"]["properties"])
    odd: list[object] = ["x-own", "not-a-field", "ünïcode", "2fa", 1, True, None, ""]
    for key in [*Service.model_fields, *compose_service, *odd]:
        found = profile_evidence({"services": {"web": {key: 1}}})
        expected = isinstance(key, str) and key in Service.model_fields
        assert (found is not None) == (expected and key not in compose_service), key
    for key in [*Healthcheck.model_fields, *compose_hc, *odd]:
        found = profile_evidence({"services": {"web": {"healthcheck": {key: 1}}}})
        expected = isinstance(key, str) and key in Healthcheck.model_fields
        assert (found is not None) == (expected and key not in compose_hc), key
    for key in [*Profile.model_fields, *COMPOSE_TOP_LEVEL, *odd]:
        found = profile_evidence({str(key): 1}, any_unknown_top_level=False)
        expected = str(key) in Profile.model_fields and str(key) not in COMPOSE_TOP_LEVEL
        assert (found is not None) == expected, key


def test_a_file_valid_as_compose_and_named_like_one_is_compose_without_a_profile_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the name decides such a file whether or not it also reads as a profile, so the
    # profile models are not run on it (docs/diff.md, step 5); every other file is decided
    # as before
    profile, rendered = _b01(tmp_path)
    seconds = "name: t\n" + PLAIN_COMPOSE + "    healthcheck: {test: [CMD, 'true'], interval: 30}\n"
    files = [
        profile,
        rendered,
        write_text(tmp_path, "docker-compose.prod.yml", B01_PROFILE),
        write_text(tmp_path, "compose.yaml", B01_PROFILE),
        write_text(tmp_path, "compose.override.yml", PLAIN_COMPOSE),
        write_text(tmp_path, "a.yml", PLAIN_COMPOSE),
        write_text(tmp_path, "compose.kind.yml", PLAIN_COMPOSE + "    kind: postgres\n"),
        write_text(tmp_path, "compose.seconds.yml", seconds),
        write_text(tmp_path, "stack.yml", "name: s\n" + PLAIN_COMPOSE),
    ]
    checked: list[str] = []
    real = inputs._valid_profile
    monkeypatch.setattr(
        inputs, "_valid_profile", lambda path, doc: checked.append(path.name) or real(path, doc)
    )
    found = [detect_left(path) for path in files]
    # the B01 profile is valid compose too: under its own name it is a profile (ambiguous),
    # named like a compose file it is one; a
    # profile-only key (kind) or a value compose refuses (interval: 30) makes a profile; a
    # file valid as both under another name is a profile, and says so (ambiguous)
    assert [(f.kind, f.ambiguous) for f in found] == [
        ("profile", True),
        ("compose", False),
        ("compose", False),
        ("compose", False),
        ("compose", False),
        ("compose", False),
        ("profile", False),
        ("profile", False),
        ("profile", True),
    ]
    assert checked == [profile.name, "a.yml", "compose.seconds.yml", "stack.yml"]
