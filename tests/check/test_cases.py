"""``stackgen check`` on the report cases (``tests/cases/reports/<id>/``, each naming the public
bug reports it comes from).

Each case's fault is written here the way a hand-edited compose file carries it (``needs: [x]`` →
``depends_on: [x]``, ``env`` → ``environment``, ``memory`` → ``mem_limit`` or
``deploy.resources.limits.memory``, ``replicas`` → ``deploy.replicas``, ``restart_policy`` →
``deploy.restart_policy``), and, where the fault survives planning, as a stackgen profile.
Every test holds the exact rule ids and the line (and column) of each finding, computed from
the test's own text by :func:`at`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stackgen.lint import check
from stackgen.lint.findings import Finding


def at(text: str, line_has: str, token: str | None = None) -> tuple[int, int]:
    """1-based (line, col) of ``token`` (default ``line_has``) on the one line holding
    ``line_has``."""
    lines = text.lstrip("\n").splitlines()
    hits = [i for i, line in enumerate(lines) if line_has in line]
    assert len(hits) == 1, f"{line_has!r} must be on exactly one line"
    return hits[0] + 1, lines[hits[0]].index(token or line_has) + 1


def lint(tmp_path: Path, text: str, name: str = "compose.yml") -> list[Finding]:
    path = tmp_path / name
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return list(check([path]).findings)


def where(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.col) for f in findings]


# --------------------------------------------------------------------------------------------
# B01: depends_on waits for "started" while the dependency has a healthcheck

B01 = """
services:
  backend:
    image: ghcr.io/example/backend:1.0
    depends_on: [postgres]
  worker:
    image: ghcr.io/example/worker:1.0
    depends_on:
      postgres: {condition: service_started}
      cache: {condition: service_healthy}
  ok:
    image: ghcr.io/example/ok:1.0
    depends_on:
      postgres: {condition: service_healthy}
      cache: {condition: service_started}
  cache:
    image: redis:7.2
  postgres:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_DB: app
      POSTGRES_PASSWORD: example-only
    healthcheck:
      test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "app", "-d", "app"]
"""


def test_b01_started_while_healthcheck_and_healthy_without_one(tmp_path: Path) -> None:
    found = lint(tmp_path, B01)
    assert where(found) == [
        ("depends-on-started", *at(B01, "depends_on: [postgres]", "postgres")),
        ("depends-on-started", *at(B01, "postgres: {condition: service_started}", "postgres")),
        ("healthy-without-healthcheck", *at(B01, "cache: {condition: service_healthy}", "cache")),
    ]
    assert [f.severity for f in found] == ["warning", "warning", "error"]
    assert found[0].path == "services.backend.depends_on[0]"
    assert "the list form of depends_on" in found[0].message
    assert found[0].hint == "depends_on: {postgres: {condition: service_healthy}}"
    assert check([tmp_path / "compose.yml"]).exit_code == 1


B01_PROFILE = """
name: b01
services:
  postgres:
    kind: postgres
  backend:
    image: ghcr.io/example/backend:1.0
    depends_on: [postgres]
  worker:
    image: ghcr.io/example/worker:1.0
    depends_on:
      postgres: {condition: service_started}
"""


def test_b01_profile_list_form_is_fine_explicit_started_is_not(tmp_path: Path) -> None:
    # the planner turns the list form into service_healthy (postgres has the catalog probe);
    # an explicit service_started is kept, and reported at the profile's key
    found = lint(tmp_path, B01_PROFILE, "b01.yml")
    assert where(found) == [
        (
            "depends-on-started",
            *at(B01_PROFILE, "postgres: {condition: service_started}", "postgres"),
        )
    ]
    assert found[0].file == str(tmp_path / "b01.yml")


# --------------------------------------------------------------------------------------------
# B06 / B08 / B09 / B11: probes


PROBES = """
services:
  clickhouse:
    image: clickhouse/clickhouse-server:26.4-distroless
    healthcheck:
      test: ["CMD", "wget", "--spider", "-q", "http://127.0.0.1:8123/ping"]
  clickhouse-std:
    image: clickhouse/clickhouse-server:24.3-alpine
    healthcheck:
      test: ["CMD-SHELL", "wget -q --spider http://localhost:8123/ping || exit 1"]
  kafka:
    image: confluentinc/cp-kafka:7.7.0
    healthcheck:
      test: kafka-topics --zookeeper zookeeper:2181 --list
  web:
    image: nginx:1.27-alpine
    healthcheck:
      test: ["CMD", "curl -f http://127.0.0.1/ || exit 1"]
  shell:
    image: bash:5.2
    healthcheck:
      test: ["CMD", "/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/80 && echo ok >&3"]
