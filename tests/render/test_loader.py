"""loader: YAML 1.2 scalars, positions, duplicate keys, merge keys, alias cap."""

from __future__ import annotations

import pytest

from stackgen.errors import InputError
from stackgen.yamlio.loader import load_text
from stackgen.yamlio.nodes import Mark, Tagged


def test_yaml12_scalars_keep_words_as_strings() -> None:
    doc = load_text("a: yes\nb: off\nc: no\nd: true\ne: 0644\nf: 1e3\ng: 22:22\nh: ~\n", "f.yml")
    assert doc.data == {
        "a": "yes",
        "b": "off",
        "c": "no",
        "d": True,
        "e": 644,
        "f": 1000.0,
        "g": "22:22",
        "h": None,
    }
    # the source text of non-string plain scalars is kept for fields that want text
    assert doc.texts[("e",)] == "0644"
    assert doc.texts[("f",)] == "1e3"


def test_quoted_scalars_stay_strings() -> None:
    assert load_text("a: '1'\nb: \"true\"\nc: !!str 5\n", "f.yml").data == {
        "a": "1",
        "b": "true",
        "c": "5",
    }


def test_positions_are_one_based_and_point_at_keys() -> None:
    doc = load_text("services:\n  web:\n    image: nginx\n", "p.yml")
    assert doc.marks[("services", "web", "image")] == Mark("p.yml", 3, 5)
    assert doc.mark(("services", "web", "image", "nope")) == Mark("p.yml", 3, 5)


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    with pytest.raises(InputError) as err:
        load_text("a: 1\nb: 2\na: 3\n", "d.yml")
    (diag,) = err.value.diagnostics
    assert (diag.file, diag.line, diag.col, diag.path) == ("d.yml", 3, 1, "a")
    assert "first defined at line 1" in diag.message


def test_merge_keys_single_list_and_tagged() -> None:
    text = (
        "x: &x {a: 1, b: 1}\n"
        "y: &y {b: 2, c: 2}\n"
        "one: {<<: *x, a: 9}\n"
        "many: {<<: [*x, *y]}\n"
        "tagged: {!!merge <<: *y}\n"
    )
    data = load_text(text, "m.yml").data
    assert data["one"] == {"a": 9, "b": 1}
    # earlier sources of a merge list win (YAML merge-key spec)
    assert data["many"] == {"a": 1, "b": 1, "c": 2}
    assert data["tagged"] == {"b": 2, "c": 2}


def test_reset_and_override_tags_are_kept() -> None:
    data = load_text("a: !reset []\nb: !override {x: 1}\nc: !reset null\n", "t.yml").data
    assert data == {
        "a": Tagged("!reset", []),
        "b": Tagged("!override", {"x": 1}),
        "c": Tagged("!reset", None),
    }


def test_alias_expansion_is_capped() -> None:
    # "billion laughs": 7 levels of 10 aliases each expand to 10**7 nodes
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    with pytest.raises(InputError, match="aliases expand to more than 30000 nodes"):
        load_text("\n".join(lines) + "\n", "bomb.yml")


def test_syntax_error_has_position() -> None:
    with pytest.raises(InputError) as err:
        load_text("a: [1, 2\nb: 3\n", "s.yml")
    (diag,) = err.value.diagnostics
    assert diag.file == "s.yml" and diag.line >= 2 and "YAML syntax error" in diag.message


def test_every_duplicate_key_is_reported_at_once() -> None:
    # B19: both problems of the file, each with the line of its first occurrence
    text = (
        "services:\n  backend:\n    environment:\n      KAFKA_TOPIC: dev\n"
        "      KAFKA_TOPIC: prod\n  backend:\n    image: b\n"
    )
    with pytest.raises(InputError) as err:
        load_text(text, "b19.yml")
    assert [str(d) for d in err.value.diagnostics] == [
        "b19.yml:5:7: services.backend.environment.KAFKA_TOPIC: duplicate key 'KAFKA_TOPIC' "
        "(first defined at line 4); YAML keeps only one of them",
        "b19.yml:6:3: services.backend: duplicate key 'backend' (first defined at line 2); "
        "YAML keeps only one of them",
    ]


def test_merge_key_overridden_locally_is_not_a_duplicate() -> None:
    text = "x: &x {a: 1}\ny:\n  <<: *x\n  a: 2\n"
    assert load_text(text, "m.yml").data["y"] == {"a": 2}
