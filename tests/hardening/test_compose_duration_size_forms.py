"""Pass-through durations and sizes: stackgen refuses exactly what docker compose refuses.

Found by a new-user trial (issue 14, "Where compose rejects what stackgen wrote, stackgen is
wrong"): `stop_grace_period: forever` and `shm_size: big` rendered with exit 0 and compose's own
loader refused the file. Compose reads durations with Go's time.ParseDuration (every number
needs a unit; "0" alone excepted) and sizes with go-units RAMInBytes. The real loader is the
judge of each value here, so the expected verdicts are compose's, not stackgen's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen

DURATIONS = ["1m30s", ".5s", "0", "-1s", "1.5m", "250ms", "30", "forever", "30S", "1 s", ""]
SIZES = ["1 g", "1gb", "64M", "2GiB", "1.5g", "512", "1KB", "big", "1 gb x", "-1g", "g"]


def _compose_accepts(tmp_path: Path, key: str, value: str) -> bool:
    (tmp_path / "compose.yml").write_text(
        f'services:\n  web:\n    image: nginx:1.27\n    {key}: "{value}"\n', encoding="utf-8"
    )
    return compose_config(cwd=tmp_path, quiet=True).returncode == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [("stop_grace_period", v) for v in DURATIONS] + [("shm_size", v) for v in SIZES],
)
def test_render_accepts_what_compose_accepts(tmp_path: Path, key: str, value: str) -> None:
    accepted = _compose_accepts(tmp_path, key, value)
    profile = tmp_path / "p.yml"
    profile.write_text(
        f'name: t\nservices:\n  web:\n    image: nginx:1.27\n    {key}: "{value}"\n',
        encoding="utf-8",
    )
    out = run_stackgen("render", str(profile), "-o", "-", cwd=tmp_path)
    if accepted:
        assert out.returncode == 0, out.stderr
    else:
        assert out.returncode == 2, out.stderr
        what = "duration" if key == "stop_grace_period" else "size"
        assert f"p.yml:5:5: services.web.{key}: " in out.stderr
        assert f"is not a {what} compose reads" in out.stderr


def test_the_verdicts_hold_the_known_forms(tmp_path: Path) -> None:
    # the oracle itself, pinned on the two reproducers and two valid forms
    assert not _compose_accepts(tmp_path, "stop_grace_period", "forever")
    assert not _compose_accepts(tmp_path, "shm_size", "big")
    assert _compose_accepts(tmp_path, "stop_grace_period", "1m30s")
    assert _compose_accepts(tmp_path, "shm_size", "2GiB")
