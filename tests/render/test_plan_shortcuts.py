"""The planner's shortcuts give the answers of the full work they skip: a value with no
loopback name is not searched for loopback addresses, a host IP is checked once per text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from stackgen.api import render_profile
from stackgen.compose.ports import parse_port
from stackgen.errors import InputError

PROFILE = """\
name: loop
services:
  cache:
    kind: redis
  web:
    image: example/web:1
    environment:
      REDIS_URL: {url}
"""


def test_every_letter_the_search_reads_as_localhost_case_folds_to_that_letter() -> None:
    # independent of the planner: re's own case rule, character by character
    candidates = re.compile("[localhost]", re.IGNORECASE)
    found: dict[str, set[str]] = {}
    for c in map(chr, range(sys.maxunicode + 1)):
        if candidates.fullmatch(c):
            for letter in "localhost":
                if re.fullmatch(letter, c, re.IGNORECASE):
                    found.setdefault(letter, set()).add(c)
    assert {letter: {c.casefold() for c in cs} for letter, cs in found.items()} == {
        letter: {letter} for letter in "localhost"
    }
    # the long s is the one such letter that str.lower would miss
    assert found["s"] == {"S", "s", "\u017f"}


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("redis://LOCALHO\u017fT:6379/0", "LOCALHO\u017fT:6379"),
        ("redis://127.0.0.1:6379/0", "127.0.0.1:6379"),
        ("redis://[::1]:6379/0", "[::1]:6379"),
    ],
)
def test_a_loopback_client_address_is_refused_in_every_spelling(
    tmp_path: Path, url: str, address: str
) -> None:
    path = tmp_path / "profile.yml"
    path.write_text(PROFILE.format(url=url), encoding="utf-8")
    with pytest.raises(InputError) as err:
        render_profile(path)
    [diag] = err.value.diagnostics
    assert diag.path == "services.web.environment.REDIS_URL"
    assert diag.message == (
        f"points at {address}; inside the web container localhost is web itself. Use cache:6379"
    )


def test_a_value_without_a_loopback_name_renders(tmp_path: Path) -> None:
    path = tmp_path / "profile.yml"
    path.write_text(PROFILE.format(url="redis://cache:6379/0"), encoding="utf-8")
    rendered = render_profile(path)
    assert rendered.data["services"]["web"]["environment"]["REDIS_URL"] == "redis://cache:6379/0"


@pytest.mark.parametrize("text", ["300.1.1.1:80:80", "1.2.3:8080:80"])
def test_a_bad_host_ip_is_refused_every_time_it_is_read(text: str) -> None:
    ip = text.rsplit(":", 2)[0]
    for _ in range(2):  # the second read is answered by the memo of the address
        with pytest.raises(
            ValueError, match=rf"^'{re.escape(text)}': '{ip}' is not an IP address$"
        ):
            parse_port(text)
    assert parse_port(f"127.0.0.1:{text.rsplit(':', 2)[1]}:80").host_ip == "127.0.0.1"
