"""`$` in top-level configs, secrets, volumes and networks: imported as compose reads it.

Found by a new-user trial: `configs.c1.content: "a $$X b"` (compose reads the literal `a $X b`)
was copied into the profile as written, and the render escaped it again (`a $$$$X b`, read by
compose as `a $$X b`); `"a $${X} b"` (the literal `a ${X} b`) rendered as `$$${X}`, which compose
interpolates. The verdicts come from the real loader.
"""

from __future__ import annotations

from pathlib import Path

from engines import compose_config
from helpers import run_stackgen

COMPOSE = """\
services:
  a:
    image: nginx:1.27
    configs: [c1]
configs:
  c1: {content: "a $$X b"}
"""


def test_a_literal_dollar_round_trips_to_what_compose_read(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(COMPOSE, encoding="utf-8")
    original = compose_config("compose.yml", cwd=tmp_path, project_name="p")
    assert original.returncode == 0 and original.config is not None
    # `config` prints compose text again: the literal `a $X b` is written `a $$X b`
    assert original.config["configs"]["c1"]["content"] == "a $$X b"
    out = run_stackgen("import", "compose.yml", "-o", "p.yml", "--as-is", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    out = run_stackgen("render", "p.yml", "-o", "out/compose.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rendered = compose_config("compose.yml", cwd=tmp_path / "out", project_name="p")
    assert rendered.returncode == 0 and rendered.config is not None
    assert rendered.config["configs"]["c1"] == original.config["configs"]["c1"]
    diff = run_stackgen("diff", "p.yml", "compose.yml", cwd=tmp_path)
    assert diff.returncode == 0, diff.stdout


def test_a_literal_reference_a_profile_cannot_say_is_refused_at_its_key(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        COMPOSE.replace('"a $$X b"', '"a $${X} b"'), encoding="utf-8"
    )
    out = run_stackgen("import", "compose.yml", "-o", "p.yml", "--as-is", cwd=tmp_path)
    assert out.returncode == 2
    assert "compose.yml:6:3: configs.c1: 'a $${X} b': a literal ${…} here cannot be written" in (
        out.stderr
    )
    assert not (tmp_path / "p.yml").exists()
