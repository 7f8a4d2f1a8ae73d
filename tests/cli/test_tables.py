"""Issue 18: terminal tables keep tokens whole (``compose.yml:182`` never broken) and do not
repeat ``services.<name>.`` on every row (the table is titled with the service)."""

from __future__ import annotations

import re
from pathlib import Path

from cli.test_console import MINIMAL, drifted, run_on_terminal, terminal_env


def test_a_narrow_terminal_keeps_locations_and_paths_whole(tmp_path: Path) -> None:
    # a deep folder: the RIGHT location is long, and the change text is long too
    deep = tmp_path / "a-rather-long-folder-name" / "and-another-one"
    deep.mkdir(parents=True)
    right = drifted(deep)
    env = {**terminal_env(), "COLUMNS": "100", "LINES": "50"}
    status, output = run_on_terminal("diff", str(MINIMAL), str(right), "--color", "never", env=env)
    assert status == 1
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    lines = plain.splitlines()
    # every change of web stands in the RIGHT file: the title names it once, whole
    assert lines[2].startswith("web"), plain
    assert re.search(r"┃ category\s*┃ line\s*$", plain, re.M), plain
    # depends_on changed on line 22 of the RIGHT file (drifted() adds user: on line 18,
    # below the image on line 17, so the condition on line 21 moves down); each row
    # ends with its line number, whole
    assert re.search(r"│ depends_on\.db\.condition .*│ 22\s*$", plain, re.M), plain
    assert re.search(r"│ user .*│ 18\s*$", plain, re.M), plain
    # paths below the service, once per row
    assert "services.web." not in plain


def test_rows_from_several_files_keep_file_and_line_together(tmp_path: Path) -> None:
    right = drifted(tmp_path)
    override = tmp_path / "compose.override.yml"
    override.write_text("services:\n  db:\n    image: postgres:17\n", encoding="utf-8")
    other = tmp_path / "more.yml"
    other.write_text("services:\n  db:\n    shm_size: 1g\n", encoding="utf-8")
    env = {**terminal_env(), "COLUMNS": "90", "LINES": "50"}
    status, output = run_on_terminal(
        "diff", str(MINIMAL), str(right), str(override), str(other), "--color", "never", env=env
    )
    assert status == 1
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    # db's changes come from two files: a where column with file name:line, never split
    # (the summary line names the full paths)
    assert re.search(r"│ image .*│ compose\.override\.yml:3\s*$", plain, re.M), plain
    assert re.search(r"│ shm_size .*│ more\.yml:3\s*$", plain, re.M), plain
