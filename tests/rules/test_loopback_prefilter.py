"""kafka._may_name_loopback is False only where local_addresses finds nothing (it lets the
client-localhost rule skip the search on most values)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stackgen.compose.addresses import local_addresses
from stackgen.lint.kafka import _may_name_loopback

# pieces of the three loopback spellings, in every case, with the characters Unicode case
# folding ties to their letters (long s, Kelvin sign, dotless i, dotted capital I)
_PIECES = st.sampled_from(
    [
        "localhost",
        "LOCALHOST",
        "LocalHost",
        "loca",
        "lhost",
        "localhoſt",
        "ſ",
        "\u212a",
        "ı",
        "İ",
        "127.0.0.1",
        "127.0.0",
        ".1",
        "[::1]",
        "[::",
        "1]",
        ":",
        "8080",
        ":5432",
        "/",
        "-",
        ".",
        "a",
        "@",
        " ",
    ]
)


@settings(max_examples=3000)
@given(st.lists(_PIECES, max_size=8).map("".join))
def test_no_loopback_address_is_skipped(text: str) -> None:
    if local_addresses(text):
        assert _may_name_loopback(text)


def test_exact_values() -> None:
    assert _may_name_loopback("http://localhost:8080")
    assert _may_name_loopback("http://LOCALHOST:8080")
    assert _may_name_loopback("http://localhoſt:8080")  # the regex matches it ignoring case
    assert local_addresses("http://localhoſt:8080") == [("localhoſt:8080", 8080)]
    assert _may_name_loopback("127.0.0.1:9092")
    assert _may_name_loopback("[::1]:9092")
    assert not _may_name_loopback("postgres://app:${DB_PASSWORD}@postgres-0:5432/api")
    assert not _may_name_loopback("redis://redis-0:6379/0")
