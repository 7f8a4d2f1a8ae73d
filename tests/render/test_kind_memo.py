"""The per-process memo of the catalog's kind partials (stackgen.catalog.kind_memo) is exact:
a partial's defaults are shared only between services whose partial reads the same values,
a user's partial is never memoised, and memoised results equal fresh renders over the example
profiles, the bench workload and generated services."""

from __future__ import annotations

import importlib.util
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackgen import api
from stackgen.catalog import kind_memo, kinds
from stackgen.catalog.kind_memo import OWN_READS, freeze, memo_key, source_hash
from stackgen.catalog.kinds import KindDefaults, kind_defaults
from stackgen.profile.settings import KafkaSettings, Listeners
from stackgen.targets.compose.templating import template_reads

REPO = Path(__file__).resolve().parents[2]
KAFKA = KafkaSettings()


@pytest.fixture(autouse=True)
def _empty_memo() -> Any:
    kinds._MEMO.clear()
    yield
    kinds._MEMO.clear()


def _own_partials() -> dict[str, str]:
    folder = resources.files("stackgen.templates") / "kinds"
    return {
        f"kinds/{node.name}": node.read_text(encoding="utf-8")
        for node in folder.iterdir()
        if node.name.endswith(".yml.j2")
    }


def test_the_reads_table_is_jinja_s_analysis_of_every_own_partial() -> None:
    partials = _own_partials()
    assert sorted(partials) == sorted(OWN_READS), "every own partial has an entry, no other"
    for name, source in partials.items():
        digest, reads = OWN_READS[name]
        assert (digest, reads) == (source_hash(source), template_reads(source)), (
            f"update OWN_READS[{name!r}] to {(source_hash(source), template_reads(source))}"
        )


def test_the_app_partial_reads_only_the_image() -> None:
    # by hand: _app.yml.j2 writes `image` when given, the rest is constant text
    assert OWN_READS["kinds/_app.yml.j2"][1] == {"image"}
    assert "name" in OWN_READS["kinds/_postgres.yml.j2"][1]


@pytest.mark.parametrize(
    "source",
    [
        '{% include "kinds/_app.yml.j2" %}',
        '{% import "_nodes.yml.j2" as n %}{{ a }}',
        '{% from "_nodes.yml.j2" import block %}{{ a }}',
        '{% extends "compose.yml.j2" %}',
        "{% include name %}",  # a name only known at render time
        '{{ a | map("q") | list }}',  # hands the context to another filter
        "{{ a | select | list }}",
        "{{ [1, 2] | random }}",  # chance
        "{{ lipsum() }}",
        "{{ a | nosuch }}",  # does not compile: nothing to remember
    ],
)
def test_templates_whose_names_do_not_decide_their_output_are_not_memoised(
    source: str,
) -> None:
    assert template_reads(source) is None


def test_names_read_include_branches_macros_blocks_and_hidden_globals() -> None:
    source = (
        "{% if a %}{{ b }}{% else %}{{ c.d }}{% endif %}"
        "{% macro m() %}{{ e }}{% endmacro %}{{ m() }}"
        "{% block x %}{{ f }}{% endblock %}"
        "{% for i in g %}{{ i }}{% endfor %}"
        "{{ range(2) | list }}{% set h = 1 %}{{ h }}"
    )
    # range is a global a variable of the same name hides: it is read too
    assert template_reads(source) == {"a", "b", "c", "e", "f", "g", "range"}


def test_freeze_tells_apart_what_a_template_can() -> None:
    assert freeze(True) != freeze(1) != freeze(1.0)
    assert freeze("1") != freeze(1) and freeze(None) != freeze("") != freeze(False)
    assert freeze(0.0) != freeze(-0.0)  # equal in Python, written 0.0 and -0.0
    assert freeze({"a": "1", "b": "2"}) != freeze({"b": "2", "a": "1"})  # loop order
    assert freeze(["a"]) != freeze(("a",))
    assert freeze(KAFKA) == freeze(KafkaSettings())
    other = KafkaSettings(listeners=Listeners(internal_port=29093))
    assert freeze(KAFKA) != freeze(other)
    with pytest.raises(Exception, match="set"):
        freeze({"x"})


def test_a_value_without_an_exact_key_is_rendered_every_time() -> None:
    context = {"image": {"x"}, "name": "a"}
    assert memo_key("kinds/_app.yml.j2", context) is None
    assert memo_key("kinds/_nosuch.yml.j2", {"image": "a"}) is None
    # the app partial reads only the image: the name is no part of its key
    assert memo_key("kinds/_app.yml.j2", {"image": "a", "name": "b"}) == (
        "kinds/_app.yml.j2",
        "a",
    )