"""


def test_probe_rules(tmp_path: Path) -> None:
    found = lint(tmp_path, PROBES)
    assert where(found) == [
        # a mapping value stands at its key (as in every stackgen diagnostic)
        ("probe-tool-missing", *at(PROBES, '"wget", "--spider", "-q"', "test")),
        ("probe-localhost", *at(PROBES, "http://localhost:8123", "test")),
        ("probe-zookeeper", *at(PROBES, "kafka-topics --zookeeper", "test")),
        ("probe-cmd-shell", *at(PROBES, '["CMD", "curl -f', "test")),
    ]
    assert [f.severity for f in found] == ["error", "warning", "error", "error"]
    assert 'image variant "distroless" ships no wget' in found[0].message
    # ["CMD", "/bin/bash", "-c", script]: the script's && and >& are bash's, not a mistake
    assert not [f for f in found if f.path.startswith("services.shell")]


B08_PROFILE = """
name: b08
services:
  clickhouse:
    image: clickhouse/clickhouse-server:26.4-distroless
    healthcheck:
      test: ["CMD", "wget", "--spider", "-q", "http://127.0.0.1:8123/ping"]
  clickhouse-std:
    image: clickhouse/clickhouse-server:24.3-alpine
"""


def test_b08_profile_reports_what_render_rejects(tmp_path: Path) -> None:
    found = lint(tmp_path, B08_PROFILE, "b08.yml")
    assert where(found) == [("render", *at(B08_PROFILE, 'test: ["CMD", "wget"', "test"))]
    assert found[0].severity == "error"
    assert 'image variant "distroless" ships no wget' in found[0].message


# --------------------------------------------------------------------------------------------
# B15 / B16 / B17: YAML hazards of a hand-edited compose file

YAML = """
services:
  sshd:
    image: ghcr.io/example/sshd:1.0
    restart: no
    ports:
      - 2222:22
      - 22:22
      - 8082:8082
      - "2022:22"
    labels:
      region: NO
      tls: off
      quoted: "yes"
    environment:
      ALLOW_PLAINTEXT_LISTENER: yes
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: true
      KAFKA_BROKER_ID: 1
      UMASK: 022
    configs:
      - source: motd
        target: /etc/motd
        mode: 0644
configs:
  motd:
    content: hello
"""


def test_yaml_hazards_from_the_source_text(tmp_path: Path) -> None:
    found = lint(tmp_path, YAML)
    assert where(found) == [
        ("yaml-bool", *at(YAML, "restart: no", "no")),
        ("yaml-base60", *at(YAML, "- 2222:22", "2222")),
        ("yaml-base60", *at(YAML, "- 22:22", "22")),
        ("yaml-bool", *at(YAML, "region: NO", "NO")),
        ("yaml-bool", *at(YAML, "tls: off", "off")),
        ("yaml-bool", *at(YAML, "ALLOW_PLAINTEXT_LISTENER: yes", "yes")),
        ("yaml-octal", *at(YAML, "UMASK: 022", "022")),
        ("yaml-octal", *at(YAML, "mode: 0644", "0644")),
    ]
    base60 = found[1]
    assert base60.message == (
        "services.sshd.ports[0]: 2222:22 is the base-60 number 133342 for YAML 1.1 readers, "
        "text for docker compose"
    )
    assert base60.hint == 'quote it: "2222:22"'
    assert "1342" in found[2].message
    assert "boolean false" in found[0].message
    assert "octal 18" in found[6].message and "decimal 22" in found[6].message
    assert found[7].hint == 'write "0644" where text is meant, or the decimal 420'
    assert {f.severity for f in found} == {"warning"}


def test_profile_octal_number_passed_on(tmp_path: Path) -> None:
    # stackgen reads a profile as YAML 1.2 and keeps env/labels as written: only a number it
    # passes on (here a config mode) changes meaning
    text = """
