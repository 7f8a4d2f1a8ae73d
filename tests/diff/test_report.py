"""Reporters: JSON shape, masking, colour rules, markdown and GitHub annotations."""

from __future__ import annotations

import json

import pytest

from stackgen.diff.compare import Change, Drift
from stackgen.diff.pipeline import DiffResult
from stackgen.diff.report import MASK, MASK_CHANGED, render_report, text_lines
from stackgen.errors import InputError


def result(*changes: Change, sensitive: frozenset[str] = frozenset()) -> DiffResult:
    return DiffResult(
        left="profiles/p.yml",
        rights=("compose.yml",),
        drift=Drift(tuple(changes)),
        sensitive=sensitive,
    )


INTERVAL = Change(
    "backend",
    "services.backend.healthcheck.interval",
    "changed",
    "30s",
    "10s",
    "compose.yml",
    42,
    "readiness",
)
PASSWORD = Change(
    "backend",
    "services.backend.environment.ADMIN_PASSWORD",
    "changed",
    "old-secret",
    "new-secret",
    "compose.yml",
    7,
    "env",
)


def test_json_has_the_documented_shape() -> None:
    data = json.loads(render_report(result(INTERVAL), "json"))
    assert data == {
        "left": "profiles/p.yml",
        "right": ["compose.yml"],
        "summary": {"changes": 1, "services": 1, "accepted": 0},
        "changes": [
            {
                "service": "backend",
                "path": "services.backend.healthcheck.interval",
                "kind": "changed",
                "left": "30s",
                "right": "10s",
                "file": "compose.yml",
                "line": 42,
                "category": "readiness",
                "policy": None,
            }
        ],
        "accepted": [],
        "accepted_file": None,
    }


RESTART_BY_POLICY = Change(
    "db",
    "services.db.restart",
    "removed",
    "unless-stopped",
    None,
    "compose.yml",
    3,
    "restart",
    policy="policies.restart: defaults.restart",
)


def test_policy_additions_are_labelled_in_every_format() -> None:
    res = result(RESTART_BY_POLICY, INTERVAL)
    text = render_report(res, "text")
    assert text.splitlines()[0].endswith("2 changes in 2 services (1 added by stackgen policy)")
    assert (
        '  - services.db.restart: "unless-stopped", added by stackgen policy '
        "(policies.restart: defaults.restart)  [restart] compose.yml:3"
    ) in text.splitlines()
    # a change the profile itself makes is not labelled
    assert (
        '  ~ services.backend.healthcheck.interval: "30s" -> "10s"  [readiness] compose.yml:42'
        in (text.splitlines())
    )
    markdown = render_report(res, "markdown")
    assert "| restart, added by stackgen policy | `compose.yml:3` |" in markdown
    assert "| readiness | `compose.yml:42` |" in markdown
    data = json.loads(render_report(res, "json"))
    # in the drift's own order (restart first, as given)
    assert [c["policy"] for c in data["changes"]] == [
        "policies.restart: defaults.restart",
        None,
    ]
    github = render_report(res, "github")
    assert "added by stackgen policy (policies.restart: defaults.restart) [restart]" in github


def test_secret_env_values_are_masked_unless_asked() -> None:
    for fmt in ("text", "markdown", "json", "github"):
        text = render_report(result(PASSWORD), fmt)
        assert "new-secret" not in text and "old-secret" not in text, fmt
        assert MASK in text, fmt
    assert "new-secret" in render_report(result(PASSWORD), "text", show_secrets=True)


def _secret(kind: str, left: object, right: object, key: str = "DB_PASSWORD") -> Change:
    return Change(
        "backend",
        f"services.backend.environment.{key}",
        kind,
        left,
        right,
        "compose.yml",
        7,
        "env",
    )


def test_changed_secret_is_visibly_a_change_in_every_format() -> None:
    json_change = json.loads(render_report(result(PASSWORD), "json"))["changes"][0]
    assert (json_change["left"], json_change["right"]) == (MASK, MASK_CHANGED)
    assert json_change["left"] != json_change["right"]
    expected = f'"{MASK}" -> "{MASK_CHANGED}"'
    assert expected == '"***" -> "*** (changed)"'
    for fmt in ("text", "github"):
        assert f"ADMIN_PASSWORD: {expected}" in render_report(result(PASSWORD), fmt), fmt
    assert f'| "{MASK}" | "{MASK_CHANGED}" |' in render_report(result(PASSWORD), "markdown")


def test_empty_and_null_secrets_are_shown_as_they_are() -> None:
    cases = [
        (_secret("changed", "", "s3cret"), "", MASK),
        (_secret("changed", None, "s3cret"), None, MASK),
        (_secret("changed", "s3cret", None), MASK, None),
        (_secret("changed", "s3cret", ""), MASK, ""),
        (_secret("added", None, ""), None, ""),
        (_secret("removed", "s3cret", None), MASK, None),
    ]
    for change, left, right in cases:
        data = json.loads(render_report(result(change), "json"))["changes"][0]
        assert (data["left"], data["right"]) == (left, right), change
        assert "s3cret" not in render_report(result(change), "text")
    text = render_report(result(_secret("changed", None, "s3cret")), "text")
    assert f'DB_PASSWORD: null -> "{MASK}"' in text
    text = render_report(result(_secret("changed", "", "s3cret")), "text")
    assert f'DB_PASSWORD: "" -> "{MASK}"' in text


