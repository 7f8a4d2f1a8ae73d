"""The diff halves of the report cases (tests/cases/reports/<id>/), each with its verdict."""

from __future__ import annotations

from pathlib import Path

from diff.difftools import run_diff, split_case, write_text

from stackgen.api import diff
from stackgen.compose.merge import merge_files
from stackgen.compose.reader import read_compose
from stackgen.diff.normalise import normalise


def test_b34_env_list_vs_map_is_no_drift(tmp_path: Path) -> None:
    left, right = split_case("B34", tmp_path)
    assert run_diff(left, right).changes == ()


def test_b34_empty_string_is_not_pass_through(tmp_path: Path) -> None:
    left, right = split_case("B34", tmp_path)
    right.write_text(right.read_text().replace("- ADMIN_PASSWORD\n", "- ADMIN_PASSWORD=\n"))
    (change,) = run_diff(left, right).changes
    assert change.path == "services.backend.environment.ADMIN_PASSWORD"
    assert (change.kind, change.left, change.right) == ("changed", None, "")
    assert change.category == "env"


def test_b34_changed_value_is_one_change(tmp_path: Path) -> None:
    left, right = split_case("B34", tmp_path)
    right.write_text(right.read_text().replace("SSL=true", "SSL=false"))
    (change,) = run_diff(left, right).changes
    assert (change.path, change.left, change.right) == (
        "services.backend.environment.SSL",
        "true",
        "false",
    )
    # `- SSL=false` is the first list item, on line 5 of the hand-edited document
    assert (change.file, change.line) == (str(right), 5)


def test_b35_int_vs_string_and_port_syntax_is_no_drift(tmp_path: Path) -> None:
    left, right = split_case("B35", tmp_path)
    assert run_diff(left, right).changes == ()


def test_b35_published_change_is_one_change_with_quoted_values(tmp_path: Path) -> None:
    left, right = split_case("B35", tmp_path)
    right.write_text(right.read_text().replace('published: "8082"', 'published: "18082"'))
    (change,) = run_diff(left, right).changes
    assert change.path == "services.backend.ports[target=8082].published"
    assert (change.left, change.right, change.category) == ("8082", "18082", "ports")


def test_b36_only_command_order_is_reported(tmp_path: Path) -> None:
    left, right = split_case("B36", tmp_path)
    result = run_diff(left, right)
    (change,) = result.changes
    assert change.path == "services.backend.command"
    assert change.left == ["/build/backend", "-runtime=graph"]
    assert change.right == ["-runtime=graph", "/build/backend"]
    assert result.exit_code == 1


def test_b38_repeated_entries_are_reported(tmp_path: Path) -> None:
    left, right = split_case("B38", tmp_path)
    changes = run_diff(left, right).changes
    assert len(changes) == 2
    by_category = {c.category: c for c in changes}
    port, env = by_category["ports"], by_category["env"]
    assert port.kind == "added"
    assert port.right == {"target": 8082, "published": "8082", "protocol": "tcp"}
    assert env.kind == "added"
    assert env.path == "services.backend.environment.JIRA_CLIENT_ID#2"


def test_b01_list_depends_on_is_service_started(tmp_path: Path) -> None:
    rendered = """services:
  backend:
    image: ghcr.io/example/backend:1.0
    depends_on:
      postgres:
        condition: service_healthy
  postgres:
    image: postgres:16
    healthcheck:
      test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "app", "-d", "app"]
"""
    left = write_text(tmp_path, "left.yml", rendered)
    hand = rendered.replace(
        "    depends_on:\n      postgres:\n        condition: service_healthy\n",
        "    depends_on: [postgres]\n",
    )
    right = write_text(tmp_path, "right.yml", hand)
    (change,) = run_diff(left, right).changes
    assert change.path == "services.backend.depends_on.postgres.condition"
    assert (change.left, change.right) == ("service_healthy", "service_started")
    assert change.category == "dependencies"
    assert change.line == 4  # the `depends_on: [postgres]` line


