"""Shared fixtures (plain helpers live in helpers.py), the hypothesis settings profiles, and
the two markers that decide what the default run leaves out (README "Tests"):

* ``slow``: long tests (full fuzz counts, the wheel install, large inputs). The default run
  deselects them (``-m "not slow"`` in pyproject's addopts); ``pytest -m slow`` runs only
  them, ``.ci/run`` runs everything.
* ``fixtures``: tests that read the real third-party compose files of ``../shared/fixtures/real``
  (outside the repository: their projects own them). Without that folder they skip, naming
  it; with ``STACKGEN_REQUIRE_FIXTURES=1`` (set by ``.ci/run``) its absence is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from helpers import REAL, REPO

# Bounded and reproducible: a fixed number of examples, no timing (no timed tests in the
# suite), no example database written into the checkout. The default run takes a quick
# sample; `.ci/run` sets HYPOTHESIS_PROFILE=ci (the full count); `fuzz` searches longer.
for _name, _examples in (("quick", 25), ("ci", 200), ("fuzz", 5000)):
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        database=None,
        derandomize=_name != "fuzz",
        suppress_health_check=[HealthCheck.too_slow],
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

#: set by `.ci/run`: a fixtures test that cannot find ../shared/fixtures/real fails
REQUIRE_FIXTURES = os.environ.get("STACKGEN_REQUIRE_FIXTURES", "") == "1"


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path, REPO)
    except ValueError:
        return str(path)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, under ``STACKGEN_REQUIRE_FIXTURES=1``, fail) a ``fixtures`` test before any
    of its fixtures read the missing folder. Raised here, the skips share one location and
    ``-ra`` prints them as one line with their count."""
    if item.get_closest_marker("fixtures") is None or REAL.is_dir():
        return
    reason = (
        f"{_shown(REAL)} is absent (real third-party compose files, kept outside the "
        "repository; CI has them beside the checkout)"
    )
    if REQUIRE_FIXTURES:
        pytest.fail(f"STACKGEN_REQUIRE_FIXTURES=1 and {reason}", pytrace=False)
    pytest.skip(reason)


_SLOW_LEFT_OUT = pytest.StashKey[int]()


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Count the slow tests a ``-m`` expression left out (on an xdist worker: its own count,
    reported to the controller in :func:`pytest_sessionfinish`)."""
    if items:
        config = items[0].config
        slow = sum(1 for item in items if item.get_closest_marker("slow") is not None)
        config.stash[_SLOW_LEFT_OUT] = config.stash.get(_SLOW_LEFT_OUT, 0) + slow


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)  # set on an xdist worker
    if workeroutput is not None:
        workeroutput["slow_left_out"] = session.config.stash.get(_SLOW_LEFT_OUT, 0)


@pytest.hookimpl(optionalhook=True)  # an xdist hook
def pytest_testnodedown(node: Any, error: object) -> None:
    """xdist controller: every worker collects (and deselects) the same tests; keep one count."""
    count = getattr(node, "workeroutput", {}).get("slow_left_out", 0)
    config = node.config
    config.stash[_SLOW_LEFT_OUT] = max(config.stash.get(_SLOW_LEFT_OUT, 0), count)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say what the run left out and how to run it."""
    left_out = terminalreporter.config.stash.get(_SLOW_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"left out: {left_out} tests marked slow (full fuzz counts, the wheel install, "
            "large inputs); run them with `pytest -m slow`, or everything with `.ci/run`"
        )


@pytest.fixture
def write_profile(tmp_path: Path) -> Callable[..., Path]:
    """Write a profile text to tmp_path/<name>.yml and return its path."""

    def _write(text: str, name: str = "profile") -> Path:
        path = tmp_path / f"{name}.yml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write
