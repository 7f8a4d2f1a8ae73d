"""How changes are cut: per service and per top-level entry, never one whole-mapping blob."""

from __future__ import annotations

from pathlib import Path

from diff.difftools import run_diff, write_text

from helpers import run_stackgen
from stackgen.diff.equal import _same


def _kinds(left: Path, right: Path) -> set[tuple[str | None, str, str, str]]:
    return {(c.service, c.path, c.kind, c.category) for c in run_diff(left, right).changes}


def test_renamed_service_is_one_removed_and_one_added(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", "services:\n  backend:\n    image: a\n")
    right = write_text(tmp_path, "r.yml", "services:\n  a:\n    image: a\n")
    (added, removed) = sorted(run_diff(left, right).changes, key=lambda c: c.kind)
    assert (added.service, added.path, added.kind) == ("a", "services.a", "added")
    assert added.right == {"image": "a"} and added.left is None
    assert (removed.service, removed.path, removed.kind) == (
        "backend",
        "services.backend",
        "removed",
    )
    assert removed.left == {"image": "a"} and removed.right is None
    assert (added.file, added.line) == (str(right), 2)


def test_renamed_service_report_counts_two_services(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", "services:\n  backend:\n    image: a\n")
    right = write_text(tmp_path, "r.yml", "services:\n  a:\n    image: a\n")
    proc = run_stackgen("diff", str(left), str(right))
    assert proc.returncode == 1
    assert "2 changes in 2 services" in proc.stdout, proc.stdout
    assert "(top level)" not in proc.stdout


def test_top_level_definitions_are_compared_per_entry(tmp_path: Path) -> None:
    head = "services:\n  s:\n    image: a\n"
    left = write_text(
        tmp_path,
        "l.yml",
        head + "volumes:\n  old: {}\nnetworks:\n  front: {}\n"
        "secrets:\n  k1:\n    file: ./k1\nconfigs:\n  c1:\n    file: ./c1\n",
    )
    right = write_text(
        tmp_path,
        "r.yml",
        head + "volumes:\n  new: {}\nnetworks:\n  back: {}\n"
        "secrets:\n  k2:\n    file: ./k2\nconfigs:\n  c2:\n    file: ./c2\n",
    )
    assert _kinds(left, right) == {
        (None, "volumes.old", "removed", "volumes"),
        (None, "volumes.new", "added", "volumes"),
        (None, "networks.front", "removed", "network"),
        (None, "networks.back", "added", "network"),
        (None, "secrets.k1", "removed", "secrets"),
        (None, "secrets.k2", "added", "secrets"),
        (None, "configs.c1", "removed", "secrets"),
        (None, "configs.c2", "added", "secrets"),
    }


def test_a_whole_definitions_mapping_added_is_one_change_per_entry(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", "services:\n  s:\n    image: a\nvolumes: {}\n")
    right = write_text(
        tmp_path, "r.yml", "services:\n  s:\n    image: a\nvolumes:\n  a: {}\n  b:\n"
    )
    assert _kinds(left, right) == {
        (None, "volumes.a", "added", "volumes"),
        (None, "volumes.b", "added", "volumes"),
    }
    assert _kinds(right, left) == {
        (None, "volumes.a", "removed", "volumes"),
        (None, "volumes.b", "removed", "volumes"),
    }


def test_no_shared_key_inside_a_service_is_still_per_key(tmp_path: Path) -> None:
    left = write_text(tmp_path, "l.yml", "services:\n  s:\n    image: a\n    ports: ['80:80']\n")
    right = write_text(tmp_path, "r.yml", "services:\n  s:\n    image: a\n    ports: ['81:81']\n")
    assert _kinds(left, right) == {
        ("s", "services.s.ports[target=80]", "removed", "ports"),
        ("s", "services.s.ports[target=81]", "added", "ports"),
    }


def test_only_differing_services_are_reported_whatever_their_key_order(tmp_path: Path) -> None:
    """Services equal on both sides are left out before deepdiff runs: one written with its
    keys in another order is still equal, one changed is reported in full."""
    left = write_text(
        tmp_path,
        "l.yml",
        "services:\n"
        "  a:\n    image: x\n    restart: always\n"
        "  b:\n    image: y\n    healthcheck:\n      test: [CMD, a]\n      retries: 3\n"
        "  c:\n    image: z\n",
    )
    right = write_text(
        tmp_path,
        "r.yml",
        "services:\n"
        "  a:\n    restart: always\n    image: x\n"
        "  b:\n    image: y\n    healthcheck:\n      test: [CMD, b]\n      retries: 4\n"
        "  c:\n    image: z\n",
    )
    changes = sorted(run_diff(left, right).changes, key=lambda c: c.path)
    assert [(c.path, c.kind, c.left, c.right) for c in changes] == [
        ("services.b.healthcheck.retries", "changed", 3, 4),
        ("services.b.healthcheck.test", "changed", ["CMD", "a"], ["CMD", "b"]),
    ]


def test_equal_entries_are_equal_in_type_too() -> None:
    """The equality that lets an entry skip deepdiff is deepdiff's: a type change counts."""
    assert _same({"a": 1, "b": [1, "x"]}, {"b": [1, "x"], "a": 1})
    assert not _same({"a": 1}, {"a": 1.0})
    assert not _same({"a": 1}, {"a": True})
    assert not _same({"a": [1, 2]}, {"a": [2, 1]})
    assert not _same({"a": {"b": 1}}, {"a": {"b": "1"}})
