"""graph, diff and render read a profile through one path, and a render does its work once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stackgen import api
from stackgen.compose import schema
from stackgen.targets.compose import render as render_module

PROFILE = """\
name: shop
services:
  app:
    image: shop/app:1
    environment:
      PASS: "pa$word"
      REF: "${TAG:-v1}"
"""


def _profile(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yml"
    path.write_text(PROFILE)
    return path


def test_a_literal_dollar_is_one_value_to_graph_and_diff(tmp_path: Path) -> None:
    path = _profile(tmp_path)
    # compose reads the rendered `pa$$word` as `pa$word`; graph and diff both see that
    graph_data, _ = api.read_stack([path])
    assert graph_data["services"]["app"]["environment"]["PASS"] == "pa$word"
    right = tmp_path / "compose.yml"
    right.write_text(
        "name: shop\nservices:\n  app:\n    image: shop/app:1\n    restart: unless-stopped\n"
        '    environment:\n      PASS: "pa$$word"\n      REF: "${TAG:-v1}"\n'
    )
    result = api.diff(path, [right])
    assert result.left_stack["services"]["app"]["environment"]["PASS"] == "pa$word"
    assert result.left_stack == graph_data
    # the same text on the right: nothing differs
    assert result.drift.changes == ()


def test_one_render_parses_its_output_at_most_once_and_validates_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _profile(tmp_path)
    templates = tmp_path / "templates"  # a user's templates (none replaces the built-in)
    templates.mkdir()
    parsed: list[str] = []
    validated: list[Any] = []
    real_load, real_schema = render_module.load_text, schema.schema_errors

    def load_text(text: str, file: str, **kwargs: Any) -> Any:
        parsed.append(file)
        return real_load(text, file, **kwargs)

    def schema_errors(data: Any) -> Any:
        validated.append(data)
        return real_schema(data)

    monkeypatch.setattr(render_module, "load_text", load_text)
    monkeypatch.setattr(schema, "schema_errors", schema_errors)
    rendered = api.render_profile(path)
    # stackgen's own templates: no read-back (tests/render/test_builtin_structure.py proves
    # their text reads back as the stack)
    assert parsed == []
    # the compose file, once (a profile's pass-through keys are checked on their own only
    # when the profile is invalid, so one run reports every problem)
    assert validated == [rendered.data]
    # a render with --templates proves its text by one read-back
    parsed.clear()
    validated.clear()
    again = api.render_profile(path, templates=templates)
    assert parsed == ["<rendered>"]
    assert validated == [again.data]
    assert again.text == rendered.text


def test_a_diff_of_a_profile_parses_its_rendered_text_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stackgen.yamlio import loader

    path = _profile(tmp_path)
    right = tmp_path / "compose.yml"
    right.write_text("name: shop\nservices:\n  app:\n    image: shop/app:2\n")
    rendered_text = api.render_profile(path).text
    parsed: list[str] = []
    real_init = loader._ComposerLoader.__init__

    def init(self: Any, text: str, *args: Any, **kwargs: Any) -> None:
        parsed.append(text)
        real_init(self, text, *args, **kwargs)

    real_events = loader.build_from_events

    def events(text: str, *args: Any, **kwargs: Any) -> Any:
        # the one-pass reading (stackgen.yamlio.events): a parse when it builds the document
        doc = real_events(text, *args, **kwargs)
        if doc is not None:
            parsed.append(text)
        return doc

    monkeypatch.setattr(loader._ComposerLoader, "__init__", init)
    monkeypatch.setattr(loader, "build_from_events", events)
    result = api.diff(path, [right])
    # one parse: the read-back that proves the rendered text also gives the diff its lines
    assert parsed.count(rendered_text) == 1
    (change,) = [c for c in result.drift.changes if c.path == "services.app.image"]
    assert (change.left, change.right) == ("shop/app:1", "shop/app:2")
