"""Short-syntax ports in compose files: stackgen refuses exactly what docker compose refuses.

Found by a new-user trial: `check` passed `ports: ["99999:80"]`, `["abc"]` and
`["8080-8000:80"]`, which `docker compose config` refuses (`invalid hostPort: 99999`), so a
user saw a clean check and a failing `up`. The real loader is the judge of every value here:
the expected verdicts are compose's, and the messages are the ones it printed for them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen
from stackgen.compose.port_rules import port_error

# what compose 2.40.3 printed for each (an empty string: it accepts the port)
KNOWN = {
    "80": "",
    "8080:80": "",
    "99999:80": "invalid hostPort: 99999",
    "abc": "invalid containerPort: abc",
    "8080-8000:80": "invalid hostPort: 8080-8000",
    "0:80": "",  # host port 0: docker picks one
    "80:0": "is missing a target port",
    "65536": "invalid containerPort: 65536",
    "000080:80": "",  # Go's ParseUint takes any number of leading zeros
    "+80:80": "invalid hostPort: +80",
    " 80": "invalid containerPort:  80",
    "::1:80:80": "",  # an unbracketed IPv6 host address: the parts before the last two
    "1.2.3:80:80": "invalid IP address: 1.2.3",
    "fe80::1%eth0:80:80": "invalid IP address: fe80::1%eth0",
    "[::1]:80:80": "",
    "[::1]x:80:80": "invalid IP address [::1]x",
    "80/TCP": "",  # the protocol is read in lower case
    "80/foo": "invalid proto: foo",
    "8080:80/tcp/udp": "invalid proto: tcp/udp",
    "80:": "invalid proto: ",
    "8000-8010:80": "",  # a host range for one container port
    "8000-8001:8000-8010": (
        "invalid ranges specified for container and host Ports: 8000-8010 and 8000-8001"
    ),
    "1-2-3:80": "",  # a range reads its first two parts
    "localhost:80:80": "invalid IP address: localhost",
}


def _compose_verdict(tmp_path: Path, port: object) -> tuple[bool, str]:
    (tmp_path / "compose.yml").write_text(
        f"services:\n  web:\n    image: nginx:1.27\n    ports:\n      - {json.dumps(port)}\n",
        encoding="utf-8",
    )
    result = compose_config(cwd=tmp_path, quiet=True)
    return result.returncode == 0, result.stderr


@pytest.mark.parametrize("port", sorted(KNOWN))
def test_the_rules_give_composes_verdict_and_words(port: str) -> None:
    assert port_error(port) == (KNOWN[port] or None)


@pytest.mark.parametrize("port", sorted(KNOWN))
def test_the_known_verdicts_are_the_engines(tmp_path: Path, port: str) -> None:
    accepted, stderr = _compose_verdict(tmp_path, port)
    assert accepted == (not KNOWN[port]), stderr
    assert KNOWN[port] in stderr


@pytest.mark.parametrize("port", [*sorted(KNOWN), 0, 80, 99999, -1, 80.5])
def test_check_refuses_exactly_what_compose_refuses(tmp_path: Path, port: object) -> None:
    accepted, _ = _compose_verdict(tmp_path, port)
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    if accepted:
        assert out.returncode == 0, out.stderr
    else:
        assert out.returncode == 2, out.stdout
        assert "compose.yml:5:9: services.web.ports[0]: " in out.stderr
        assert "is not a port docker compose reads" in out.stderr


def test_diff_refuses_a_port_compose_refuses(tmp_path: Path) -> None:
    good = "services:\n  web:\n    image: nginx:1.27\n    ports: ['8080:80']\n"
    (tmp_path / "left.yml").write_text(good, encoding="utf-8")
    (tmp_path / "right.yml").write_text(good.replace("8080:80", "99999:80"), encoding="utf-8")
    out = run_stackgen("diff", "left.yml", "right.yml", cwd=tmp_path)
    assert out.returncode == 2, out.stdout
    assert "right.yml:4:13: services.web.ports[0]: '99999:80' is not a port" in out.stderr
    assert "(invalid hostPort);" in out.stderr


def test_a_referenced_port_is_left_to_interpolation(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    ports: ['${PORT:-8080}:80']\n",
        encoding="utf-8",
    )
    assert run_stackgen("check", "compose.yml", cwd=tmp_path).returncode == 0


_ATOMS = [
    *("0", "1", "80", "8080", "65535", "65536", "99999", "000080", "+80", "-", ":", "::"),
    *("/", "tcp", "udp", "TCP", "sctp", "foo", "127.0.0.1", "[::1]", "::1", "[", "]"),
    *("1.2.3", "01.2.3.4", "fe80::1%eth0", " ", "a", "８0", "1_0", ""),
]


@pytest.mark.slow
def test_generated_ports_agree_with_the_engine(tmp_path: Path) -> None:
    rng = random.Random(19)
    ports = sorted({"".join(rng.choices(_ATOMS, k=rng.randint(1, 5))) for _ in range(300)})
    differ = []
    for port in ports:
        accepted, stderr = _compose_verdict(tmp_path, port)
        if accepted != (port_error(port) is None):
            differ.append((port, accepted, stderr, port_error(port)))
    assert differ == []


@pytest.mark.parametrize(
    ("left", "right"),
    [('"53:53/UDP"', '"53:53/udp"'), ('"0:80"', "{target: 80, published: '0'}")],
)
def test_diff_reads_them_as_compose_does(tmp_path: Path, left: str, right: str) -> None:
    # found by a new-user trial: 53:53/UDP was compared as text (2 changes); compose reads
    # the protocol in lower case and host port 0 as "any free port"
    head = "services:\n  dns:\n    image: coredns/coredns:1.11.3\n    ports: "
    (tmp_path / "a.yml").write_text(f"{head}[{left}]\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text(f"{head}[{right}]\n", encoding="utf-8")
    for name in ("a.yml", "b.yml"):
        assert compose_config(name, cwd=tmp_path, quiet=True).returncode == 0
    out = run_stackgen("diff", "a.yml", "b.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout


@pytest.mark.parametrize(("value", "refused"), [("99999", True), ("8080", False)])
def test_a_referenced_port_is_judged_with_the_variables_check_reads(
    tmp_path: Path, value: str, refused: bool
) -> None:
    # found by the second trial: ports: ["${P}:80"] with P=99999 in the .env passed check
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    ports: ['${P}:80']\n", encoding="utf-8"
    )
    (tmp_path / ".env").write_text(f"P={value}\n", encoding="utf-8")
    assert (compose_config(cwd=tmp_path, quiet=True).returncode != 0) == refused
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    if refused:
        assert out.returncode == 2, out.stdout
        assert "services.web.ports[0]: '99999:80' is not a port docker compose reads" in out.stderr
        assert "(after interpolation)" in out.stderr
    else:
        assert out.returncode == 0, out.stderr


@pytest.mark.parametrize(
    ("host_ip", "refused"),
    [("nope", True), ("[::1]", True), ("", True), ("1.2.3.4 ", True), ("::1", False),
     ("127.0.0.1", False)],
)  # fmt: skip
def test_a_long_syntax_host_ip_is_read_as_compose_reads_it(
    tmp_path: Path, host_ip: str, refused: bool
) -> None:
    # found by the second trial: check passed host_ip: nope and import wrote it
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n"
        f"    ports: [{{target: 80, host_ip: {json.dumps(host_ip)}}}]\n",
        encoding="utf-8",
    )
    assert (compose_config(cwd=tmp_path, quiet=True).returncode != 0) == refused
    for command in (["check", "compose.yml"], ["import", "compose.yml", "-o", "p.yml"]):
        out = run_stackgen(*command, cwd=tmp_path)
        if refused:
            assert out.returncode == 2, out.stdout
            assert "services.web.ports[0].host_ip: " in out.stderr
        else:
            assert out.returncode == 0, out.stderr
