"""The example GitHub Actions workflow (docs/examples/stackgen-pr.yml): its diff step, run
in a scratch git repository the way the runner would, writes the markdown the comment step
posts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import REPO

WORKFLOW = REPO / "docs" / "examples" / "stackgen-pr.yml"
BIN = Path(sys.executable).parent


def steps() -> list[dict[str, Any]]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    assert data["permissions"]["pull-requests"] == "write"
    (job,) = data["jobs"].values()
    found: list[dict[str, Any]] = job["steps"]
    return found


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_comment_step_posts_the_file_the_diff_step_writes() -> None:
    found = steps()
    comment = [s for s in found if str(s.get("uses", "")).startswith("marocchino/")]
    assert comment and comment[0]["uses"] == "marocchino/sticky-pull-request-comment@v2"
    diff_step = next(s for s in found if s.get("name") == "Diff against the base branch")
    assert f"> {comment[0]['with']['path']}" in diff_step["run"]
    assert any("stackgen render --check" in s.get("run", "") for s in found)


needs_tools = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("bash") is None or not (BIN / "stackgen").exists(),
    reason="needs git, bash and the installed entry point",
)
#: issue 18's review scenario: a prod overlay of the hobby profile
PROD = """\
# production: the hobby stack on the production domains
extends: highlight-hobby.yml
name: highlight-prod

services:
  frontend:
    replicas: 2
    ports: []                    # behind Traefik only: two replicas cannot share host ports
    expose: [3001, 6006, 8081]
  backend:
    environment:
      ADMIN_PASSWORD: ${ADMIN_PASSWORD:?set it}

domains: !replace
  app.prod.example.test: frontend:3001
  storybook.prod.example.test: frontend:6006
  pub.prod.example.test: frontend:8081
  api.example.test: backend:8082
"""


def _scratch_repo(tmp_path: Path) -> Path:
    """A git repository holding the repository's profiles and out/ files as the base branch
    (``origin/main``)."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "profiles", repo / "profiles", ignore=shutil.ignore_patterns("*.py"))
    shutil.copytree(REPO / "out", repo / "out")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base", cwd=repo)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=repo)
    return repo


