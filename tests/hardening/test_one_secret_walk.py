"""The secret values of a noted input come from one walk (issue 19): the credentials by form
are read from the strings and lists the secret walk collects (``secret_values(strings=…)``),
not from a walk of their own, and each credential text is judged once per file. The values
are those of the two walks as they stood (``secret_values`` and ``credential_values`` each
walking the data), on generated data and on every YAML fixture of the project."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers import REPO, SHARED_FIXTURES
from stackgen.errors import InputError
from stackgen.output import inputs
from stackgen.output.credentials import _strings, credential_values, credentials_in
from stackgen.output.secret_rule import secret_values
from stackgen.yamlio import loader
from stackgen.yamlio.loader import load_multi
from stackgen.yamlio.nodes import Tagged


class _Str(str):
    """A string of another type (the walks take any ``str``)."""


_TEXTS = st.sampled_from(
    [
        "postgres://app:hunter2@db:5432/app",
        "postgres://app:${DB_PASSWORD}@db:5432/app",
        "https://public@sentry.example.test/1",
        "${DB_PASSWORD}",
        "curl -u admin:pw1 http://h/",
        "--password=pw2",
        "PGPASSWORD=pw3",
        "API_TOKEN=tok4",
        "redis-cli -a pw5 ping",
        "Authorization: Bearer tok6",
        "a@b",
        "wget -q http://h/",
        "l1\nl2",
        "KEY=v\nPASSWORD=w",
        "plain",
        "",
    ]
)
_WORDS = st.sampled_from(["curl", "-u", "admin:pw7", "mysql", "-ppw8", "--password", "pw9"])
_SCALARS = (
    _TEXTS
    | _WORDS
    | _TEXTS.map(_Str)
    | st.integers(0, 2)
    | st.booleans()
    | st.none()
    | st.floats(0, 1)
)
_KEYS = st.sampled_from(
    ["services", "api", "environment", "command", "DB_PASSWORD", "x", "sensitive", "plain"]
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(_KEYS, inner, max_size=4)
        | st.builds(Tagged, st.just("!reset"), inner)
    ),
    max_leaves=25,
)


def _both_walks(data: Any) -> tuple[set[str], list[str]]:
    """The values as they were found: each function walking ``data`` itself."""
    scripts: list[str] = []
    return secret_values(data, multiline=scripts) | credential_values(data), scripts


def _one_walk(data: Any) -> tuple[set[str], list[str]]:
    scripts: list[str] = []
    strings: tuple[list[str], list[list[Any]]] = ([], [])
    found = secret_values(data, multiline=scripts, strings=strings)
    return found | credential_values(data, strings=strings), scripts


def _read_alone(data: Any) -> set[str]:
    """The credentials of ``data``, each string and list read by itself (no dedup, no
    search for triggers, no judgement kept across strings)."""
    singles, lines = _strings(data)
    found: set[str] = set()
    for items in [[text] for text in singles] + lines:
        found |= credentials_in(items)
    return found


@settings(max_examples=400, deadline=None)
@given(_DATA)
@example({"x": ["curl", "-u", "admin:pw7"], "api": {"command": "postgres://app:hunter2@db/a"}})
@example({"x": "postgres://app:${DB_PASSWORD}@db/a", "api": "postgres://app:${DB_PASSWORD}@e/b"})
@example(["${DB_PASSWORD}", ["--password", "${DB_PASSWORD}"], "--password=${DB_PASSWORD}"])
@example("postgres://app:hunter2@db:5432/app")
@example(_Str("PGPASSWORD=pw3"))
def test_one_walk_finds_what_the_two_walks_find(data: Any) -> None:
    assert _one_walk(data) == _both_walks(data)
    # the strings and lists collected are those credential_values' own walk finds
    strings: tuple[list[str], list[list[Any]]] = ([], [])
    secret_values(data, strings=strings)
    singles, lines = _strings(data)
    assert Counter(strings[0]) == Counter(singles)
    assert Counter(map(id, strings[1])) == Counter(map(id, lines))
    # and the credentials are those of every string read alone
    assert credential_values(data) == _read_alone(data)


def _yaml_files(*roots: Path) -> list[Path]:
    return sorted(
        path
        for root in roots
        for path in root.rglob("*")
        if path.suffix in (".yml", ".yaml") and path.is_file()
    )


def _read_each(paths: list[Path]) -> int:
    """Compare the one walk with the two on every document of ``paths``; how many were read."""
    read = 0
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            docs = load_multi(text, str(path))
        except InputError:
            continue  # (an invalid case)
        for doc in docs:
            assert _one_walk(doc.data) == _both_walks(doc.data), path
            read += 1
    return read


def test_one_walk_on_every_own_yaml_file() -> None:
    assert _read_each(_yaml_files(REPO / "tests", REPO / "profiles")) > 50


@pytest.mark.fixtures
def test_one_walk_on_every_shared_fixture() -> None:
    # ../shared/fixtures (the marker skips the test without it; CI requires it)
    assert _read_each(_yaml_files(SHARED_FIXTURES)) > 20


def test_a_noted_file_gives_its_credentials_and_secret_values(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: p\nservices:\n  a:\n    environment:\n"
        "      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/a\n"  # a reference: kept
        "      OTHER_URL: postgres://app:lit-pw@db/b\n"  # the same form, a literal: found
        "      DB_PASSWORD: hunter2\n"
        "    command: [curl, -u, 'admin:curl-pw', http://h/]\n"
        "  b:\n    environment: {MIRROR: 'postgres://app:${DB_PASSWORD}@db/c'}\n",
        encoding="utf-8",
    )
    inputs.watch_inputs()
    try:
        loader.load_file(path)
        assert inputs.input_secrets(["render", str(path)]) == {"lit-pw", "hunter2", "curl-pw"}
    finally:
        loader.FILE_PARSED.clear()


@pytest.mark.parametrize("literal_first", [True, False])
def test_a_judged_credential_text_keeps_its_own_verdict(literal_first: bool) -> None:
    # the same URL form with a reference and with a literal, in either order
    urls = ["postgres://app:${DB_PASSWORD}@db/a", "postgres://app:pw-x@db/b"]
    data = {"x": urls if literal_first else urls[::-1], "y": dict(enumerate(urls))}
    assert credential_values(data) == {"pw-x"}
