"""Canonical form: one spelling per meaning (design.md "Canonical form")."""

from __future__ import annotations

from stackgen.compose.restart import engine_restart
from stackgen.compose.values import command_list, parse_port, parse_volume
from stackgen.diff.normalise import normalise


def service(**spec: object) -> dict[str, object]:
    """Normalise one service named ``s`` and return its canonical mapping."""
    data = normalise({"services": {"s": dict(spec)}}).data
    result: dict[str, object] = data["services"]["s"]
    return result


def test_env_keeps_pass_through_empty_and_value_distinct() -> None:
    env = service(environment=["A", "B=", "C=v", "D=1=2"])["environment"]
    assert env == {"A": None, "B": "", "C": "v", "D": "1=2"}


def test_env_map_numbers_and_booleans_become_text() -> None:
    env = service(environment={"PORT": 5432, "SSL": True, "RATIO": 1.5, "X": None})["environment"]
    assert env == {"PORT": "5432", "SSL": "true", "RATIO": "1.5", "X": None}


def test_env_repeated_key_keeps_last_value_and_extra_entry() -> None:
    env = service(environment=["A=1", "B=x", "A=2"])["environment"]
    # compose keeps the last value; the occurrence it ignores stays visible as A#2
    assert env == {"A": "2", "A#2": "1", "B": "x"}


def test_short_ports_expand_to_long_syntax() -> None:
    assert parse_port("0.0.0.0:8082:8082") == [
        {"target": 8082, "published": "8082", "protocol": "tcp", "host_ip": "0.0.0.0"}
    ]
    assert parse_port(8080) == [{"target": 8080, "protocol": "tcp"}]
    assert parse_port("53:53/udp") == [{"target": 53, "published": "53", "protocol": "udp"}]
    assert parse_port("[::1]:80:8080") == [
        {"target": 8080, "published": "80", "protocol": "tcp", "host_ip": "::1"}
    ]
    assert parse_port("127.0.0.1::5000") == [
        {"target": 5000, "protocol": "tcp", "host_ip": "127.0.0.1"}
    ]


def test_port_ranges_expand_pairwise() -> None:
    assert parse_port("9000-9001:8000-8001") == [
        {"target": 8000, "published": "9000", "protocol": "tcp"},
        {"target": 8001, "published": "9001", "protocol": "tcp"},
    ]


def test_long_port_drops_default_mode_and_stringifies_published() -> None:
    assert parse_port({"target": "80", "published": 8080, "mode": "ingress"}) == [
        {"target": 80, "published": "8080", "protocol": "tcp"}
    ]


def test_volumes_short_syntax() -> None:
    assert parse_volume("data:/var/lib/data:ro") == {
        "type": "volume",
        "source": "data",
        "target": "/var/lib/data",
        "read_only": True,
    }
    # compose creates a missing host folder for a short-syntax bind (and prints so)
    assert parse_volume("./conf:/etc/conf") == {
        "type": "bind",
        "source": "./conf",
        "target": "/etc/conf",
        "bind": {"create_host_path": True},
    }
    assert parse_volume("/cache") == {"type": "volume", "target": "/cache"}


def test_depends_on_list_means_service_started() -> None:
    assert service(depends_on=["db"])["depends_on"] == {"db": {"condition": "service_started"}}
    assert service(depends_on={"db": None})["depends_on"] == {
        "db": {"condition": "service_started"}
    }
    assert service(depends_on={"db": {"condition": "service_healthy", "required": True}})[
        "depends_on"
    ] == {"db": {"condition": "service_healthy"}}


def test_healthcheck_string_and_durations() -> None:
    check = service(healthcheck={"test": "pg_isready", "interval": "30000ms", "timeout": "1m"})[
        "healthcheck"
    ]
    assert check == {"test": ["CMD-SHELL", "pg_isready"], "interval": "30s", "timeout": "1m"}
    assert service(healthcheck={"disable": True})["healthcheck"] == {"test": ["NONE"]}


def test_command_string_is_split_like_a_shell() -> None:
    assert command_list("redis-server --save '60 1'") == ["redis-server", "--save", "60 1"]


def test_memory_spellings_meet_in_deploy_resources() -> None:
    assert service(mem_limit="1024m") == {"deploy": {"resources": {"limits": {"memory": "1g"}}}}
    both = service(mem_limit="2g", deploy={"resources": {"limits": {"memory": "4g"}}})
    assert both["mem_limit"] == "2g"  # disagreeing spellings both stay visible


