"""``policies``: each switch turns one of stackgen's additions off, and every addition that
stays on is recorded (``Stack.policy``) for the diff report; ``verbatim`` compose text."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackgen.errors import InputError
from stackgen.profile.load import load_profile
from stackgen.targets.compose.document import ComposeDocument
from stackgen.targets.compose.render import render
from stackgen.targets.compose.target import compose_document

STACK = """
name: t
policies: {POLICIES}
services:
  db:
    image: postgres:16
  broker:
    image: confluentinc/cp-kafka:7.7.0
    environment: {{KAFKA_ZOOKEEPER_CONNECT: "zk:2181"}}
  web:
    image: web:1
    depends_on: [db, broker]
    healthcheck: {{test: "wget -q --spider http://localhost:80/"}}
"""


def planned(tmp_path: Path, text: str) -> ComposeDocument:
    path = tmp_path / "p.yml"
    path.write_text(text)
    return compose_document(load_profile(path), source="p.yml")


def test_all_policies_on_add_and_record_each_addition(tmp_path: Path) -> None:
    stack = planned(tmp_path, STACK.format(POLICIES="{}"))
    data = stack.to_compose()
    web, db, broker = (data["services"][n] for n in ("web", "db", "broker"))
    assert data["name"] == "t"
    assert web["restart"] == "unless-stopped"
    assert db["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert web["depends_on"]["db"] == {"condition": "service_healthy"}
    assert web["healthcheck"]["test"] == ["CMD-SHELL", "wget -q --spider http://127.0.0.1:80/"]
    assert web["environment"]["KAFKA_SERVERS"] == "broker:29092"
    assert broker["ports"] == ["9092:9092"]
    assert broker["environment"]["KAFKA_BROKER_ID"] == "1"
    assert stack.policy["name"].startswith("policies.project_name")
    assert stack.policy["services.web.restart"] == "policies.restart: defaults.restart"
    assert stack.policy["services.db.healthcheck"] == (
        "policies.healthchecks: catalog probe of kind postgres"
    )
    assert stack.policy["services.web.depends_on.db.condition"] == (
        "policies.conditions: db has a healthcheck"
    )
    assert stack.policy["services.web.healthcheck.test"] == (
        "policies.probes: localhost → 127.0.0.1"
    )
    assert stack.policy["services.web.environment.KAFKA_SERVERS"] == (
        "policies.catalog: wired to its broker"
    )
    assert stack.policy["services.broker.ports"].startswith("policies.catalog")
    assert stack.policy["services.broker.environment.KAFKA_BROKER_ID"].startswith(
        "policies.catalog"
    )
    # what the profile says itself is never recorded as a policy's
    assert "services.broker.environment.KAFKA_ZOOKEEPER_CONNECT" not in stack.policy
    assert "services.web.image" not in stack.policy


def test_all_policies_off_render_exactly_what_the_profile_states(tmp_path: Path) -> None:
    off = (
        "{restart: false, healthchecks: false, conditions: false, catalog: false, "
        "probes: false, project_name: false}"
    )
    stack = planned(tmp_path, STACK.format(POLICIES=off))
    assert stack.to_compose() == {
        "services": {
            "db": {"image": "postgres:16"},
            "broker": {
                "image": "confluentinc/cp-kafka:7.7.0",
                "environment": {"KAFKA_ZOOKEEPER_CONNECT": "zk:2181"},
            },
            "web": {
                "image": "web:1",
                "depends_on": {
                    "db": {"condition": "service_started"},
                    "broker": {"condition": "service_started"},
                },
                "healthcheck": {"test": ["CMD-SHELL", "wget -q --spider http://localhost:80/"]},
            },
        }
    }
    assert stack.policy == {}
    text = render(stack)
    assert not any(line.startswith("name:") for line in text.splitlines())
    # the localhost probe is still pointed out, as a warning
    assert any("localhost" in w.message for w in stack.warnings)


def test_probe_errors_become_warnings_with_probes_off(tmp_path: Path) -> None:
    text = """
name: t
policies: {{probes: {probes}}}
services:
  web:
    image: web:1
    healthcheck: {{test: ["CMD", "curl -f http://127.0.0.1/ || exit 1"]}}
"""
    with pytest.raises(InputError, match="CMD runs without a shell"):
        planned(tmp_path, text.format(probes="true"))
    stack = planned(tmp_path, text.format(probes="false"))
    assert stack.to_compose()["services"]["web"]["healthcheck"]["test"] == [
        "CMD",
        "curl -f http://127.0.0.1/ || exit 1",
    ]
    assert any("CMD runs without a shell" in w.message for w in stack.warnings)


def test_kraft_broker_in_bitnami_naming_needs_no_zookeeper(tmp_path: Path) -> None:
    text = """
name: t
services:
  kafka:
    image: bitnami/kafka:3.7
    environment: {KAFKA_CFG_PROCESS_ROLES: "broker,controller"}
"""
    stack = planned(tmp_path, text)
    assert stack.to_compose()["services"]["kafka"]["environment"]["KAFKA_CFG_PROCESS_ROLES"] == (
        "broker,controller"
    )


def test_verbatim_is_written_without_escaping(tmp_path: Path) -> None:
    text = r"""
