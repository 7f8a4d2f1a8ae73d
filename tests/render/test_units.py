"""units: durations and sizes by value."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_stackgen
from stackgen.compose.units import (
    DURATION_FORMS,
    SIZE_FORMS,
    format_duration,
    format_size,
    parse_duration,
    parse_size,
)


def test_durations() -> None:
    assert parse_duration("1m30s") == 90.0
    assert parse_duration("500ms") == 0.5
    assert parse_duration("1h") == 3600.0
    assert parse_duration(30) == 30.0
    assert format_duration(90) == "1m30s"
    assert format_duration(0.5) == "500ms"
    with pytest.raises(ValueError):
        parse_duration("30 seconds")


def test_sizes() -> None:
    assert parse_size("512MiB") == 512 * 1024**2
    assert parse_size("1GiB") == parse_size("1g") == parse_size("1024m") == 1073741824
    assert parse_size("2048") == 2048
    assert format_size(1073741824) == "1g"
    assert format_size(512 * 1024**2) == "512m"
    assert format_size(1536 * 1024**2) == "1536m"
    assert format_size(1000) == "1000b"
    with pytest.raises(ValueError):
        parse_size("lots")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "not a duration: a list; use " + DURATION_FORMS),
        ({"a": 1}, "not a duration: a mapping; use " + DURATION_FORMS),
        (None, "not a duration: null; use " + DURATION_FORMS),
        (-5, "not a duration: -5 (a finite number of seconds, 0 or more)"),
        (float("nan"), "not a duration: nan (a finite number of seconds, 0 or more)"),
        (float("inf"), "not a duration: inf (a finite number of seconds, 0 or more)"),
    ],
)
def test_a_duration_of_any_other_type_is_a_value_error(value: object, message: str) -> None:
    """Found by the fuzz test: a list reached .strip() (an internal error, exit 3)."""
    with pytest.raises(ValueError) as err:
        parse_duration(value)  # type: ignore[arg-type]
    assert str(err.value) == message


def test_a_size_of_any_other_type_is_a_value_error() -> None:
    for value, message in (
        ([1], "not a size: a list; use " + SIZE_FORMS),
        (-1, "not a size: -1 (a number of bytes, 0 or more)"),
        (float("inf"), "not a size: inf (a number of bytes, 0 or more)"),
    ):
        with pytest.raises(ValueError) as err:
            parse_size(value)  # type: ignore[arg-type]
        assert str(err.value) == message
    assert parse_size(1.5e9) == 1_500_000_000


def test_a_wrong_type_for_a_duration_or_size_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "p.yml").write_text(
        "name: x\nservices:\n  web:\n    image: nginx\n"
        "    healthcheck: {test: [CMD, 'true'], timeout: [], interval: -1}\n"
        "    resources: {memory: {a: 1}}\n"
    )
    out = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == (
        "p.yml:5:40: services.web.healthcheck.timeout: not a duration: a list; use "
        f"{DURATION_FORMS}\n"
        "p.yml:5:53: services.web.healthcheck.interval: not a duration: -1 (a finite number "
        "of seconds, 0 or more)\n"
        f"p.yml:6:17: services.web.resources.memory: not a size: a mapping; use {SIZE_FORMS}\n"
    )
