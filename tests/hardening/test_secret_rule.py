"""Issue 15 point 3 and issue 18 point 3: one rule decides what is secret; every output goes
through it; names and paths are never masked, values always are; ``${VAR}`` references are
shown as references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run_stackgen
from stackgen.output.masking import MASK, KnownValues, is_secret_path, masked_reference, shown

FORMATS = ("text", "markdown", "json", "github")

PROFILE = """\
name: sec
sensitive: [LICENSE_ID]
services:
  api-key-rotator:
    image: nginx:1.27
    environment:
      DB_PASSWORD: hunter2-secret
      DATABASE_URL: postgres://u:hunter2-secret@db/x
      ADMIN_PASSWORD: ${ADMIN_PASSWORD:?set it}
      LICENSE_ID: lic-0123456
    labels:
      com.example.api-key: labelsecret1
    build:
      context: .
      args:
        NPM_TOKEN: npm-tok-999
"""
SECRETS = ("hunter2-secret", "hunter3-secret", "lic-0123456", "lic-9999999", "labelsecret",
           "npm-tok-")  # fmt: skip


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    """p.yml, its rendering out/compose.yml, and hand.yml: the rendering with every secret
    changed and the reference's message edited."""
    (tmp_path / "p.yml").write_text(PROFILE, encoding="utf-8")
    done = run_stackgen("render", "p.yml", "-o", "out/compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out" / "compose.yml").read_text(encoding="utf-8")
    for old, new in (
        ("hunter2-secret", "hunter3-secret"),
        ("npm-tok-999", "npm-tok-000"),
        ("labelsecret1", "labelsecret2"),
        ("lic-0123456", "lic-9999999"),
        ("set it}", "set it now}"),
    ):
        text = text.replace(old, new)
    (tmp_path / "hand.yml").write_text(text.split("\n", 1)[1], encoding="utf-8")
    return tmp_path


def _no_secret(*streams: str) -> None:
    for stream in streams:
        for secret in SECRETS:
            assert secret not in stream


@pytest.mark.parametrize("fmt", FORMATS)
def test_diff_masks_every_secret_and_shows_references(pair: Path, fmt: str) -> None:
    done = run_stackgen("diff", "p.yml", "hand.yml", "--format", fmt, cwd=pair)
    assert done.returncode == 1
    _no_secret(done.stdout, done.stderr)
    # the reference stays readable on both sides; the service name is never masked
    assert "${ADMIN_PASSWORD:?set it}" in done.stdout
    assert "${ADMIN_PASSWORD:?set it now}" in done.stdout
    assert "services.api-key-rotator.build.args.NPM_TOKEN" in done.stdout


def test_diff_json_shows_each_secret_as_masked_and_changed(pair: Path) -> None:
    done = run_stackgen("diff", "p.yml", "hand.yml", "--format", "json", cwd=pair)
    changes = {c["path"]: (c["left"], c["right"]) for c in json.loads(done.stdout)["changes"]}
    base = "services.api-key-rotator."
    assert changes[base + "build.args.NPM_TOKEN"] == ("***", "*** (changed)")
    assert changes[base + "labels.com.example.api-key"] == ("***", "*** (changed)")
    # the password interpolated into another value is masked by value
    assert changes[base + "environment.DATABASE_URL"] == ("***", "*** (changed)")
    # LICENSE_ID is secret only by the profile's sensitive: list
    assert changes[base + "environment.LICENSE_ID"] == ("***", "*** (changed)")
    assert changes[base + "environment.ADMIN_PASSWORD"] == (
        "${ADMIN_PASSWORD:?set it}",
        "${ADMIN_PASSWORD:?set it now}",
    )


@pytest.mark.parametrize("where", [".", "out"])
def test_a_rendered_file_diffed_alone_masks_its_profiles_sensitive_names(
    pair: Path, where: str
) -> None:
    cwd = pair / where
    left = "out/compose.yml" if where == "." else "compose.yml"
    right = "hand.yml" if where == "." else "../hand.yml"
    for fmt in FORMATS:
        done = run_stackgen("diff", left, right, "--format", fmt, cwd=cwd)
        assert done.returncode == 1, done.stderr
        _no_secret(done.stdout, done.stderr)
        assert "LICENSE_ID" in done.stdout