name: t
policies: {healthchecks: false}
services:
  db:
    image: postgres:16
    verbatim:
      healthcheck: {test: "pg_isready -U ${POSTGRES_USER:-postgres}", interval: $INTERVAL}
  job:
    image: busybox
    command: ["sh", "-c", "echo $HOME"]
    verbatim:
      entrypoint: ["sh", "-c", "chown ${UID}:0 /data && echo $$HOME"]
    depends_on: [db]
"""
    data = planned(tmp_path, text).to_compose()
    job = data["services"]["job"]
    # the profile's own command: every `$` literal; verbatim: compose text as given
    assert job["command"] == ["sh", "-c", "echo $$HOME"]
    assert job["entrypoint"] == ["sh", "-c", "chown ${UID}:0 /data && echo $$HOME"]
    assert data["services"]["db"]["healthcheck"] == {
        "test": "pg_isready -U ${POSTGRES_USER:-postgres}",
        "interval": "$INTERVAL",
    }
    # a verbatim healthcheck is the service's healthcheck for conditions
    assert job["depends_on"] == {"db": {"condition": "service_healthy"}}


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ("{image: a, verbatim: {environment: {A: b}}}", "verbatim: 'environment' is not a"),
        ("{image: a, verbatim: {nonsense: 1}}", "verbatim: 'nonsense' is not a"),
        ("{image: a, command: x, verbatim: {command: y}}", "'command' is given both"),
        (
            "{image: a, healthcheck: {tcp: 80}, verbatim: {healthcheck: {test: x}}}",
            "'healthcheck' is given both",
        ),
    ],
)
def test_verbatim_takes_only_pass_through_keys_once(
    tmp_path: Path, service: str, message: str
) -> None:
    path = tmp_path / "p.yml"
    path.write_text(f"name: t\nservices:\n  s: {service}\n")
    with pytest.raises(InputError, match=message):
        load_profile(path)


def test_long_syntax_ports_pass_through(tmp_path: Path) -> None:
    text = """
name: t
domains: {a.example.test: "web:8080"}
services:
  web:
    image: web:1
    ports: [{target: 8080, published: "80", host_ip: 127.0.0.1}]
"""
    data = planned(tmp_path, text).to_compose()
    assert data["services"]["web"]["ports"] == [
        {"target": 8080, "published": "80", "host_ip": "127.0.0.1"}
    ]


ZOOKEEPER = """
name: t
policies: {{catalog: false}}
services:
  zk:
    image: {image}
    environment: {env}
"""


def test_a_catalog_probe_brings_the_env_it_needs(tmp_path: Path) -> None:
    stack = planned(tmp_path, ZOOKEEPER.format(image="confluentinc/cp-zookeeper:7.7.0", env="{}"))
    zk = stack.to_compose()["services"]["zk"]
    # ZooKeeper answers `ruok` only when whitelisted: the probe is useless without it
    assert zk["healthcheck"]["test"][1].startswith("echo ruok")
    assert zk["environment"] == {"KAFKA_OPTS": "-Dzookeeper.4lw.commands.whitelist=ruok"}
    assert stack.policy["services.zk.environment.KAFKA_OPTS"] == (
        "policies.healthchecks: the probe needs it"
    )


def test_no_catalog_probe_when_the_service_sets_its_env_otherwise(tmp_path: Path) -> None:
    stack = planned(
        tmp_path,
        ZOOKEEPER.format(image="confluentinc/cp-zookeeper:7.7.0", env="{KAFKA_OPTS: -Xmx512m}"),
    )
    zk = stack.to_compose()["services"]["zk"]
    assert "healthcheck" not in zk
    assert zk["environment"] == {"KAFKA_OPTS": "-Xmx512m"}
    assert [w.message for w in stack.warnings] == [
        "no catalog healthcheck: its probe needs KAFKA_OPTS="
        "'-Dzookeeper.4lw.commands.whitelist=ruok', which the service sets otherwise"
    ]


def test_bitnami_zookeeper_gets_no_probe(tmp_path: Path) -> None:
    image = "bitnami/zookeeper:3.9"
    stack = planned(tmp_path, ZOOKEEPER.format(image=image, env="{}"))
    assert stack.to_compose()["services"]["zk"] == {"image": image, "restart": "unless-stopped"}


def test_official_zookeeper_probe_needs_no_env(tmp_path: Path) -> None:
    # the official image's docker-entrypoint.sh configures it from ZOO_* defaults; ZooKeeper
    # whitelists srvr by default and the image installs netcat: nothing to add to its env
    stack = planned(tmp_path, ZOOKEEPER.format(image="zookeeper:3.7.0", env="{}"))
    zk = stack.to_compose()["services"]["zk"]
    assert zk["healthcheck"]["test"] == [
        "CMD-SHELL", "echo srvr | nc -w 2 127.0.0.1 2181 | grep -q Mode"
    ]  # fmt: skip
    assert "environment" not in zk
