"""Issue 15 point 3: no secret value of a fixture appears in any output of any command.

For every real compose fixture (``../shared/fixtures/real``), the secret values by stackgen's
own rule (:func:`stackgen.masking.secret_values`, plus ``.env``-style files beside it) are
collected; then ``check`` and ``diff`` against a file without services (every service shown
as removed) must not print one. Values that
are also part of a name in the file (a password ``sentry`` beside a service
``sentry-cleanup``) are names there and are left out (:func:`stackgen.masking.unnamed`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpers import REAL, real_params, run_stackgen
from stackgen.output.masking import (
    MASK,
    MIN_MASKED,
    is_secret_key,
    keys_of,
    masked_reference,
    secret_values,
    unnamed,
)

pytestmark = [pytest.mark.fixtures, pytest.mark.slow]


COMPOSE_FILES = real_params(
    lambda: sorted(p for p in REAL.glob("*/*") if p.suffix in (".yml", ".yaml") and p.is_file())
)


def _fixture_secrets(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    values = secret_values(data)
    for env in path.parent.glob("*env*"):
        if env.is_file():
            for line in env.read_text(encoding="utf-8", errors="replace").splitlines():
                key, sep, value = line.partition("=")
                if sep and is_secret_key(key.strip()) and value.strip():
                    values.add(value.strip())
    # a ${VAR} reference is shown as a reference by design (masked_reference): not a value
    return {
        v
        for v in unnamed(values, keys_of(data))
        if len(v) >= MIN_MASKED and masked_reference(v) == MASK
    }


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_secret_value_of_a_fixture_is_printed(path: Path, tmp_path: Path) -> None:
    secrets = _fixture_secrets(path)
    if not secrets:
        pytest.skip("no secret values in this file")
    empty = tmp_path / "empty.yml"
    empty.write_text("services: {}\n", encoding="utf-8")
    # one machine format and markdown: the formats show the same masked values (each format
    # is covered on its own in test_secret_rule.py); graph prints names only
    runs = [("check", path.name, "--format", "json")]
    runs += [
        ("diff", path.name, str(empty), "--left-type", "compose", "--format", fmt)
        for fmt in ("markdown", "json")
    ]
    for args in runs:
        done = run_stackgen(*args, cwd=path.parent)
        assert done.returncode in (0, 1, 2), (args, done.stderr)
        assert "Traceback" not in done.stderr
        text = done.stdout + "\n" + done.stderr
        leaked = sorted(s for s in secrets if _as_value(s).search(text))
        assert leaked == [], args


def _as_value(secret: str) -> re.Pattern[str]:
    """Where ``secret`` stands in text as a value: not inside a longer word, and not joined
    to a part of a longer name or path by ``-``, ``_``, ``.`` or ``/`` (names and paths are
    never masked, issue 15: a password ``airflow`` is no secret in ``apache/airflow``,
    ``…/real/airflow/dags`` or a markdown cell's ``airflow-…``, a name cut short)."""
    word = r"[A-Za-z0-9]"
    before = rf"(?<!{word})(?<!{word}[-_./])" if re.match(word, secret) else ""
    after = rf"(?!{word})(?![-_./](?:{word}|…))" if re.match(word, secret[-1:]) else ""
    return re.compile(before + re.escape(secret) + after)
