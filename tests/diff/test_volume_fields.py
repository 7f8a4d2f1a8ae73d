"""Short-syntax volumes are split into fields as compose-go ``format.ParseVolume`` splits them
(found by a new-user trial: ``v:/d`` is one field to compose, a drive letter, on every
platform: an anonymous volume at ``v:/d``, not the volume ``v`` at ``/d``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engines import compose_config
from helpers import run_stackgen
from stackgen.compose.values import parse_volume

SPECS = [
    "v:/d",
    "v:/d:ro",
    "C:/x:/y",
    "/src:c:/dst",
    "data:/d",
    "./d:/d:ro",
    "/cache",
    # the container path as Go's path.Clean leaves it (compose-go transform)
    "./d:/d/",
    "/x//y/",
    "./d:/a/../b:ro",
]


def _as_compose_prints(entry: dict[str, Any], folder: Path) -> dict[str, Any]:
    out = dict(entry)
    if out.get("type") == "volume":
        out.setdefault("volume", {})  # compose prints an empty options block
    source = out.get("source")
    if out.get("type") == "bind" and isinstance(source, str) and source.startswith("."):
        out["source"] = str((folder / source).resolve())
    return out


@pytest.mark.parametrize("spec", SPECS)
def test_a_short_volume_has_the_fields_compose_reads(tmp_path: Path, spec: str) -> None:
    (tmp_path / "compose.yml").write_text(
        f'services:\n  w:\n    image: nginx:1.27\n    volumes: ["{spec}"]\nvolumes: {{data: {{}}}}\n',
        encoding="utf-8",
    )
    engine = compose_config(cwd=tmp_path)
    assert engine.returncode == 0, engine.stderr
    assert engine.config is not None
    (read,) = engine.config["services"]["w"]["volumes"]
    assert _as_compose_prints(parse_volume(spec), tmp_path) == read


def test_a_drive_letter_names_no_volume(tmp_path: Path) -> None:
    # `v:/d` declares nothing: the top-level volume `v` is another volume, and a diff of the
    # two spellings of the anonymous volume is no drift
    (tmp_path / "a.yml").write_text(
        'services:\n  w:\n    image: nginx:1.27\n    volumes: ["v:/d"]\n', encoding="utf-8"
    )
    (tmp_path / "b.yml").write_text(
        "services:\n  w:\n    image: nginx:1.27\n    volumes: [{type: volume, target: 'v:/d'}]\n",
        encoding="utf-8",
    )
    done = run_stackgen("diff", "a.yml", "b.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