def test_check_never_quotes_a_secret_in_a_yaml_hazard(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    environment:\n"
        "      DB_PASSWORD: 0123456701\n      MODE: 0755\n",
        encoding="utf-8",
    )
    for fmt in ("text", "json", "github"):
        done = run_stackgen("check", "compose.yml", "--format", fmt, cwd=tmp_path)
        assert "0123456701" not in done.stdout + done.stderr, fmt
        assert "123456701" not in done.stdout + done.stderr, fmt
        assert "42798529" not in done.stdout + done.stderr, fmt  # its octal value
    text = run_stackgen("check", "compose.yml", cwd=tmp_path).stdout
    assert (
        "compose.yml:5:20: warning: services.web.environment.DB_PASSWORD: this secret value "
        "reads differently under YAML 1.1 and docker compose (yaml-octal)\n    hint: quote it\n"
    ) in text
    # a value that is not secret is still quoted in full
    assert "0755 is octal 493 for YAML 1.1 readers" in text


def test_a_sensitive_value_given_with_set_never_reaches_stderr(tmp_path: Path) -> None:
    (tmp_path / "p.yml").write_text(PROFILE, encoding="utf-8")
    done = run_stackgen(
        "render",
        "p.yml",
        "-o",
        "-",
        "--set",
        "services.api-key-rotator.environment.LICENSE_ID=zz-lic-given",
        "--set",
        "services.api-key-rotator.ports=[zz-lic-given]",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "zz-lic-given" not in done.stderr
    assert "services.api-key-rotator.ports[0]: '***' is not a port mapping" in done.stderr


def test_a_service_named_like_a_secret_keeps_its_name_and_paths(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("services:\n  other:\n    image: nginx:1.27\n", "utf-8")
    (tmp_path / "compose.yml").write_text(
        "services:\n  api-key:\n    extends: {file: base.yml, service: web}\n", "utf-8"
    )
    done = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "compose.yml:3:5: services.api-key.extends: no service 'web' in base.yml\n"
    )


def test_markdown_escapes_html_and_table_syntax_in_every_value(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    labels: {x: a}\n", "utf-8"
    )
    (tmp_path / "b.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n"
        '    labels: {x: "</table><h1>FAKE: no drift</h1> | `b`"}\n',
        "utf-8",
    )
    done = run_stackgen("diff", "a.yml", "b.yml", "--format", "markdown", cwd=tmp_path)
    assert done.returncode == 1
    assert "<h1>" not in done.stdout and "</table>" not in done.stdout
    assert (
        '| ~ | `services.web.labels.x` | "a" | "&lt;/table&gt;&lt;h1&gt;FAKE: no drift&lt;/h1&gt; '
        '\\| \\`b\\`" | other | `b.yml:4` |'
    ) in done.stdout


def test_the_rule_itself() -> None:
    # names of things are never secret and make nothing secret
    assert not is_secret_path(("services", "api-key", "image"))
    assert not is_secret_path(("secrets", "db_password", "file"))
    assert not is_secret_path(("services", "web", "secrets", 0))
    assert is_secret_path(("services", "web", "environment", "DB_PASSWORD"))
    assert is_secret_path(("services", "web", "build", "args", "NPM_TOKEN"))
    assert is_secret_path(("x-api-key",))
    assert is_secret_path(("services", "web", "environment", "LICENSE"), {"LICENSE"})
    # references are shown as references; literal defaults and values are masked
    assert [
        masked_reference(t)
        for t in ("${PW}", "${PW:?set it}", "${PW:-hunter2}", "${PW:-${O:-x}}", "a${PW}", "pw")
    ] == ["${PW}", "${PW:?set it}", "${PW:-***}", "${PW:-${O:-***}}", MASK, MASK]
    known = KnownValues(["hunter2", "hunter22x"])
    assert known.redact("x hunter22x hunter2 hunter") == "x *** *** hunter"
    assert shown(
        {"URL": "pg://u:hunter2@db", "A": "b"}, ("services", "w", "environment"), (), known
    ) == {
        "URL": MASK,
        "A": "b",
    }
