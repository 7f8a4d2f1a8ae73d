"""Shared fixtures (plain helpers live in helpers.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_profile(tmp_path: Path) -> Callable[..., Path]:
    """Write a profile text to tmp_path/<name>.yml and return its path."""

    def _write(text: str, name: str = "profile") -> Path:
        path = tmp_path / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write
