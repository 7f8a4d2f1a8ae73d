"""Found by a new-user trial: pairs of files docker compose reads alike, which diff reported
as drift. The engine is asked first that it reads each pair the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen

HEAD = "services:\n  web:\n    image: nginx:1.27\n"

PAIRS = {
    # a label, annotation or sysctl without a value is "" (environment's bare name is not)
    "label-bare": ("labels: [a=1, b]", "labels: {a: '1', b: ''}"),
    "label-null": ("labels: {b: null}", "labels: {b: ''}"),
    "annotation-bare": ("annotations: [c]", "annotations: {c: ''}"),
    "sysctl-bare": ("sysctls: [net.core.somaxconn]", "sysctls: {net.core.somaxconn: ''}"),
    # a short volume's propagation option is bind.propagation
    "propagation": (
        "volumes: ['./d:/d:rslave']",
        "volumes: [{type: bind, source: ./d, target: /d, bind: {propagation: rslave, "
        "create_host_path: true}}]",
    ),
    # .inf/.nan are numbers compose prints as Go does; JSON has none, so the schema check
    # must not see null instead
    "non-finite": (
        "environment: {A: .inf, B: -.Inf, C: .nan}",
        "environment: {A: '+Inf', B: '-Inf', C: NaN}",
    ),
    # count: all is -1
    "gpu-count": (
        "deploy: {resources: {reservations: {devices: [{driver: nvidia, count: all, "
        "capabilities: [gpu]}]}}}",
        "deploy: {resources: {reservations: {devices: [{driver: nvidia, count: -1, "
        "capabilities: [gpu]}]}}}",
    ),
}


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_what_compose_reads_alike_is_no_drift(tmp_path: Path, pair: str) -> None:
    left, right = PAIRS[pair]
    (tmp_path / "a.yml").write_text(f"{HEAD}    {left}\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text(f"{HEAD}    {right}\n", encoding="utf-8")
    (tmp_path / "d").mkdir()
    a = compose_config("a.yml", cwd=tmp_path)
    b = compose_config("b.yml", cwd=tmp_path)
    assert a.config is not None and b.config is not None, a.stderr + b.stderr
    assert a.config["services"] == b.config["services"]
    out = run_stackgen("diff", "a.yml", "b.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout


def test_a_label_value_is_still_a_change(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(f"{HEAD}    labels: [b]\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text(f"{HEAD}    labels: {{b: x}}\n", encoding="utf-8")
    out = run_stackgen("diff", "a.yml", "b.yml", cwd=tmp_path)
    assert out.returncode == 1
    assert '~ services.web.labels.b: "" -> "x"' in out.stdout
