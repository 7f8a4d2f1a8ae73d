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


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="git, bash")
@pytest.mark.skipif(not (BIN / "stackgen").exists(), reason="needs the installed entry point")
def test_diff_step_writes_a_markdown_comment(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "profiles").mkdir(parents=True)
    (repo / "out" / "minimal").mkdir(parents=True)
    profile = REPO / "profiles" / "minimal.yml"
    output = REPO / "out" / "minimal" / "compose.yml"
    shutil.copy(profile, repo / "profiles" / "minimal.yml")
    shutil.copy(output, repo / "out" / "minimal" / "compose.yml")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base", cwd=repo)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=repo)
    # the pull request: a new profile, and the minimal stack's web port changed
    shutil.copy(profile, repo / "profiles" / "shop.yml")
    changed = output.read_text().replace('"8080"', '"8081"').replace("8080:80", "8081:80")
    (repo / "out" / "minimal" / "compose.yml").write_text(changed)
    run = next(s for s in steps() if s.get("name") == "Diff against the base branch")["run"]
    env = {**os.environ, "GITHUB_BASE_REF": "main"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        ["bash", "-e", "-c", run], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    comment = (repo / "stackgen-diff.md").read_text()
    assert comment.startswith(
        "**stackgen diff**: 1 change in 1 service between `base/out/minimal/compose.yml` "
        "and `out/minimal/compose.yml`."
    )
    assert (
        '| ~ | `services.web.ports[target=80].published` | "8080" | "8081" | ports '
        "| `out/minimal/compose.yml:25` |"
    ) in comment
    assert (
        "#### Startup order (right: out/minimal/compose.yml)\n\n```mermaid\nflowchart TD\n"
        in comment
    )
    assert "**stackgen**: `out/shop/compose.yml` is new in this pull request." in comment
    assert "\x1b[" not in comment
