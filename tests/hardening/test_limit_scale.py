"""``STACKGEN_LIMIT_SCALE``: the benchmark measures beyond the input limits (issue 19's
N=10,000), which guard a user's machine (issue 15); nothing else changes them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CODE = (
    "from stackgen.yamlio import limits as l; "
    "print(l.MAX_BYTES, l.MAX_NODES, l.MAX_SERVICES, l.MAX_ALIAS_NODES, l.MAX_DEPTH)"
)
DEFAULT = [4 * 1024 * 1024, 120_000, 5_000, 30_000, 64]


def _limits(value: str | None) -> list[int]:
    env = {k: v for k, v in os.environ.items() if k != "STACKGEN_LIMIT_SCALE"}
    if value is not None:
        env["STACKGEN_LIMIT_SCALE"] = value
    out = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return [int(v) for v in out.stdout.split()]


def test_the_limits_are_the_documented_ones_by_default() -> None:
    assert _limits(None) == DEFAULT


def test_a_scale_multiplies_the_size_limits_but_not_the_depth() -> None:
    assert _limits("10") == [v * 10 for v in DEFAULT[:4]] + [64]


@pytest.mark.parametrize("value", ["0", "101", "-2", "1.5", "x", "", "١٠"])
def test_any_other_value_leaves_the_limits_as_they_are(value: str) -> None:
    assert _limits(value) == DEFAULT
