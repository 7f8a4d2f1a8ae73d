"""Shared fixtures (plain helpers live in helpers.py) and the hypothesis settings profiles."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Bounded and reproducible in CI: a fixed number of examples, no timing (no timed tests in the
# suite), no example database written into the checkout. HYPOTHESIS_PROFILE=fuzz searches longer.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=5000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def write_profile(tmp_path: Path) -> Callable[..., Path]:
    """Write a profile text to tmp_path/<name>.yml and return its path."""

    def _write(text: str, name: str = "profile") -> Path:
        path = tmp_path / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write
