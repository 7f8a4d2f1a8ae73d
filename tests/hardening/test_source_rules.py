"""Standing rules over the package source (issue 15): every kind of parsing fault found once
is ruled out everywhere, not only where it was found.

* A regular expression anchored with ``$`` also matches before a trailing newline in Python
  (``re.match(r"^no$", "no\\n")``): patterns end with ``\\Z`` (or are used with
  ``fullmatch``), unless compiled with ``re.MULTILINE`` for line-wise matching.
* ``\\d`` and ``str.isdigit()`` accept every Unicode digit (``٣``, ``²``), which compose does
  not: digits are ``[0-9]``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import REPO

SOURCES = sorted((REPO / "generator").rglob("*.py"))


def _regex_calls(tree: ast.AST) -> list[tuple[int, str, bool]]:
    """(line, pattern, multiline) of each re.compile/match/search/fullmatch with a literal
    pattern."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "re"):
            continue
        if node.func.attr not in {
            "compile",
            "match",
            "search",
            "fullmatch",
            "sub",
            "split",
            "finditer",
            "findall",
        }:
            continue
        if not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        pattern = node.args[0].value
        if not isinstance(pattern, str):
            continue
        flags = ast.unparse(node)
        found.append((node.lineno, pattern, "MULTILINE" in flags or "re.M" in flags))
    return found


def test_no_pattern_ends_with_a_dollar_anchor() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{line}: {pattern!r}"
        for path in SOURCES
        for line, pattern, multiline in _regex_calls(ast.parse(path.read_text("utf-8")))
        if not multiline and pattern.rstrip(")").endswith("$") and not pattern.endswith("\\$")
    ]
    assert offenders == []


def test_no_unicode_digit_classes_or_isdigit() -> None:
    offenders = []
    for path in SOURCES:
        text = path.read_text("utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            if (
                "\\d" in line
                or ".isdigit()" in line
                or ".isdecimal()" in line
                or ".isnumeric()" in line
            ):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_trailing_newline_reproducer_is_refused(tmp_path: Path) -> None:
    from helpers import run_stackgen

    (tmp_path / "p.yml").write_text(
        'name: p\nservices:\n  web:\n    image: nginx:1.27\n    restart: "no\\n"\n',
        encoding="utf-8",
    )
    done = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("p.yml:5:5: services.web.restart: ")
