"""Which entries of ``ports`` and ``volumes`` a ``-f a -f b`` merge keeps, as Docker Compose
v2 keeps them (found by a new-user trial: a port with and without ``host_ip: 0.0.0.0``, and
a target with a trailing slash, were kept twice). The count of merged entries is the
engine's, read from ``docker compose config`` in each test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from diff.difftools import write_text

from engines import compose_config
from stackgen.compose.validate import read_model

PAIRS: list[tuple[str, Any, Any]] = [
    ("ports", "8080:80", "0.0.0.0:8080:80"),
    ("ports", "0.0.0.0:8080:80", "8080:80"),
    ("ports", "8080:80", {"target": 80, "published": "8080", "host_ip": "0.0.0.0"}),
    ("ports", "8080:80", "127.0.0.1:8080:80"),
    ("ports", "8080:80", "8080:80/udp"),
    ("ports", "8080:80", "8081:80"),
    # a number: Go's %s formats it otherwise than the text "8080", so compose keeps both
    ("ports", "8080:80", {"target": 80, "published": 8080}),
    # a range is its ports one by one: a later port replaces one of them
    ("ports", "8080-8081:80-81", "8080:80"),
    ("ports", "8080:80", "8080-8081:80-81"),
    ("ports", "127.0.0.1:8080-8082:80-82/udp", "127.0.0.1:8081:81/udp"),
    ("volumes", "./d:/d", "./d:/d/"),
    ("volumes", "./d:/d", "./e:/d"),
    ("volumes", "./d:/d", "./d:/e"),
]


def _yaml(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    return f'"{value}"' if isinstance(value, str) else str(value)


@pytest.mark.parametrize(("field", "first", "second"), PAIRS)
def test_a_merge_keeps_the_entries_compose_keeps(
    tmp_path: Path, field: str, first: Any, second: Any
) -> None:
    a = write_text(
        tmp_path,
        "a.yml",
        f"services:\n  s:\n    image: nginx:1.27\n    {field}: [{_yaml(first)}]\n",
    )
    b = write_text(tmp_path, "b.yml", f"services:\n  s:\n    {field}: [{_yaml(second)}]\n")
    engine = compose_config(a, b, cwd=tmp_path)
    assert engine.returncode == 0, engine.stderr
    assert engine.config is not None
    merged, _ = read_model([a, b])
    ours = merged.data["services"]["s"][field]
    assert len(ours) == len(engine.config["services"]["s"][field]), (ours, engine.config)
