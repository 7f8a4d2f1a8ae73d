"""Issue 18: accepted drift (stackgen-drift.yml) in every format and in the exit code."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from diff.difftools import run_diff, write_text

from helpers import run_stackgen
from stackgen.api import diff
from stackgen.diff.accepted import TODO_REASON, load_entries
from stackgen.errors import InputError

LEFT = """\
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
  db:
    image: postgres:16
"""
RIGHT = """\
services:
  web:
    image: nginx:1.28
    ports: ["8080:80", "2345:2345"]
  db:
    image: postgres:16
"""
DRIFT = """\
accepted:
  - service: web
    path: ports[target=2345]
    reason: delve debug port
    expires: 2030-01-31
  - service: "*"
    path: environment.DEBUG
    reason: nobody sets it any more
  - path: volumes.scratch
    reason: was a test
    expires: 2020-01-01
"""


@pytest.fixture()
def case(tmp_path: Path) -> tuple[Path, Path]:
    left = write_text(tmp_path, "left.yml", LEFT)
    right = write_text(tmp_path, "right.yml", RIGHT)
    write_text(tmp_path, "stackgen-drift.yml", DRIFT)
    return left, right


def test_accepted_changes_leave_the_drift_and_the_exit_code(case: tuple[Path, Path]) -> None:
    left, right = case
    result = diff(left, [right], today=date(2026, 12, 7))
    assert [c.path for c in result.changes] == ["services.web.image"]
    ((accepted),) = result.accepted
    assert (accepted.change.path, accepted.change.kind) == (
        "services.web.ports[target=2345]",
        "added",
    )
    assert (accepted.reason, accepted.expires) == ("delve debug port", date(2030, 1, 31))
    assert result.accepted_file == f"{left.parent.as_posix()}/stackgen-drift.yml"
    # the second entry matches nothing; the third expired
    messages = [str(w) for w in result.warnings]
    drift_file = result.accepted_file
    assert messages == [
        f"{drift_file}:6:5: accepted[1]: 'services.*.environment.DEBUG' matches no difference; "
        "remove the entry if the drift is gone",
        f"{drift_file}:9:5: accepted[2]: expired on 2020-01-01 (was a test); its differences "
        "are reported again: renew or remove the entry",
    ]
    # only the image change is left: --fail-on ports no longer fails
    assert result.exit_code == 1
    assert diff(left, [right], fail_on=["ports"], today=date(2026, 12, 7)).exit_code == 0
    # after the expiry date, the port is drift again
    later = diff(left, [right], fail_on=["ports"], today=date(2030, 2, 1))
    assert (later.exit_code, later.accepted) == (1, ())
    # --no-accepted (use_accepted=False) reads no file
    assert len(diff(left, [right], use_accepted=False).changes) == 2


def test_every_format_shows_accepted_with_the_reason(case: tuple[Path, Path]) -> None:
    left, _right = case
    cwd = left.parent
    args = ("diff", "left.yml", "right.yml")
    text = run_stackgen(*args, cwd=cwd)
    assert text.returncode == 1
    assert "1 change in 1 service (1 accepted)" in text.stdout
    assert (
        "accepted (stackgen-drift.yml)\n"
        '  + services.web.ports[target=2345]: added {"target": 2345, "published": "2345", '
        '"protocol": "tcp"}  [ports] right.yml:4  accepted: delve debug port, until 2030-01-31'
    ) in text.stdout
    markdown = run_stackgen(*args, "--format", "markdown", cwd=cwd).stdout
    assert "<details><summary>1 accepted difference (<code>stackgen-drift.yml</code>)" in markdown
    assert "| delve debug port, until 2030-01-31 | `right.yml:4` |" in markdown
    github = run_stackgen(*args, "--format", "github", cwd=cwd).stdout
    assert (
        "::notice file=right.yml,line=4,title=stackgen diff (accepted)::"
        "services.web.ports[target=2345]: added"
    ) in github
    data = json.loads(run_stackgen(*args, "--format", "json", cwd=cwd).stdout)
    assert data["summary"] == {"changes": 1, "services": 1, "accepted": 1}
    (record,) = data["accepted"]
    assert (record["path"], record["reason"], record["expires"], record["category"]) == (
        "services.web.ports[target=2345]",
        "delve debug port",
        "2030-01-31",
        "ports",
    )
    # only accepted drift left: exit 0, and the summary says why
    (cwd / "stackgen-drift.yml").write_text(
        DRIFT.replace("ports[target=2345]", '"*"'), encoding="utf-8"
    )
    only = run_stackgen(*args, cwd=cwd)
    assert only.returncode == 0
    assert "no drift (2 accepted)" in only.stdout


def test_accept_writes_entries_to_edit(case: tuple[Path, Path]) -> None:
    left, right = case
    drift_file = left.parent / "stackgen-drift.yml"
    drift_file.unlink()
    proc = run_stackgen(
        "diff", "left.yml", "right.yml", "--accept", "services.web.image",
        "--accept", "nothing.*", cwd=left.parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "stackgen-drift.yml: 1 entry added; give each a reason\n"
    assert "warning: --accept 'nothing.*' matched no change" in proc.stderr
    (entry,) = load_entries(drift_file)
    assert (entry.service, entry.path, entry.reason) == ("web", "image", TODO_REASON)
    # a second --accept appends to the list, keeping the first entry and the comments
    again = run_stackgen(
        "diff", "left.yml", "right.yml", "--accept", "services.web.ports*", cwd=left.parent
    )
    assert again.returncode == 0, again.stderr
    text = drift_file.read_text(encoding="utf-8")
    assert text.startswith("# Differences from the generated files")
    assert [e.path for e in load_entries(drift_file)] == ["image", "ports[target=2345]"]
    # now both are accepted: no drift
    assert run_diff(left, right).exit_code == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("accepted:\n  - service: web\n", "2:5: accepted[0].path: required: a path glob"),
        (
            "accepted:\n  - path: image\n    reason: ''\n",
            "2:5: accepted[0].reason: required: say why this difference is kept",
        ),
        (
            "accepted:\n  - path: image\n    reason: x\n    expires: soon\n",
            '4:5: accepted[0].expires: "soon" is not a date (YYYY-MM-DD)',
        ),
        (
            "accepted:\n  - path: image\n    reason: x\n    until: 2020-01-01\n",
            "4:5: accepted[0].until: unknown key; use service, path, reason, expires",
        ),
        ("ignore: []\n", "1:1: must hold only an `accepted` list (found: ignore)"),
    ],
)
def test_an_invalid_drift_file_is_an_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = write_text(tmp_path, "stackgen-drift.yml", text)
    with pytest.raises(InputError) as caught:
        load_entries(path)
    assert message in str(caught.value)
