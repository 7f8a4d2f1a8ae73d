"""The stack model (stackgen.plan.model): immutable records, start order, one-shot jobs."""

from __future__ import annotations

import pytest

from stackgen.plan.model import Service, Stack
from stackgen.plan.records import (
    ComposeText,
    Condition,
    Dependency,
    Duration,
    EnvVar,
    FromHost,
    Port,
    Probe,
    SecretRef,
    Text,
    frozen_map,
)


def test_records_are_immutable() -> None:
    svc = Service(name="db", kind="postgres", image="postgres:16", labels=frozen_map({"a": "b"}))
    with pytest.raises(AttributeError):
        svc.image = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        svc.labels["a"] = "c"  # type: ignore[index]


def test_environment_values_of_one_shape_are_told_apart() -> None:
    # the same string as literal text, compose text and a secret's name: three values
    values = [Text("X"), ComposeText("X"), SecretRef("X")]
    assert [a == b for a in values for b in values] == [
        True, False, False,
        False, True, False,
        False, False, True,
    ]  # fmt: skip
    assert len({*values, Text("X")}) == 3
    assert EnvVar("A", Text("X")) != EnvVar("A", ComposeText("X"))
    # a value taken from the host is a value, not an empty (false) one
    assert bool(FromHost())
    assert FromHost() == FromHost()


def test_conditions_are_the_compose_names() -> None:
    assert [c.value for c in Condition] == [
        "service_started",
        "service_healthy",
        "service_completed_successfully",
    ]


def test_stack_start_order_and_jobs() -> None:
    migrate = Service(name="migrate", image="app:1", one_shot=True)
    web = Service(
        name="web",
        image="app:1",
        depends_on=(Dependency("migrate", Condition.COMPLETED),),
        ports=(Port(container=80, host_port=8080),),
        probe=Probe(
            argv=("wget", "-q", "--spider", "http://127.0.0.1/"), interval=Duration(90.0, "1m30s")
        ),
        environment=(EnvVar("MODE", Text("prod")),),
    )
    stack = Stack(name="shop", source="shop.yml", services=(migrate, web))
    assert stack.start_order == ("migrate", "web")
    assert stack.jobs == (migrate,)
    assert stack.service("web").env("MODE") == Text("prod")
    assert stack.service("web").env("OTHER") is None
    with pytest.raises(KeyError):
        stack.service("nope")
