"""Helpers for the rule tests: render a profile text in memory, or expect a refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stackgen.api import Rendered, render_profile
from stackgen.errors import Diagnostic, InputError


def write(tmp_path: Path, text: str, name: str = "profile.yml") -> Path:
    """Write a profile text and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rendered(tmp_path: Path, text: str) -> Rendered:
    """Render a profile text (the render gate included)."""
    return render_profile(write(tmp_path, text))


def refused(tmp_path: Path, text: str) -> list[Diagnostic]:
    """The diagnostics a profile text is refused with."""
    with pytest.raises(InputError) as caught:
        render_profile(write(tmp_path, text))
    return caught.value.diagnostics


def services(result: Rendered) -> dict[str, Any]:
    """The rendered compose services."""
    out: dict[str, Any] = result.data["services"]
    return out
