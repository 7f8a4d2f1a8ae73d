"""Kubernetes quantities, value escaping, probes and the wait scripts (run in a real sh)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from helpers import kubelet_expand
from stackgen.targets.kubernetes.envmap import SecretKeys, environment, escape
from stackgen.targets.kubernetes.probes import container_probes, wait_healthy, wait_started
from stackgen.targets.kubernetes.quantity import cpu, memory, parse_memory
from stackgen.targets.kubernetes.view import EnvVar, Probe, Ref


@pytest.mark.parametrize(
    ("size", "want"),
    [
        (4 * 1024**3, "4Gi"),
        (512 * 1024**2, "512Mi"),
        (1536 * 1024**2, "1536Mi"),
        (1000, "1000"),
        (0, "0"),
        (2048, "2Ki"),
    ],
)
def test_memory(size: int, want: str) -> None:
    assert memory(size) == want
    assert parse_memory(want) == size


@pytest.mark.parametrize(
    ("cpus", "want"), [(2, "2"), (0.5, "500m"), (1.25, "1250m"), (0.0001, "1m"), (0.1 * 3, "300m")]
)
def test_cpu(cpus: float, want: str) -> None:
    assert cpu(cpus) == want


def test_parse_memory_decimal_and_refusal() -> None:
    assert parse_memory("500M") == 500_000_000
    with pytest.raises(ValueError):
        parse_memory("1.5Gi")


@pytest.mark.parametrize("text", ["$(date)", "a$$b", "$HOME", "cost: 5$", "$$(x)", "plain", "$"])
def test_escape_gives_the_container_the_text(text: str) -> None:
    assert kubelet_expand(escape(text), {"date": "NO", "x": "NO"}) == text


def test_sensitive_values_come_from_the_secret() -> None:
    secret = SecretKeys("shop-env")
    notes: list[tuple[str, str]] = []
    env = (
        EnvVar("DB_PASSWORD", ("hunter2",)),
        EnvVar("LICENSE", ("abc",)),
        EnvVar("HOST_VALUE", None),
        EnvVar("TOKEN_FILE_PATH", ("/run/x",)),
        EnvVar("API_URL", (Ref("API_HOST", "localhost"),)),
        EnvVar("DSN", ("postgres://", Ref("DB_USER"), "@db/shop")),
        EnvVar("PLAIN", ("$(not a ref)",)),
    )
    out = {e.name: e.to_dict() for e in environment("web", env, ["LICENSE"], secret, notes)}

    def ref(key: str) -> dict[str, Any]:
        return {"secretKeyRef": {"name": "shop-env", "key": key}}

    assert out["DB_PASSWORD"] == {"name": "DB_PASSWORD", "valueFrom": ref("DB_PASSWORD")}
    assert out["LICENSE"]["valueFrom"] == ref("LICENSE")
    assert out["HOST_VALUE"]["valueFrom"] == ref("HOST_VALUE")
    assert out["TOKEN_FILE_PATH"]["valueFrom"] == ref("TOKEN_FILE_PATH")
    assert out["API_URL"]["valueFrom"] == ref("API_HOST")
    assert out["DB_USER"]["valueFrom"] == ref("DB_USER")
    assert out["DSN"] == {"name": "DSN", "value": "postgres://$(DB_USER)@db/shop"}
    assert out["PLAIN"] == {"name": "PLAIN", "value": "$$(not a ref)"}
    names = list(out)
    assert names.index("DB_USER") < names.index("DSN")  # defined before it is referenced
    assert "hunter2" not in repr(out) and "abc" not in repr(out)
    assert list(secret.keys) == [
        "DB_PASSWORD",
        "LICENSE",
        "HOST_VALUE",
        "TOKEN_FILE_PATH",
        "API_HOST",
        "DB_USER",
    ]


def test_probe_shapes() -> None:
    http = Probe(
        http_url="http://127.0.0.1:8080/ready?x=1",
        interval=5,
        timeout=2,
        retries=4,
        start_period=45,
    )
    ready, live, start = container_probes(http)
    assert ready.to_dict() == {
        "httpGet": {"path": "/ready?x=1", "port": 8080},
        "periodSeconds": 5,
        "timeoutSeconds": 2,
        "failureThreshold": 4,
    }
    assert live.failure_threshold == 8
    assert start is not None and (start.period, start.failure_threshold) == (5, 9 + 4)
    assert start.period * start.failure_threshold >= 45
    shell = container_probes(Probe(shell="redis-cli ping | grep -q PONG", retries=1))
    assert shell[0].to_dict()["exec"] == {"command": ["sh", "-c", "redis-cli ping | grep -q PONG"]}
    assert shell[1].failure_threshold == 3 and shell[2] is None
    tcp = container_probes(Probe(tcp_port=5432, interval=0.5))[0].to_dict()
    assert tcp["tcpSocket"] == {"port": 5432} and tcp["periodSeconds"] == 1


def _run(container_command: tuple[str, ...], path_dir: str) -> subprocess.CompletedProcess[str]:
    argv = [kubelet_expand(a, {}) for a in container_command]
    return subprocess.run(
        argv, capture_output=True, text=True, env={"PATH": path_dir + ":/usr/bin:/bin"}, check=False
    )


def test_wait_scripts_run_in_sh(tmp_path: Path) -> None:
    bin_dir = tmp_path
    # a fake dependency tool: succeeds only when asked about the Service name
    tool = bin_dir / "pg_isready"
    tool.write_text('#!/bin/sh\n[ "$2" = postgres ]\n')
    tool.chmod(0o755)
    probe = Probe(argv=("pg_isready", "-h", "127.0.0.1", "-p", "5432"), interval=1, retries=1)
    ok = wait_healthy("postgres", "postgres:16", probe, ())
    assert _run(ok.command or (), str(bin_dir)).returncode == 0
    other = wait_healthy("db", "postgres:16", probe, ())
    failed = _run(other.command or (), str(bin_dir))
    assert failed.returncode == 1
    assert failed.stderr.strip() == "db is not healthy after 1 checks"
    started = wait_started("api", 8080)
    assert started.image == "busybox:1.37"
    assert started.command is not None
    assert "until nc -z -w 2 api 8080; do" in started.command[2]
