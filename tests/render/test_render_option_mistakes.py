"""Option combinations of ``render`` that cannot do what they ask are said, never silently
ignored (new-user trial, 2026-12-07): ``--check -o -`` and ``--report`` without Kubernetes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import REPO, run_stackgen

#: renders compose only: its targets: list none (README: compose when it lists none)
MINIMAL = "profiles/minimal.yml"
#: targets: [compose, kubernetes]
HOBBY = "profiles/highlight-hobby.yml"
WHY = (
    "renders no Kubernetes manifests, so there is no translation report for --report (its "
    "targets: lack kubernetes, or --target / -o chose compose; add --target kubernetes)"
)


@pytest.mark.parametrize("spelling", [["-o", "-"], ["--output=-"], ["--output", "-"]])
def test_check_with_stdout_is_a_usage_error(spelling: list[str]) -> None:
    # the trial: exit 0 and nothing printed, as if the output were current
    out = run_stackgen("render", "--check", MINIMAL, *spelling)
    assert (out.returncode, out.stdout) == (2, "")
    assert "Invalid value for --check: cannot be used with -o - (stdout is no file" in out.stderr


def test_report_without_any_kubernetes_output_is_an_error_before_writing(
    tmp_path: Path,
) -> None:
    shutil.copytree(REPO / "profiles", tmp_path / "profiles")
    for args in ([MINIMAL], [HOBBY, "--target", "compose"], [HOBBY, "-o", "c.yml"]):
        out = run_stackgen("render", *args, "--report", "text", cwd=tmp_path)
        assert (out.returncode, out.stdout) == (2, ""), args
        assert out.stderr == f"{args[0]}: {WHY}\n"
    # nothing was written (-o c.yml, out/…)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profiles"]


def test_report_for_some_profiles_warns_about_the_others() -> None:
    out = run_stackgen("render", "--check", MINIMAL, HOBBY, "--report", "json")
    assert out.returncode == 0, out.stderr
    assert out.stderr == f"{MINIMAL}: {WHY} (warning)\n"
    assert out.stdout.lstrip().startswith("{")  # the hobby profile's report, and only it
    assert out.stdout.count('"namespace"') >= 1 and MINIMAL not in out.stdout
