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


def _own_compose(old: str, new: str) -> str:
    """stackgen's own compose.yml.j2 with ``old`` replaced (the trial's way to customise it)."""
    own = (REPO / "templates" / "compose.yml.j2").read_text(encoding="utf-8")
    assert old in own
    return own.replace(old, new)


def test_a_user_compose_template_that_changes_a_value_is_exit_2_naming_it_and_the_path(
    tmp_path: Path,
) -> None:
    # the trial's template rewrote a restart policy: stackgen must not call that its own bug
    (tmp_path / "p.yml").write_text(
        "name: trial\nservices:\n  a:\n    image: nginx:1\n    restart: on-failure\n"
    )
    changed = _own_compose(
        "{{ block(svc.body, 2) }}", '{{ block(svc.body, 2) | replace("on-failure", "always") }}'
    )
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "compose.yml.j2").write_text(changed)
    out = run_stackgen("render", "p.yml", "--templates", "tpl", "-o", "-", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == (
        "tpl/compose.yml.j2: services.a.restart: the text rendered by tpl/compose.yml.j2 reads "
        "back (YAML 1.2) otherwise than the stack it was given: 'always' where the stack has "
        "'on-failure'; a template must write every value as given, through the q filter or "
        "the block macro\n"
    )


def test_a_user_compose_template_adding_a_key_names_the_key(tmp_path: Path) -> None:
    changed = _own_compose("services:", "services:\n  x: {}\n")
    code, _, err = _render(tmp_path, {"compose.yml.j2": changed}, "-o", "-")
    assert code == 2
    assert err.startswith("tpl/compose.yml.j2: services: the text rendered by ")
    assert "keys that do not belong: x;" in err


def test_yaml_errors_in_a_user_kind_template_s_output_name_the_file_and_the_output_line(
    tmp_path: Path,
) -> None:
    # rendered output line 2 is "  bad: [" (the template's comment line renders as nothing,
    # so template line 3 is output line 2): a plain scalar ``postgres:16`` continued onto it
    # cannot take a mapping value, and column 6 is that colon
    template = "{# a comment #}\nimage: postgres:16\n  bad: [\n"
    code, _, err = _render(tmp_path, {"kinds/_postgres.yml.j2": template}, "-o", "-")
    assert code == 2
    assert err == (
        "tpl/kinds/_postgres.yml.j2: line 2, column 6 of its rendered output (not a template "
        "line): YAML syntax error: mapping values are not allowed in this context\n"
    )


def test_a_user_kind_template_rendering_a_list_is_exit_2(tmp_path: Path) -> None:
    code, _, err = _render(tmp_path, {"kinds/_postgres.yml.j2": "- image\n"}, "-o", "-")
    assert code == 2
    assert err == "tpl/kinds/_postgres.yml.j2: must render a YAML mapping\n"


def test_yaml_errors_in_a_user_compose_template_s_output_name_the_templates_in_use(
    tmp_path: Path,
) -> None:
    # output line 4 repeats line 3's key at column 5; both user templates are in use
    written = "services:\n  a:\n    image: nginx:1\n    image: nginx:2\n"
    nodes = (REPO / "templates" / "_nodes.yml.j2").read_text(encoding="utf-8")
    code, _, err = _render(tmp_path, {"compose.yml.j2": written, "_nodes.yml.j2": nodes}, "-o", "-")
    assert code == 2
    assert err == (
        "tpl/compose.yml.j2: services.a.image: line 4, column 5 of the output rendered by "
        "tpl/compose.yml.j2 and tpl/_nodes.yml.j2 (not a template line): duplicate key 'image' "
        "(first defined at line 3); YAML keeps only one of them\n"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # each crashed inside stackgen (exit 3: ValueError, TypeError, AttributeError)
        ("listens: [abc]", "listens: item 0 must be a port number (1-65535), not text"),
        ("listens: 5", "listens: must be a list, each item a port number (1-65535); not a number"),
        ("volumes: 3", "volumes: must be a list, each item a string; not a number"),
        ("environment: [1]", "environment: must be a mapping, not a list"),
        # the value is not shown (environment values may be secrets), only its kind
        (
            "environment: {A: {b: s3cret}}",
            "environment: A must be a string or a number, not a mapping",
        ),
        ("probe_environment: 3", "probe_environment: must be a mapping, not a number"),
        ("healthcheck: [1]", "healthcheck: must be a mapping, not a list"),
        (
            "healthcheck: {test: 5}",
            "healthcheck: test must be a list of strings (CMD or CMD-SHELL first)",
        ),
        ("volume_size: [1]", "volume_size: must be a size such as 8Gi, not a list"),
    ],
)
def test_a_user_kind_template_rendering_a_wrong_type_is_exit_2_at_its_key(
    tmp_path: Path, body: str, expected: str
) -> None:
    code, _, err = _render(
        tmp_path, {"kinds/_postgres.yml.j2": f"image: postgres:16\n{body}\n"}, "-o", "-"
    )
    assert code == 2
    assert err == f"tpl/kinds/_postgres.yml.j2: {expected} (in the text the template rendered)\n"


def test_a_bad_probe_duration_in_a_user_kind_template_is_exit_2(tmp_path: Path) -> None:
    body = "healthcheck: {test: [CMD, x], interval: abc}"
    code, _, err = _render(
        tmp_path, {"kinds/_postgres.yml.j2": f"image: postgres:16\n{body}\n"}, "-o", "-"
    )
    assert code == 2
    assert err.startswith(
        "tpl/kinds/_postgres.yml.j2: healthcheck: interval: not a duration: 'abc'"
    )
