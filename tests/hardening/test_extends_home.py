"""``extends.file`` is read as compose reads it: a leading ``~`` is not the home folder
(found by a new-user trial: stackgen expanded it, so a file compose refuses passed
``check`` and diffed as valid)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen

BASE = "services:\n  base:\n    image: nginx:1.27\n"
TOP = "services:\n  web:\n    extends:\n      file: ~/base.yml\n      service: base\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / "base.yml").write_text(BASE, encoding="utf-8")
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "compose.yml").write_text(TOP, encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    return proj


def test_a_tilde_in_extends_file_is_not_the_home_folder(project: Path) -> None:
    engine = compose_config("compose.yml", cwd=project, env={"HOME": str(project.parent / "home")})
    assert engine.returncode != 0
    assert "proj/~/base.yml" in engine.stderr
    done = run_stackgen("check", "compose.yml", cwd=project)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "~/base.yml" in done.stderr


def test_a_folder_named_tilde_is_what_extends_file_reaches(project: Path) -> None:
    (project / "~").mkdir()
    (project / "~" / "base.yml").write_text(BASE.replace("1.27", "1.28"), encoding="utf-8")
    engine = compose_config("compose.yml", cwd=project, env={"HOME": str(project.parent / "home")})
    assert engine.returncode == 0, engine.stderr
    assert engine.config is not None
    assert engine.config["services"]["web"]["image"] == "nginx:1.28"
    done = run_stackgen("check", "compose.yml", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    # the service is the ~ folder's base (1.28), not the home folder's (1.27)
    (project / "flat.yml").write_text(
        "services:\n  web:\n    image: nginx:1.28\n", encoding="utf-8"
    )
    done = run_stackgen("diff", "compose.yml", "flat.yml", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