name: octal
services:
  web:
    image: nginx:1.27-alpine
    environment: {UMASK: 022}
    restart: no
    configs:
      - {source: motd, target: /etc/motd, mode: 0644}
configs:
  motd: {content: hello}
"""
    found = lint(tmp_path, text.replace("configs:\n  motd: {content: hello}\n", ""), "octal.yml")
    assert where(found) == [("yaml-octal", *at(text, "mode: 0644", "mode"))]
    assert "decimal 644" in found[0].message and "octal 420" in found[0].message


# --------------------------------------------------------------------------------------------
# B23 / B24 / B26: deploy

DEPLOY = """
services:
  backend:
    image: ghcr.io/highlight/highlight-backend:latest
    container_name: backend
    deploy:
      replicas: 2
      restart_policy: {condition: on-failure, max_attempts: 5, delay: 10s, window: 60s}
  frontend:
    image: ghcr.io/example/frontend:1.0
    deploy:
      restart_policy: {condition: any}
  migrate:
    image: ghcr.io/example/migrate:1.0
    restart: "no"
    deploy:
      restart_policy: {condition: none}
  kafka:
    image: confluentinc/cp-kafka:7.7.0
    mem_limit: 512m
    environment:
      KAFKA_HEAP_OPTS: "-Xms1g -Xmx1g"
  clickhouse:
    image: clickhouse/clickhouse-server:24.3-alpine
    mem_limit: 4g
    deploy:
      resources:
        limits: {memory: 2g}
    environment:
      JAVA_TOOL_OPTIONS: "-Xmx1g"
"""


def test_deploy_rules(tmp_path: Path) -> None:
    found = lint(tmp_path, DEPLOY)
    assert where(found) == [
        ("image-latest", *at(DEPLOY, "highlight-backend:latest", "image")),
        ("container-name-replicas", *at(DEPLOY, "container_name: backend", "container_name")),
        ("restart-policy-swarm", *at(DEPLOY, "max_attempts: 5", "restart_policy")),
        ("restart-policy-swarm", *at(DEPLOY, "{condition: any}", "restart_policy")),
        ("jvm-heap-over-limit", *at(DEPLOY, "KAFKA_HEAP_OPTS", "KAFKA_HEAP_OPTS")),
        ("memory-limit-conflict", *at(DEPLOY, "mem_limit: 4g", "mem_limit")),
    ]
    by_rule = {f.rule: f for f in found}
    assert found[2].hint == "add restart: on-failure:5"
    assert "delay and window only work in swarm" in found[2].message
    assert found[3].hint == "add restart: always"
    assert "swarm" not in found[3].message  # no delay/window to warn about
    assert "-Xmx1g, at or above the container memory limit 512m" in found[4].message
    assert by_rule["memory-limit-conflict"].message == (
        "mem_limit (4g) and deploy.resources.limits.memory (2g) disagree"
    )
    # clickhouse's 1g heap fits its 2g limit (deploy wins over mem_limit): no heap finding
    assert [f.severity for f in found] == [
        "warning",
        "error",
        "warning",
        "warning",
        "error",
        "error",
    ]


def test_b26_profile_reports_what_render_rejects(tmp_path: Path) -> None:
    text = """
name: b26
services:
  backend:
    image: ghcr.io/highlight/highlight-backend:v1
    container_name: backend
    replicas: 2
"""
    found = lint(tmp_path, text, "b26.yml")
    assert where(found) == [("render", *at(text, "container_name: backend", "container_name"))]
    assert "cannot be combined with replicas: 2" in found[0].message


# --------------------------------------------------------------------------------------------
# B29: Kafka advertising localhost, clients on localhost

B29 = """
services:
  zookeeper:
    image: confluentinc/cp-zookeeper:7.7.0
  kafka:
    image: confluentinc/cp-kafka:7.5.0
    depends_on: [zookeeper]
    ports: ["127.0.0.1:9092:9092"]
    environment:
      KAFKA_ZOOKEEPER_CONNECT: zookeeper:2181
      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://localhost:9092
  backend:
    image: ghcr.io/highlight/highlight-backend:v1
    depends_on: [kafka]
    environment:
      KAFKA_SERVERS: localhost:9092
      PUBLIC_URL: http://localhost:3000
