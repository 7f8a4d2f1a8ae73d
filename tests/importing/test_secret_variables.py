"""No value of a secret-named variable of a real project's ``.env`` reaches the profile import
writes (docs/import.md "Variables"): a reference to such a variable stays a reference.

For every real group (``test_roundtrip_real.GROUPS``) whose folder has a ``.env``, the
secret-named variables (:func:`stackgen.output.masking.is_secret_key`) with a value are read
from that file itself, and both a plain and an ``--as-is`` import are searched for them:

* a value the compose files never hold literally must appear nowhere in the profile, nor in
  what import prints;
* a value the compose files do hold literally (temporal's ``POSTGRES_PASSWORD=temporal`` is
  also its service and image name) can only be told from a leak at its key: a secret-named
  key holding it in the profile must hold it literally in the compose files too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from importing.test_roundtrip_real import GROUPS, cli

from helpers import REAL, real_params
from stackgen.compose.envfile import parse_env_file
from stackgen.output.masking import is_secret_key

pytestmark = pytest.mark.fixtures

#: the groups whose project has a .env (compose reads it beside the first file)
#: (through real_params: without ../shared, one placeholder the fixtures marker skips, never
#: an empty list, which fails collection on a bare clone)
WITH_ENV = real_params(
    lambda: [
        g for g, files in GROUPS.items() if (REAL / files[0]).parent.joinpath(".env").is_file()
    ]
)


def _secret_keys_holding(data: Any, value: str, where: tuple[str, ...] = ()) -> set[str]:
    """``service/KEY`` for each secret-named key (a mapping key, or ``KEY=`` of a list entry)
    whose value is ``value``, under ``services``."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, item in data.items():
            here = (*where, str(key))
            if item == value and is_secret_key(key) and len(here) > 2:
                found.add(f"{here[1]}/{key}")
            found |= _secret_keys_holding(item, value, here)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, str) and item.partition("=")[2] == value and len(where) > 1:
                if is_secret_key(item.partition("=")[0]):
                    found.add(f"{where[1]}/{item.partition('=')[0]}")
            found |= _secret_keys_holding(item, value, where)
    return found


def test_every_group_with_an_env_file_is_searched() -> None:
    # the groups of highlight, sentry and temporal (the real folders with a .env)
    assert {(REAL / GROUPS[g][0]).parent.name for g in WITH_ENV} == {
        "highlight",
        "sentry",
        "temporal",
    }


@pytest.mark.parametrize("as_is", [False, True], ids=["plain", "as-is"])
@pytest.mark.parametrize("group", WITH_ENV)
def test_no_secret_value_of_the_env_file_is_in_the_profile(
    group: str, as_is: bool, tmp_path: Path
) -> None:
    files = [REAL / f for f in GROUPS[group]]
    env = parse_env_file(files[0].parent / ".env")
    secrets = {k: v for k, v in env.items() if is_secret_key(k) and v}
    assert secrets  # each of these projects sets at least one
    profile = tmp_path / "profile.yml"
    code, out, err = cli(
        "import", *map(str, files), *(["--as-is"] if as_is else []), "-o", str(profile)
    )
    assert code == 0, err
    text = profile.read_text(encoding="utf-8")
    written = yaml.safe_load(text)
    originals = [f.read_text(encoding="utf-8") for f in files]
    for name, value in secrets.items():
        if not any(value in original for original in originals):
            assert value not in text, name
            assert value not in out and value not in err, name
        else:
            literal = set().union(
                *(_secret_keys_holding(yaml.safe_load(o), value) for o in originals)
            )
            assert _secret_keys_holding(written, value) <= literal, name
