"""``stackgen init``: a new profile copied from a packaged example, that renders cleanly and
never overwrites a file by accident."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from helpers import REPO, CliResult, run_stackgen
from stackgen.scaffold import EXAMPLES, example_text


def stackgen(*args: str, cwd: Path) -> CliResult:
    return run_stackgen(*args, cwd=cwd)


def test_minimal_scaffold_renders_like_the_example(tmp_path: Path) -> None:
    made = stackgen("init", "shop", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stderr == "wrote shop.yml\nnext: stackgen render shop.yml\n"
    text = (tmp_path / "shop.yml").read_text(encoding="utf-8")
    assert "\nname: shop\n" in text
    assert "yaml-language-server" not in text  # ../profile.schema.json is not there
    rendered = stackgen("render", "shop.yml", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr == "wrote out/shop/compose.yml\n"  # no warnings
    expected = (REPO / "out" / "minimal" / "compose.yml").read_text(encoding="utf-8")
    expected = expected.replace("profiles/minimal.yml", "shop.yml")
    expected = expected.replace("\nname: minimal\n", "\nname: shop\n")
    assert (tmp_path / "out" / "shop" / "compose.yml").read_text(encoding="utf-8") == expected


def test_highlight_scaffold_differs_from_the_example_only_by_name(tmp_path: Path) -> None:
    made = stackgen("init", "obs", "--from", "highlight-hobby", "-o", "p/obs.yml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    committed = REPO / "out" / "highlight-hobby" / "compose.yml"
    drift = stackgen("diff", "p/obs.yml", str(committed), "--format", "json", cwd=tmp_path)
    assert drift.returncode == 1, drift.stderr
    assert '"path": "name"' in drift.stdout
    assert '"changes": 1,' in drift.stdout


def test_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    existing = tmp_path / "shop.yml"
    existing.write_text("keep me\n", encoding="utf-8")
    refused = stackgen("init", "shop", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr == (
        "shop.yml: already exists; use --force to replace it (the old file is then kept "
        "as shop.yml.bak)\n"
    )
    assert existing.read_text(encoding="utf-8") == "keep me\n"
    forced = stackgen("init", "shop", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert forced.stderr == (
        "wrote shop.yml (kept the old file as shop.yml.bak)\nnext: stackgen render shop.yml\n"
    )
    assert existing.read_text(encoding="utf-8").startswith("# The smallest useful profile")
    assert (tmp_path / "shop.yml.bak").read_text(encoding="utf-8") == "keep me\n"


def test_bad_name_or_example_is_bad_input(tmp_path: Path) -> None:
    bad = stackgen("init", "My Shop", cwd=tmp_path)
    assert bad.returncode == 2
    assert "'My Shop' is not a project name" in bad.stderr
    unknown = stackgen("init", "shop", "--from", "wordpress", cwd=tmp_path)
    assert unknown.returncode == 2
    # typer boxes usage errors and wraps them: compare the words
    words = " ".join(unknown.stderr.replace("│", " ").split())
    assert "'wordpress' is not one of minimal, highlight-hobby" in words
    assert list(tmp_path.iterdir()) == []


def test_stdout_and_packaged_examples_match_the_repository(tmp_path: Path) -> None:
    shown = stackgen("init", "shop", "-o", "-", cwd=tmp_path)
    assert shown.returncode == 0
    modeline, rest = (REPO / "profiles" / "minimal.yml").read_text().split("\n", 1)
    assert modeline == "# yaml-language-server: $schema=../profile.schema.json"
    assert shown.stdout == rest.replace("\nname: minimal\n", "\nname: shop\n")
    assert list(tmp_path.iterdir()) == []
    for example in EXAMPLES:
        assert example_text(example) == (REPO / "profiles" / f"{example}.yml").read_text()


def test_a_generated_file_is_replaced_without_a_backup(tmp_path: Path) -> None:
    """Only a hand-written file is kept as FILE.bak, so only then does the message name one."""
    rendered = stackgen(
        "render", str(REPO / "profiles" / "minimal.yml"), "-o", "c.yml", cwd=tmp_path
    )
    assert rendered.returncode == 0, rendered.stderr
    refused = stackgen("init", "shop", "-o", "c.yml", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr == "c.yml: already exists; use --force to replace it\n"
    forced = stackgen("init", "shop", "-o", "c.yml", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert forced.stderr.startswith("wrote c.yml\n")
    assert not (tmp_path / "c.yml.bak").exists()


def test_a_device_is_not_replaced(tmp_path: Path) -> None:
    """-o /dev/null must not swap the device node for a regular file (atomic rename)."""
    before = os.stat("/dev/null")
    proc = stackgen("init", "shop", "-o", "/dev/null", "--force", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("/dev/null: cannot write: it is not a regular file")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert os.stat("/dev/null").st_rdev == before.st_rdev
