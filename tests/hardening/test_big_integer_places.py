"""Integers beyond Go's int64 in a compose file: stackgen refuses exactly where Docker Compose
v2 refuses (the real loader, :func:`engines.compose_config`, is the judge).

Compose reads extensions (``x-*`` at the top and in any object that may carry one) and the
values of text mappings (``labels``, ``environment``, ``sysctls``, ``driver_opts``,
``logging.options`` …) as free-form YAML, so any integer loads there; it decodes ports,
ulimits, list entries and ``extra_hosts`` into typed values and refuses one beyond int64.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen
from stackgen.errors import InputError
from stackgen.lint.check import check

BIG = "9223372036854775808"  # 2**63: one past int64
HUGE = "99999999999999999999999"  # past uint64 too
LOW = "-9223372036854775809"  # one below int64
IMAGE = "image: nginx:1.27"

#: (id, compose text, None when Docker Compose v2 loads it, else the path stackgen names)
CASES = [
    ("top-extension", f"x-n: {BIG}\nservices:\n  a: {{{IMAGE}}}\n", None),
    ("top-extension-huge", f"x-n: {HUGE}\nservices:\n  a: {{{IMAGE}}}\n", None),
    ("top-extension-low", f"x-n: {LOW}\nservices:\n  a: {{{IMAGE}}}\n", None),
    ("top-extension-deep", f"x-a: {{b: [1, {{c: {HUGE}}}]}}\nservices:\n  a: {{{IMAGE}}}\n", None),
    ("service-extension", f"services:\n  a: {{{IMAGE}, x-n: {BIG}}}\n", None),
    ("service-extension-deep", f"services:\n  a: {{{IMAGE}, x-m: {{d: [{HUGE}]}}}}\n", None),
    ("deploy-extension", f"services:\n  a: {{{IMAGE}, deploy: {{x-n: {BIG}}}}}\n", None),
    ("healthcheck-extension", f"services:\n  a: {{{IMAGE}, healthcheck: {{x-n: {BIG}}}}}\n", None),
    (
        "limits-extension",
        f"services:\n  a: {{{IMAGE}, deploy: {{resources: {{limits: {{x-n: {HUGE}}}}}}}}}\n",
        None,
    ),
    (
        "port-extension",
        f"services:\n  a: {{{IMAGE}, ports: [{{target: 80, x-n: {HUGE}}}]}}\n",
        None,
    ),
    ("network-extension", f"services:\n  a: {{{IMAGE}}}\nnetworks:\n  n: {{x-n: {BIG}}}\n", None),
    ("volume-extension", f"services:\n  a: {{{IMAGE}}}\nvolumes:\n  v: {{x-n: {BIG}}}\n", None),
    ("labels", f"services:\n  a: {{{IMAGE}, labels: {{k: {BIG}}}}}\n", None),
    ("labels-huge", f"services:\n  a: {{{IMAGE}, labels: {{k: {HUGE}}}}}\n", None),
    ("labels-x-key", f"services:\n  a: {{{IMAGE}, labels: {{x-k: {BIG}}}}}\n", None),
    ("environment", f"services:\n  a: {{{IMAGE}, environment: {{K: {LOW}}}}}\n", None),
    ("annotations", f"services:\n  a: {{{IMAGE}, annotations: {{k: {BIG}}}}}\n", None),
    ("sysctls", f"services:\n  a: {{{IMAGE}, sysctls: {{k: {BIG}}}}}\n", None),
    (
        "build-args",
        f"services:\n  a: {{{IMAGE}, build: {{context: ., args: {{k: {BIG}}}}}}}\n",
        None,
    ),
    ("logging-options", f"services:\n  a: {{{IMAGE}, logging: {{options: {{k: {BIG}}}}}}}\n", None),
    (
        "network-driver-opts",
        f"services:\n  a: {{{IMAGE}}}\nnetworks:\n  n: {{driver_opts: {{k: {BIG}}}}}\n",
        None,
    ),
    (
        "volume-labels",
        f"services:\n  a: {{{IMAGE}}}\nvolumes:\n  v: {{labels: {{k: {BIG}}}}}\n",
        None,
    ),
    # compose decodes these into typed values and refuses the number
    ("labels-list", f"services:\n  a: {{{IMAGE}, labels: [{BIG}]}}\n", "services.a.labels[0]"),
    (
        "environment-list",
        f"services:\n  a: {{{IMAGE}, environment: [{BIG}]}}\n",
        "services.a.environment[0]",
    ),
    ("ports", f"services:\n  a: {{{IMAGE}, ports: [{BIG}]}}\n", "services.a.ports[0]"),
    (
        "ulimits",
        f"services:\n  a: {{{IMAGE}, ulimits: {{nofile: {BIG}}}}}\n",
        "services.a.ulimits.nofile",
    ),
    # a ulimit and a service may be named x-…: names, not extensions
    (
        "ulimit-named-x",
        f"services:\n  a: {{{IMAGE}, ulimits: {{x-nofile: {BIG}}}}}\n",
        "services.a.ulimits.x-nofile",
    ),
    (
        "service-named-x",
        f"services:\n  x-b: {{{IMAGE}, ports: [{BIG}]}}\n",
        "services.x-b.ports[0]",
    ),
]


@pytest.mark.parametrize(("text", "refused_at"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_stackgen_refuses_a_big_integer_where_compose_does(
    tmp_path: Path, text: str, refused_at: str | None
) -> None:
    path = tmp_path / "compose.yml"
    path.write_text(text, encoding="utf-8")
    engine = compose_config(cwd=tmp_path, quiet=True)
    assert (engine.returncode == 0) is (refused_at is None), engine.stderr  # as stated above
    if refused_at is None:
        check([path])  # no InputError
        return
    with pytest.raises(InputError) as caught:
        check([path])
    assert f": {refused_at}: {BIG} is outside the 64-bit integer range" in str(caught.value)


def test_check_and_diff_take_the_trial_file(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(f"x-n: {BIG}\nservices:\n  a: {{{IMAGE}}}\n", "utf-8")
    for args in (["check", "compose.yml"], ["diff", "compose.yml", "compose.yml"]):
        out = run_stackgen(*args, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        assert "64-bit" not in out.stderr
