"""ports: compose short syntax parsing and checks."""

from __future__ import annotations

import pytest

from stackgen.compose.ports import PortSpec, parse_port


def test_forms() -> None:
    assert parse_port(8082) == PortSpec(None, "8082", "8082")
    assert parse_port("8080:80") == PortSpec(None, "8080", "80")
    assert parse_port("80") == PortSpec(None, None, "80")
    assert parse_port("127.0.0.1::80") == PortSpec("127.0.0.1", None, "80")
    assert parse_port("0.0.0.0:8082:8082") == PortSpec("0.0.0.0", "8082", "8082")
    assert parse_port("[::1]:8080:80/udp") == PortSpec("::1", "8080", "80", "udp")
    # variables stay whole: compose interpolates them at `up` time
    assert parse_port("${PORT:-8080}:80") == PortSpec(None, "${PORT:-8080}", "80")
    assert parse_port("${IP}:${P}:80") == PortSpec("${IP}", "${P}", "80")


def test_ranges() -> None:
    assert parse_port("8000-8002:9000-9002").published_ports() == [8000, 8001, 8002]
    assert parse_port("9000-9002:80").target_ports() == [80]
    assert parse_port("${P}:80").published_ports() == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("abc", "is not a port mapping"),
        ("70000:80", "ports must be 1-65535"),
        ("8080:0", "ports must be 1-65535"),
        ("1.2.3:80:80", "'1.2.3' is not an IP address"),
        ("8080:80/xyz", "protocol .xyz. is not tcp, udp or sctp"),
        ("8000-8002:9000-9001", "ranges differ in length"),
        ("9002-9000:80", "ranges low-high"),
    ],
)
def test_invalid(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_port(spec)


def test_nested_variables_and_bracketed_addresses() -> None:
    assert parse_port("${P:-${Q:-1:2}}:80/tcp") == PortSpec(None, "${P:-${Q:-1:2}}", "80")
    assert parse_port("[::1]:80") == PortSpec("::1", None, "80")
