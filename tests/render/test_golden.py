"""Golden outputs: every profile renders to its committed out/ file, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO
from stackgen.api import default_output, output_dir, render_profile

PROFILES = sorted((REPO / "profiles").glob("*.yml"))


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_profile_matches_committed_output(profile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    target = default_output(profile)
    rendered = render_profile(profile.relative_to(REPO), output_dir=output_dir(target))
    committed = (REPO / target).read_text(encoding="utf-8")
    assert rendered.text == committed, f"out/ is stale for {profile.name}: run stackgen render"


def test_every_profile_has_an_output_and_no_orphans() -> None:
    outputs = {p.parent.name for p in (REPO / "out").glob("*/compose.yml")}
    assert outputs == {p.stem for p in PROFILES}
