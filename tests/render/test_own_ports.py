"""Catalog defaults follow the port a service sets itself (session 14, new-user trial).

Each expected port is the one the service's own setting names, by the image's documented
rule (``stackgen.catalog.own_ports``): ``redis-server --port 6380`` listens on 6380, so its
probe must ask 6380; Confluent's cp-zookeeper listens on ``ZOOKEEPER_CLIENT_PORT``, and its
broker must connect there; the official ``zookeeper`` image reads ``ZOO_*`` variables (its
docker-entrypoint.sh writes zoo.cfg from them) and keeps data in /data and /datalog.
Every file is read back through the real compose loader.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from engines import compose_config
from helpers import run_stackgen


def _render(tmp_path: Path, services: str, extra: str = "") -> dict[str, Any]:
    """Render a profile of ``services`` to compose; the services as compose reads them."""
    text = "name: p\n" + extra + "services:\n" + textwrap.indent(textwrap.dedent(services), "  ")
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    done = run_stackgen("render", "p.yml", "-o", "compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = compose_config("compose.yml", cwd=tmp_path)
    assert result.clean, (result.stderr, result.warnings)
    assert result.config is not None
    found: dict[str, Any] = result.config["services"]
    return found


def _kubernetes(tmp_path: Path, services: str) -> list[dict[str, Any]]:
    text = "name: p\nservices:\n" + textwrap.indent(textwrap.dedent(services), "  ")
    (tmp_path / "k.yml").write_text(text, encoding="utf-8")
    done = run_stackgen("render", "k.yml", "--target", "kubernetes", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d]


def _test(service: dict[str, Any]) -> str:
    return " ".join(service["healthcheck"]["test"])


@pytest.mark.parametrize(
    "command",
    ["redis-server --port 6380", "[redis-server, --port, '6380']", "[redis-server, --port 6380]"],
)
def test_redis_probe_asks_the_port_the_server_listens_on(tmp_path: Path, command: str) -> None:
    services = _render(tmp_path, f"cache:\n  kind: redis\n  command: {command}\n")
    assert "-p 6380 ping" in _test(services["cache"])
    assert "6379" not in _test(services["cache"])


def test_redis_without_port_keeps_6379(tmp_path: Path) -> None:
    services = _render(tmp_path, "cache:\n  image: redis:7\n  command: redis-server --save 60 1\n")
    assert "-p 6379 ping" in _test(services["cache"])


def test_cp_zookeeper_client_port_reaches_probe_and_broker(tmp_path: Path) -> None:
    services = _render(
        tmp_path,
        """\
        zoo:
          image: confluentinc/cp-zookeeper:7.7.0
          environment: {ZOOKEEPER_CLIENT_PORT: "2182"}
        broker:
          kind: kafka
          depends_on: [zoo]
        """,
    )
    assert _test(services["zoo"]) == "CMD-SHELL echo ruok | nc -w 2 127.0.0.1 2182 | grep -q imok"
    assert services["broker"]["environment"]["KAFKA_ZOOKEEPER_CONNECT"] == "zoo:2182"
    assert services["broker"]["depends_on"]["zoo"]["condition"] == "service_healthy"


def test_official_zookeeper_gets_its_own_settings(tmp_path: Path) -> None:
    services = _render(tmp_path, "zoo:\n  image: zookeeper:3.9\n")
    zoo = services["zoo"]
    assert not any(k.startswith(("ZOOKEEPER_", "KAFKA_")) for k in zoo.get("environment", {}))
    assert sorted(v["target"] for v in zoo["volumes"]) == ["/data", "/datalog"]
    # srvr: ZooKeeper's default four-letter-word whitelist; netcat ships in the image
    assert _test(zoo) == "CMD-SHELL echo srvr | nc -w 2 127.0.0.1 2181 | grep -q Mode"


def test_official_zookeeper_client_port_from_zoo_servers(tmp_path: Path) -> None:
    services = _render(
        tmp_path,
        """\
        zoo:
          image: docker.io/library/zookeeper:3.9
          environment:
            ZOO_SERVERS: "server.1=zoo:2888:3888;2191"
        broker:
          kind: kafka
          depends_on: [zoo]
        """,
    )
    assert "127.0.0.1 2191 " in _test(services["zoo"])
    assert services["broker"]["environment"]["KAFKA_ZOOKEEPER_CONNECT"] == "zoo:2191"


def test_official_zookeeper_whitelist_without_srvr_probes_ruok(tmp_path: Path) -> None:
    services = _render(
        tmp_path,
        "zoo:\n  image: zookeeper:3.9\n  environment: {ZOO_4LW_COMMANDS_WHITELIST: ruok}\n",
    )
    assert _test(services["zoo"]).endswith("echo ruok | nc -w 2 127.0.0.1 2181 | grep -q imok")


@pytest.mark.parametrize(
    ("setting", "port"),
    [
        ("environment: {PGPORT: '5433'}", "5433"),
        ("command: postgres -p 5434", "5434"),
        ("command: [postgres, -c, port=5435]", "5435"),
    ],
)
def test_postgres_probe_follows_its_port(tmp_path: Path, setting: str, port: str) -> None:
    services = _render(tmp_path, f"db:\n  image: postgres:16\n  {setting}\n")
    test = services["db"]["healthcheck"]["test"]
    assert test[test.index("-p") + 1] == port


def test_clickhouse_probe_follows_http_port(tmp_path: Path) -> None:
    services = _render(
        tmp_path,
        "ch:\n  kind: clickhouse\n  command: ['--', '--http_port=8124', '--tcp_port=9001']\n",
    )
    assert _test(services["ch"]).endswith("http://127.0.0.1:8124/ping")


def test_kafka_own_listeners_reach_probe_and_clients(tmp_path: Path) -> None:
    services = _render(
        tmp_path,
        """\
        zoo:
          image: confluentinc/cp-zookeeper:7.7.0
        broker:
          kind: kafka
          depends_on: [zoo]
          environment:
            KAFKA_LISTENERS: "INTERNAL://0.0.0.0:19092,EXTERNAL://0.0.0.0:9094"
        app:
          image: nginx:1.27-alpine
          depends_on: [broker]
        """,
    )
    broker = services["broker"]
    assert _test(broker).endswith("--bootstrap-server 127.0.0.1:19092")
    assert broker["environment"]["KAFKA_ADVERTISED_LISTENERS"] == (
        "INTERNAL://broker:19092,EXTERNAL://localhost:9094"
    )
    assert [(p["target"], p["published"]) for p in broker["ports"]] == [(9094, "9094")]
    assert services["app"]["environment"]["KAFKA_SERVERS"] == "broker:19092"


def test_kubernetes_ports_and_probe_follow_redis_port(tmp_path: Path) -> None:
    docs = _kubernetes(tmp_path, "cache:\n  kind: redis\n  command: redis-server --port 6380\n")
    service = next(d for d in docs if d["kind"] == "Service")
    assert [p["port"] for p in service["spec"]["ports"]] == [6380]
    workload = next(d for d in docs if d["kind"] in ("StatefulSet", "Deployment"))
    container = workload["spec"]["template"]["spec"]["containers"][0]
    assert [p["containerPort"] for p in container["ports"]] == [6380]
    probe = " ".join(container["readinessProbe"]["exec"]["command"])
    assert "-p 6380 ping" in probe


@pytest.mark.parametrize(
    ("image", "flavour"),
    [
        ("zookeeper:3.9", "official"),
        ("docker.io/library/zookeeper:3.9@sha256:" + "0" * 64, "official"),
        ("registry.local:5000/zookeeper", "official"),
        ("bitnami/zookeeper:3.9", "bitnami"),
        ("confluentinc/cp-zookeeper:7.7.0", "confluent"),
        ("", "confluent"),  # no image: the catalog's default, cp-zookeeper
    ],
)
def test_zookeeper_flavour(image: str, flavour: str) -> None:
    from stackgen.catalog.own_ports import zookeeper_flavour

    assert zookeeper_flavour(image) == flavour


def test_bitnami_zookeeper_port_and_data(tmp_path: Path) -> None:
    # bitnami/containers zookeeper README: ZOO_PORT_NUMBER, data under /bitnami/zookeeper
    services = _render(
        tmp_path,
        "zoo:\n  image: bitnami/zookeeper:3.9\n  environment: {ZOO_PORT_NUMBER: '2183'}\n"
        "broker:\n  kind: kafka\n  depends_on: [zoo]\n",
    )
    assert [v["target"] for v in services["zoo"]["volumes"]] == ["/bitnami/zookeeper"]
    assert "ZOOKEEPER_CLIENT_PORT" not in services["zoo"].get("environment", {})
    assert services["broker"]["environment"]["KAFKA_ZOOKEEPER_CONNECT"] == "zoo:2183"


@pytest.mark.parametrize(
    "listeners",
    [
        {"KAFKA_LISTENERS": "PLAINTEXT://0.0.0.0:9092"},
        {
            "KAFKA_LISTENERS": "CONTROLLER://0.0.0.0:9093,PLAINTEXT://0.0.0.0:9092",
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        },
    ],
)
def test_own_listener_names_get_none_of_the_catalogs_listener_settings(
    tmp_path: Path, listeners: dict[str, str]
) -> None:
    # found by the second trial: the catalog added INTERNAL/EXTERNAL's protocol map and
    # KAFKA_INTER_BROKER_LISTENER_NAME: INTERNAL to a broker whose own listeners are
    # PLAINTEXT (and CONTROLLER): Kafka refuses an inter-broker listener it does not have
    env = "".join(f"      {k}: {v!r}\n" for k, v in listeners.items())
    (tmp_path / "p.yml").write_text(
        "name: kf\nservices:\n  zookeeper: {kind: zookeeper}\n  kafka:\n    kind: kafka\n"
        "    depends_on: [zookeeper]\n    environment:\n"
        + env
        + "      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://kafka:9092\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "-o", "c.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    engine = compose_config("c.yml", cwd=tmp_path)
    assert engine.config is not None, engine.stderr
    environment = engine.config["services"]["kafka"]["environment"]
    assert "KAFKA_INTER_BROKER_LISTENER_NAME" not in environment
    assert environment["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    assert environment.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP") == listeners.get(
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"
    )
