"""One command never prints the same warning line twice (generator/cli/output.warn)."""

from __future__ import annotations

from pathlib import Path

from helpers import run_stackgen

WARNING = (
    "base.yml:5:5: services.web.container_name: container_name 'web' is fixed: a second "
    "project on the same host (another environment of this profile) will collide with it; "
    "compose names containers <project>-<service>-N without it (warning)"
)


def _profiles(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(
        "name: base\nservices:\n  web:\n    image: nginx:1.27\n    container_name: web\n",
        encoding="utf-8",
    )
    for name in ("a", "b"):
        (tmp_path / f"{name}.yml").write_text(f"extends: base.yml\nname: {name}\n", "utf-8")


def test_profiles_sharing_a_base_warn_once(tmp_path: Path) -> None:
    _profiles(tmp_path)
    proc = run_stackgen("render", "a.yml", "b.yml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        WARNING,
        "wrote out/a/compose.yml",
        "wrote out/b/compose.yml",
    ]


def test_diff_prints_each_warning_once(tmp_path: Path) -> None:
    _profiles(tmp_path)
    assert run_stackgen("render", "a.yml", "-o", "c.yml", cwd=tmp_path).returncode == 0
    proc = run_stackgen(
        "diff", "a.yml", "c.yml", "--ignore", "nothing.*", "--ignore", "nothing.*", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [WARNING, "warning: --ignore 'nothing.*' matched nothing"]
