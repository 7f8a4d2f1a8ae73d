"""profile: validation with file:line:col and did-you-mean, extends, --set."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackgen.errors import InputError
from stackgen.profile.load import load_profile


def diags(path: Path, sets: list[str] | None = None) -> list[str]:
    with pytest.raises(InputError) as err:
        load_profile(path, sets)
    return [str(d) for d in err.value.diagnostics]


def test_unknown_keys_at_every_level_with_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: demo\n"
        "defautls: {}\n"
        "services:\n"
        "  web:\n"
        "    image: nginx\n"
        "    heathcheck: {http: 'http://127.0.0.1/'}\n"
        "    healthcheck: {intervall: 5s, http: 'http://127.0.0.1/'}\n"
        "kafka:\n"
        "  consumer_group: {min_session_timeout: 6000}\n"
    )
    assert diags(path) == [
        f"{path}:2:1: defautls: unknown key 'defautls'; did you mean 'defaults'?",
        f"{path}:6:5: services.web.heathcheck: unknown key 'heathcheck'; did you mean "
        "'healthcheck'?",
        f"{path}:7:19: services.web.healthcheck.intervall: unknown key 'intervall'; did you "
        "mean 'interval'?",
        f"{path}:9:20: kafka.consumer_group.min_session_timeout: unknown key "
        "'min_session_timeout'; did you mean 'min_session_timeout_ms'?",
    ]


def test_compose_keys_pass_through(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: demo\nservices:\n  web:\n    image: nginx\n    logging: {driver: local}\n"
        "    extra_hosts: ['h:host-gateway']\n    build: {context: .}\n"
    )
    svc = load_profile(path).profile.services["web"]
    assert svc.passthrough == {
        "logging": {"driver": "local"},
        "extra_hosts": ["h:host-gateway"],
        "build": {"context": "."},
    }


def test_type_errors_are_positioned(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: Demo!\nservices:\n  web:\n    replicas: many\n    resources: {memory: lots}\n"
    )
    lines = diags(path)
    assert lines == [
        f"{path}:1:1: name: 'Demo!' is not a compose project name: use lowercase letters, "
        "digits, '_' and '-', starting with a letter or digit",
        f"{path}:4:5: services.web.replicas: must be an integer, got a string",
        f"{path}:5:17: services.web.resources.memory: not a size: 'lots'; use a number with "
        "unit b, k, m, g, kb, mb, gb, KiB, MiB or GiB, e.g. 512m or 1GiB, or a number of bytes, in ASCII digits with no spaces",
    ]


def test_env_values_keep_their_text(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: demo\nservices:\n  web:\n    image: nginx\n    environment:\n"
        "      A: yes\n      B: 1\n      C: 0644\n      D: true\n      E: 1e3\n      F:\n"
        "      G: {passthrough: true}\n"
    )
    env = load_profile(path).profile.services["web"].environment
    assert env["A"] == "yes" and env["B"] == "1" and env["C"] == "0644"
    assert env["D"] == "true" and env["E"] == "1e3" and env["F"] is None
    assert env["G"] is not None and not isinstance(env["G"], str)


def test_extends_merge_rule_and_marks(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(
        "name: base\nservices:\n  web:\n    image: nginx\n    ports: [80, 443]\n"
        "    environment: {A: a, B: b}\ndomains:\n  a.test: web:80\n"
    )
    child = tmp_path / "child.yml"
    child.write_text(
        "extends: base.yml\nname: child\nservices:\n  web:\n    ports: [8080]\n"
        "    environment: {B: B2, C: c}\ndomains:\n  a.test: null\n  b.test: web:8080\n"
    )
    loaded = load_profile(child, ["services.web.environment.A=override", "domains.c\\.test=web:80"])
    web = loaded.profile.services["web"]
    assert web.image == "nginx"  # inherited
    assert web.ports == [8080]  # lists replace
    assert web.environment == {"A": "override", "B": "B2", "C": "c"}  # mappings merge
    assert loaded.profile.domains == {"b.test": "web:8080", "c.test": "web:80"}  # null removes
    assert loaded.profile.extends == "base.yml"
    assert loaded.source.mark(("services", "web", "image")).file == str(tmp_path / "base.yml")
    assert loaded.source.mark(("services", "web", "ports")).file == str(child)
    assert loaded.source.mark(("services", "web", "environment", "A")).file == "<--set #1>"


def test_extends_cycle_and_missing_base(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yml", tmp_path / "b.yml"
    a.write_text("extends: b.yml\nname: a\nservices: {}\n")
    b.write_text("extends: a.yml\nname: b\nservices: {}\n")
    (line,) = diags(a)
    assert line.startswith(f"{b}:1:1: extends: extends cycle: ")
    assert "a.yml → b.yml → a.yml" in line
    c = tmp_path / "c.yml"
    c.write_text("name: c\nextends: nope.yml\nservices: {}\n")
    assert diags(c) == [
        f"{c}:2:1: extends: base profile '{(tmp_path / 'nope.yml').as_posix()}' not found "
        "(extends paths are relative to the profile that names them)"
    ]


def test_bad_set_expression(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("name: demo\nservices: {}\n")
    # reported with the profile's own problem (they are independent); without "=", path and
    # value cannot be told apart: nothing of the text is echoed
    assert diags(path, ["no-equals-sign"]) == [
        f"{path}:2:1: services: a profile needs at least one service",
        "<--set #1>:1:1: --set needs path.to.key=value (no '=' found)",
    ]
    assert diags(path, ["services..web=1"]) == [
        f"{path}:2:1: services: a profile needs at least one service",
        "<--set #1>:1:1: services..web: --set needs path.to.key=value (empty key)",
    ]


def test_set_null_on_a_missing_key_does_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("name: demo\nservices:\n  web: {image: nginx}\n")
    loaded = load_profile(path, ["services.ghost=null", "services.web.labels=null"])
    assert list(loaded.profile.services) == ["web"]
    assert loaded.profile.services["web"].labels == {}


def test_set_marks_only_the_key_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("name: demo\nservices:\n  web:\n    image: nginx\n")
    loaded = load_profile(path, ["services.web.replicas=2"])
    assert loaded.source.mark(("services", "web", "replicas")).file == "<--set #1>"
    assert loaded.source.mark(("services", "web")) == loaded.source.marks[("services", "web")]
    assert loaded.source.mark(("services", "web")).file == str(path)


def test_set_mistakes_point_at_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("name: demo\nservices:\n  web:\n    image: nginx\n    ports: [80]\n")
    # replacing a list by a mapping: the value is the command line's
    assert diags(path, ["services.web.ports.0=9090:80"]) == [
        "<--set #1>:1:14: services.web.ports: must be a list, got a mapping"
    ]


def test_passthrough_union_reports_one_plain_path(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: demo\nservices:\n  web:\n    image: nginx\n    environment: {B: {x: 1}}\n"
    )
    lines = diags(path)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:5:19: services.web.environment.B: ")
