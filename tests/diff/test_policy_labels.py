"""``label_policy``: a change is labelled when its LEFT value, or an ancestor of it, was put
there by a stackgen policy; never an ``added`` change (only in RIGHT)."""

from __future__ import annotations

from pathlib import Path

from helpers import run_stackgen
from stackgen.api import diff
from stackgen.diff.compare import Change
from stackgen.diff.filters import label_policy

POLICY = {
    "services.db.healthcheck": "policies.healthchecks: catalog probe of kind postgres",
    "services.web.depends_on.db.condition": "policies.conditions: db has a healthcheck",
    "services.kafka.ports": "policies.catalog: default ports of kind kafka",
}


def change(path: str, kind: str = "removed") -> Change:
    return Change(path.split(".")[1], path, kind, "l", "r", "c.yml", 1, "readiness")


def test_labels_follow_the_path_and_its_ancestors() -> None:
    assert (
        label_policy(change("services.db.healthcheck"), POLICY).policy
        == (POLICY["services.db.healthcheck"])
    )
    assert (
        label_policy(change("services.db.healthcheck.interval", "changed"), POLICY).policy
        == (POLICY["services.db.healthcheck"])
    )
    assert (
        label_policy(change("services.kafka.ports[target=9092]"), POLICY).policy
        == (POLICY["services.kafka.ports"])
    )
    assert label_policy(change("services.web.depends_on.db.condition", "changed"), POLICY).policy
    # a sibling path, a longer name sharing a prefix, and RIGHT-only values are not the policy's
    assert label_policy(change("services.web.depends_on.cache.condition"), POLICY).policy is None
    assert label_policy(change("services.dbx.healthcheck"), POLICY).policy is None
    assert label_policy(change("services.db.healthcheck", "added"), POLICY).policy is None


def test_diff_labels_only_what_policies_added(tmp_path: Path) -> None:
    profile = tmp_path / "p.yml"
    profile.write_text(
        "name: t\npolicies: {catalog: false}\nservices:\n"
        "  db: {image: 'postgres:16'}\n"
        "  web: {image: 'web:1', depends_on: [db], restart: always}\n"
    )
    compose = tmp_path / "compose.yml"
    compose.write_text(
        "name: t\nservices:\n  db: {image: 'postgres:16', restart: always}\n"
        "  web: {image: 'web:2', depends_on: [db], restart: always}\n"
    )
    found = {(c.path, c.kind, c.policy) for c in diff(profile, [compose]).changes}
    assert found == {
        (
            "services.db.healthcheck",
            "removed",
            "policies.healthchecks: catalog probe of kind postgres",
        ),
        ("services.db.restart", "changed", "policies.restart: defaults.restart"),
        (
            "services.web.depends_on.db.condition",
            "changed",
            "policies.conditions: db has a healthcheck",
        ),
        # the profile's own image is drift, not a policy addition
        ("services.web.image", "changed", None),
    }


PROFILE = (
    "name: {name}\n{extra}policies: {{catalog: false}}\nservices:\n"
    "  db: {{image: 'postgres:16'}}\n"
    "  web: {{image: 'web:1', depends_on: [db]}}\n"
)


def _profile(tmp: Path, file: str, name: str = "t", extra: str = "") -> Path:
    path = tmp / file
    path.write_text(PROFILE.format(name=name, extra=extra), encoding="utf-8")
    return path


def _labels(left: Path, *rights: Path, **options: str) -> set[tuple[str, str, str | None]]:
    return {(c.path, c.kind, c.policy) for c in diff(left, list(rights), **options).changes}


def test_two_profiles_differing_in_name_is_no_policy_change(tmp_path: Path) -> None:
    # new-user trial: the renamed project was labelled "added by stackgen policy"; the name is
    # each profile's own, the policy only writes it into the file on both sides
    left, right = _profile(tmp_path, "a.yml"), _profile(tmp_path, "b.yml", name="other")
    assert _labels(left, right, right_type="profile") == {("name", "changed", None)}


def test_the_same_policy_on_both_sides_labels_nothing(tmp_path: Path) -> None:
    # defaults.restart differs: both restarts come from policies.restart, so the profiles
    # differ (in defaults.restart), not what a policy added
    left = _profile(tmp_path, "a.yml", extra="defaults: {restart: always}\n")
    right = _profile(tmp_path, "b.yml", extra="defaults: {restart: on-failure}\n")
    assert _labels(left, right, right_type="profile") == {
        ("services.db.restart", "changed", None),
        ("services.web.restart", "changed", None),
    }


def test_a_policy_only_left_has_is_still_labelled(tmp_path: Path) -> None:
    # RIGHT turns the restart policy off: LEFT's restart values are the policy's alone
    left = _profile(tmp_path, "a.yml", extra="defaults: {restart: always}\n")
    right = tmp_path / "b.yml"
    right.write_text(
        PROFILE.format(name="t", extra="").replace(
            "{catalog: false}", "{catalog: false, restart: false}"
        ),
        encoding="utf-8",
    )
    reason = "policies.restart: defaults.restart"
    assert _labels(left, right, right_type="profile") == {
        ("services.db.restart", "removed", reason),
        ("services.web.restart", "removed", reason),
    }


def test_a_policy_value_an_override_changes_is_labelled(tmp_path: Path) -> None:
    # RIGHT is the same profile with a compose override: the override's value is hand-made
    left = _profile(tmp_path, "a.yml", extra="defaults: {restart: always}\n")
    right = _profile(tmp_path, "b.yml", extra="defaults: {restart: always}\n")
    override = tmp_path / "override.yml"
    override.write_text("services:\n  web: {restart: 'no'}\n", encoding="utf-8")
    assert _labels(left, right, override, right_type="profile") == {
        ("services.web.restart", "changed", "policies.restart: defaults.restart"),
    }


def test_a_compose_right_with_another_name_is_no_policy_change(tmp_path: Path) -> None:
    left = _profile(tmp_path, "a.yml", extra="defaults: {restart: always}\n")
    rendered = run_stackgen("render", str(left), "-o", "-", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    renamed = tmp_path / "compose.yml"
    renamed.write_text(rendered.stdout.replace("name: t\n", "name: other\n"), encoding="utf-8")
    assert _labels(left, renamed) == {("name", "changed", None)}
    # no name at all in RIGHT: the key is there only because policies.project_name pins it
    unnamed = tmp_path / "compose.unnamed.yml"
    unnamed.write_text(rendered.stdout.replace("name: t\n", ""), encoding="utf-8")
    assert _labels(left, unnamed) == {
        ("name", "removed", "policies.project_name: the project name is pinned in the file")
    }