"""


def test_b29_advertised_and_client_localhost(tmp_path: Path) -> None:
    found = lint(tmp_path, B29)
    assert where(found) == [
        ("kafka-advertised-localhost", *at(B29, "KAFKA_ADVERTISED_LISTENERS", "KAFKA")),
        ("client-localhost", *at(B29, "KAFKA_SERVERS: localhost", "KAFKA")),
    ]
    assert found[0].message == (
        "kafka advertises only PLAINTEXT://localhost:9092; backend depends on it and would be "
        "sent to localhost, its own container"
    )
    assert found[1].hint == "use kafka:9092"
    # PUBLIC_URL names no infrastructure port (a browser-facing URL): not reported


def test_b29_two_listeners_are_fine(tmp_path: Path) -> None:
    fixed = B29.replace(
        "PLAINTEXT://localhost:9092",
        "INTERNAL://kafka:29092,EXTERNAL://localhost:9092",
    ).replace("KAFKA_SERVERS: localhost:9092", "KAFKA_SERVERS: kafka:29092")
    assert lint(tmp_path, fixed) == []


# --------------------------------------------------------------------------------------------
# consumer-group timings (Kafka's group.* and consumer settings)

GROUP = """
services:
  kafka:
    image: confluentinc/cp-kafka:7.7.0
    ports: ["127.0.0.1:9092:9092"]
    environment:
      KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS: 6000
      KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS: 30000
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: 600000
  consumer:
    image: ghcr.io/example/consumer:1.0
    depends_on: [kafka]
    environment:
      CONSUMER_SESSION_TIMEOUT_MS: 45000
      CONSUMER_HEARTBEAT_INTERVAL_MS: 50000
  snuba:
    image: ghcr.io/example/snuba:1.0
    command: consumer --max-poll-interval-ms ${MAX_POLL:-300000} --session-timeout-ms 10000
"""


def test_consumer_group_timings(tmp_path: Path) -> None:
    found = lint(tmp_path, GROUP)
    assert where(found) == [
        ("kafka-group-timeouts", *at(GROUP, "REBALANCE_DELAY_MS", "KAFKA")),
        ("kafka-group-timeouts", *at(GROUP, "REBALANCE_DELAY_MS", "KAFKA")),
        ("kafka-group-timeouts", *at(GROUP, "CONSUMER_SESSION_TIMEOUT_MS", "CONSUMER")),
        ("kafka-group-timeouts", *at(GROUP, "CONSUMER_HEARTBEAT_INTERVAL_MS", "CONSUMER")),
    ]
    messages = sorted(f.message for f in found)
    assert messages == [
        "consumer: heartbeat.interval.ms (50000) is not below session.timeout.ms (45000); the "
        "consumer refuses to start",
        "consumer: session.timeout.ms (45000) is outside the broker's "
        "group.min.session.timeout.ms..group.max.session.timeout.ms (6000..30000) on kafka: "
        "JoinGroup fails with INVALID_SESSION_TIMEOUT",
        "group.initial.rebalance.delay.ms (600000) on kafka is not below max.poll.interval.ms "
        "(300000) of consumer: the first JoinGroup of a new group outlasts the consumer's "
        "rebalance timeout, so it times out and rejoins",
        "group.initial.rebalance.delay.ms (600000) on kafka is not below max.poll.interval.ms "
        "(300000) of snuba: the first JoinGroup of a new group outlasts the consumer's "
        "rebalance timeout, so it times out and rejoins",
    ]
    assert sorted(f.severity for f in found) == ["error", "error", "warning", "warning"]


def test_broker_min_above_max(tmp_path: Path) -> None:
    text = GROUP.replace("MAX_SESSION_TIMEOUT_MS: 30000", "MAX_SESSION_TIMEOUT_MS: 5000")
    found = [f for f in lint(tmp_path, text) if "is greater than" in f.message]
    assert where(found) == [("kafka-group-timeouts", *at(text, "MIN_SESSION_TIMEOUT_MS", "KAFKA"))]
    assert found[0].message.startswith(
        "group.min.session.timeout.ms (6000) is greater than group.max.session.timeout.ms (5000)"
    )


# --------------------------------------------------------------------------------------------
# exposure and images

EXPOSURE = """
services:
  db:
    image: postgres:16
    ports:
      - 5432:5432
      - 127.0.0.1:5433:5432
      - target: 5432
        published: 5434
        host_ip: 0.0.0.0
      - "[::1]:5435:5432"
      - "${DB_BIND}:5436:5432"
      - 5433
  cache:
    image: redis
    ports: ["0.0.0.0:6379:6379"]
  web:
    image: ${WEB_IMAGE-nginx:latest}
    ports: ["80:80"]
  api:
    image: ${API_IMAGE}
  built:
    image: local/built
    build: .
  pinned:
    image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000
