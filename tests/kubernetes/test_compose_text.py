"""Compose text the typed model carries as given (``verbatim`` keys, a passed-through
``deploy`` block) reaches the Kubernetes manifests the way compose reads it."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import yaml

from helpers import run_stackgen

PROFILE = """\
name: vb
targets: [kubernetes]
policies: {catalog: false}
services:
  web:
    image: nginx:1.27
    deploy:
      resources:
        limits: {memory: 256M, cpus: "0.5"}
    verbatim:
      command: ["nginx", "-g", "daemon off;"]
      healthcheck:
        test: [CMD, curl, -f, "http://127.0.0.1/"]
        interval: 7s
        timeout: 3s
        retries: 4
"""


def _container(tmp_path: Path) -> dict[str, Any]:
    profile = tmp_path / "vb.yml"
    profile.write_text(textwrap.dedent(PROFILE))
    out = run_stackgen("render", str(profile), "-o", "-", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (deployment,) = [d for d in yaml.safe_load_all(out.stdout) if d["kind"] == "Deployment"]
    container: dict[str, Any] = deployment["spec"]["template"]["spec"]["containers"][0]
    return container


def test_verbatim_healthcheck_is_the_readiness_probe(tmp_path: Path) -> None:
    probe = _container(tmp_path)["readinessProbe"]
    assert probe["exec"] == {"command": ["curl", "-f", "http://127.0.0.1/"]}
    # compose: interval 7s, timeout 3s, retries 4
    assert (probe["periodSeconds"], probe["timeoutSeconds"], probe["failureThreshold"]) == (
        7,
        3,
        4,
    )


def test_verbatim_command_is_the_container_args(tmp_path: Path) -> None:
    # compose's command replaces the image's CMD, as a container's args do
    assert _container(tmp_path)["args"] == ["nginx", "-g", "daemon off;"]


def test_passed_through_deploy_limits_are_the_container_limits(tmp_path: Path) -> None:
    # compose reads 256M as 256 MiB (go-units RAMInBytes) and cpus 0.5 as half a core
    assert _container(tmp_path)["resources"]["limits"] == {"cpu": "500m", "memory": "256Mi"}