def test_restart_policy_maps_to_engine_policy() -> None:
    assert engine_restart({"condition": "on-failure", "max_attempts": 3}) == "on-failure:3"
    assert engine_restart({"condition": "none"}) == "no"
    assert engine_restart({}) == "always"
    assert service(deploy={"restart_policy": {"condition": "any", "delay": "5000ms"}}) == {
        "restart": "always",
        "deploy": {"restart_policy": {"delay": "5s"}},
    }


def test_extensions_and_version_dropped_unless_asked() -> None:
    data = {"version": "3.8", "x-common": {"a": 1}, "services": {"s": {"x-note": 1, "image": "i"}}}
    assert normalise(data).data == {"services": {"s": {"image": "i"}}}
    kept = normalise(data, keep_extensions=True).data
    assert kept["x-common"] == {"a": 1}
    assert kept["services"]["s"]["x-note"] == 1


def test_origins_point_list_entries_at_their_input_position() -> None:
    canonical = normalise({"services": {"s": {"environment": ["A=1", "B=2"]}}})
    assert canonical.raw_path(("services", "s", "environment", "B")) == (
        "services",
        "s",
        "environment",
        1,
    )


def test_one_replica_is_the_default() -> None:
    assert service(image="a", deploy={"replicas": 1}) == {"image": "a"}
    assert service(image="a", deploy={"replicas": "1"}) == {"image": "a"}
    assert service(image="a", scale=1) == {"image": "a"}
    assert service(image="a", deploy=None) == {"image": "a"}
    assert service(image="a", deploy={"replicas": 1, "labels": {"x": "y"}}) == {
        "image": "a",
        "deploy": {"labels": {"x": "y"}},
    }
    assert service(scale=3) == service(deploy={"replicas": 3}) == {"deploy": {"replicas": 3}}
    assert service(deploy={"replicas": 0}) == {"deploy": {"replicas": 0}}
    # disagreeing spellings both stay, so the diff shows them
    assert service(scale=2, deploy={"replicas": 3}) == {"scale": 2, "deploy": {"replicas": 3}}


def test_interpolation_in_short_ports_is_one_opaque_token() -> None:
    # the `:` and `-` inside ${…} split nothing (no --env-file: the text is kept as written)
    assert parse_port("${PORT:-8080}:80") == [
        {"target": 80, "published": "${PORT:-8080}", "protocol": "tcp"}
    ]
    assert parse_port("${HOST_IP}:${P}:80/udp") == [
        {"target": 80, "published": "${P}", "protocol": "udp", "host_ip": "${HOST_IP}"}
    ]
    assert parse_port("${HOST_IP:-127.0.0.1}:${P:-80}:${T:-80}") == [
        {
            "target": "${T:-80}",
            "published": "${P:-80}",
            "protocol": "tcp",
            "host_ip": "${HOST_IP:-127.0.0.1}",
        }
    ]
    assert parse_port("${P:-${Q:-1:2}}:80/tcp") == [
        {"target": 80, "published": "${P:-${Q:-1:2}}", "protocol": "tcp"}
    ]
    assert parse_port("[::1]:80") == [{"target": 80, "protocol": "tcp", "host_ip": "::1"}]


def test_interpolation_in_short_volumes_and_extra_hosts_is_one_token() -> None:
    assert parse_volume("${DATA_DIR:-./data}:/data:ro") == {
        "type": "bind",
        "source": "${DATA_DIR:-./data}",
        "target": "/data",
        "read_only": True,
        "bind": {"create_host_path": True},
    }
    assert parse_volume("cache:${TARGET:-/var/cache}") == {
        "type": "volume",
        "source": "cache",
        "target": "${TARGET:-/var/cache}",
    }
    hosts = service(extra_hosts=["${HOST:-db}:${DB_IP:-10.0.0.2}", "api=${IP:-a=b}"])
    assert hosts["extra_hosts"] == {"${HOST:-db}": "${DB_IP:-10.0.0.2}", "api": "${IP:-a=b}"}
    env = service(environment=["URL=${BASE:-http://x}/a=b"])["environment"]
    assert env == {"URL": "${BASE:-http://x}/a=b"}
