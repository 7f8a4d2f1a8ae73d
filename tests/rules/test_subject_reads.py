"""lint.model.Subject's once-per-service readings (family, env, deps, probe) answer what the
module functions answer of the same mapping, for every service of a subject and each time
asked; and the ``client-localhost`` rule skips only values that cannot hold a host:port."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stackgen.compose.addresses import local_addresses
from stackgen.lint.model import Subject, dependencies, environment, infra_family, probe
from stackgen.yamlio.nodes import Mark

_words = st.sampled_from(
    [
        "postgres:16",
        "bitnami/kafka:3.7",
        "${IMG}",
        "redis",
        "app:1",
        "localhost:5432",
        "x",
        "CMD",
        "CMD-SHELL",
        "NONE",
        "service_healthy",
        "KAFKA_ADVERTISED_LISTENERS",
        "PLAINTEXT://localhost:9092",
    ]
)
_env = st.one_of(
    st.dictionaries(_words, st.one_of(st.none(), st.booleans(), st.integers(), _words), max_size=4),
    st.lists(_words, max_size=4),
)
_deps = st.one_of(
    st.lists(_words, max_size=3),
    st.dictionaries(_words, st.fixed_dictionaries({"condition": _words}), max_size=3),
)
_healthcheck = st.fixed_dictionaries(
    {"test": st.one_of(_words, st.lists(_words, max_size=3))},
    optional={"disable": st.booleans()},
)
_service = st.fixed_dictionaries(
    {},
    optional={
        "image": _words,
        "environment": _env,
        "depends_on": _deps,
        "healthcheck": _healthcheck,
    },
)


@given(st.dictionaries(st.text(min_size=1, max_size=5), _service, max_size=5))
def test_subject_readings_equal_the_module_functions(services: dict[str, Any]) -> None:
    subject = Subject("f.yml", "compose", {"services": services}, lambda p: Mark("f.yml", 1, 1))
    for _ in range(2):  # the second time from what the subject kept
        for _, spec in subject.services():
            assert subject.family(spec) == infra_family(spec)
            assert subject.env(spec) == environment(spec)
            assert subject.deps(spec) == dependencies(spec)
            assert subject.probe(spec) == probe(spec)


def test_equal_mappings_of_two_services_are_read_each_on_its_own() -> None:
    # kept by identity, not by value: two services never share an answer by accident
    a = {"image": "postgres:16", "environment": {"A": "1"}}
    b = {"image": "redis:7", "environment": ["B=2"]}
    subject = Subject("f.yml", "compose", {"services": {"a": a, "b": b}}, lambda p: Mark("", 1, 1))
    assert subject.family(a) == "postgres" and subject.family(b) == "redis"
    assert subject.env(a) == [("A", "1", ("environment", "A"))]
    assert subject.env(b) == [("B", "2", ("environment", 0))]


@given(st.text(alphabet=st.sampled_from("lLocahstK1270.[]:9 -_/"), max_size=24) | st.text())
def test_a_value_without_a_colon_holds_no_local_address(text: str) -> None:
    # lint.kafka skips values without ":" before searching them for localhost:PORT
    if ":" not in text:
        assert local_addresses(text) == []


@given(st.text(alphabet=st.sampled_from("-XxMm0123456789kKgG ="), max_size=16) | st.text())
def test_a_value_without_dash_xmx_names_no_heap(text: str) -> None:
    # lint.deploy and plan.resources search only values holding "-Xmx" for a JVM heap
    from stackgen.lint.deploy import _XMX as lint_xmx
    from stackgen.plan.resources import _XMX as plan_xmx

    if "-Xmx" not in text:
        assert lint_xmx.findall(text) == [] and plan_xmx.findall(text) == []
