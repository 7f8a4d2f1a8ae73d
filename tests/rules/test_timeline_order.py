"""stackgen.timeline: services are computed after their dependencies, and a service in or
behind a dependency cycle is left out (it never starts). Values worked out by hand from the
module docstring's terms (start S, need N, ready R = S + N)."""

from __future__ import annotations

from stackgen.timeline import FirstStart, timeline


def test_cycles_and_what_waits_behind_them_are_left_out() -> None:
    compose = {
        "services": {
            "a": {"depends_on": ["b"]},
            "b": {"depends_on": ["a"]},
            "c": {"depends_on": ["a"]},  # behind the cycle
            "s": {"depends_on": ["s"]},  # waits for itself
            "d": {},
            "e": {"depends_on": {"d": {"condition": "service_completed_successfully"}}},
        }
    }
    line = timeline(compose, {"d": FirstStart(10.0, "given")})
    # d: S 0, N 10, R 10; e starts when d is done (R of d = 10), needs 0
    assert [(e.name, e.start, e.ready, e.healthy) for e in line.entries] == [
        ("d", 0.0, 10.0, None),
        ("e", 10.0, 10.0, None),
    ]


def test_a_chain_written_backwards_starts_in_dependency_order() -> None:
    compose = {
        "services": {
            "x": {"depends_on": {"y": {"condition": "service_healthy"}}},
            "y": {"depends_on": {"z": {"condition": "service_healthy"}}},
            "z": {},
        }
    }
    five = FirstStart(5.0, "given")
    line = timeline(compose, {"x": five, "y": five, "z": five})
    # no probe: healthy-by is None, a service_healthy wait ends at the dependency's ready
    assert [(e.name, e.start, e.ready, e.after) for e in line.entries] == [
        ("z", 0.0, 5.0, None),
        ("y", 5.0, 10.0, ("z", "service_healthy")),
        ("x", 10.0, 15.0, ("y", "service_healthy")),
    ]
