"""undefined-service, dependency-cycle, undefined-reference: what docker compose refuses.

Each case's verdict comes from the real Docker Compose v2 loader (``config -q`` exits 1 on every
refused case and 0 on every accepted one) as well as from ``stackgen check``: a file the engine
refuses never passes check, and a file it accepts gets none of these errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from stackgen.api import check

REFUSED = {
    "depends_on list": (
        "services: {web: {image: x, depends_on: [nope]}}",
        ["undefined-service services.web.depends_on[0]"],
    ),
    "depends_on required false": (
        "services: {web: {image: x, depends_on: {nope: {condition: service_started, "
        "required: false}}}}",
        ["undefined-service services.web.depends_on.nope"],
    ),
    "links alias": (
        'services: {web: {image: x, links: ["nope:db"]}}',
        ["undefined-service services.web.links[0]"],
    ),
    "volumes_from ro": (
        'services: {web: {image: x, volumes_from: ["nope:ro"]}}',
        ["undefined-service services.web.volumes_from[0]"],
    ),
    "network_mode service": (
        'services: {web: {image: x, network_mode: "service:nope"}}',
        ["undefined-service services.web.network_mode"],
    ),
    "pid service": (
        'services: {web: {image: x, pid: "service:nope"}}',
        ["undefined-service services.web.pid"],
    ),
    "cycle through links and volumes_from": (
        "services: {web: {image: x, links: [api]}, api: {image: x, volumes_from: [web]}}",
        ["dependency-cycle services.web"],
    ),
    "self cycle": (
        "services: {web: {image: x, depends_on: [web]}}",
        ["dependency-cycle services.web"],
    ),
    "undeclared secret, network, volume": (
        "services: {web: {image: x, secrets: [pw], networks: [front], volumes: ['data:/d']}}",
        [
            "undefined-reference services.web.networks[0]",
            "undefined-reference services.web.secrets[0]",
            "undefined-reference services.web.volumes[0]",
        ],
    ),
}

ACCEPTED = {
    "container volumes_from": 'services: {web: {image: x, volumes_from: ["container:abc"]}}',
    "default network": "services: {web: {image: x, networks: [default]}}",
    "declared names": (
        "services: {web: {image: x, depends_on: [api], links: ['api:db'], secrets: [pw], "
        "volumes: ['data:/d', './here:/h']}, api: {image: x}, sidecar: {image: x, "
        "network_mode: 'service:web'}}\n"
        "secrets: {pw: {environment: PW}}\nvolumes: {data: {}}"
    ),
    "ipc shareable": "services: {web: {image: x, ipc: shareable}}",
}

OURS = {"undefined-service", "dependency-cycle", "undefined-reference"}


def _ours(path: Path) -> list[str]:
    findings = check([path], input_type="compose").findings
    return sorted(f"{f.rule} {f.path}" for f in findings if f.rule in OURS)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_compose_refuses_is_an_error_at_its_key(tmp_path: Path, case: str) -> None:
    text, expected = REFUSED[case]
    path = tmp_path / "compose.yml"
    path.write_text(text + "\n", encoding="utf-8")
    assert compose_config(path, cwd=tmp_path, env={"PW": "x"}, quiet=True).returncode == 1
    assert _ours(path) == sorted(expected)
    assert all(f.severity == "error" for f in check([path]).findings if f.rule in OURS)


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_what_compose_accepts_gets_none_of_these_errors(tmp_path: Path, case: str) -> None:
    path = tmp_path / "compose.yml"
    path.write_text(ACCEPTED[case] + "\n", encoding="utf-8")
    assert compose_config(path, cwd=tmp_path, env={"PW": "x"}, quiet=True).returncode == 0
    assert _ours(path) == []


def test_the_cycle_is_named_in_the_direction_services_wait(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_text(
        "services: {a: {image: x, depends_on: [b]}, b: {image: x, depends_on: [c]}, "
        "c: {image: x, depends_on: [a]}, d: {image: x}}\n",
        encoding="utf-8",
    )
    (finding,) = [f for f in check([path]).findings if f.rule == "dependency-cycle"]
    assert "a -> b -> c -> a" in finding.message
    assert (finding.line, finding.col) == (1, 12)  # the key a: services: {a
