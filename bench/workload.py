"""Synthetic but realistic stacks for the benchmark: a profile of N services, and a
hand-edited twin of its rendered compose file with ~2 % of the services changed.

The stack is built from "cells" of ten services: one postgres, one redis and eight app
services (APIs, workers, a gateway). Apps wait for their cell's databases with
``service_healthy``, some on a sibling app with ``service_started``; every app has a
healthcheck, environment, a published port, memory/CPU limits and Traefik/ownership labels.
Rendered by stackgen 0.1.0 a service is ≈1.27 KB of compose text.

Deterministic: the same N gives the same files (seeded generator), so runs are comparable.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
CELL = 10  # services per cell: postgres, redis, 8 apps
_ROLES = ("api", "worker", "gateway", "billing", "search", "notify", "ingest", "report")
_TEAMS = ("payments", "identity", "growth", "platform", "data")


def _app(rng: random.Random, cell: int, slot: int, port: int) -> tuple[str, dict[str, Any]]:
    role = _ROLES[slot % len(_ROLES)]
    name = f"{role}-{cell}"
    db, cache = f"postgres-{cell}", f"redis-{cell}"
    deps: dict[str, Any] = {
        db: {"condition": "service_healthy"},
        cache: {"condition": "service_healthy"},
    }
    if slot > 0:  # the cell's api comes up first; the others only need it started
        deps[f"api-{cell}"] = {"condition": "service_started"}
    team = _TEAMS[(cell + slot) % len(_TEAMS)]
    svc: dict[str, Any] = {
        "kind": "app",
        "image": f"registry.example.test/{team}/{role}:1.{rng.randint(0, 40)}.{rng.randint(0, 9)}",
        "depends_on": deps,
        "healthcheck": {
            "http": f"http://localhost:{port}/healthz",
            "interval": f"{rng.choice((10, 15, 30))}s",
            "timeout": "5s",
            "retries": rng.choice((3, 5)),
            "start_period": "20s",
        },
        "ports": [f"0.0.0.0:{port}:{port}"],
        "resources": {
            "memory": rng.choice(("256MiB", "512MiB", "1GiB")),
            "cpus": rng.choice((0.5, 1, 2)),
        },
        "environment": {
            "APP_ENV": "production",
            "LOG_LEVEL": rng.choice(("info", "warn", "debug")),
            "PORT": port,
            "DATABASE_URL": f"postgres://app:${{DB_PASSWORD}}@{db}:5432/{role}",
            "REDIS_URL": f"redis://{cache}:6379/{slot}",
            "OTEL_SERVICE_NAME": name,
            "FEATURE_FLAGS": "search,billing-v2",
            "WORKERS": rng.randint(2, 16),
            "HTTP_TIMEOUT": "30s",
            "SENTRY_DSN": f"https://public@sentry.example.test/{cell * CELL + slot}",
        },
        "labels": {
            "traefik.enable": "true",
            f"traefik.http.routers.{name}.rule": f"Host(`{name}.example.test`)",
            f"traefik.http.routers.{name}.entrypoints": "websecure",
            f"traefik.http.routers.{name}.tls.certresolver": "letsencrypt",
            f"traefik.http.services.{name}.loadbalancer.server.port": str(port),
            "com.example.owner": f"{team}@example.test",
            "com.example.team": team,
            "com.example.tier": "backend",
        },
        "stop_grace_period": "30s",
        "logging": {"driver": "local", "options": {"max-size": "10m"}},
    }
    return name, svc


def profile(n: int, seed: int = 1) -> dict[str, Any]:
    """A profile mapping with ``n`` services (rounded down to whole cells, at least one)."""
    rng = random.Random(seed)
    services: dict[str, Any] = {}
    for cell in range(max(1, n // CELL)):
        services[f"postgres-{cell}"] = {
            "kind": "postgres",
            "image": "postgres:16",
            "environment": {"POSTGRES_PASSWORD": "${DB_PASSWORD}", "POSTGRES_DB": "app"},
            "volumes": [f"pg-{cell}:/var/lib/postgresql/data"],
            "resources": {"memory": "1GiB"},
        }
        services[f"redis-{cell}"] = {
            "kind": "redis",
            "image": "redis:7.2",
            "command": ["redis-server", "--appendonly yes"],
            "volumes": [f"redis-{cell}:/data"],
            "resources": {"memory": "256MiB"},
        }
        for slot in range(CELL - 2):
            name, svc = _app(rng, cell, slot, 10000 + cell * CELL + slot)
            services[name] = svc
    return {
        "name": f"bench-{n}",
        "defaults": {
            "restart": "unless-stopped",
            "healthcheck": {"interval": "10s", "timeout": "5s", "retries": 5},
        },
        "services": services,
    }


def twin(compose: dict[str, Any], share: float = 0.02, seed: int = 2) -> dict[str, Any]:
    """A "hand-edited" copy of a rendered compose mapping: ``share`` of the services (at
    least one) get the edits people make by hand — a bumped image tag, a longer healthcheck
    interval, a changed env value, an extra env var, a raised memory limit."""
    rng = random.Random(seed)
    out: dict[str, Any] = copy.deepcopy(compose)
    names = sorted(out["services"])
    for name in rng.sample(names, max(1, round(len(names) * share))):
        svc = out["services"][name]
        svc["image"] = str(svc["image"]).rsplit(":", 1)[0] + ":2.0.0"
        if "healthcheck" in svc:
            svc["healthcheck"]["interval"] = "45s"
        env = svc.setdefault("environment", {})
        env["LOG_LEVEL"] = "trace"
        env["HOTFIX_TICKET"] = f"OPS-{rng.randint(100, 999)}"
        limits = svc.get("deploy", {}).get("resources", {}).get("limits")
        if limits and "memory" in limits:
            limits["memory"] = "2g"
    return out


def write(directory: Path, n: int) -> dict[str, Path]:
    """Write the profile of ``n`` services to ``directory``.

    Returns ``{"profile": path}``; the compose file and twin need stackgen to render first
    (see :func:`write_twin`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-{n}.yml"
    text = yaml.dump(profile(n), Dumper=_DUMPER, sort_keys=False, default_flow_style=False)
    path.write_text(text, encoding="utf-8")
    return {"profile": path}


def write_plain(compose_file: Path, target: Path) -> None:
    """Write ``compose_file`` again without its comments (so without stackgen's generated
    header), block style, C dumper: a hand-written-looking compose file of the same services,
    the input of the verbatim workload (``stackgen import --as-is``) and the LEFT of its diff."""
    data = yaml.load(compose_file.read_text(encoding="utf-8"), Loader=_LOADER)
    text = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, default_flow_style=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def write_twin(compose_file: Path, target: Path) -> None:
    """Write the hand-edited twin of ``compose_file`` to ``target`` (block style, C dumper)."""
    data = yaml.load(compose_file.read_text(encoding="utf-8"), Loader=_LOADER)
    text = yaml.dump(twin(data), Dumper=_DUMPER, sort_keys=False, default_flow_style=False)
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    # `python bench/workload.py profile DIR N` writes the profile of N services into DIR;
    # `python bench/workload.py twin COMPOSE TWIN` the twin of a rendered file, `plain COMPOSE
    # TARGET` a copy without comments (run.py calls it in a child process, so that its own
    # memory stays small)
    import sys

    if sys.argv[1] == "profile":
        write(Path(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "plain":
        write_plain(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        write_twin(Path(sys.argv[2]), Path(sys.argv[3]))
