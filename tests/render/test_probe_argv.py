"""A CMD probe's argv is checked for shell text no shell reads (probe-cmd-shell), and only
that: inline code after -e/-c is a program's own script (issue 14 point 6)."""

from __future__ import annotations

import pytest

from stackgen.catalog.probes import check_test

NODE = (
    "require('http').get('http://127.0.0.1:3000', r => process.exit(r.statusCode === 200 ? 0 : 1))"
)


@pytest.mark.parametrize(
    "test",
    [
        ["CMD", "node", "-e", NODE],
        ["CMD", "python", "-c", "import sys; sys.exit(0 if 1 > 0 else 1)"],
        ["CMD", "bash", "-c", "curl -f http://127.0.0.1/ || exit 1"],
        ["CMD", "/bin/sh", "-ec", "pg_isready | grep accepting"],
        ["CMD", "php", "-r", "exit(0);"],
        ["CMD", "redis-cli", "ping"],
        ["CMD", "wget", "-qO-", "http://127.0.0.1/?a=1&b=2"],
    ],
)
def test_valid_cmd_forms_pass(test: list[str]) -> None:
    assert [p for p in check_test(test, "node:20")[1] if p.rule == "probe-cmd-shell"] == []


@pytest.mark.parametrize(
    ("test", "flagged"),
    [
        (["CMD", "curl -f http://127.0.0.1/ || exit 1"], "curl -f http://127.0.0.1/ || exit 1"),
        (["CMD", "curl", "-f", "http://127.0.0.1/ || exit 1"], "http://127.0.0.1/ || exit 1"),
        (["CMD", "curl", "-f", "http://x", "||", "exit", "1"], "||"),
        (["CMD", "pg_isready", ">/dev/null"], ">/dev/null"),
        (["CMD", "test", "$(cat /ready)"], "$(cat /ready)"),
    ],
)
def test_shell_text_in_cmd_is_flagged(test: list[str], flagged: str) -> None:
    problems = [p for p in check_test(test, "nginx:1.27")[1] if p.rule == "probe-cmd-shell"]
    assert len(problems) == 1
    assert f'CMD runs without a shell; "{flagged}" would be executed as' in problems[0].message