def _run_diff_step(repo: Path) -> str:
    run = next(s for s in steps() if s.get("name") == "Diff against the base branch")["run"]
    env = {**os.environ, "GITHUB_BASE_REF": "main"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        ["bash", "-e", "-c", run], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return (repo / "stackgen-diff.md").read_text(encoding="utf-8")


@needs_tools
def test_a_new_prod_overlay_is_reviewed_as_three_route_changes(tmp_path: Path) -> None:
    """Issue 18, done when: the overlay's comment shows three route changes (not fifteen
    label rows), the replicas change under its category, nothing for unchanged profiles."""
    repo = _scratch_repo(tmp_path)
    (repo / "profiles" / "highlight-prod.yml").write_text(PROD, encoding="utf-8")
    render = subprocess.run(
        [str(BIN / "stackgen"), "render", "profiles/highlight-prod.yml"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert render.returncode == 0, render.stderr
    comment = _run_diff_step(repo)
    lines = comment.splitlines()
    # one summary line per profile; the unchanged ones add nothing else
    assert lines[:2] == ["## stackgen", ""]
    assert "- `highlight-hobby`: no drift" in lines
    assert "- `highlight-staging`: no drift" in lines
    assert "- `minimal`: no drift" in lines
    assert comment.count("### `") == 1
    assert "### `highlight-prod` (new; compared with `highlight-hobby`)" in comment
    # three renamed domains: three route rows, and no Traefik label row at all
    routes = [line for line in lines if "| routes |" in line]
    # lines of out/highlight-prod/compose.yml: each router's rule label
    assert routes == [
        "| ~ | `services.frontend.routes[app.example.test]` | "
        '"app.example.test → frontend:3001" | "app.prod.example.test → frontend:3001" '
        "| routes | `out/highlight-prod/compose.yml:255` |",
        "| ~ | `services.frontend.routes[storybook.example.test]` | "
        '"storybook.example.test → frontend:6006" | '
        '"storybook.prod.example.test → frontend:6006" '
        "| routes | `out/highlight-prod/compose.yml:258` |",
        "| ~ | `services.frontend.routes[pub.example.test]` | "
        '"pub.example.test → frontend:8081" | "pub.prod.example.test → frontend:8081" '
        "| routes | `out/highlight-prod/compose.yml:261` |",
    ]
    # the summary: 3 routes, replicas, ports removed, expose 6006 added, the secret, name
    assert (
        "- `highlight-prod` (new; compared with `highlight-hobby`): 8 changes in 2 services"
        in lines
    )
    assert "traefik." not in comment
    # replicas: one replica (compose's default) to two, in its own category
    assert any(
        "| ~ | `services.frontend.deploy.replicas` | 1 | 2 | replicas |" in line for line in lines
    )
    # the frontend table leads with routes and replicas
    frontend = comment.index("#### frontend")
    assert comment.index("| routes |", frontend) < comment.index("| ports |", frontend)
    # the secret is a new environment variable of backend (never its value)
    assert "`services.backend.environment.ADMIN_PASSWORD`" in comment
    # the dependency graph did not change: no startup graph
    assert "mermaid" not in comment
    assert "\x1b[" not in comment


@needs_tools
def test_the_prod_overlay_secret_is_shown_as_a_reference(tmp_path: Path) -> None:
    repo = _scratch_repo(tmp_path)
    (repo / "profiles" / "highlight-prod.yml").write_text(PROD, encoding="utf-8")
    subprocess.run(
        [str(BIN / "stackgen"), "render", "profiles/highlight-prod.yml"], cwd=repo, check=True
    )
    comment = _run_diff_step(repo)
    assert "${ADMIN_PASSWORD:?set it}" in comment


@needs_tools
def test_a_changed_profile_and_a_new_profile_without_a_base(tmp_path: Path) -> None:
    repo = _scratch_repo(tmp_path)
    # the pull request: the minimal stack's web port changed, and a new stand-alone profile
    output = repo / "out" / "minimal" / "compose.yml"
    changed = output.read_text().replace('"8080"', '"8081"').replace("8080:80", "8081:80")
    output.write_text(changed)
    shutil.copy(repo / "profiles" / "minimal.yml", repo / "profiles" / "shop.yml")
    (repo / "out" / "shop").mkdir()
    shutil.copy(output, repo / "out" / "shop" / "compose.yml")
    comment = _run_diff_step(repo)
    assert "- `minimal`: 1 change in 1 service" in comment
    assert (
        '| ~ | `services.web.ports[target=80].published` | "8080" | "8081" | ports '
        "| `out/minimal/compose.yml:25` |"
    ) in comment
    # new without extends: its content as additions, field by field
    assert "- `shop` (new): " in comment
    assert '| + | `services.db.image` |  | "postgres:16" | image |' in comment
    assert "| + | `services.web.routes[web.example.test]` |" in comment


@needs_tools
def test_relative_paths_unchanged_are_no_drift(tmp_path: Path) -> None:
    # found by a new-user trial: the base branch's file was diffed from base/out/<name>/,
    # where ../../site.env reaches another file than from out/<name>/: two false changes
    # on every pull request of a profile with a relative path
    repo = _scratch_repo(tmp_path)
    (repo / "profiles" / "site.yml").write_text(
        "name: site\nservices:\n  web:\n    image: nginx:1.27-alpine\n"
        "    volumes: ['../html:/usr/share/nginx/html:ro']\n    env_file: ../site.env\n",
        encoding="utf-8",
    )
    (repo / "site.env").write_text("A=1\n", encoding="utf-8")
    (repo / "html").mkdir()
    render = subprocess.run(
        [str(BIN / "stackgen"), "render", "profiles/site.yml"],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert render.returncode == 0, render.stderr
    git("add", "-A", cwd=repo)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "site", cwd=repo)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=repo)
    comment = _run_diff_step(repo)
    assert "- `site`: no drift" in comment
    assert "site.env" not in comment
