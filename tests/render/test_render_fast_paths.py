"""The fast paths of stackgen.targets.compose.templating write exactly what the plain ones do:
``render_template`` what Jinja's ``Template.render`` writes, ``yaml_block`` what the
straightforward writer it replaced wrote (kept here as the oracle)."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stackgen.profile.settings import KafkaSettings
from stackgen.targets.compose import templating
from stackgen.targets.compose.templating import environment, render_template, yaml_block
from stackgen.yamlio.scalars import double_quoted, quote

# --- yaml_block -----------------------------------------------------------------------


def _reference(value: Any, level: int) -> str:
    """yaml_block as first written: one call per node, every shape through ``_shape``."""
    shape = templating._shape(value)
    if not value and shape != "scalar":
        return " {}" if shape == "map" else " []"
    out: list[str] = []
    _reference_block(value, level, out)
    return "".join(out)


def _reference_block(value: Any, level: int, out: list[str], quoted: bool = False) -> None:
    pad = "  " * level
    shape_of = templating._shape
    if shape_of(value) == "map":
        for key, item in value.items():
            out.append(f"\n{pad}{quote(key)}:")
            shape = shape_of(item)
            if shape == "map":
                if item:
                    _reference_block(item, level + 1, out)
                else:
                    out.append(" {}")
            elif shape == "list":
                if not item:
                    out.append(" []")
                elif key in ("test", "command", "entrypoint") and all(
                    isinstance(i, str) for i in item
                ):
                    out.append(" [" + ", ".join(double_quoted(str(v)) for v in item) + "]")
                else:
                    _reference_block(item, level + 1, out, quoted=key == "ports")
            else:
                out.append(" " + quote(item))
        return
    for item in value:
        out.append(f"\n{pad}-")
        shape = shape_of(item)
        if shape == "scalar":
            out.append(" " + quote(item, quoted))
        elif not item:
            out.append(" {}" if shape == "map" else " []")
        else:
            nested: list[str] = []
            _reference_block(item, level + 1, nested)
            out.append(" " + "".join(nested).strip())


class _Text(str):
    """A str subclass: not the exact type the fast paths look for."""


TEXT = st.one_of(
    st.text(alphabet=st.sampled_from("ab -:#{}[]\"'$\n\t0.yYnN\x85"), max_size=6),
    st.sampled_from(["yes", "22:22", "0644", "CMD", "--spider", "", "null"]),
    st.builds(_Text, st.sampled_from(["x", "on", "1"])),
)
SCALARS = st.one_of(TEXT, st.none(), st.booleans(), st.integers(), st.floats())
KEYS = st.one_of(st.sampled_from(["ports", "test", "command", "entrypoint", "env"]), TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(KEYS, inner, max_size=4),
        st.dictionaries(KEYS, inner, max_size=3).map(OrderedDict),
    ),
    max_leaves=14,
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.dictionaries(KEYS, VALUES, max_size=5), st.lists(VALUES, max_size=4)))
def test_yaml_block_writes_what_the_plain_writer_writes(value: Any) -> None:
    for level in (0, 2):
        assert yaml_block(value, level) == _reference(value, level)


def test_yaml_block_by_hand() -> None:
    value = {
        "image": "a:1",
        "ports": ["80:80", 81],
        "healthcheck": {"test": ["CMD", "wget", "-q"], "retries": 3},
        "environment": {},
        "command": [],
        "deploy": [{"x": "yes"}, {}, [], None],
    }
    assert yaml_block(value, 1) == (
        '\n  image: a:1\n  ports:\n    - "80:80"\n    - 81'
        '\n  healthcheck:\n    test: ["CMD", "wget", "-q"]\n    retries: 3'
        "\n  environment: {}\n  command: []"
        '\n  deploy:\n    - x: "yes"\n    - {}\n    - []\n    - null'
    )


# --- render_template ------------------------------------------------------------------


def _contexts() -> list[dict[str, Any]]:
    base: dict[str, Any] = {
        "name": "svc",
        "image": None,
        "env": {},
        "kafka": KafkaSettings(),
        "zookeeper": "zk",
        "env_file": False,
        "args": ["redis-server", "--requirepass", "pw"],
        "zookeeper_port": 2181,
        "ports": {"client": 6380, "http": 8124, "INTERNAL": 19092, "EXTERNAL": 9094},
        "flavour": "confluent",
    }
    return [
        base,
        {**base, "image": "bitnami/kafka:3 distroless", "env": {"POSTGRES_USER": "$U"}},
        {**base, "env_file": True, "zookeeper": None, "args": [], "flavour": "official"},
        {**base, "ports": {"client": 5432, "http": 8123}, "flavour": "bitnami", "image": "b"},
    ]


@pytest.mark.parametrize(
    "name",
    sorted(
        f"kinds/{p.name}"
        for p in (Path(templating.__file__).resolve().parents[3] / "templates" / "kinds").glob(
            "_*.yml.j2"
        )
    ),
)
def test_render_template_writes_what_jinja_s_render_writes(name: str) -> None:
    template = environment().get_template(name)
    for context in _contexts():
        assert render_template(name, context) == template.render(**context)


def test_a_variable_that_hides_a_global_is_read_as_jinja_reads_it(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("{{ range }}|{{ namespace(a=1).a }}", encoding="utf-8")
    env = environment(str(tmp_path))
    assert render_template("t.j2", {"range": 7}, tmp_path) == "7|1"
    assert env.get_template("t.j2").render(range=7) == "7|1"
    # the globals of each template are copied once, as Jinja holds them
    assert templating._globals(env.get_template("t.j2")) == dict(env.globals)
