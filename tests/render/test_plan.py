"""plan: conditions, order, cycles, domains, ports, Kafka and retention settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stackgen.errors import InputError
from stackgen.profile.load import load_profile
from stackgen.targets.compose.target import compose_document


def planned(tmp_path: Path, text: str) -> dict[str, Any]:
    path = tmp_path / "p.yml"
    path.write_text(text)
    return compose_document(load_profile(path), source="p.yml").to_compose()


def errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "p.yml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        compose_document(load_profile(path), source="p.yml")
    return [str(d).replace(f"{path}:", "p.yml:") for d in err.value.diagnostics]


def test_list_depends_on_becomes_long_form_by_healthcheck(tmp_path: Path) -> None:
    data = planned(
        tmp_path,
        """
name: t
services:
  app:
    image: app:1
    depends_on: [db, side, cache]
  db: {kind: postgres}
  side: {image: side:1}
  cache:
    image: cache:1
    healthcheck: {tcp: 6379}
""",
    )
    assert data["services"]["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "side": {"condition": "service_started"},
        "cache": {"condition": "service_healthy"},
    }
    # dependencies first; otherwise profile order
    assert list(data["services"]) == ["db", "side", "cache", "app"]


def test_explicit_condition_wins_and_healthy_needs_a_probe(tmp_path: Path) -> None:
    data = planned(
        tmp_path,
        """
name: t
services:
  app:
    image: app:1
    depends_on: {db: {condition: service_started, restart: true}}
  db: {kind: postgres}
""",
    )
    assert data["services"]["app"]["depends_on"] == {
        "db": {"condition": "service_started", "restart": True}
    }
    assert errors(
        tmp_path,
        """
name: t
services:
  reporter:
    image: r:1
    depends_on: {mystery: {condition: service_healthy}}
  mystery: {image: registry.example.test/unknown:1.0}
""",
    ) == [
        "p.yml:6:18: services.reporter.depends_on.mystery: reporter needs mystery to be "
        "healthy, but mystery has no healthcheck (image not in catalogue). Add "
        "services.mystery.healthcheck to the profile or use condition: service_started"
    ]


def test_unknown_dependency_and_cycle_are_named(tmp_path: Path) -> None:
    assert errors(
        tmp_path,
        """
name: t
services:
  backend: {image: b:1, depends_on: [collector, ghost]}
  collector: {image: c:1, depends_on: [backend]}
""",
    ) == [
        "p.yml:4:25: services.backend.depends_on: dependency cycle: backend → collector → backend",
        "p.yml:4:49: services.backend.depends_on[1]: depends on unknown service 'ghost'",
    ]


def test_restart_defaults_and_resources(tmp_path: Path) -> None:
    data = planned(
        tmp_path,
        """
name: t
defaults: {restart: always}
services:
  a:
    image: a:1
    replicas: 2
    resources: {memory: 1536MiB, cpus: 0.5, reservations: {memory: 1g}}
  b: {image: b:1, restart: "no"}
""",
    )
    a, b = data["services"]["a"], data["services"]["b"]
    assert a["restart"] == "always" and b["restart"] == "no"
    assert a["deploy"] == {
        "replicas": 2,
        "resources": {"limits": {"memory": "1536m", "cpus": 0.5}, "reservations": {"memory": "1g"}},
    }


def test_domains_become_traefik_labels(tmp_path: Path) -> None:
    data = planned(
        tmp_path,
        """
name: t
services:
  web: {image: w:1, ports: ["8080:80"], expose: [81]}
domains:
  www.example.test: web:80
  admin.example.test: web:81
""",
    )
    assert data["services"]["web"]["labels"] == {
        "traefik.enable": "true",
        "traefik.http.routers.www-example-test.rule": "Host(`www.example.test`)",
        "traefik.http.routers.www-example-test.service": "www-example-test",
        "traefik.http.services.www-example-test.loadbalancer.server.port": "80",
        "traefik.http.routers.admin-example-test.rule": "Host(`admin.example.test`)",
        "traefik.http.routers.admin-example-test.service": "admin-example-test",
        "traefik.http.services.admin-example-test.loadbalancer.server.port": "81",
    }


def test_domain_and_port_errors(tmp_path: Path) -> None:
    assert errors(
        tmp_path,
        """
name: t
services:
  web: {image: w:1, ports: ["8080:80"]}
  api: {image: a:1, ports: ["0.0.0.0:8080:8000"]}
domains:
  a.test: nothere:80
  b.test: web:8080
  c.test: web
""",
    ) == [
        "p.yml:5:29: services.api.ports[0]: host port 8080/tcp is already published by "
        "services.web.ports[0]",
        "p.yml:7:3: domains.a.test: names unknown service 'nothere'",
        "p.yml:8:3: domains.b.test: service 'web' does not expose port 8080 (exposes: 80)",
        "p.yml:9:3: domains.c.test: must be service:port, got 'web'",
    ]


def test_kafka_group_settings_retention_and_wiring(tmp_path: Path) -> None:
    data = planned(
        tmp_path,
        """
