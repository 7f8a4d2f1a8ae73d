"""Import reads what compose reads (issue 14 point 6): ``${VAR}`` where compose interpolates,
``COMPOSE_PROJECT_NAME`` from the project's ``.env``, every valid CMD probe form."""

from __future__ import annotations

from pathlib import Path

import yaml

from engines import compose_config
from helpers import run_stackgen

COMPOSE = """\
services:
  app:
    image: node:20
    mem_limit: ${MEM_LIMIT}
    depends_on:
      - ${_APP_DB_HOST:-mongodb}
    healthcheck:
      test: ["CMD", "node", "-e", "require('http').get('http://127.0.0.1:3000', r => process.exit(r.statusCode === 200 ? 0 : 1))"]
  mongodb:
    image: mongo:7
"""


def _project(tmp_path: Path, env: str) -> Path:
    (tmp_path / "docker-compose.yml").write_text(COMPOSE, encoding="utf-8")
    (tmp_path / ".env").write_text(env, encoding="utf-8")
    return tmp_path


def test_import_keeps_references_and_resolves_names(tmp_path: Path) -> None:
    project = _project(tmp_path, "MEM_LIMIT=512m\nCOMPOSE_PROJECT_NAME=myproj\n")
    original = compose_config(cwd=project)
    assert original.clean, original.stderr
    done = run_stackgen("import", "docker-compose.yml", "-o", "p.yml", cwd=project)
    assert done.returncode == 0, done.stderr
    profile = yaml.safe_load((project / "p.yml").read_text(encoding="utf-8"))
    assert profile["name"] == "myproj"  # COMPOSE_PROJECT_NAME of the .env, as compose names it
    app = profile["services"]["app"]
    assert app["mem_limit"] == "512m"  # the .env's value: the rendered file needs no .env
    assert app["depends_on"] == ["mongodb"]  # compose's reading of ${_APP_DB_HOST:-mongodb}
    # rendered in a folder with no .env, compose reads the same project as the original
    done = run_stackgen("render", "p.yml", "-o", "out/compose.yml", cwd=project)
    assert done.returncode == 0, done.stderr
    rendered = compose_config("compose.yml", cwd=project / "out")
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.config is not None and original.config is not None
    assert rendered.config["name"] == original.config["name"] == "myproj"
    assert rendered.config["services"]["app"]["mem_limit"] == "536870912"  # 512 MiB
    assert (
        rendered.config["services"]["app"]["healthcheck"]["test"]
        == (original.config["services"]["app"]["healthcheck"]["test"])
    )


def test_depends_on_reference_resolved_from_the_env_file(tmp_path: Path) -> None:
    project = _project(tmp_path, "MEM_LIMIT=1g\n_APP_DB_HOST=app\n")
    text = COMPOSE.replace("  mongodb:\n    image: mongo:7\n", "  db:\n    image: mongo:7\n")
    (project / "docker-compose.yml").write_text(
        text.replace("${_APP_DB_HOST:-mongodb}", "${DB:-db}"), encoding="utf-8"
    )
    done = run_stackgen("import", "docker-compose.yml", "-o", "-", cwd=project)
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load(done.stdout)["services"]["app"]["depends_on"] == ["db"]


def test_check_accepts_node_probe(tmp_path: Path) -> None:
    project = _project(tmp_path, "MEM_LIMIT=512m\n")
    done = run_stackgen("check", "docker-compose.yml", cwd=project)
    assert "probe-cmd-shell" not in done.stdout
    assert done.returncode == 0, done.stdout


def test_references_resolved_from_the_env_file_others_kept(tmp_path: Path) -> None:
    """Variables of the .env take their values (``${RESTART:-…}`` as compose resolves it);
    a variable the .env does not set (``SHM``) stays a reference compose fills in."""
    (tmp_path / ".env").write_text("RESTART=always\nR=2\n", encoding="utf-8")
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  app:\n    image: nginx:1.27\n    shm_size: ${SHM}\n"
        "    restart: ${RESTART:-unless-stopped}\n    deploy:\n      replicas: ${R}\n",
        encoding="utf-8",
    )
    done = run_stackgen("import", "docker-compose.yml", "-o", "p.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    app = yaml.safe_load((tmp_path / "p.yml").read_text(encoding="utf-8"))["services"]["app"]
    assert app["restart"] == "always"
    assert app["shm_size"] == "${SHM}" and app["deploy"] == {"replicas": 2}
    assert run_stackgen("render", "p.yml", "-o", "out/compose.yml", cwd=tmp_path).returncode == 0
    env = {"SHM": "64m"}
    original = compose_config("docker-compose.yml", cwd=tmp_path, project_name="p", env=env)
    rendered = compose_config("compose.yml", cwd=tmp_path / "out", project_name="p", env=env)
    assert original.clean and rendered.clean, (original.stderr, rendered.stderr)
    assert original.config is not None and rendered.config is not None
    read = rendered.config["services"]["app"]
    assert read["restart"] == "always"
    assert read["deploy"]["replicas"] == 2
    assert read["shm_size"] == original.config["services"]["app"]["shm_size"] == "67108864"
