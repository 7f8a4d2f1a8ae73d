"""Issue 19 point 4: text written by stackgen's own templates reads back as the stack.

``render`` no longer parses that text back at run time (README "What is proved at run time"):
these tests make the built-in templates' structure (``compose.yml.j2``, ``_nodes.yml.j2`` and
``yaml_block``: indentation, order, which keys appear, empty containers, flow lists) a tested
fact. Each renders with the built-in templates and runs the full proof a user's templates still
get (:func:`stackgen.targets.compose.render.verify`: a YAML 1.2 parse compared value for value,
key order included, every plain scalar also under YAML 1.1, the whole file under PyYAML when one
differs), over arbitrary stacks (hypothesis), the example profiles and generated workloads.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackgen import api
from stackgen.targets.compose.document import ComposeDocument, ComposeService
from stackgen.targets.compose.render import render, verify

REPO = Path(__file__).resolve().parents[2]

# text YAML may carry (surrogates cannot be written as UTF-8), weighted to the characters
# that decide quoting: indicators, spaces, line breaks, digits, dots and the letters of
# YAML 1.1's words (yes, on, null, .inf, 0x1F, 22:22, 2024-01-02)
_TRICKY = "-?:,[]{}#&*!|>'\"%@` \t\n\r.0123456789eExXoObB+_=<~yYnNtTrRuUlLfF$\\\x85\u2028\ufeff"
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(_TRICKY), st.characters(codec="utf-8", exclude_categories=("Cs",))
    ),
    max_size=10,
)
SCALARS = st.one_of(
    TEXT,
    st.sampled_from(["yes", "no", "on", "off", "null", "~", "", "<<", "=", "22:22", "0644"]),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # nan and ±inf included
)
# the keys yaml_block treats apart (flow lists, always-quoted ports) and arbitrary text
KEYS = st.one_of(
    st.sampled_from(["ports", "test", "command", "entrypoint", "environment", "<<"]), TEXT
)


def _values(depth: int) -> st.SearchStrategy[Any]:
    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(KEYS, inner, max_size=4),
        ),
        max_leaves=depth,
    )


MAPPINGS = st.dictionaries(KEYS, _values(12), max_size=5)


@st.composite
def documents(draw: st.DrawFn) -> ComposeDocument:
    names = draw(st.lists(TEXT, max_size=4, unique=True))
    return ComposeDocument(
        name=draw(TEXT),
        source=draw(TEXT),  # the header comment names it
        services=tuple(ComposeService(n, draw(MAPPINGS)) for n in names),
        volumes=draw(MAPPINGS),
        networks=draw(MAPPINGS),
        configs=draw(MAPPINGS),
        secrets=draw(MAPPINGS),
        write_name=draw(st.booleans()),
    )


def _same_including_nan(got: Any, want: Any) -> bool:
    """Equal with the types of the values (True is not 1), ``.nan`` equal to itself."""
    if isinstance(want, dict):
        return (
            isinstance(got, dict)
            and list(got) == list(want)
            and all(_same_including_nan(got[k], want[k]) for k in want)
        )
    if isinstance(want, list | tuple):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(_same_including_nan(g, w) for g, w in zip(got, want, strict=True))
        )
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    return type(got) is type(want) and got == want


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_stack_written_by_the_built_in_templates_reads_back_as_the_stack(
    document: ComposeDocument,
) -> None:
    text = render(document)  # the built-in templates: no read-back at run time
    expected = document.to_compose()
    # the full proof: YAML 1.2, and YAML 1.1 per plain scalar and key (raises on a difference)
    verify(text, expected, schema=False)
    # and independently of stackgen's readers and of verify's comparison: PyYAML (YAML 1.1)
    # reads the whole file as the stack (the header is a comment: nothing else is in it)
    assert _same_including_nan(yaml.safe_load(text), expected)
    assert text.startswith("# ") and text.endswith("\n")


def _example_profiles() -> list[Path]:
    return sorted(REPO.glob("profiles/*.yml")) + sorted(
        REPO.glob("tests/cases/valid/*/profile.yml")
    )


@pytest.mark.parametrize("path", _example_profiles(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_example_profile_s_text_reads_back_as_its_plan(path: Path) -> None:
    rendered = api.render_profile(path, lint=False)
    verify(rendered.text, rendered.data, schema=True)
    # the text is what --check compares with: the proof does not change the output
    assert rendered.text == api.render_profile(path, lint=False, positions="x").text


def _workload() -> Any:
    spec = importlib.util.spec_from_file_location("workload", REPO / "bench" / "workload.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("workload", module)
    spec.loader.exec_module(module)
    return module


def test_generated_workloads_read_back_as_their_plans(tmp_path: Path) -> None:
    """The bench's two workloads at 30 services: the catalog profile, and the verbatim one
    (its render without comments, imported with ``--as-is``)."""
    workload = _workload()
    catalog = workload.write(tmp_path / "catalog", 30)["profile"]
    rendered = api.render_profile(catalog, lint=False)
    verify(rendered.text, rendered.data)
    assert len(rendered.data["services"]) == 30

    plain = tmp_path / "plain" / "compose.yml"
    first = tmp_path / "first.yml"
    first.write_text(rendered.text, encoding="utf-8")
    workload.write_plain(first, plain)
    imported = api.import_compose([plain], as_is=True, output_dir=tmp_path)
    verbatim = tmp_path / "verbatim.yml"
    verbatim.write_text(imported.text, encoding="utf-8")
    again = api.render_profile(verbatim, lint=False)
    verify(again.text, again.data)
    assert list(again.data["services"]) == list(rendered.data["services"])
