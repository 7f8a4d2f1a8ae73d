"""Reading (interpolation, env files, extends) and the -f merge with positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from diff.difftools import write_text

from stackgen.compose.envfile import parse_env_file
from stackgen.compose.reader import read_compose
from stackgen.compose.validate import read_model
from stackgen.errors import InputError


def model(tmp: Path, *texts: str) -> dict[str, object]:
    paths = [write_text(tmp, f"f{i}.yml", text) for i, text in enumerate(texts)]
    merged, _ = read_model(paths)
    data: dict[str, object] = merged.data
    return data


def test_sequences_append_but_command_replaces(tmp_path: Path) -> None:
    data = model(
        tmp_path,
        "services:\n  s:\n    command: [a, b]\n    dns: [1.1.1.1]\n    ports: ['80:80']\n",
        "services:\n  s:\n    command: [c]\n    dns: [8.8.8.8, 1.1.1.1]\n    ports: ['80:80', '81:81']\n",
    )
    s = data["services"]["s"]  # type: ignore[index]
    assert s["command"] == ["c"]
    assert s["dns"] == ["1.1.1.1", "8.8.8.8"]
    assert s["ports"] == ["80:80", "81:81"]  # same key replaced, new one appended


def test_volumes_merge_by_target_and_healthcheck_test_replaces(tmp_path: Path) -> None:
    data = model(
        tmp_path,
        # (names of two letters: compose reads `a:/data` as one field, a drive letter)
        "services:\n  s:\n    volumes: ['va:/data', 'vb:/logs']\n"
        "    healthcheck: {test: [CMD, a, b], retries: 3}\n",
        "services:\n  s:\n    volumes: ['vc:/data']\n    healthcheck: {test: [CMD, c]}\n",
    )
    s = data["services"]["s"]  # type: ignore[index]
    assert s["volumes"] == ["vc:/data", "vb:/logs"]
    assert s["healthcheck"] == {"test": ["CMD", "c"], "retries": 3}


def test_environment_list_and_map_merge_as_maps(tmp_path: Path) -> None:
    data = model(
        tmp_path,
        "services:\n  s:\n    environment: [A=1, B=2]\n",
        "services:\n  s:\n    environment: {B: 3, C: x}\n",
    )
    assert data["services"]["s"]["environment"] == {"A": "1", "B": 3, "C": "x"}  # type: ignore[index]


def test_reset_and_override_tags(tmp_path: Path) -> None:
    data = model(
        tmp_path,
        "services:\n  s:\n    ports: ['80:80']\n    environment: {A: '1', B: '2'}\n",
        "services:\n  s:\n    ports: !reset []\n    environment: !override {C: '3'}\n",
    )
    assert data["services"]["s"] == {"environment": {"C": "3"}}  # type: ignore[index]


def test_marks_point_at_the_file_that_supplied_the_value(tmp_path: Path) -> None:
    base = write_text(tmp_path, "a.yml", "services:\n  s:\n    image: one\n    restart: always\n")
    over = write_text(tmp_path, "b.yml", "services:\n  s:\n    image: two\n")
    merged, _ = read_model([base, over])
    assert merged.mark(("services", "s", "image")).file == str(over)
    restart = merged.mark(("services", "s", "restart"))
    assert (restart.file, restart.line) == (str(base), 4)


def test_extends_same_file_and_other_file(tmp_path: Path) -> None:
    write_text(
        tmp_path, "common.yml", "services:\n  base:\n    image: app\n    environment: [A=1]\n"
    )
    main = write_text(
        tmp_path,
        "main.yml",
        "services:\n"
        "  web:\n    extends: {file: common.yml, service: base}\n    environment: [B=2]\n"
        "  worker:\n    extends: web\n    command: [work]\n",
    )
    source, _ = read_compose(main)
    services = source.data["services"]
    assert services["web"] == {"image": "app", "environment": {"A": "1", "B": "2"}}
    assert services["worker"]["image"] == "app"
    assert services["worker"]["command"] == ["work"]
    image_mark = source.marks[("services", "web", "image")]
    assert image_mark.file.endswith("common.yml")


def test_extends_cycle_is_an_input_error(tmp_path: Path) -> None:
    path = write_text(tmp_path, "c.yml", "services:\n  a:\n    extends: b\n  b:\n    extends: a\n")
    with pytest.raises(InputError, match="extends cycle"):
        read_compose(path)


def test_variables_kept_literal_without_env_file(tmp_path: Path) -> None:
    path = write_text(
        tmp_path, "c.yml", "services:\n  s:\n    image: '${IMG:-nginx}:$TAG $$HOME'\n"
    )
    source, warnings = read_compose(path)
    # `$TAG` is the same reference as `${TAG}`; `$$HOME` is the literal text `$HOME`
    assert source.data["services"]["s"]["image"] == "${IMG:-nginx}:${TAG} $HOME"
    assert warnings == []


def test_variables_interpolated_from_env_file(tmp_path: Path) -> None:
    env = write_text(
        tmp_path,
        ".env",
        "# comment\nexport TAG=1.2 # trailing\nEMPTY=\nQUOTED=\"a\\nb\"\nSINGLE='${TAG}'\n"
        "REF=v${TAG}\nPASS\n",
    )
    values = parse_env_file(env)
    assert values == {
        "TAG": "1.2",
        "EMPTY": "",
        "QUOTED": "a\nb",
        "SINGLE": "${TAG}",
        "REF": "v1.2",
    }
    path = write_text(
        tmp_path,
        "c.yml",
        "services:\n  s:\n    image: 'nginx:${TAG}'\n    environment:\n"
        "      A: '${EMPTY:-dflt}'\n      B: '${EMPTY-dflt}'\n      C: '${MISSING}'\n"
        "      D: '${TAG:+set}'\n",
    )
    source, warnings = read_compose(path, env=values)
    s = source.data["services"]["s"]
    assert s["image"] == "nginx:1.2"
    assert s["environment"] == {"A": "dflt", "B": "", "C": "", "D": "set"}
    (warning,) = warnings
    assert (warning.path, warning.line) == ("services.s.environment.C", 7)


def test_required_variable_error_names_file_and_line(tmp_path: Path) -> None:
    path = write_text(tmp_path, "c.yml", "services:\n  s:\n    image: '${IMG:?set IMG}'\n")
    with pytest.raises(InputError) as info:
        read_compose(path, env={})
    (diag,) = info.value.diagnostics
    assert (diag.line, diag.path) == (3, "services.s.image")
    assert "set IMG" in diag.message


def test_services_must_be_a_mapping(tmp_path: Path) -> None:
    path = write_text(tmp_path, "c.yml", "services: [a, b]\n")
    with pytest.raises(InputError, match="mapping"):
        read_compose(path)
