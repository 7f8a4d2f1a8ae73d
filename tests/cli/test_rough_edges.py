"""Issue 18's rough edges met on the way: --color on every command (completion included),
--debug in --help, one name for the input-type option, whole-file errors without 0:0."""

from __future__ import annotations

from pathlib import Path

from helpers import REPO, run_stackgen

MINIMAL = REPO / "profiles" / "minimal.yml"


def test_completion_takes_color_like_every_command() -> None:
    proc = run_stackgen("completion", "bash", "--color", "never")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("_stackgen_completion()")


def test_debug_is_in_the_root_help() -> None:
    proc = run_stackgen("--help")
    assert proc.returncode == 0
    assert "--debug" in proc.stdout.split("Options", 1)[1]


def test_graph_and_check_name_the_input_type_option_type() -> None:
    for option in ("--type", "--input-type"):  # the former name keeps working
        proc = run_stackgen("graph", str(MINIMAL), option, "profile")
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("flowchart TD")
    assert run_stackgen("check", str(MINIMAL), "--type", "profile").returncode == 0


def test_a_whole_file_error_has_no_position(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yml"
    proc = run_stackgen("render", str(missing))
    assert proc.returncode == 2
    assert proc.stderr == f"{missing}: cannot read file: No such file or directory\n"


def test_render_help_says_the_output_folder_is_the_file_name() -> None:
    text = run_stackgen("render", "--help").stdout
    assert "out/<its file name without .yml>/compose.yml" in " ".join(text.split())