def test_keys_name_each_value_s_place() -> None:
    """Values are placed by the name that holds them: the same values under other names, or
    a name left out, give another key."""
    pg = "kinds/_postgres.yml.j2"
    assert memo_key(pg, {"image": "a", "name": "b"}) != memo_key(pg, {"name": "a", "image": "b"})
    assert memo_key(pg, {"image": "a"}) != memo_key(pg, {"name": "a"})
    assert memo_key(pg, {"image": "a", "name": "b"}) == memo_key(pg, {"name": "b", "image": "a"})


def test_a_partial_whose_source_changed_is_not_memoised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = OWN_READS["kinds/_app.yml.j2"][1]
    monkeypatch.setitem(OWN_READS, "kinds/_app.yml.j2", ("0" * 64, reads))
    kind_memo.own_reads.cache_clear()
    try:
        assert memo_key("kinds/_app.yml.j2", {"image": "a"}) is None
    finally:
        monkeypatch.undo()
        kind_memo.own_reads.cache_clear()
    assert memo_key("kinds/_app.yml.j2", {"image": "a"}) is not None


def _kd(kind: str, name: str, **kw: Any) -> KindDefaults:
    kw.setdefault("image", None)
    kw.setdefault("env", {})
    kw.setdefault("kafka", KAFKA)
    kw.setdefault("zookeeper", None)
    return kind_defaults(kind, name=name, **kw)


def test_apps_share_defaults_only_for_the_same_image() -> None:
    a = _kd("app", "a", image="reg.test/a:1")
    b = _kd("app", "b", image="reg.test/a:1")
    c = _kd("app", "c", image="reg.test/c:1")
    assert a is b  # the partial reads only the image: one render for both
    assert (a.image, c.image) == ("reg.test/a:1", "reg.test/c:1")
    assert _kd("app", "d").image is None  # no image given: none written


def test_a_partial_that_reads_the_name_is_not_shared_across_names() -> None:
    one = _kd("postgres", "db1", image="postgres:16")
    two = _kd("postgres", "db2", image="postgres:16")
    assert one.volumes == ("db1-data:/var/lib/postgresql/data",)
    assert two.volumes == ("db2-data:/var/lib/postgresql/data",)
    kafka = KafkaSettings(listeners=Listeners(external_host="broker.test"))
    k1 = _kd("kafka", "k", zookeeper="zk")
    k2 = _kd("kafka", "k", zookeeper="zk", kafka=kafka)
    assert k1.environment["KAFKA_ADVERTISED_LISTENERS"] == (
        "INTERNAL://k:29092,EXTERNAL://localhost:9092"
    )
    assert k2.environment["KAFKA_ADVERTISED_LISTENERS"] == (
        "INTERNAL://k:29092,EXTERNAL://broker.test:9092"
    )
    assert "KAFKA_ZOOKEEPER_CONNECT" not in _kd("kafka", "k").environment


def test_values_the_partial_reads_from_env_args_and_env_file_are_keys() -> None:
    plain = _kd("postgres", "db")
    user = _kd("postgres", "db", env={"POSTGRES_USER": "u1"})
    other = _kd("postgres", "db", env={"POSTGRES_USER": "u2"})
    from_file = _kd("postgres", "db", env_file=True)
    assert plain.probe is not None and user.probe is not None and other.probe is not None
    assert plain.probe.argv is not None and plain.probe.argv[-4:] == (
        "-U",
        "postgres",
        "-d",
        "postgres",
    )
    assert user.probe.argv is not None and user.probe.argv[-4:] == ("-U", "u1", "-d", "u1")
    assert other.probe.argv is not None and other.probe.argv[-4:] == ("-U", "u2", "-d", "u2")
    assert from_file.probe is not None and from_file.probe.argv is None
    assert (
        from_file.probe.shell is not None and "${POSTGRES_USER:-postgres}" in from_file.probe.shell
    )
    # redis: the password from the command's words, else from the environment
    assert _kd("redis", "r").probe_environment == {}
    assert _kd("redis", "r", args=["redis-server", "--requirepass", "p1"]).probe_environment == {
        "REDISCLI_AUTH": "p1"
    }
    assert _kd("redis", "r", args=["redis-server", "--requirepass", "p2"]).probe_environment == {
        "REDISCLI_AUTH": "p2"
    }
    assert _kd("redis", "r", env={"REDIS_PASSWORD": "p3"}).probe_environment == {
        "REDISCLI_AUTH": "p3"
    }


def test_shared_defaults_cannot_be_changed_by_a_caller() -> None:
    kd = _kd("zookeeper", "zk")
    with pytest.raises(TypeError):
        kd.environment["ZOOKEEPER_TICK_TIME"] = "1"  # type: ignore[index]
    with pytest.raises(TypeError):
        kd.probe_environment["KAFKA_OPTS"] = ""  # type: ignore[index]
    assert _kd("zookeeper", "zk").environment["ZOOKEEPER_TICK_TIME"] == "2000"


