"""Helpers for the diff tests: fixture paths, two-document cases, YAML writing, drift of files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from stackgen.api import diff
from stackgen.diff.pipeline import DiffResult

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
CASES = FIXTURES / "cases"
REAL = FIXTURES / "real"


def case_dir(prefix: str) -> Path:
    """The case folder whose name starts with ``prefix`` (``B34``)."""
    (found,) = [p for p in CASES.iterdir() if p.name.startswith(prefix + "-")]
    return found


def split_case(prefix: str, tmp: Path) -> tuple[Path, Path]:
    """Write the two documents of a diff case's input.yml to ``tmp/left.yml`` / ``right.yml``."""
    text = (case_dir(prefix) / "input.yml").read_text(encoding="utf-8")
    first, second = text.split("\n---\n")
    left, right = tmp / "left.yml", tmp / "right.yml"
    left.write_text(first, encoding="utf-8")
    right.write_text(second, encoding="utf-8")
    return left, right


class _QuotingDumper(yaml.SafeDumper):
    """Writes every string double-quoted, so a YAML 1.2 reader sees exactly the same scalars."""


_QuotingDumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"'),
)


def write_yaml(path: Path, data: Any) -> Path:
    """Dump ``data`` to ``path`` without anchors (every alias expanded)."""
    _QuotingDumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]
    path.write_text(yaml.dump(data, Dumper=_QuotingDumper, sort_keys=False), encoding="utf-8")
    return path


def write_text(tmp: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``tmp/name`` and return the path."""
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def run_diff(left: Path, *rights: Path, **options: Any) -> DiffResult:
    """``diff(left, [rights…])`` with keyword options passed through."""
    return diff(left, list(rights), **options)
