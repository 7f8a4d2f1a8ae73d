"""What a command imports is what it needs (issue 19, cold start).

Start-up time is mostly imports, so the import set of the commands people run most is held
here: ``render`` (its pipeline, not the diff, lint or import engines, not rich unless help is
shown on a terminal), ``check`` of a compose file (the compose reader and the rules, not the
profile models, the planner or the templates: no pydantic, no jinja2), ``diff`` of two
compose files (the same, and deepdiff) and ``--version`` (nothing but stackgen's own
package). Counted in a subprocess: a fresh interpreter is the subject.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import REPO

_PROBE = """
import json, sys
sys.argv = ["stackgen", *sys.argv[1:]]
from stackgen.__main__ import main
try:
    main()
except SystemExit:
    pass
third = {m.split(".")[0] for m in sys.modules} - set(sys.stdlib_module_names)
print(json.dumps({
    "third": sorted(m for m in third if m[0].isalpha() and m not in ("stackgen", "cython_runtime")),
    "ours": sorted(m for m in sys.modules if m.startswith("stackgen")),
}), file=sys.stderr)
"""


def _imports(*args: str) -> tuple[list[str], list[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    found = json.loads(proc.stderr.strip().splitlines()[-1])
    return found["third"], found["ours"]


def _under(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The ``modules`` named by one of ``prefixes`` (a package and what it holds)."""
    return [m for m in modules if m.startswith(prefixes)]


def test_render_imports_its_pipeline_only() -> None:
    third, ours = _imports("render", "profiles/highlight-hobby.yml", "-o", "-")
    # the profile models (pydantic), the templates, YAML and the compose-schema check: no CLI
    # framework (plain options run on stackgen.cli.fastpath), nothing for help, diffs or
    # tables
    assert third == [
        "annotated_types",
        "jinja2",
        "jsonschema_rs",
        "markupsafe",
        "pydantic",
        "pydantic_core",
        "typing_extensions",
        "typing_inspection",
        "yaml",
    ]
    # no diff, import or schema engine, no other command's module; of lint only the rule
    # set render runs (stackgen.lint.gate, issue 16), not check's input readers or reporters
    unneeded = (
        "stackgen.diff",
        "stackgen.importing",
        "stackgen.lint.check",
        "stackgen.lint.formats",
        "stackgen.profile.jsonschema",
        "stackgen.cli.diff_cmd",
        "stackgen.cli.check_cmd",
        "stackgen.cli.import_cmd",
        "stackgen.cli.graph_cmd",
        # the typer command and app: only for help, completion and usage errors
        "stackgen.cli.render_cmd",
        "stackgen.cli.typer_app",
        "stackgen.cli.options",
        # stackgen graph's startup graph (stackgen.api.graph_of imports it)
        "stackgen.graph",
        # the masking of messages: this render prints none (the secret-name rule the
        # planner and the targets use is stackgen.output.secret_rule alone)
        "stackgen.output.masking",
        "stackgen.output.inputs",
        "stackgen.output.credentials",
        "stackgen.output.redaction",
    )
    assert _under(ours, unneeded) == []
    assert "stackgen.cli.render_run" in ours and "stackgen.targets.compose.render" in ours
    assert "stackgen.output.noted" in ours  # its inputs are noted as they are parsed


def test_check_of_a_compose_file_imports_the_rules_only() -> None:
    third, ours = _imports("check", "out/highlight-hobby/compose.yml")
    # YAML and the compose-schema check; no profile models (pydantic), no templates (jinja2):
    # the rules' catalog facts (stackgen.catalog.families, .probes, .first_start) are plain
    assert third == ["jsonschema_rs", "yaml"]
    unneeded = (
        "stackgen.profile",
        "stackgen.plan",
        "stackgen.targets",
        "stackgen.api",
        "stackgen.catalog.kinds",
        "stackgen.lint.gate",
        "stackgen.diff.pipeline",
        "stackgen.importing",
        "stackgen.cli.check_cmd",
        "stackgen.cli.typer_app",
    )
    assert _under(ours, unneeded) == []
    assert "stackgen.lint.check" in ours and "stackgen.lint.startup" in ours


def test_check_of_a_hand_written_compose_file_imports_no_profile_models(tmp_path: Path) -> None:
    # no stackgen header: valid as compose and named like a compose file, it is read as one
    # without also being validated as a profile (stackgen.diff.inputs.detect_left)
    plain = tmp_path / "compose.yml"
    plain.write_text("services:\n  web:\n    image: nginx:1.27\n", encoding="utf-8")
    third, ours = _imports("check", str(plain))
    assert third == ["jsonschema_rs", "yaml"]
    assert _under(ours, ("stackgen.profile", "stackgen.plan")) == []