name: t
kafka:
  topic: dev
  consumer_group: {initial_rebalance_delay_ms: 3000, min_session_timeout_ms: 6000,
                   max_session_timeout_ms: 1800000}
retention:
  session_days: 30
  kafka: {hours: 1, bytes_per_partition: 100MiB, segment_bytes: 64MiB}
services:
  zookeeper: {kind: zookeeper}
  kafka: {kind: kafka, depends_on: [zookeeper]}
  backend: {image: b:1, depends_on: [kafka]}
  frontend: {image: f:1, environment: {SESSION_RETENTION_DAYS: "7"}}
""",
    )
    env = data["services"]["kafka"]["environment"]
    assert env["KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS"] == "3000"
    assert env["KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS"] == "6000"
    assert env["KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS"] == "1800000"
    assert env["KAFKA_LOG_RETENTION_HOURS"] == "1"
    assert env["KAFKA_LOG_RETENTION_BYTES"] == str(100 * 1024 * 1024)
    assert env["KAFKA_LOG_SEGMENT_BYTES"] == str(64 * 1024 * 1024)
    assert env["KAFKA_ZOOKEEPER_CONNECT"] == "zookeeper:2181"
    backend = data["services"]["backend"]["environment"]
    assert backend == {
        "SESSION_RETENTION_DAYS": "30",
        "KAFKA_SERVERS": "kafka:29092",
        "KAFKA_TOPIC": "dev",
    }
    # the service's own value wins over the derived one
    assert data["services"]["frontend"]["environment"] == {"SESSION_RETENTION_DAYS": "7"}


def test_app_without_image_or_build(tmp_path: Path) -> None:
    assert errors(tmp_path, "name: t\nservices:\n  web: {ports: [80]}\n") == [
        "p.yml:3:3: services.web: needs an image (or a build section): the 'app' kind has no "
        "default image"
    ]


def test_fixed_container_name_warns_when_single(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("name: t\nservices:\n  web:\n    image: w:1\n    container_name: web\n")
    stack = compose_document(load_profile(path), source="p.yml")
    assert [(w.line, w.col, w.path) for w in stack.warnings] == [
        (5, 5, "services.web.container_name")
    ]
    assert "a second project on the same host" in stack.warnings[0].message
    assert stack.to_compose()["services"]["web"]["container_name"] == "web"


def test_kafka_retention_checked_without_a_broker(tmp_path: Path) -> None:
    assert errors(
        tmp_path,
        """
name: t
retention:
  kafka: {bytes_per_partition: 100MiB, segment_bytes: 256MiB}
services:
  web: {image: w:1}
""",
    ) == [
        "p.yml:4:40: retention.kafka.segment_bytes: segment_bytes 256m > bytes_per_partition "
        "100m; Kafka only deletes closed segments, so size-based retention would never trigger"
    ]


def test_catalog_kind_inferred_from_the_image(tmp_path: Path) -> None:
    data = planned(
        tmp_path,
        """
name: t
services:
  app: {image: app:1, depends_on: [db, cache]}
  db: {image: "docker.io/library/postgres:16", environment: {POSTGRES_USER: app}}
  cache: {image: redis:7}
""",
    )
    services = data["services"]
    assert services["db"]["healthcheck"]["test"] == [
        "CMD",
        "pg_isready",
        "-h",
        "127.0.0.1",
        "-p",
        "5432",
        "-U",
        "app",
        "-d",
        "app",
    ]
    assert services["cache"]["healthcheck"]["test"][0] == "CMD-SHELL"
    assert services["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "cache": {"condition": "service_healthy"},
    }


def test_deploy_restart_policy_becomes_plain_restart(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: t\nservices:\n  a:\n    image: a:1\n    deploy:\n"
        "      restart_policy: {condition: on-failure, max_attempts: 5, delay: 10s}\n"
        "      replicas: 2\n"
    )
    stack = compose_document(load_profile(path), source="p.yml")
    body = stack.to_compose()["services"]["a"]
    assert body["restart"] == "on-failure:5"
    assert body["deploy"] == {"replicas": 2}
    assert [(w.line, w.path) for w in stack.warnings] == [(6, "services.a.deploy.restart_policy")]


def test_passthrough_values_are_checked_against_the_compose_schema(tmp_path: Path) -> None:
    assert errors(
        tmp_path,
        """
name: t
services:
  a:
    image: a:1
    x-note: kept
    user: 1000
    stop_grace_period: 10
""",
    ) == [
        'p.yml:7:5: services.a.user: not valid compose: 1000 is not of type "string"',
        'p.yml:8:5: services.a.stop_grace_period: not valid compose: 10 is not of type "string"',
    ]
