"""Issue 18's rough edges in render: every schema problem at once, pass-through compose keys
included (it took two runs when a pass-through key was also wrong); a ``--templates`` file in
a place stackgen never looks is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackgen.errors import InputError
from stackgen.profile.load import load_profile

PROFILE = """\
name: shop
services:
  web:
    image: nginx:1.27
    restart: sometimes
    logging: {driver: 1}
    x-note: {anything: 1}
  db:
    image: postgres:16
    stop_signal: 9
"""


def test_model_and_pass_through_problems_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(PROFILE, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path)
    found = [str(d).removeprefix(f"{path}:") for d in caught.value.diagnostics]
    assert found == [
        "5:5: services.web.restart: 'sometimes' is not one of no, always, on-failure[:N], "
        "unless-stopped",
        '6:15: services.web.logging.driver: not valid compose: 1 is not of type "string"',
        '10:5: services.db.stop_signal: not valid compose: 9 is not of type "string"',
    ]


def test_a_valid_profile_gets_no_pass_through_problem_twice(tmp_path: Path) -> None:
    # the profile model is fine: the planner reports the pass-through problem, once
    path = tmp_path / "p.yml"
    path.write_text(PROFILE.replace("    restart: sometimes\n", ""), encoding="utf-8")
    loaded = load_profile(path)  # load itself does not refuse it
    assert loaded.profile.services["web"].passthrough["logging"] == {"driver": 1}


def test_a_template_in_an_unused_place_is_reported(tmp_path: Path) -> None:
    """Issue 18: ``--templates DIR`` silently ignored a template not under ``kinds/``."""
    from helpers import REPO, run_stackgen

    own = (REPO / "templates" / "kinds" / "_redis.yml.j2").read_text(encoding="utf-8")
    (tmp_path / "kinds").mkdir()
    (tmp_path / "kinds" / "_redis.yml.j2").write_text(own, encoding="utf-8")  # used
    (tmp_path / "_redis.yml.j2").write_text(own, encoding="utf-8")  # not under kinds/
    (tmp_path / "kinds" / "_mysql.yml.j2").write_text(own, encoding="utf-8")  # no such kind
    proc = run_stackgen(
        "render", str(REPO / "profiles" / "minimal.yml"), "--templates", str(tmp_path), "-o", "-"
    )
    assert proc.returncode == 0, proc.stderr
    unused = [line for line in proc.stderr.splitlines() if "is never used" in line]
    assert [line.split(": template ")[0] for line in unused] == [
        f"{(tmp_path / '_redis.yml.j2').as_posix()}",
        f"{(tmp_path / 'kinds' / '_mysql.yml.j2').as_posix()}",
    ]
    assert unused[0].endswith("(warning)")
