"""A profile key and the compose ``deploy`` key it is written to, given with two values.

Found by a new-user trial: ``replicas: 3`` beside ``deploy: {replicas: 2}`` rendered 3 without
a word (the profile's key replaced the deploy key). Now an error at the deploy key; equal
values render, and compose reads the one value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen


@pytest.mark.parametrize(
    ("keys", "where", "message"),
    [
        (
            "replicas: 3\n    deploy: {replicas: 2}",
            "p.yml:6:14: services.a.deploy.replicas",
            "replicas (3) and deploy.replicas (2) disagree",
        ),
        (
            "resources: {memory: 1g}\n    deploy: {resources: {limits: {memory: 512m}}}",
            "p.yml:6:35: services.a.deploy.resources.limits.memory",
            "resources.memory (1g) and deploy.resources.limits.memory (512m) disagree",
        ),
        (
            "resources: {cpus: 1}\n    deploy: {resources: {limits: {cpus: '0.5'}}}",
            "p.yml:6:35: services.a.deploy.resources.limits.cpus",
            "resources.cpus (1.0) and deploy.resources.limits.cpus (0.5) disagree",
        ),
        (
            "resources: {reservations: {memory: 256m}}\n"
            "    deploy: {resources: {reservations: {memory: 128m}}}",
            "p.yml:6:41: services.a.deploy.resources.reservations.memory",
            "resources.reservations.memory (256m) and deploy.resources.reservations.memory",
        ),
    ],
)
def test_two_values_for_one_setting_are_refused_at_the_deploy_key(
    tmp_path: Path, keys: str, where: str, message: str
) -> None:
    (tmp_path / "p.yml").write_text(
        f"name: t\nservices:\n  a:\n    image: nginx:1.27\n    {keys}\n", encoding="utf-8"
    )
    out = run_stackgen("render", "p.yml", "-o", "out.yml", cwd=tmp_path)
    assert out.returncode == 2
    assert f"{where}: {message}" in out.stderr
    assert not (tmp_path / "out.yml").exists()


def test_equal_values_render_and_compose_reads_them(tmp_path: Path) -> None:
    (tmp_path / "p.yml").write_text(
        "name: t\nservices:\n  a:\n    image: nginx:1.27\n    replicas: 2\n"
        "    resources: {memory: 1g}\n"
        "    deploy: {replicas: 2, resources: {limits: {memory: 1024m}}}\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "-o", "out/compose.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    read = compose_config("compose.yml", cwd=tmp_path / "out")
    assert read.returncode == 0 and read.config is not None
    deploy = read.config["services"]["a"]["deploy"]
    assert deploy["replicas"] == 2
    assert deploy["resources"]["limits"]["memory"] == "1073741824"