def test_b27_effective_model_appends_ports_and_warns_on_null(tmp_path: Path) -> None:
    base, override = split_case("B27", tmp_path)
    expected = write_text(
        tmp_path,
        "effective.yml",
        """services:
  backend:
    ports: ["8082:8082", "18082:8082"]
    environment:
      LOG_LEVEL: debug
      OTLP_ENDPOINT: null
""",
    )
    result = run_diff(expected, base, override)
    assert result.changes == ()
    (warning,) = result.warnings
    assert warning.path == "services.backend.environment.OTLP_ENDPOINT"
    assert "!reset null" in warning.message
    assert (warning.file, warning.line) == (str(override), 7)


def test_b27_override_against_base_counts_three_changes(tmp_path: Path) -> None:
    base, override = split_case("B27", tmp_path)
    changes = run_diff(base, base, override).changes
    assert {(c.path, c.kind) for c in changes} == {
        ("services.backend.ports[target=8082#2]", "added"),
        ("services.backend.environment.LOG_LEVEL", "changed"),
        ("services.backend.environment.OTLP_ENDPOINT", "changed"),
    }


def test_b27_last_file_wins_for_ports_would_be_a_change(tmp_path: Path) -> None:
    base, override = split_case("B27", tmp_path)
    only_override = write_text(
        tmp_path,
        "wrong.yml",
        'services:\n  backend:\n    ports: ["18082:8082"]\n'
        "    environment:\n      LOG_LEVEL: debug\n      OTLP_ENDPOINT: null\n",
    )
    (change,) = diff(only_override, [base, override]).changes
    assert change.kind == "added"
    assert change.right == {"target": 8082, "published": "8082", "protocol": "tcp"}


def test_b06_string_test_equals_cmd_shell_list(tmp_path: Path) -> None:
    probe = "redis-cli -h 127.0.0.1 ping | grep -q PONG"
    left = write_text(
        tmp_path,
        "l.yml",
        f'services:\n  cache:\n    healthcheck:\n      test: ["CMD-SHELL", "{probe}"]\n',
    )
    right = write_text(
        tmp_path, "r.yml", f'services:\n  cache:\n    healthcheck:\n      test: "{probe}"\n'
    )
    assert run_diff(left, right).changes == ()


def test_b09_localhost_vs_ipv4_loopback_is_a_change(tmp_path: Path) -> None:
    text = (
        "services:\n  clickhouse:\n    healthcheck:\n"
        '      test: ["CMD-SHELL", "wget -q --spider http://{}:8123/ping || exit 1"]\n'
    )
    left = write_text(tmp_path, "l.yml", text.format("127.0.0.1"))
    right = write_text(tmp_path, "r.yml", text.format("localhost"))
    (change,) = run_diff(left, right).changes
    assert (change.path, change.category) == ("services.clickhouse.healthcheck.test", "probes")


def test_b12_dollar_escapes_are_read_back(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        "c.yml",
        "services:\n  postgres:\n    healthcheck:\n"
        '      test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U \\"$$POSTGRES_USER\\" -d '
        '\\"$${POSTGRES_DB}\\" && test $$(date +%s) -gt 0"]\n',
    )
    source, _ = read_compose(path)
    merged, _ = merge_files([source])
    test = normalise(merged.data).data["services"]["postgres"]["healthcheck"]["test"]
    assert test == [
        "CMD-SHELL",
        'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "${POSTGRES_DB}" && test $(date +%s) -gt 0',
    ]


def test_b13_dollar_literals_round_trip_without_drift(tmp_path: Path) -> None:
    rendered = write_text(
        tmp_path,
        "rendered.yml",
        "services:\n  backend:\n    environment:\n"
        '      ADMIN_PASSWORD: "pa$$word$$$$x"\n'
        '      PASSWORD_HASH: "$$2a$$08$$abcdefghijklmnopqrstuv"\n',
    )
    source, _ = read_compose(rendered)
    env = normalise(merge_files([source])[0].data).data["services"]["backend"]["environment"]
    assert env == {"ADMIN_PASSWORD": "pa$word$$x", "PASSWORD_HASH": "$2a$08$abcdefghijklmnopqrstuv"}
    same = write_text(
        tmp_path,
        "hand.yml",
        "services:\n  backend:\n    environment:\n"
        "      - ADMIN_PASSWORD=pa$$word$$$$x\n"
        "      - PASSWORD_HASH=$$2a$$08$$abcdefghijklmnopqrstuv\n",
    )
    assert run_diff(rendered, same).changes == ()