def test_secret_inside_a_whole_environment_change_is_marked_changed() -> None:
    change = Change(
        "backend",
        "services.backend.environment",
        "changed",
        {"DB_PASSWORD": "a", "API_TOKEN": "same", "EMPTY_KEY": "", "LOG": "info"},
        {"DB_PASSWORD": "b", "API_TOKEN": "same", "EMPTY_KEY": "", "LOG": "debug"},
        "compose.yml",
        3,
        "env",
    )
    data = json.loads(render_report(result(change), "json"))["changes"][0]
    assert data["left"] == {"DB_PASSWORD": MASK, "API_TOKEN": MASK, "EMPTY_KEY": "", "LOG": "info"}
    assert data["right"] == {
        "DB_PASSWORD": MASK_CHANGED,
        "API_TOKEN": MASK,
        "EMPTY_KEY": "",
        "LOG": "debug",
    }


def test_profile_sensitive_names_are_masked() -> None:
    change = Change(
        "backend",
        "services.backend.environment.JIRA_CLIENT_ID",
        "added",
        None,
        "abc123",
        "compose.yml",
        3,
        "env",
    )
    assert "abc123" in render_report(result(change), "json")
    masked = render_report(result(change, sensitive=frozenset({"JIRA_CLIENT_ID"})), "json")
    assert "abc123" not in masked


def test_whole_environment_added_is_masked_inside() -> None:
    change = Change(
        "backend",
        "services.backend.environment",
        "added",
        None,
        {"DB_PASSWORD": "pw", "LOG": "info", "API_KEY": None},
        "compose.yml",
        3,
        "env",
    )
    data = json.loads(render_report(result(change), "json"))
    assert data["changes"][0]["right"] == {"DB_PASSWORD": MASK, "LOG": "info", "API_KEY": None}


def test_text_groups_by_service_with_file_and_line_and_no_colour_by_default() -> None:
    text = render_report(result(INTERVAL), "text")
    assert "\nbackend\n" in text
    assert 'services.backend.healthcheck.interval: "30s" -> "10s"' in text
    assert "compose.yml:42" in text
    assert "\x1b[" not in text


def test_text_lines_carry_the_kind_the_cli_colours_by() -> None:
    added = Change("web", "services.web.ports", "added", None, [80], "compose.yml", 3, "ports")
    lines = text_lines(result(INTERVAL, added))
    assert lines == [
        ("stackgen diff: profiles/p.yml vs compose.yml: 2 changes in 2 services", "heading"),
        ("", None),
        ("backend", "heading"),
        (
            '  ~ services.backend.healthcheck.interval: "30s" -> "10s"  [readiness] compose.yml:42',
            "changed",
        ),
        ("", None),
        ("web", "heading"),
        ("  + services.web.ports: added [80]  [ports] compose.yml:3", "added"),
    ]
    assert render_report(result(INTERVAL, added), "text") == "\n".join(t for t, _ in lines) + "\n"


def test_markdown_summary_table_and_folded_details() -> None:
    long_value = Change(
        "backend",
        "services.backend.command",
        "changed",
        ["x" * 80],
        ["y" * 80],
        "compose.yml",
        9,
        "other",
    )
    text = render_report(result(INTERVAL, long_value), "markdown")
    first = text.splitlines()[0]
    assert first.startswith("**stackgen diff**: 2 changes in 1 service")
    assert '| ~ | `services.backend.healthcheck.interval` | "30s" | "10s" | readiness |' in text
    assert "<details><summary>Full values</summary>" in text
    assert "x" * 80 in text  # the full value is in the folded part only


def test_github_annotations_escape_properties() -> None:
    line = render_report(result(INTERVAL), "github").strip()
    assert line.startswith("::warning file=compose.yml,line=42,title=stackgen diff::")
    assert line.endswith('services.backend.healthcheck.interval: "30s" -> "10s" [readiness]')
    odd = Change(None, "name", "changed", "a", "b", "dir,x/c:1.yml", 1, "other")
    assert "file=dir%2Cx/c%3A1.yml," in render_report(result(odd), "github")


def test_no_drift_reports() -> None:
    assert "no drift" in render_report(result(), "text")
    assert "no drift" in render_report(result(), "markdown")
    assert render_report(result(), "github") == ""
    assert json.loads(render_report(result(), "json"))["summary"] == {
        "changes": 0,
        "services": 0,
        "accepted": 0,
    }


def test_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError):
        render_report(result(), "yaml")
