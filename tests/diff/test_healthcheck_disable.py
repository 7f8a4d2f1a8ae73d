"""Found by a new-user trial: `disable: true` beside a `test` was read as an active check.

Compose turns a healthcheck off whenever `disable` is set, whatever `test` says and in
whichever order the keys stand (compose-go, when it builds the container's config:
`if check.Disable { test = NONE }`). `diff` reported `healthcheck.test: ["CMD","a"] ->
["NONE"]` between two files compose runs alike, and `graph` drew the service as probed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_stackgen

HEAD = "services:\n  web:\n    image: nginx:1.27\n    healthcheck: "


@pytest.mark.parametrize(
    "check",
    ["{disable: true, test: [CMD, a]}", "{test: [CMD, a], disable: true}", "{test: [NONE]}"],
)
def test_a_disabled_check_is_no_drift_from_disable_alone(tmp_path: Path, check: str) -> None:
    (tmp_path / "a.yml").write_text(HEAD + check + "\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text(HEAD + "{disable: true}\n", encoding="utf-8")
    out = run_stackgen("diff", "a.yml", "b.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout
    graph = run_stackgen("graph", "a.yml", cwd=tmp_path)
    assert graph.returncode == 0
    assert 's_web["web"]' in graph.stdout  # drawn without "(healthcheck)"
    assert "web (healthcheck)" not in graph.stdout


def test_an_override_disabling_the_base_check(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(HEAD + "{test: [CMD, a]}\n", encoding="utf-8")
    (tmp_path / "over.yml").write_text(HEAD + "{disable: true}\n", encoding="utf-8")
    (tmp_path / "off.yml").write_text(HEAD + "{disable: true}\n", encoding="utf-8")
    out = run_stackgen("diff", "--left", "base.yml", "--left", "over.yml", "off.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout


def test_enabling_a_check_is_still_a_change(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(HEAD + "{disable: true, test: [CMD, a]}\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text(HEAD + "{test: [CMD, a]}\n", encoding="utf-8")
    out = run_stackgen("diff", "a.yml", "b.yml", cwd=tmp_path)
    assert out.returncode == 1
    assert '~ services.web.healthcheck.test: ["NONE"] -> ["CMD", "a"]' in out.stdout
