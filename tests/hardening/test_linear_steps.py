"""Issue 15 point 2: steps found costly or super-linear on the largest inputs the limits allow,
each held to the rule it replaced: the start waves (quadratic in a ``depends_on`` chain) and
the plain-word shortcut of scalar quoting (every key and most values of a large mapping)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stackgen.compose.startorder import start_order, start_waves
from stackgen.yamlio import scalars


def _naive_waves(deps: dict[str, list[str]]) -> dict[str, int]:
    # the definition: wave N holds the services whose dependencies all started in earlier
    # waves, in the order the file declares them
    wave_of: dict[str, int] = {}
    wave = 0
    while True:
        ready = [n for n in deps if n not in wave_of and all(d in wave_of for d in deps[n])]
        if not ready:
            return wave_of
        wave += 1
        wave_of.update(dict.fromkeys(ready, wave))


def test_a_chain_of_five_thousand_starts_one_service_per_wave() -> None:
    deps = {f"s{i}": ([f"s{i - 1}"] if i else []) for i in range(5000)}
    waves, cycle = start_waves(deps)
    assert cycle == ()
    assert waves == {f"s{i}": i + 1 for i in range(5000)}
    order, _ = start_order(dict(reversed(deps.items())))  # declared last-first
    assert order == [f"s{i}" for i in range(5000)]


def test_waves_of_a_diamond_and_a_cycle() -> None:
    deps = {"web": ["api", "worker"], "api": ["db"], "worker": ["db", "db"], "db": []}
    deps |= {"a": ["b"], "b": ["a"], "c": ["a"]}
    waves, cycle = start_waves(deps)
    assert list(waves.items()) == [("db", 1), ("api", 2), ("worker", 2), ("web", 3)]
    assert cycle in (("a", "b", "a"), ("b", "a", "b"))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 9).flatmap(
        lambda k: st.permutations([f"s{i}" for i in range(k)]).flatmap(
            lambda names: st.tuples(
                st.just(names),
                st.lists(
                    st.lists(st.sampled_from(names), max_size=3) if names else st.just([]),
                    min_size=len(names),
                    max_size=len(names),
                ),
            )
        )
    )
)
def test_waves_are_the_definitions(graph: tuple[list[str], list[list[str]]]) -> None:
    names, targets = graph
    deps = dict(zip(names, targets, strict=True))
    waves, _ = start_waves(deps)
    assert list(waves.items()) == list(_naive_waves(deps).items())


def _full_check(text: str) -> bool:
    return scalars._read_otherwise(text)  # every rule, the shortcut never applies


@pytest.mark.parametrize(
    "word",
    ["k1", "v499999", "web", "True", "TRUE", "yEs", "On", "NULL", "y", "N", "Inf", "nan", "e5",
     "x1F", "b101", "o17", "Infinity", "tRUE", "off_", "a_1", "api-0", "a:b", "a:", "a::b",
     "e1.5", "n.a", "y-1", "x=1", "no-op", "on.off", "N/A", "Null@x", "a:1:2", "inf+1"],
)  # fmt: skip
def test_the_plain_word_shortcut_quotes_as_the_full_check(word: str) -> None:
    assert scalars.needs_quotes(word) == _full_check(word)


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"[A-Za-z][A-Za-z0-9_./@+=:-]{0,8}", fullmatch=True))
def test_the_plain_word_shortcut_agrees_on_any_word(word: str) -> None:
    assert scalars.needs_quotes(word) == _full_check(word)
