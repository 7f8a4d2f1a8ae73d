"""A user's templates (``render --templates DIR``) are input: every mistake in one is exit 2 at
``DIR/NAME:LINE`` (README, "Your own templates"); stackgen's own templates failing is exit 3.

Reproducers from the new-user trial of 2026-12-07."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO, run_stackgen
from stackgen.errors import InputError, TemplateError
from stackgen.targets.compose.templating import render_template

PROFILE = "name: trial\nservices:\n  db:\n    kind: postgres\n  a:\n    image: nginx:1\n"
#: the first two lines of a kind partial that works (the trial copied the rest)
GOOD_HEAD = "image: postgres:16\nlistens: [5432]\n"


def _render(tmp_path: Path, files: dict[str, str], *extra: str) -> tuple[int, str, str]:
    """Render PROFILE from ``tmp_path`` with ``--templates tpl`` holding ``files``."""
    (tmp_path / "p.yml").write_text(PROFILE)
    for name, text in files.items():
        (tmp_path / "tpl" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "tpl" / name).write_text(text)
    out = run_stackgen("render", "p.yml", "--templates", "tpl", *extra, cwd=tmp_path)
    return out.returncode, out.stdout, out.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # runtime errors that are not Jinja's own: the trial's exit 3
        ("{{ 1/0 }}", "division by zero (ZeroDivisionError)"),
        ("{{ 1 + 'a' }}", "unsupported operand type(s) for +: 'int' and 'str' (TypeError)"),
        ("{{ range(1, 2, 0) }}", "range() arg 3 must not be zero (ValueError)"),
        ("{{ nope }}", "'nope' is undefined"),
        ("{% if %}", "Expected an expression, got 'end of statement block'"),
        (
            "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
            "templates call each other without end",
        ),
    ],
)
def test_every_error_in_a_user_kind_template_is_exit_2_at_its_line(
    tmp_path: Path, line: str, expected: str
) -> None:
    # the faulty line is line 3 of the template (counted by hand)
    code, out, err = _render(
        tmp_path, {"kinds/_postgres.yml.j2": GOOD_HEAD + line + "\n"}, "-o", "-"
    )
    assert (code, out) == (2, "")
    assert err == f"tpl/kinds/_postgres.yml.j2:3:0: template error: {expected}\n"


def test_an_error_in_a_user_compose_template_is_exit_2_at_its_line(tmp_path: Path) -> None:
    code, _, err = _render(
        tmp_path, {"compose.yml.j2": "# x\nservices:\n  a: {{ 1/0 }}\n"}, "-o", "-"
    )
    assert code == 2
    assert err == "tpl/compose.yml.j2:3:0: template error: division by zero (ZeroDivisionError)\n"


def test_a_bad_value_handed_to_stackgen_s_own_macro_blames_the_user_s_line(
    tmp_path: Path,
) -> None:
    # the error is raised inside stackgen's _nodes.yml.j2 and its Python filter, but the
    # user's line 3 passed the value: that line is named
    own = (REPO / "templates" / "compose.yml.j2").read_text(encoding="utf-8")
    head = '{% from "_nodes.yml.j2" import block %}\n# x\nservices:{{ block(42, 1) }}\n'
    assert "block(" in own
    code, _, err = _render(tmp_path, {"compose.yml.j2": head}, "-o", "-")
    assert code == 2
    assert err.startswith("tpl/compose.yml.j2:3:0: template error: ")


def test_stackgen_s_own_template_failing_stays_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --templates . must not make stackgen's own kinds/… (a relative name) look like the user's
    (tmp_path / "own" / "kinds").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "own")
    with pytest.raises(TemplateError, match=r"^kinds/_postgres\.yml\.j2:\d+: .*undefined"):
        render_template("kinds/_postgres.yml.j2", {}, Path("."))
    (tmp_path / "mine" / "kinds").mkdir(parents=True)
    (tmp_path / "mine" / "kinds" / "_postgres.yml.j2").write_text("{{ 1/0 }}\n")
    monkeypatch.chdir(tmp_path / "mine")
    with pytest.raises(InputError, match=r"^kinds/_postgres\.yml\.j2:1:0: template error"):
        render_template("kinds/_postgres.yml.j2", {}, Path("."))


def test_a_kind_template_without_image_names_that_kind(tmp_path: Path) -> None:
    # the trial's message blamed the 'app' kind for a `kind: postgres` service (line 3, col 3)
    code, _, err = _render(tmp_path, {"kinds/_postgres.yml.j2": "listens: [5432]\n"}, "-o", "-")
    assert code == 2
    assert err == (
        "p.yml:3:3: services.db: needs an image (or a build section): the 'postgres' kind "
        "has no default image\n"
    )


def test_without_the_catalog_no_kind_is_blamed_for_a_missing_image(tmp_path: Path) -> None:
    (tmp_path / "p.yml").write_text(
        "name: x\npolicies: {catalog: false}\nservices:\n  db:\n    kind: postgres\n"
    )
    out = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr == (
        "p.yml:4:3: services.db: needs an image (or a build section): policies.catalog is "
        "false, so no kind gives a default image\n"
    )
