"""The Highlight hobby profile carries every fix issue 2 point 8 asks for."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from helpers import REAL, REPO
from stackgen.api import render_profile
from stackgen.compose import schema as compose


@pytest.fixture(scope="module")
def hobby() -> dict[str, Any]:
    data = yaml.safe_load(render_profile(REPO / "profiles" / "highlight-hobby.yml").text)
    assert isinstance(data, dict)
    return data


def test_schema_valid(hobby: dict[str, Any]) -> None:
    assert compose.schema_errors(hobby) == []


def test_infrastructure_healthchecks(hobby: dict[str, Any]) -> None:
    s = hobby["services"]
    assert s["postgres"]["healthcheck"]["test"] == [
        "CMD",
        "pg_isready",
        "-h",
        "127.0.0.1",
        "-p",
        "5432",
        "-U",
        "postgres",
        "-d",
        "postgres",
    ]
    redis = s["redis"]["healthcheck"]["test"]
    assert redis[0] == "CMD-SHELL" and "redis-cli" in redis[1] and "NOAUTH" in redis[1]
    zk = s["zookeeper"]
    assert "ruok" in zk["healthcheck"]["test"][1] and "imok" in zk["healthcheck"]["test"][1]
    assert zk["environment"]["KAFKA_OPTS"] == "-Dzookeeper.4lw.commands.whitelist=ruok"
    kafka = s["kafka"]["healthcheck"]["test"]
    assert kafka == ["CMD", "kafka-broker-api-versions", "--bootstrap-server", "127.0.0.1:29092"]
    assert s["clickhouse"]["healthcheck"]["test"] == [
        "CMD",
        "wget",
        "--spider",
        "-q",
        "http://127.0.0.1:8123/ping",
    ]
    for name in ("postgres", "redis", "zookeeper", "kafka", "clickhouse"):
        assert "localhost" not in " ".join(s[name]["healthcheck"]["test"])


def test_backend_and_frontend_healthchecks(hobby: dict[str, Any]) -> None:
    backend = hobby["services"]["backend"]["healthcheck"]
    assert backend == {
        "test": ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:8082/health"],
        "interval": "30s",
        "timeout": "10s",
        "retries": 10,
        "start_period": "60s",
    }
    # the profile's `http: http://127.0.0.1:3000/` shorthand, probed with wget (no shell)
    assert hobby["services"]["frontend"]["healthcheck"]["test"] == [
        "CMD",
        "wget",
        "-q",
        "--spider",
        "http://127.0.0.1:3000/",
    ]


def test_startup_order(hobby: dict[str, Any]) -> None:
    s = hobby["services"]
    healthy, started = {"condition": "service_healthy"}, {"condition": "service_started"}
    assert s["kafka"]["depends_on"] == {"zookeeper": healthy}
    assert s["collector"]["depends_on"] == {"kafka": healthy, "clickhouse": healthy}
    assert s["backend"]["depends_on"] == {
        "postgres": healthy,
        "redis": healthy,
        "clickhouse": healthy,
        "kafka": healthy,
        "collector": started,
    }
    assert s["frontend"]["depends_on"] == {"backend": healthy}
    order = list(s)
    for name, body in s.items():
        for dep in body.get("depends_on", {}):
            assert order.index(dep) < order.index(name)


def test_restart_replicas_and_limits(hobby: dict[str, Any]) -> None:
    assert {b["restart"] for b in hobby["services"].values()} == {"unless-stopped"}
    assert hobby["services"]["backend"]["deploy"]["replicas"] == 1
    assert all("container_name" not in b for b in hobby["services"].values())


def test_kafka_settings_and_wiring(hobby: dict[str, Any]) -> None:
    kenv = hobby["services"]["kafka"]["environment"]
    assert kenv["KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS"] == "3000"
    assert kenv["KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS"] == "6000"
    assert kenv["KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS"] == "1800000"
    assert kenv["KAFKA_ADVERTISED_LISTENERS"].startswith("INTERNAL://kafka:29092,")
    benv = hobby["services"]["backend"]["environment"]
    assert benv["KAFKA_SERVERS"] == "kafka:29092"
    assert benv["KAFKA_TOPIC"] == "dev"
    assert benv["SESSION_RETENTION_DAYS"] == "30"
    assert benv["WORKER_MAX_MEMORY_THRESHOLD"] == str(1024**3)
    assert benv["PSQL_HOST"] == "postgres"
    assert benv["CLICKHOUSE_ADDRESS"] == "clickhouse:9000"
    assert benv["CLICKHOUSE_USERNAME"] == "default" and benv["CLICKHOUSE_PASSWORD"] == ""
    assert benv["OTLP_ENDPOINT"] == "http://collector:4318"


def test_domains(hobby: dict[str, Any]) -> None:
    def routes(service: str) -> dict[str, str]:
        labels = hobby["services"][service]["labels"]
        return {
            labels[f"traefik.http.routers.{r}.rule"]: labels[
                f"traefik.http.services.{r}.loadbalancer.server.port"
            ]
            for r in [k.split(".")[3] for k in labels if k.endswith(".rule")]
        }

    assert routes("frontend") == {
        "Host(`app.example.test`)": "3001",
        "Host(`storybook.example.test`)": "6006",
        "Host(`pub.example.test`)": "8081",
    }
    assert routes("backend") == {"Host(`api.example.test`)": "8082"}


#: services whose published ports the profile binds to 127.0.0.1 (upstream: 0.0.0.0), so
#: `stackgen check` (infra-port-public) has nothing to say about the output
LOOPBACK_ONLY = {"kafka", "redis", "postgres", "clickhouse"}


@pytest.mark.fixtures
def test_faithful_to_upstream_images_volumes_ports(hobby: dict[str, Any]) -> None:
    """Same images (from upstream .env), volumes and published ports as upstream's pair,
    except two deliberate changes: infrastructure ports published on 127.0.0.1 only, and
    the app images' ``${VAR-default}`` defaults pinned to the tag upstream's .env names
    instead of ``latest``."""
    upstream = {}
    for name in ("compose.yml", "compose.hobby.yml"):
        upstream.update(yaml.safe_load((REAL / "highlight" / name).read_text())["services"])
    env = dict(
        line.split("=", 1)
        for line in (REAL / "highlight" / ".env").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    for name, body in hobby["services"].items():
        up = upstream[name]
        image = up.get("image")
        if image and image.startswith("${") and image.endswith("}") and "-" not in image:
            assert body["image"] == env[image[2:-1]]
        elif image:
            # ${BACKEND_IMAGE_NAME-ghcr.io/…:latest} → the same variable, defaulting to the
            # image upstream's .env sets it to (…:docker-v0.5.2)
            variable = image[2:].split("-", 1)[0]
            assert image.endswith(":latest}")
            assert body["image"] == "${" + f"{variable}-{env[variable]}" + "}"
        assert body["volumes"] == up["volumes"], name
        ports = up.get("ports")
        if name in LOOPBACK_ONLY:
            assert all(p.startswith("0.0.0.0:") for p in ports), name
            ports = ["127.0.0.1:" + p.removeprefix("0.0.0.0:") for p in ports]
        assert body.get("ports") == ports, name
    assert hobby["services"]["collector"]["build"] == upstream["collector"]["build"]
