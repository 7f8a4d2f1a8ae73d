"""Helpers for the diff tests: two-file report cases, YAML writing, drift of files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from helpers import REAL, report_case
from stackgen.api import diff
from stackgen.diff.pipeline import DiffResult

__all__ = ["REAL", "run_diff", "split_case", "write_text", "write_yaml"]

#: the two files of each two-file report case: (LEFT, RIGHT) of a diff, or -f base, override
_PAIRS = (("left.yml", "right.yml"), ("base.yml", "override.yml"))


def split_case(case_id: str, tmp: Path) -> tuple[Path, Path]:
    """Copy the two files of report case ``case_id`` (``B34``: ``left.yml``/``right.yml``;
    ``B27``: ``base.yml``/``override.yml``) to ``tmp/left.yml`` and ``tmp/right.yml``, where a
    test may change them."""
    folder = report_case(case_id)
    (pair,) = [names for names in _PAIRS if (folder / names[0]).exists()]
    left, right = tmp / "left.yml", tmp / "right.yml"
    for name, copy in zip(pair, (left, right), strict=True):
        copy.write_text((folder / name).read_text(encoding="utf-8"), encoding="utf-8")
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
