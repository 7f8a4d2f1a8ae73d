"""Messages say what a value is in YAML's words (``a mapping``, ``null``, ``a tagged value``),
never a Python class name: a new-user trial saw ``must be a mapping, got Tagged`` for
``environment: !reset {}`` (yamlio.nodes.describe, used by the profile's messages and by the
duration, size and port readers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_stackgen
from stackgen.compose.ports import parse_port
from stackgen.compose.units import parse_duration, parse_size
from stackgen.yamlio.nodes import Tagged, describe


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "null"),
        (True, "a boolean"),
        (3, "a number"),
        (1.5, "a number"),
        ("x", "a string"),
        ([1], "a list"),
        ({"a": 1}, "a mapping"),
        (Tagged("!reset", {}), "a tagged value"),
    ],
)
def test_describe_names_each_yaml_value_kind(value: object, words: str) -> None:
    assert describe(value) == words


@pytest.mark.parametrize(
    ("read", "value", "start"),
    [
        (parse_duration, Tagged("!reset", "5s"), "not a duration: a tagged value; use "),
        (parse_duration, None, "not a duration: null; use "),
        (parse_size, True, "not a size: a boolean; use "),
        (parse_port, {"target": Tagged("!reset", 80)}, "target: a tagged value is not a port"),
        (parse_port, [80], "not a port: a list; use "),
    ],
)
def test_readers_name_no_python_class(read: object, value: object, start: str) -> None:
    with pytest.raises(ValueError) as caught:
        read(value)  # type: ignore[operator]
    assert str(caught.value).startswith(start)


def test_a_compose_tag_where_a_mapping_belongs_is_named_in_yaml_words(tmp_path: Path) -> None:
    text = "name: m1\nservices:\n  web:\n    image: nginx\n    environment: !reset {}\n"
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    result = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "p.yml:5:5: services.web.environment: must be a mapping, got a tagged value"
    ]