"""


def test_infra_ports_and_unpinned_images(tmp_path: Path) -> None:
    found = lint(tmp_path, EXPOSURE)
    assert where(found) == [
        ("infra-port-public", *at(EXPOSURE, "- 5432:5432", "5432")),
        ("infra-port-public", *at(EXPOSURE, "- target: 5432", "target")),
        ("infra-port-public", *at(EXPOSURE, "- 5433", "5433")),
        ("image-latest", *at(EXPOSURE, "image: redis", "image")),
        ("infra-port-public", *at(EXPOSURE, '"0.0.0.0:6379:6379"', '"')),
        ("image-latest", *at(EXPOSURE, "WEB_IMAGE", "image")),
    ]
    assert found[0].message.startswith("db (postgres) publishes port 5432 on all interfaces")
    assert found[0].hint == "bind it to the loopback address: 127.0.0.1:5432:5432"
    # a bare container port is published too, on a random host port of every interface
    assert found[2].message.startswith("db (postgres) publishes port 5433 on a random host port")
    assert found[2].hint == "bind it to the loopback address: 127.0.0.1:5433:5433"
    assert "uses redis: no tag, so latest" in found[3].message
    assert "uses nginx:latest: tagged latest" in found[5].message


GROUP_PROFILE = """
name: group
kafka:
  consumer_group:
    initial_rebalance_delay_ms: 600000
    max_session_timeout_ms: 30000
services:
  zookeeper: {kind: zookeeper}
  kafka:
    kind: kafka
    depends_on: [zookeeper]
    ports: ["127.0.0.1:9092:9092"]
  consumer:
    image: ghcr.io/example/consumer:1.0
    depends_on: [kafka]
    environment:
      CONSUMER_SESSION_TIMEOUT_MS: 45000
"""


def test_consumer_group_timings_in_a_profile(tmp_path: Path) -> None:
    # the broker's settings come from kafka.consumer_group: findings about them stand there
    found = lint(tmp_path, GROUP_PROFILE, "group.yml")
    assert where(found) == [
        ("kafka-group-timeouts", *at(GROUP_PROFILE, "initial_rebalance_delay_ms", "initial")),
        ("kafka-group-timeouts", *at(GROUP_PROFILE, "CONSUMER_SESSION_TIMEOUT_MS", "CONSUMER")),
    ]
    assert "(6000..30000) on kafka" in found[1].message  # Kafka's default minimum
    assert "max.poll.interval.ms (300000) of consumer" in found[0].message  # client default


def test_render_accepts_a_cmd_shell_script_probe(tmp_path: Path) -> None:
    # the same probe knowledge serves render: ["CMD", "sh", "-c", script] is no CMD mistake,
    # while a shell operator in a plain CMD argument still is
    from stackgen.api import render_profile
    from stackgen.errors import InputError

    good = tmp_path / "good.yml"
    good.write_text(
        "name: g\nservices:\n  web:\n    image: nginx:1.27-alpine\n    healthcheck:\n"
        '      test: ["CMD", "/bin/sh", "-c", "wget -q -O - http://127.0.0.1/ | grep -q ok"]\n',
        encoding="utf-8",
    )
    body = render_profile(good).data["services"]["web"]
    assert body["healthcheck"]["test"][3] == "wget -q -O - http://127.0.0.1/ | grep -q ok"
    bad = tmp_path / "bad.yml"
    bad.write_text(good.read_text().replace('"/bin/sh", "-c", ', ""), encoding="utf-8")
    with pytest.raises(InputError, match="CMD runs without a shell"):
        render_profile(bad)


SCRATCH = """
services:
  collector:
    image: otel/opentelemetry-collector-contrib:0.128.0
    healthcheck:
      test: ["CMD", "/usr/bin/wget", "-q", "--spider", "http://127.0.0.1:13133/"]
  collector-shell:
    image: docker.io/otel/opentelemetry-collector:0.128.0
    healthcheck:
      test: nc -z 127.0.0.1 4317
  signoz:
    image: signoz/otel-collector-custom:1.0
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:13133/"]
"""


def test_b08_scratch_collector_images_have_no_probe_tool(tmp_path: Path) -> None:
    # the OpenTelemetry collector images are FROM scratch (no shell, wget, curl, nc); an image
    # stackgen knows nothing of is not reported
    found = lint(tmp_path, SCRATCH)
    assert where(found) == [
        ("probe-tool-missing", *at(SCRATCH, '"/usr/bin/wget"', "test")),
        ("probe-tool-missing", *at(SCRATCH, "nc -z 127.0.0.1 4317", "test")),
    ]
    assert found[0].message.startswith(
        "image otel/opentelemetry-collector-contrib:0.128.0 is built FROM scratch and ships no "
        "/usr/bin/wget"
    )
    assert "ships no /bin/sh" in found[1].message


def test_shared_network_namespace_makes_localhost_right(tmp_path: Path) -> None:
    # network_mode: service:kafka / host: localhost is the broker's namespace or the host's
    text = B29.replace(
        "    depends_on: [kafka]\n", "    depends_on: [kafka]\n    network_mode: service:kafka\n"
    )
    assert lint(tmp_path, text) == []
    assert lint(tmp_path, text.replace("service:kafka", "host")) == []


def test_kafka_default_heap_against_the_limit(tmp_path: Path) -> None:
    # no KAFKA_HEAP_OPTS: kafka-server-start.sh gives the broker -Xmx1G
    compose = """
