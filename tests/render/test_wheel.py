"""Packaging: the built wheel, installed into a fresh virtual environment, finds its templates
and renders a profile from another directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO


def run(*cmd: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.mark.slow  # builds a wheel and installs it with its dependencies into a new venv
def test_wheel_installs_and_renders_elsewhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, REPO)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("stackgen-*.whl")
    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv).returncode == 0
    installed = run(venv / "bin" / "pip", "install", "-q", wheel)
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    profile = elsewhere / "p.yml"
    profile.write_text((REPO / "profiles" / "minimal.yml").read_text())
    out = run(venv / "bin" / "stackgen", "render", "p.yml", "-o", "-", cwd=elsewhere)
    assert out.returncode == 0, out.stderr
    assert out.stdout == (REPO / "out" / "minimal" / "compose.yml").read_text().replace(
        "profiles/minimal.yml", "p.yml"
    )
    # the example profiles ship too: init copies one, and it renders
    made = run(venv / "bin" / "stackgen", "init", "obs", "--from", "highlight-hobby", cwd=elsewhere)
    assert made.returncode == 0, made.stderr
    assert (elsewhere / "obs.yml").read_text().startswith("# Highlight.io hobby deployment")
    rendered = run(venv / "bin" / "stackgen", "render", "obs.yml", "-o", "-", cwd=elsewhere)
    assert rendered.returncode == 0, rendered.stderr
    assert "\nname: obs\n" in rendered.stdout
    # the templates came from the installed package, not from the checkout
    where = run(
        venv / "bin" / "python",
        "-c",
        "import importlib.resources as r; print(r.files('stackgen.templates'))",
    )
    assert str(venv) in where.stdout
