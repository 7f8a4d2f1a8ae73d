"""docs/check.md's rule table is the rule registry, row for row."""

from __future__ import annotations

from helpers import REPO
from stackgen.lint.findings import RULES, SEVERITIES


def test_rule_table_matches_the_registry() -> None:
    text = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    table = []
    for row in rows:
        cells = [c.strip().replace("\\|", "|") for c in row.strip("|").split(" | ")]
        table.append((cells[0].strip("`"), *cells[1:]))
    expected = [(r.id, r.severity, r.summary, r.hint, r.source) for r in RULES.values()]
    assert table == expected
    assert all(r.severity in SEVERITIES for r in RULES.values())
