"""What docker compose refuses beyond the schema (lint/consistency.py, build references).

Found by a new-user trial: `render` exited 0 and `check` passed files that `docker compose
config` refuses (network_mode with networks, dockerfile with dockerfile_inline, scale unlike
deploy.replicas, cpus unlike deploy.resources.limits.cpus, one container_name on two services).
Each case's verdict is the real loader's, in the test: check reports exactly the rule on a
refused file and nothing of these rules on an accepted one, and render refuses the profile
form of each kind before writing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen
from stackgen.api import check

REFUSED = {
    "network_mode with networks": (
        "a: {image: x, network_mode: host, networks: [default]}",
        ("exclusive-keys", "services.a.networks"),
    ),
    "dockerfile with dockerfile_inline": (
        "a: {image: x, build: {context: ., dockerfile: D, dockerfile_inline: 'FROM x'}}",
        ("exclusive-keys", "services.a.build.dockerfile_inline"),
    ),
    "platforms without platform": (
        "a: {image: x, platform: linux/amd64, build: {context: ., platforms: [linux/arm64]}}",
        ("exclusive-keys", "services.a.build.platforms"),
    ),
    "scale unlike replicas": (
        "a: {image: x, scale: 2, deploy: {replicas: 3}}",
        ("conflicting-values", "services.a.scale"),
    ),
    "cpus unlike limits": (
        "a: {image: x, cpus: 0.5, deploy: {resources: {limits: {cpus: '1'}}}}",
        ("conflicting-values", "services.a.cpus"),
    ),
    "mem_reservation unlike reservations": (
        "a: {image: x, mem_reservation: 1g, deploy: {resources: {reservations: {memory: 2g}}}}",
        ("conflicting-values", "services.a.mem_reservation"),
    ),
    "pids_limit unlike limits": (
        "a: {image: x, pids_limit: 10, deploy: {resources: {limits: {pids: 20}}}}",
        ("conflicting-values", "services.a.pids_limit"),
    ),
    "negative scale": ("a: {image: x, scale: -1}", ("negative-count", "services.a.scale")),
    "negative replicas": (
        "a: {image: x, deploy: {replicas: -1}}",
        ("negative-count", "services.a.deploy.replicas"),
    ),
    "one container_name twice": (
        "a: {image: x, container_name: same}\n  b: {image: x, container_name: same}",
        ("container-name-clash", "services.b.container_name"),
    ),
    "volume over a tmpfs": (
        "a: {image: x, tmpfs: [/t], volumes: ['./v:/t']}",
        ("mount-target-clash", "services.a.volumes[0]"),
    ),
    "secret without source": (
        "a: {image: x}\nsecrets: {s: {name: foo}}",
        ("source-missing", "secrets.s"),
    ),
    "config without source": (
        "a: {image: x}\nconfigs: {c: {name: foo}}",
        ("source-missing", "configs.c"),
    ),
    "probe list without CMD": (
        "a: {image: x, healthcheck: {test: [curl, -f, http://127.0.0.1/]}}",
        ("probe-test-form", "services.a.healthcheck.test"),
    ),
    "undeclared build secret": (
        "a: {image: x, build: {context: ., secrets: [npm]}}",
        ("undefined-reference", "services.a.build.secrets[0]"),
    ),
    "additional context of an unknown service": (
        "a: {image: x, build: {context: ., additional_contexts: {base: 'service:zz'}}}",
        ("undefined-service", "services.a.build.additional_contexts.base"),
    ),
}

ACCEPTED = {
    "equal spellings": (
        "a: {image: x, scale: 2, cpus: 0.5, mem_limit: 1g, deploy: {replicas: 2, resources: "
        "{limits: {cpus: '0.50', memory: 1024m}}}}"
    ),
    "two volumes on one target": "a: {image: x, volumes: ['./v:/t', './w:/t']}",
    "external secret and config": (
        "a: {image: x}\nsecrets: {s: {external: true}}\nconfigs: {c: {external: true}}"
    ),
    "network_mode alone": "a: {image: x, network_mode: host}",
}

RULES = {
    "exclusive-keys",
    "conflicting-values",
    "negative-count",
    "container-name-clash",
    "mount-target-clash",
    "source-missing",
    "probe-test-form",
    "undefined-reference",
    "undefined-service",
}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "compose.yml"
    path.write_text(f"services:\n  {body}\n", encoding="utf-8")
    return path


def _found(path: Path) -> list[tuple[str, str]]:
    findings = check([path], input_type="compose").findings
    return [(f.rule, f.path) for f in findings if f.rule in RULES]


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_compose_refuses_is_an_error_at_its_key(tmp_path: Path, case: str) -> None:
    body, expected = REFUSED[case]
    path = _write(tmp_path, body)
    assert compose_config(path.name, cwd=tmp_path, quiet=True).returncode == 1
    assert _found(path) == [expected]
    (finding,) = [f for f in check([path]).findings if f.rule == expected[0]]
    assert finding.severity == "error"


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_what_compose_accepts_gets_none_of_these(tmp_path: Path, case: str) -> None:
    path = _write(tmp_path, ACCEPTED[case])
    assert compose_config(path.name, cwd=tmp_path, quiet=True).returncode == 0
    assert _found(path) == []


@pytest.mark.parametrize(
    ("service", "rule"),
    [
        ("network_mode: host\n    networks: [default]", "exclusive-keys"),
        ("cpus: 0.5\n    deploy: {resources: {limits: {cpus: '1'}}}", "conflicting-values"),
        ("scale: 2\n    replicas: 3", "conflicting-values"),
    ],
)
def test_render_refuses_the_profile_forms_before_writing(
    tmp_path: Path, service: str, rule: str
) -> None:
    (tmp_path / "p.yml").write_text(
        f"name: t\nservices:\n  a:\n    image: nginx:1.27\n    {service}\n", encoding="utf-8"
    )
    out = run_stackgen("render", "p.yml", "-o", "out.yml", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert f"({rule})" in out.stderr
    assert not (tmp_path / "out.yml").exists()


def test_two_services_with_one_container_name_are_refused_by_render(tmp_path: Path) -> None:
    (tmp_path / "p.yml").write_text(
        "name: t\nservices:\n  a: {image: 'nginx:1.27', container_name: same}\n"
        "  b: {image: 'nginx:1.27', container_name: same}\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "-o", "out.yml", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "p.yml:4:" in out.stderr and "(container-name-clash)" in out.stderr
