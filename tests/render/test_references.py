"""Names a service uses must be declared top-level (issue 14 point 3).

Compose refuses ``refers to undefined secret pw``; stackgen refuses it first, at the key.
Profiles declare top-level ``secrets`` (file or environment) and ``configs``; the real loader
accepts what they render to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen


def _render(tmp_path: Path, text: str) -> tuple[int, str, str]:
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    done = run_stackgen("render", "p.yml", "-o", "compose.yml", cwd=tmp_path)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("field", "value", "where", "message"),
    [
        ("secrets", "[pw]", "4:15: services.web.secrets[0]", "undefined secret 'pw'"),
        ("networks", "[front]", "4:16: services.web.networks[0]", "undefined network 'front'"),
        (
            "configs",
            "[{source: c, target: /c}]",
            "4:16: services.web.configs[0].source",
            "undefined config 'c'",
        ),
        ("networks", "{back: {}}", "4:16: services.web.networks.back", "undefined network 'back'"),
    ],
)
def test_undeclared_name_is_an_error_at_its_key(
    tmp_path: Path, field: str, value: str, where: str, message: str
) -> None:
    code, out, err = _render(
        tmp_path, f"name: d\nservices:\n  web:\n    {field}: {value}\n    image: nginx:1.27\n"
    )
    assert code == 2
    assert out == ""
    assert err.startswith(f"p.yml:{where}: refers to {message}: declare it under top-level")
    assert not (tmp_path / "compose.yml").exists()
    # compose agrees: the same file with the name declared-less is refused
    (tmp_path / "raw.yml").write_text(
        f"services:\n  web:\n    image: nginx:1.27\n    {field}: {value}\n", encoding="utf-8"
    )
    assert compose_config("raw.yml", cwd=tmp_path, quiet=True).returncode == 1


def test_undeclared_named_volume_without_the_catalog_policy(tmp_path: Path) -> None:
    code, _, err = _render(
        tmp_path,
        "name: d\npolicies: {catalog: false}\nservices:\n  web:\n    image: nginx:1.27\n"
        "    volumes: [data:/data]\n",
    )
    assert code == 2
    assert err.startswith("p.yml:6:15: services.web.volumes[0]: refers to undefined volume 'data'")


def test_default_network_needs_no_declaration(tmp_path: Path) -> None:
    code, _, err = _render(
        tmp_path, "name: d\nservices:\n  web:\n    image: nginx:1.27\n    networks: [default]\n"
    )
    assert code == 0, err
    assert compose_config("compose.yml", cwd=tmp_path).clean


def test_top_level_secrets_and_configs_render_and_compose_reads_them(tmp_path: Path) -> None:
    (tmp_path / "pw.txt").write_text("s3cret\n", encoding="utf-8")
    code, _, err = _render(
        tmp_path,
        "name: d\nservices:\n  web:\n    image: nginx:1.27\n    secrets: [pw, token]\n"
        "    configs: [{source: site, target: /etc/site.conf}]\n    networks: [front]\n"
        "secrets:\n  pw: {file: ./pw.txt}\n  token: {environment: API_TOKEN}\n"
        "configs:\n  site: {content: 'listen 80;'}\nnetworks:\n  front: {}\n",
    )
    assert code == 0, err
    result = compose_config("compose.yml", cwd=tmp_path, env={"API_TOKEN": "t"})
    assert result.clean, result.stderr
    assert result.config is not None
    assert result.config["secrets"] == {
        "pw": {"name": "d_pw", "file": str(tmp_path / "pw.txt")},
        "token": {"name": "d_token", "environment": "API_TOKEN"},
    }
    assert result.config["configs"]["site"]["content"] == "listen 80;"
    web = result.config["services"]["web"]
    assert [s["source"] for s in web["secrets"]] == ["pw", "token"]
    assert web["configs"] == [{"source": "site", "target": "/etc/site.conf"}]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{}", "a secret needs exactly one of file or environment"),
        ("{file: a, environment: B}", "a secret needs exactly one of file or environment"),
        ("{external: true}", "unknown key 'external'"),
    ],
)
def test_secret_needs_one_source(tmp_path: Path, spec: str, message: str) -> None:
    code, _, err = _render(
        tmp_path, f"name: d\nservices:\n  web:\n    image: nginx:1.27\nsecrets:\n  pw: {spec}\n"
    )
    assert code == 2
    assert message in err
