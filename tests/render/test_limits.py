"""Input limits (issue 4, item 5): size, nesting depth, node count, alias expansion — each
refused with file:line:col — and a 10,000-service profile that still renders."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import run_stackgen
from stackgen import api
from stackgen.errors import InputError
from stackgen.yamlio import limits, loader
from stackgen.yamlio.limits import MAX_BYTES, MAX_DEPTH, MAX_SERVICES
from stackgen.yamlio.loader import load_file, load_text


def _nested_mapping(levels: int) -> str:
    """``levels`` mappings inside each other: k1 → k2 → … → a scalar."""
    return "".join(f"{'  ' * i}k{i + 1}:\n" for i in range(levels - 1)) + (
        f"{'  ' * (levels - 1)}k{levels}: end\n"
    )


def test_nesting_up_to_the_cap_is_read_and_one_level_more_is_refused() -> None:
    deepest = load_text(_nested_mapping(MAX_DEPTH), "deep.yml").data
    for i in range(1, MAX_DEPTH):
        deepest = deepest[f"k{i}"]
    assert deepest == {f"k{MAX_DEPTH}": "end"}
    with pytest.raises(InputError) as err:
        load_text(_nested_mapping(MAX_DEPTH + 1), "deep.yml")
    # the 65th mapping is the value of k64, starting at its key k65 on line 65, column 129
    path = ".".join(f"k{i}" for i in range(1, MAX_DEPTH + 1))
    assert [str(d) for d in err.value.diagnostics] == [
        f"deep.yml:65:129: {path}: nested deeper than 64 levels of mappings and sequences"
    ]


def test_flow_nesting_is_refused_at_the_level_past_the_cap() -> None:
    with pytest.raises(InputError) as err:
        load_text("a: " + "[" * 70 + "]" * 70 + "\n", "flow.yml")
    # the root mapping is level 1, so the 64th "[" (column 3 + 64), item 0 of the 63rd
    # sequence, opens level 65
    assert [str(d) for d in err.value.diagnostics] == [
        f"flow.yml:1:67: a{'[0]' * 63}: nested deeper than 64 levels of mappings and sequences"
    ]


def test_very_deep_flow_nesting_gets_the_same_message_not_a_recursion_error() -> None:
    # libyaml's scanner looks ahead and stops at its own cap of 1000 levels first
    with pytest.raises(InputError) as err:
        load_text("a: " + "[" * 5000 + "]" * 5000 + "\n", "flow.yml")
    (diag,) = err.value.diagnostics
    assert (diag.file, diag.line, diag.path) == ("flow.yml", 1, "")
    assert diag.message == "nested deeper than 64 levels of mappings and sequences"


def test_aliases_cannot_nest_past_the_cap_either() -> None:
    # each alias adds 40 levels: 20 chained aliases would be 800 deep once expanded
    lines = ["l0: &l0 " + "[" * 40 + "x" + "]" * 40]
    lines += [f"l{i}: &l{i} " + "[" * 39 + f"*l{i - 1}" + "]" * 39 for i in range(1, 20)]
    with pytest.raises(InputError) as err:
        load_text("\n".join(lines) + "\n", "chain.yml")
    (diag,) = err.value.diagnostics
    assert diag.message == "nested deeper than 64 levels of mappings and sequences"
    # l1's expansion of *l0 is the first too deep; the node expanded there is written on line 1
    # (an alias has no position of its own once composed), the path names where it lands
    assert (diag.file, diag.line, diag.path) == ("chain.yml", 1, "l1" + "[0]" * 63)


def test_node_count_is_capped_at_the_first_node_past_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_NODES", 5)
    # nodes: root mapping, a, [..], 1, 2 (5), 3 is the sixth
    with pytest.raises(InputError) as err:
        load_text("a: [1, 2, 3]\n", "n.yml")
    assert [str(d) for d in err.value.diagnostics] == [
        "n.yml:1:11: a[2]: more than 5 nodes in one document"
    ]
    assert load_text("a: [1, 2]\n", "n.yml").data == {"a": [1, 2]}


def test_size_cap(tmp_path: Path) -> None:
    body = "name: big\nservices:\n  web: {image: nginx}\n"
    at_cap = tmp_path / "at-cap.yml"
    at_cap.write_bytes(body.encode() + b"#" * (MAX_BYTES - len(body) - 1) + b"\n")
    assert at_cap.stat().st_size == MAX_BYTES
    assert load_file(at_cap).data == {"name": "big", "services": {"web": {"image": "nginx"}}}
    over = tmp_path / "over.yml"
    over.write_bytes(at_cap.read_bytes() + b"\n")
    with pytest.raises(InputError) as err:
        load_file(over, "over.yml")
    assert [str(d) for d in err.value.diagnostics] == [
        "over.yml: file is larger than 4 MiB, the input limit"
    ]


@pytest.mark.slow  # a large input: the most services the limits allow, in one chain
def test_the_most_services_render(tmp_path: Path) -> None:
    assert MAX_SERVICES == 5_000
    lines = ["name: big", "services:"]
    for i in range(5_000):
        lines += [
            f"  svc{i}:",
            f"    image: example/app:{i}",
            f'    ports: ["{10_000 + i}:80"]',
            f"    environment: {{INDEX: {i}, MODE: prod}}",
        ]
        if i:
            lines.append(f"    depends_on: [svc{i - 1}]")
    profile = tmp_path / "big.yml"
    profile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rendered = api.render_profile(profile)
    services = yaml.safe_load(rendered.text)["services"]
    assert len(services) == 5_000
    # dependency order: a chain is written from its root
    assert list(services)[:2] == ["svc0", "svc1"] and list(services)[-1] == "svc4999"
    assert services["svc4999"]["image"] == "example/app:4999"
    assert services["svc4999"]["ports"] == ["14999:80"]
    assert services["svc4999"]["environment"] == {"INDEX": "4999", "MODE": "prod"}
    assert services["svc4999"]["depends_on"] == {"svc4998": {"condition": "service_started"}}
    assert "depends_on" not in services["svc0"]


def test_an_oversized_profile_is_exit_2_from_the_cli(tmp_path: Path) -> None:
    (tmp_path / "huge.yml").write_bytes(b"name: huge\n" + b"#" * MAX_BYTES)
    out = run_stackgen("render", "huge.yml", "-o", "-", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == "huge.yml: file is larger than 4 MiB, the input limit\n"


def test_node_count_restarts_per_document_and_precedes_later_syntax_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_NODES", 5)
    # each document alone holds 5 nodes (mapping, a, [..], 1, 2): the count starts again at ---
    docs = loader.load_multi("a: [1, 2]\n---\nb: [3, 4]\n", "m.yml")
    assert [d.data for d in docs] == [{"a": [1, 2]}, {"b": [3, 4]}]
    # the sixth node of the second document is refused at its own position and path, before
    # the unclosed flow sequence further on is reached
    with pytest.raises(InputError) as err:
        loader.load_multi("a: [1, 2]\n---\nb: [3, 4, 5]\nc: [\n", "m.yml")
    assert [str(d) for d in err.value.diagnostics] == [
        "m.yml:3:11: b[2]: more than 5 nodes in one document"
    ]