def test_check_of_a_profile_imports_the_profile_pipeline() -> None:
    # the other way round: a profile is loaded and planned (the lazy imports are reached)
    third, ours = _imports("check", "profiles/highlight-hobby.yml")
    assert {"pydantic", "jinja2"} <= set(third)
    assert "stackgen.lint.gate" in ours and "stackgen.plan.expand" in ours


def test_diff_of_two_compose_files_imports_no_render_pipeline() -> None:
    # both rendered files name profiles without sensitive: names: neither side nor either
    # header's profile is read as a profile; they differ, so deepdiff compares them (and
    # finds no pydantic to import: stackgen.diff.compare)
    third, ours = _imports("diff", "out/minimal/compose.yml", "out/highlight-hobby/compose.yml")
    assert third == ["cachebox", "deepdiff", "jsonschema_rs", "orderly_set", "yaml"]
    unneeded = ("stackgen.profile", "stackgen.plan", "stackgen.targets", "stackgen.api")
    assert _under(ours, unneeded) == []
    assert "stackgen.diff.pipeline" in ours and "stackgen.diff.compare" in ours


def test_diff_of_a_hand_written_compose_left_imports_no_profile_models(tmp_path: Path) -> None:
    # a headerless LEFT valid as compose and named like a compose file is compose without a
    # profile check (docs/diff.md): no pydantic; under another name it is also validated as
    # a profile (a file valid as both is a profile, with a warning): the profile models, not
    # the planner or the templates
    body = "name: t\nservices:\n  web:\n    image: nginx:1.27\n"
    left, other, right = tmp_path / "compose.yml", tmp_path / "stack.yml", tmp_path / "hand.yml"
    left.write_text(body, encoding="utf-8")
    other.write_text(body, encoding="utf-8")
    right.write_text(body.replace("1.27", "1.28"), encoding="utf-8")
    third, ours = _imports("diff", str(left), str(right))
    assert "pydantic" not in third and "jinja2" not in third
    assert _under(ours, ("stackgen.profile", "stackgen.plan")) == []
    third, ours = _imports("diff", "--left-type", "auto", str(other), str(right))
    assert "pydantic" in third and "stackgen.profile.load" in ours


def test_diff_of_a_profile_imports_the_render_pipeline() -> None:
    # the other way round: a profile side is rendered (the lazy import is reached)
    third, ours = _imports("diff", "profiles/minimal.yml", "out/minimal/compose.yml")
    assert {"pydantic", "jinja2"} <= set(third)
    assert "stackgen.api" in ours and "stackgen.targets.compose.render" in ours


def test_check_render_and_diff_run_without_the_cli_framework() -> None:
    for args in (
        ("check", "out/highlight-hobby/compose.yml"),
        ("render", "--check", "profiles/highlight-hobby.yml", "--color", "never"),
        ("render", "profiles/minimal.yml", "-o", "-", "--set", "services.web.image=nginx:1"),
        ("diff", "out/minimal/compose.yml", "out/highlight-hobby/compose.yml"),
    ):
        third, _ = _imports(*args)
        assert not {"typer", "click", "rich", "shellingham"} & set(third), args


def test_what_the_fast_path_leaves_to_typer_imports_it() -> None:
    # help, a usage error: typer's own output (stackgen.cli.fastpath declines them)
    for args in (("render", "--help"), ("render", "--no-such-option", "p.yml"), ("render",)):
        third, ours = _imports(*args)
        assert "typer" in third and "stackgen.cli.typer_app" in ours, args


def test_piped_help_imports_no_rich_and_no_yaml() -> None:
    third, ours = _imports("render", "--help")
    # nor pydantic: typer converts option values with it, and help converts none (the
    # root's unset flags default to False through click's default_map, stackgen.cli.typer_app)
    unneeded = {"rich", "markdown_it", "pygments", "yaml", "jinja2", "jsonschema_rs", "pydantic"}
    assert not unneeded & set(third)
    assert "stackgen.cli.render_cmd" in ours and "stackgen.cli.diff_cmd" not in ours


def test_version_imports_stackgen_alone() -> None:
    third, ours = _imports("--version")
    assert (third, ours) == ([], ["stackgen", "stackgen.__main__"])
