"""``label_policy``: a change is labelled when its LEFT value, or an ancestor of it, was put
there by a stackgen policy; never an ``added`` change (only in RIGHT)."""

from __future__ import annotations

from pathlib import Path

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
