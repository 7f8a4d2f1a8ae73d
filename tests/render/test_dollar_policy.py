"""The ``$`` policy (issue 4, item 3; README "Values and ``$``") and fixture cases B12, B13.

A literal ``$`` in a profile value reaches the container as ``$`` (rendered ``$$``); a braced
reference ``${NAME…}`` in a value is kept for compose; container-side text (command,
entrypoint, healthcheck ``test``, config files) has every ``$`` literal. What compose makes of
the rendered file is read with stackgen's compose reader (compose's interpolation rules: ``$$``
→ ``$``, references substituted from the given variables).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers import report_text, run_stackgen
from stackgen.api import diff, render_profile
from stackgen.compose.reader import read_compose


def compose_view(path: Path, env: dict[str, str] | None = None) -> tuple[Any, list[str]]:
    """The rendered file as compose interpolates it, and its unset-variable warnings."""
    source, warnings = read_compose(path, env=env)
    return source.data, [w.message for w in warnings]


def render_to_file(tmp_path: Path, profile: str, name: str = "profile") -> tuple[Path, Path]:
    path = tmp_path / f"{name}.yml"
    path.write_text(profile, encoding="utf-8")
    out = run_stackgen("render", path.name, "-o", "compose.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    return path, tmp_path / "compose.yml"


# B13: secrets and hashes with `$` ------------------------------------------------------------


B13 = report_text("B13")


def test_b13_literal_dollars_reach_the_container_exactly(tmp_path: Path) -> None:
    profile, rendered = render_to_file(tmp_path, B13)
    text = rendered.read_text(encoding="utf-8")
    assert "      ADMIN_PASSWORD: pa$$word$$$$x\n" in text
    assert "      PASSWORD_HASH: $$2a$$08$$abcdefghijklmnopqrstuv\n" in text
    # what compose hands the container: the profile's text, no variable looked up
    data, warnings = compose_view(rendered, env={})
    assert data["services"]["backend"]["environment"] == {
        "ADMIN_PASSWORD": "pa$word$$x",
        "PASSWORD_HASH": "$2a$08$abcdefghijklmnopqrstuv",
    }
    assert warnings == []
    # and the diff of the output against its profile shows no drift from the escaping
    assert diff(profile, [rendered]).changes == ()


# B12: a probe reading the container's env ---------------------------------------------------

# the healthcheck's `command:` is CMD-SHELL text
B12 = report_text("B12")
B12_PROBE = (
    'pg_isready -h 127.0.0.1 -U "$POSTGRES_USER" -d "${POSTGRES_DB}" && test $(date +%s) -gt 0'
)


def test_b12_probe_text_reaches_the_container_shell_unsubstituted(tmp_path: Path) -> None:
    (tmp_path / "postgres.env").write_text("POSTGRES_USER=app\nPOSTGRES_DB=app\n")
    profile, rendered = render_to_file(tmp_path, B12)
    text = rendered.read_text(encoding="utf-8")
    assert (
        '      test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U \\"$$POSTGRES_USER\\" -d '
        '\\"$${POSTGRES_DB}\\" && test $$(date +%s) -gt 0"]\n'
    ) in text
    # compose leaves the container's variables to the container: no lookup, no warning,
    # even with host variables of the same names set
    data, warnings = compose_view(rendered, env={"POSTGRES_USER": "host", "POSTGRES_DB": "h"})
    assert data["services"]["postgres"]["healthcheck"]["test"] == ["CMD-SHELL", B12_PROBE]
    assert warnings == []
    assert diff(profile, [rendered]).changes == ()


# The rule in every place a value can stand -------------------------------------------------

EVERYWHERE = """name: dollars
{mode}services:
  app:
    image: ghcr.io/example/app:${{TAG:-1.0}}
    command: ["sh", "-c", "echo $HOME ${{USER}}"]
    entrypoint: ["/bin/run", "$1"]
    working_dir: /srv/$x/${{DIR}}
    environment:
      PASSWORD: "p$ss${{SUFFIX:-$x}}"
    labels:
      price: "$5"
    volumes:
      - type: bind
        source: ./data$1
        target: /data
    deploy:
      labels:
        note: "cost $5 ${{CURRENCY}}"
      resources: {{limits: {{memory: 64M}}}}
    healthcheck:
      command: ["CMD", "test", "-n", "$HOME"]
    config_files:
      /etc/app.conf: "home=$HOME ${{X}}\\n"
volumes:
  cache:
    driver_opts: {{device: "/mnt/$d"}}
