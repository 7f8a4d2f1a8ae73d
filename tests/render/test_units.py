"""units: durations and sizes by value."""

from __future__ import annotations

import pytest

from stackgen.units import format_duration, format_size, parse_duration, parse_size


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
