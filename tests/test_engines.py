"""The compose oracle helper (tests/engines.py) reports what the real loader says."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config


def test_accepts_and_returns_canonical_json(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    ports: ['8080:80']\n", encoding="utf-8"
    )
    result = compose_config(cwd=tmp_path, project_name="demo")
    assert result.clean, result.stderr
    assert result.config is not None
    assert result.config["name"] == "demo"
    # compose's canonical long syntax: published is a string, target a number
    assert result.config["services"]["web"]["ports"] == [
        {"mode": "ingress", "target": 80, "published": "8080", "protocol": "tcp"}
    ]


def test_host_environment_does_not_leak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKGEN_ORACLE_PROBE", "from-host")
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx\n    environment:\n      A: ${STACKGEN_ORACLE_PROBE}\n",
        encoding="utf-8",
    )
    result = compose_config(cwd=tmp_path, project_name="demo")
    assert result.returncode == 0
    assert result.warnings == [
        'The "STACKGEN_ORACLE_PROBE" variable is not set. Defaulting to a blank string.'
    ]
    assert result.config is not None
    assert result.config["services"]["web"]["environment"] == {"A": ""}
    given = compose_config(cwd=tmp_path, project_name="demo", env={"STACKGEN_ORACLE_PROBE": "x"})
    assert given.clean
    assert given.config is not None
    assert given.config["services"]["web"]["environment"] == {"A": "x"}


def test_refusal_keeps_exit_code_and_message(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx\n    secrets: [pw]\n", encoding="utf-8"
    )
    result = compose_config(cwd=tmp_path, project_name="demo")
    assert result.returncode != 0
    assert result.config is None
    assert "undefined secret pw" in result.stderr


def test_missing_env_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx\n    env_file: [web.env]\n", encoding="utf-8"
    )
    result = compose_config(cwd=tmp_path, project_name="demo", quiet=True)
    assert result.returncode == 1
    assert "web.env not found" in result.stderr
