"""Found by a new-user trial: `check` passed `replicas: 99999999999999999999` and
`ulimits: {nofile: 99999999999999999999}`, which docker compose refuses. Go's YAML reader
makes a float of an integer too big for int64; the schema lets a whole number through, and
compose cannot turn it into the integer the field is. The engine's verdict comes first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen

HEAD = "services:\n  web:\n    image: nginx:1.27\n"


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ("    deploy: {replicas: 99999999999999999999}", True),
        ("    deploy: {replicas: 1e20}", True),
        ("    ulimits: {nofile: 99999999999999999999}", True),
        ("    ulimits: {nofile: {soft: 1e20, hard: 1e20}}", True),
        ("    scale: 1e20", True),
        ("    healthcheck: {test: [CMD, x], retries: 1e20}", False),  # taken, read otherwise
        ("    cpu_quota: 1e20", False),
        ("    deploy: {replicas: 2}", False),
        ("    cpus: 1e20", False),  # a float field: compose takes it
        ("    x-n: 99999999999999999999", False),  # an extension: free-form
        ("    labels: {n: 99999999999999999999}", False),  # text
    ],
)
def test_check_refuses_exactly_what_compose_refuses(
    tmp_path: Path, body: str, refused: bool
) -> None:
    (tmp_path / "compose.yml").write_text(f"{HEAD}{body}\n", encoding="utf-8")
    engine = compose_config(cwd=tmp_path, quiet=True)
    assert (engine.returncode != 0) == refused, engine.stderr
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    if refused:
        assert out.returncode == 2, out.stdout
        assert "is beyond the 64-bit integer docker compose reads here" in out.stderr
    else:
        assert out.returncode == 0, out.stderr