def test_b23_restart_policy_spellings_are_equal(tmp_path: Path) -> None:
    left = write_text(
        tmp_path,
        "l.yml",
        "services:\n  backend:\n    restart: 'on-failure:5'\n"
        "  frontend:\n    restart: always\n  migrate:\n    restart: 'no'\n",
    )
    right = write_text(
        tmp_path,
        "r.yml",
        "services:\n"
        "  backend:\n    deploy: {restart_policy: {condition: on-failure, max_attempts: 5}}\n"
        "  frontend:\n    deploy: {restart_policy: {condition: any}}\n"
        "  migrate:\n    deploy: {restart_policy: {condition: none}}\n",
    )
    assert run_diff(left, right).changes == ()


def test_b23_different_engine_policy_is_a_restart_change(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", "services:\n  frontend:\n    restart: always\n")
    right = write_text(
        tmp_path,
        "r.yml",
        "services:\n  frontend:\n    deploy: {restart_policy: {condition: none}}\n",
    )
    (change,) = run_diff(left, right).changes
    assert (change.path, change.left, change.right) == ("services.frontend.restart", "always", "no")
    assert change.category == "restart"


def test_b24_memory_limit_spellings_are_equal(tmp_path: Path) -> None:
    left = write_text(
        tmp_path,
        "l.yml",
        "services:\n  backend:\n    deploy: {resources: {limits: {memory: 2g}}}\n",
    )
    right = write_text(tmp_path, "r.yml", "services:\n  backend:\n    mem_limit: 2048m\n")
    assert run_diff(left, right).changes == ()
    bigger = write_text(tmp_path, "b.yml", "services:\n  backend:\n    mem_limit: 4g\n")
    (change,) = run_diff(left, bigger).changes
    assert change.path == "services.backend.deploy.resources.limits.memory"
    assert (change.left, change.right, change.category) == ("2g", "4g", "resources")
    assert change.line == 3  # where mem_limit stands


def test_b31_kafka_log_change_adds_recreate_hint(tmp_path: Path) -> None:
    left = write_text(
        tmp_path,
        "l.yml",
        'services:\n  kafka:\n    environment:\n      KAFKA_LOG_RETENTION_HOURS: "1"\n',
    )
    right = write_text(
        tmp_path,
        "r.yml",
        'services:\n  kafka:\n    environment:\n      KAFKA_LOG_RETENTION_HOURS: "2"\n',
    )
    result = run_diff(left, right)
    assert len(result.changes) == 1
    assert result.drift.hints == (
        "apply with: docker compose up -d kafka (restart does not pick up new environment)",
    )


def test_scale_and_replicas_are_the_same(tmp_path: Path) -> None:
    left = write_text(
        tmp_path,
        "l.yml",
        "services:\n  web:\n    image: nginx:1.27\n" + "    deploy: {replicas: 2}\n",
    )
    right = write_text(
        tmp_path, "r.yml", "services:\n  web:\n    image: nginx:1.27\n" + "    scale: 2\n"
    )
    assert run_diff(left, right).changes == ()
    three = write_text(
        tmp_path, "r3.yml", "services:\n  web:\n    image: nginx:1.27\n" + "    scale: 3\n"
    )
    (change,) = run_diff(left, three).changes
    assert (change.path, change.left, change.right) == ("services.web.deploy.replicas", 2, 3)
    assert change.line == 4  # the `scale: 3` line


def test_interpolated_short_port_equals_its_long_syntax(tmp_path: Path) -> None:
    left = write_text(
        tmp_path, "l.yml", 'services:\n  s:\n    image: a\n    ports: ["${PORT:-8080}:80"]\n'
    )
    right = write_text(
        tmp_path,
        "r.yml",
        "services:\n  s:\n    image: a\n    ports:\n"
        '      - {target: 80, published: "${PORT:-8080}"}\n',
    )
    assert run_diff(left, right).changes == ()
    right.write_text(right.read_text().replace("8080", "9090"))
    (change,) = run_diff(left, right).changes
    assert change.path == "services.s.ports[target=80].published"
    assert (change.left, change.right) == ("${PORT:-8080}", "${PORT:-9090}")