def test_a_user_partial_is_honoured_and_never_memoised(tmp_path: Path) -> None:
    own = _kd("app", "a", image="reg.test/a:1")
    partial = tmp_path / "kinds" / "_app.yml.j2"
    partial.parent.mkdir()
    partial.write_text(
        "image: {{ image | q }}\nlistens: [81]\nvolumes: []\nenvironment: {A: one}\n",
        encoding="utf-8",
    )
    first = _kd("app", "a", image="reg.test/a:1", templates=tmp_path)
    assert (first.listens, dict(first.environment)) == ((81,), {"A": "one"})
    # the user's file changes between two renders of one process: the new text is read
    partial.write_text(
        "image: {{ image | q }}\nlistens: [82]\nvolumes: []\nenvironment: {A: two}\n",
        encoding="utf-8",
    )
    second = _kd("app", "a", image="reg.test/a:1", templates=tmp_path)
    assert (second.listens, dict(second.environment)) == ((82,), {"A": "two"})
    # stackgen's own partial, looked up after a folder that does not replace it
    assert _kd("app", "a", image="reg.test/a:1", templates=tmp_path / "kinds") is own
    assert own.listens == ()


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kind_memo, "MAX_ENTRIES", 3)
    for i in range(5):
        _kd("app", "a", image=f"reg.test/a:{i}")
    assert len(kinds._MEMO) == 3
    assert [key[1] for key in kinds._MEMO] == [f"reg.test/a:{i}" for i in (2, 3, 4)]


# --- memoised results equal fresh renders ---------------------------------------------


def _calls_of(
    paths: list[Path], monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, dict[str, Any]]]:
    """Every kind_defaults call planning and rendering ``paths`` makes (both targets)."""
    import stackgen.plan.planner as planner
    import stackgen.targets.kubernetes.from_model as from_model

    calls: list[tuple[str, dict[str, Any]]] = []

    def spy(kind: str, **kw: Any) -> KindDefaults:
        calls.append((kind, kw))
        return kind_defaults(kind, **kw)

    monkeypatch.setattr(planner, "kind_defaults", spy)
    monkeypatch.setattr(from_model, "kind_defaults", spy)
    for path in paths:
        api.render_targets(path)
    monkeypatch.undo()
    return calls


def _fresh_and_memoised(
    calls: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[KindDefaults], list[KindDefaults]]:
    kinds._MEMO.clear()
    monkeypatch.setattr(kinds, "memo_key", lambda template, context: None)
    fresh = [kind_defaults(kind, **kw) for kind, kw in calls]
    assert not kinds._MEMO
    monkeypatch.undo()
    memoised = [kind_defaults(kind, **kw) for kind, kw in calls]
    return fresh, memoised


def _workload() -> Any:
    spec = importlib.util.spec_from_file_location("workload", REPO / "bench" / "workload.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("workload", module)
    spec.loader.exec_module(module)
    return module


def test_memoised_defaults_equal_fresh_ones_over_examples_and_the_workload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = sorted(REPO.glob("profiles/*.yml")) + sorted(
        REPO.glob("tests/cases/valid/*/profile.yml")
    )
    generated = _workload().write(tmp_path / "catalog", 60)["profile"]
    calls = _calls_of([*examples, generated], monkeypatch)
    fresh, memoised = _fresh_and_memoised(calls, monkeypatch)
    assert fresh == memoised
    assert len(kinds._MEMO) < len(calls)  # some were shared: the memo was used


_NAMES = st.sampled_from(["a", "b", "db"])
_TEXT = st.sampled_from(["", "x", "$X", "${U}", "u1", "yes", "0.0", "a b"])


@st.composite
def _service(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(k[len("kinds/_") : -len(".yml.j2")] for k in OWN_READS)))
    env_keys = st.sampled_from(["POSTGRES_USER", "POSTGRES_DB", "REDIS_PASSWORD", "OTHER"])
    kw: dict[str, Any] = {
        "name": draw(_NAMES),
        "image": draw(
            st.none() | st.sampled_from(["bitnami/kafka:3", "zookeeper:3", "x-distroless"])
        ),
        "env": draw(st.dictionaries(env_keys, st.none() | _TEXT, max_size=3)),
        "kafka": KafkaSettings(
            listeners=Listeners(internal_port=draw(st.sampled_from([29092, 29093])))
        ),
        "zookeeper": draw(st.none() | _NAMES),
        "env_file": draw(st.booleans()),
        "args": draw(st.lists(st.sampled_from(["--requirepass", "p", "q"]), max_size=3)),
    }
    return kind, kw


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_service(), min_size=1, max_size=12))
def test_memoised_defaults_equal_fresh_ones_for_generated_services(
    calls: list[tuple[str, dict[str, Any]]],
) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fresh, memoised = _fresh_and_memoised(calls, monkeypatch)
    assert fresh == memoised
