"""Found by a new-user trial: profiles Kubernetes cannot hold ended in "internal error" (exit 3).

A 64-character project name, a service whose derived names pass 63 characters, an
environment name the target version refuses and `cpus: 1e308` crashed the Kubernetes render
(the API-server check after the build, or an OverflowError) although each is the profile's
to fix: each is now exit 2 at its key. Probe timings beyond the API's int32 fields
(`periodSeconds: 9223369200`) passed every check and would be refused by the API server. And exec probes lost `$` on the way: the kubelet expands
`$(VAR)` and `$$` in them (prober.go, ExpandContainerCommandOnlyStatic), and `$$` in the
profile (two literal dollars) became one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import kubelet_expand, run_stackgen

LONG_SERVICE = "s" * 60


@pytest.mark.parametrize(
    ("profile", "where", "words"),
    [
        (
            "name: x\nservices:\n  web:\n    image: nginx:1.27\n    resources: {cpus: 1e308}\n",
            "p.yml:5:17: services.web.resources.cpus: ",
            "must be at most",  # the profile's own bound now (tests/hardening)
        ),
        (
            f"name: {'a' * 64}\nservices:\n  web:\n    image: nginx:1.27\n",
            "p.yml:1:1: name: ",
            "is longer than 63 characters",
        ),
        (
            "name: x\nkubernetes: {service_type: NodePort}\nservices:\n"
            f"  {LONG_SERVICE}:\n    image: nginx:1.27\n    ports: ['8080:80']\n"
            "    volumes: ['data:/data']\n",
            f"p.yml:4:3: services.{LONG_SERVICE}: ",
            f"need a Service {LONG_SERVICE}-public, longer than 63 characters",
        ),
        (
            f"name: x\nservices:\n  {'t' * 53}:\n    image: nginx:1.27\n"
            "    volumes: ['data:/data']\n",
            f"p.yml:3:3: services.{'t' * 53}: ",
            "names a StatefulSet",
        ),
        (
            "name: x\nservices:\n  web:\n    image: nginx:1.27\n    expose: ['80']\n"
            "    healthcheck: {command: 'true', interval: 2562047h}\n",
            "p.yml:6:36: services.web.healthcheck.interval: 9223369200 seconds is more than",
            "a Kubernetes probe field holds (int32)",
        ),
        (
            "name: x\nservices:\n  web:\n    image: nginx:1.27\n    expose: ['80']\n"
            "    healthcheck: {command: 'true', retries: 1100000000}\n",
            "p.yml:6:36: services.web.healthcheck.retries: 2200000000 as the liveness",
            "failureThreshold is more than a Kubernetes probe field holds (int32)",
        ),
        (
            f"name: x\nservices:\n  {'w' * 59}:\n    image: ghcr.io/x/app:1\n"
            "    ports: ['8080:8080']\n  web:\n    image: busybox:1.36\n"
            f"    command: [sleep, 1d]\n    depends_on: [{'w' * 59}]\n",
            f"p.yml:9:5: services.web.depends_on.{'w' * 59}: ",
            "in an init container wait-",  # found by the second trial: exit 3 before
        ),
        (
            'name: x\nkubernetes: {version: "1.25"}\nservices:\n  web:\n    image: nginx:1.27\n'
            '    environment: {"1BAD": "2"}\n',
            "p.yml:6:19: services.web.environment.1BAD: ",
            "must match [-._a-zA-Z][-._a-zA-Z0-9]* before Kubernetes 1.34",
        ),
    ],
)
def test_what_kubernetes_cannot_hold_is_the_profiles_error(
    tmp_path: Path, profile: str, where: str, words: str
) -> None:
    (tmp_path / "p.yml").write_text(profile, encoding="utf-8")
    out = run_stackgen("render", "p.yml", "--target", "kubernetes", "-o", "k.yml", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert where in out.stderr
    assert words in out.stderr
    assert "internal error" not in out.stderr
    assert not (tmp_path / "k.yml").exists()


def test_names_at_the_limits_render(tmp_path: Path) -> None:
    (tmp_path / "p.yml").write_text(
        f"name: {'a' * 63}\nkubernetes: {{service_type: NodePort}}\nservices:\n"
        f"  {'t' * 52}:\n    image: nginx:1.27\n    ports: ['8080:80']\n"
        "    volumes: ['data:/data']\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "--target", "kubernetes", "-o", "k.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr


def _docs(tmp_path: Path) -> list[dict[str, Any]]:
    (tmp_path / "p.yml").write_text(
        "name: x\nservices:\n  c:\n    image: ghcr.io/example/c:1\n    expose: ['7000']\n"
        "    environment: {OK_FILE: /tmp/ok}\n"
        '    healthcheck: {command: \'test -f "$(OK_FILE)" && test "$$" -gt 1\'}\n'
        "  d:\n    image: ghcr.io/example/d:1\n    depends_on: [c]\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "--target", "kubernetes", "-o", "k.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return list(yaml.safe_load_all((tmp_path / "k.yml").read_text(encoding="utf-8")))


def test_an_exec_probe_gives_the_container_the_profiles_text(tmp_path: Path) -> None:
    # the profile's text is literal: the container's shell must get it as written, as
    # compose gives it (compose writes $$(OK_FILE) and $$$$ for it)
    wanted = 'test -f "$(OK_FILE)" && test "$$" -gt 1'
    docs = _docs(tmp_path)
    c = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "c")
    container = c["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    for probe in ("readinessProbe", "livenessProbe"):
        command = container[probe]["exec"]["command"]
        assert command[:2] == ["sh", "-c"]
        assert kubelet_expand(command[2], env) == wanted
    d = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "d")
    (wait,) = d["spec"]["template"]["spec"]["initContainers"]
    script = kubelet_expand(wait["command"][2], env)
    assert f"( {wanted} )" in script


def test_the_cpu_quantity_refuses_what_int64_millicores_cannot_hold() -> None:
    from stackgen.targets.kubernetes.quantity import cpu

    assert cpu(1e12) == "1000000000000"  # 10**15 millicores: within int64
    with pytest.raises(ValueError, match="more than a Kubernetes quantity holds"):
        cpu(1e16)
    with pytest.raises(ValueError, match="more than a Kubernetes quantity holds"):
        cpu(1e308)


def test_a_credential_in_a_value_comes_from_the_secret(tmp_path: Path) -> None:
    # found by new-user trials: DATABASE_URL: postgres://app:pw@db stood in the Deployment
    # (the brief: secrets kept out of files), while diff masked it
    (tmp_path / "p.yml").write_text(
        "name: x\nservices:\n  web:\n    image: ghcr.io/example/web:1\n    environment:\n"
        "      DATABASE_URL: postgres://app:dburlsecret9@db:5432/app\n"
        "      PUBLIC_URL: https://example.test/app\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "--target", "kubernetes", "-o", "k.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "k.yml").read_text(encoding="utf-8")
    assert "dburlsecret9" not in text
    docs = list(yaml.safe_load_all(text))
    web = next(d for d in docs if d["kind"] == "Deployment")
    env = {e["name"]: e for e in web["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DATABASE_URL"] == {
        "name": "DATABASE_URL",
        "valueFrom": {"secretKeyRef": {"name": "x-env", "key": "DATABASE_URL"}},
    }
    assert env["PUBLIC_URL"] == {"name": "PUBLIC_URL", "value": "https://example.test/app"}


def test_a_credential_in_a_command_comes_from_the_secret(tmp_path: Path) -> None:
    # found by the second trial: redis-server --requirepass pw123 stood in the args while
    # REDISCLI_AUTH (the same value) came from the Secret
    (tmp_path / "p.yml").write_text(
        "name: cat\nservices:\n  redis:\n    kind: redis\n"
        "    command: [redis-server, --port, '6380', --requirepass, pw123]\n"
        "  web:\n    image: ghcr.io/x/app:1\n    command: [curl, -u, 'admin:curlpw9', http://x]\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "--target", "kubernetes", "-o", "k.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "k.yml").read_text(encoding="utf-8")
    assert "pw123" not in text and "curlpw9" not in text
    docs = list(yaml.safe_load_all(text))
    for name, args, key in (
        ("redis", ["redis-server", "--port", "6380", "--requirepass", "$(REDIS_ARG_SECRET_1)"],
         "REDIS_ARG_SECRET_1"),
        ("web", ["curl", "-u", "admin:$(WEB_ARG_SECRET_1)", "http://x"], "WEB_ARG_SECRET_1"),
    ):  # fmt: skip
        workload = next(
            d for d in docs if d["kind"] in ("Deployment", "StatefulSet")
            and d["metadata"]["name"] == name
        )  # fmt: skip
        container = workload["spec"]["template"]["spec"]["containers"][0]
        assert container["args"] == args
        env = {e["name"]: e for e in container["env"]}
        assert env[key]["valueFrom"]["secretKeyRef"] == {"name": "cat-env", "key": key}