"""


def _view(tmp_path: Path, mode: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the rendered data, what compose makes of it with TAG/USER/DIR/SUFFIX/CURRENCY/X set)."""
    text = EVERYWHERE.format(mode=f"interpolation: {mode}\n" if mode else "")
    profile, rendered = render_to_file(tmp_path, text)
    env = {"TAG": "2", "USER": "u", "DIR": "d", "SUFFIX": "s", "CURRENCY": "EUR", "X": "x"}
    data, _ = compose_view(rendered, env=env)
    return render_profile(profile).data, data


def _summary(data: dict[str, Any]) -> dict[str, Any]:
    app = data["services"]["app"]
    [mount] = app["configs"]
    return {
        "image": app["image"],
        "command": app["command"],
        "entrypoint": app["entrypoint"],
        "working_dir": app["working_dir"],
        "env": app["environment"]["PASSWORD"],
        "label": app["labels"]["price"],
        "volume": app["volumes"][0]["source"],
        "deploy_label": app["deploy"]["labels"]["note"],
        "probe": app["healthcheck"]["test"],
        "config": data["configs"][mount["source"]]["content"],
        "driver_opts": data["volumes"]["cache"]["driver_opts"]["device"],
    }


def test_default_rule_in_every_place(tmp_path: Path) -> None:
    """Values keep ${NAME…} and double other $ (long-syntax volumes, deploy labels and
    top-level volume options included); container-side text doubles every $."""
    rendered, seen = _view(tmp_path, "")
    assert _summary(rendered) == {
        "image": "ghcr.io/example/app:${TAG:-1.0}",
        "command": ["sh", "-c", "echo $$HOME $${USER}"],
        "entrypoint": ["/bin/run", "$$1"],
        "working_dir": "/srv/$$x/${DIR}",
        "env": "p$$ss${SUFFIX:-$$x}",
        "label": "$$5",
        "volume": "./data$$1",
        "deploy_label": "cost $$5 ${CURRENCY}",
        "probe": ["CMD", "test", "-n", "$$HOME"],
        "config": "home=$$HOME $${X}\n",
        "driver_opts": "/mnt/$$d",
    }
    assert _summary(seen) == {
        "image": "ghcr.io/example/app:2",
        "command": ["sh", "-c", "echo $HOME ${USER}"],
        "entrypoint": ["/bin/run", "$1"],
        "working_dir": "/srv/$x/d",
        "env": "p$sss",
        "label": "$5",
        "volume": "./data$1",
        "deploy_label": "cost $5 EUR",
        "probe": ["CMD", "test", "-n", "$HOME"],
        "config": "home=$HOME ${X}\n",
        "driver_opts": "/mnt/$d",
    }


def test_interpolation_none_makes_every_dollar_literal(tmp_path: Path) -> None:
    _, seen = _view(tmp_path, "none")
    assert _summary(seen) == {
        "image": "ghcr.io/example/app:${TAG:-1.0}",
        "command": ["sh", "-c", "echo $HOME ${USER}"],
        "entrypoint": ["/bin/run", "$1"],
        "working_dir": "/srv/$x/${DIR}",
        "env": "p$ss${SUFFIX:-$x}",
        "label": "$5",
        "volume": "./data$1",
        "deploy_label": "cost $5 ${CURRENCY}",
        "probe": ["CMD", "test", "-n", "$HOME"],
        "config": "home=$HOME ${X}\n",
        "driver_opts": "/mnt/$d",
    }


def test_interpolation_verbatim_writes_compose_text_as_given(tmp_path: Path) -> None:
    """The profile is compose text: compose interpolates everywhere, also in command."""
    rendered, seen = _view(tmp_path, "verbatim")
    assert _summary(rendered)["command"] == ["sh", "-c", "echo $HOME ${USER}"]
    assert _summary(seen) == {
        "image": "ghcr.io/example/app:2",
        "command": ["sh", "-c", "echo  u"],
        "entrypoint": ["/bin/run", "$1"],
        "working_dir": "/srv//d",
        "env": "ps",
        "label": "$5",
        "volume": "./data$1",
        "deploy_label": "cost $5 EUR",
        "probe": ["CMD", "test", "-n", ""],
        "config": "home= x\n",
        "driver_opts": "/mnt/",
    }


@pytest.mark.parametrize(
    ("mode", "hint"), [("auto", ""), ("", ""), ("Braced", "; did you mean 'braced'?")]
)
def test_unknown_interpolation_mode_is_an_error(tmp_path: Path, mode: str, hint: str) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        f"name: x\ninterpolation: '{mode}'\nservices: {{web: {{image: nginx}}}}\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr == (
        f"p.yml:2:1: interpolation: unknown interpolation '{mode}'{hint} (one of braced, "
        "none, verbatim)\n"
    )