services:
  kafka:
    image: apache/kafka:3.8.0
    mem_limit: 768m
  small-but-set:
    image: apache/kafka:3.8.0
    mem_limit: 800m
    environment: {KAFKA_HEAP_OPTS: -Xmx512m}
"""
    found = lint(tmp_path, compose)
    assert where(found) == [("jvm-heap-over-limit", *at(compose, "mem_limit: 768m", "mem_limit"))]
    assert found[0].message.startswith("the default KAFKA_HEAP_OPTS sets -Xmx1G")
    profile = """
name: heap
services:
  zookeeper: {kind: zookeeper}
  kafka:
    kind: kafka
    depends_on: [zookeeper]
    ports: ["127.0.0.1:9092:9092"]
    resources: {memory: 1GiB}
"""
    found = lint(tmp_path, profile, "heap.yml")
    assert where(found) == [("jvm-heap-over-limit", *at(profile, "resources: {memory", "memory"))]
    assert "limit 1g" in found[0].message


def test_b04_start_interval_without_a_declared_engine(tmp_path: Path) -> None:
    """A compose file (no target known) and a profile without ``target.engine`` get an info
    finding at start_interval; a profile that declares its engine gets none (>= 25) or the
    planner's warning (< 25: the key is omitted)."""
    compose = """
services:
  clickhouse:
    image: clickhouse/clickhouse-server:24.3-alpine
    healthcheck:
      test: ["CMD", "wget", "--spider", "-q", "http://127.0.0.1:8123/ping"]
      start_interval: 2s
"""
    found = lint(tmp_path, compose)
    assert where(found) == [("start-interval-engine", *at(compose, "start_interval"))]
    assert found[0].severity == "info"
    assert found[0].message == (
        "start_interval needs Docker Engine 25 or later (API 1.44); on an older engine "
        "docker compose refuses the file"
    )
    profile = """
name: b04
services:
  clickhouse:
    image: clickhouse/clickhouse-server:24.3-alpine
    healthcheck: {interval: 30s, start_period: 60s, start_interval: 2s}
"""
    found = lint(tmp_path, profile, "p.yml")
    assert where(found) == [
        ("start-interval-engine", *at(profile, "start_interval", "start_interval"))
    ]
    assert lint(tmp_path, 'target: {engine: "25.0.0"}\n' + profile.lstrip(), "p25.yml") == []
    old = lint(tmp_path, 'target: {engine: "24.0.7"}\n' + profile.lstrip(), "p24.yml")
    assert [(f.rule, f.severity, f.path) for f in old] == [
        ("render", "warning", "services.clickhouse.healthcheck.start_interval")
    ]
