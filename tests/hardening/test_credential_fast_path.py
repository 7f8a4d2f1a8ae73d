"""Where no word of a command line can hold a credential, the word by word reading is
skipped (``triggers.words_may_hold``): the spans found are those of the full reading,
for free text (``named=False``) and for input values alike."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from stackgen.output.credentials import (
    _parsed_spans,
    _stream_spans,
    credentials_in,
    mask_credentials,
)
from stackgen.output.triggers import TRIGGER, has_trigger

# words that make the full reading find something, words close to them that do not, and
# the Unicode forms case folding treats alike (ſ is an s, K a k)
_WORDS = st.sampled_from(
    [
        "curl",
        "/usr/bin/wget",
        "WGET",
        "-u",
        "-U",
        "--user",
        "--user=a:pw1",
        "--proxy-user",
        "-ua:pw2",
        "a:pw1",
        "mysql",
        "mariadb-dump",
        "-ppw2",
        "-p",
        "redis-cli",
        "KEYDB-CLI",
        "-a",
        "pw3",
        "Authorization:",
        "Basic",
        "Bearer",
        "bearers",
        "--pwd",
        "-pwd=x",
        "PWD=x",
        "--password",
        "'--password'",
        '"PGPASSWORD=pw4"',
        "passwd=pw5",
        "paſſword=pw5",
        "--ſecret",
        "x_token=pw6",
        "APIKEY=pw7",
        "=pw8",
        "a=password",
        "--name=password",
        "postgres://app:${DB_PASSWORD}@db:5432/app",
        "https://public@sentry.example.test/1",
        "http://u:pw9@h/",
        "${DB_PASSWORD}",
        "x@y",
        ";",
        "&&",
        "key;",
        "monkey",
        "K",
        "ſ",
        "İ",
        "plain",
        "-q",
        "\0",
        # session 14: clusters, the password options and clients of common images
        "-fsu",
        "-sSLfuadmin:pw12",
        "--requirepass",
        "--MASTERAUTH",
        "sqlcmd",
        "-P",
        "mongosh",
        "ldapsearch",
        "-w",
        "etcdctl",
        "REDISCLI_AUTH=pw13",
        "x?password=pw14&a=b",
        ";Pwd=pw15;",
        "Basic YWRtaW46c2VjcmV0",
        "user:$$apr1$$s$$h",
        "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1",
    ]
)
_SEPARATORS = st.sampled_from([" ", "  ", "\t", "\n", "'", ""])


@st.composite
def _text(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, max_size=6))
    return "".join(w + draw(_SEPARATORS) for w in words)


_ITEMS = st.lists(_text() | st.text(max_size=12) | st.integers(), max_size=4)


@given(_ITEMS, st.booleans())
@example(["CMD", "wget", "-q", "--spider", "http://127.0.0.1:1/healthz"], True)
@example(["postgres://app:${DB_PASSWORD}@postgres-7:5432/app"], True)
@example(["services.api-9.healthcheck.test: cannot verify that wget exists in x:1"], False)
@example(["--PASSWORD", "pw"], True)
@example(["curl", "-u", "a:pw"], False)
@example(["--ſecret pw"], True)
def test_the_spans_are_those_of_the_full_reading(items: list[object], named: bool) -> None:
    assert _stream_spans(items, (), named) == _parsed_spans(items, (), named)


@given(_ITEMS, st.sets(st.sampled_from(["plain", "x_token", "DB_URL", "a"]), max_size=2))
def test_with_sensitive_names_every_word_is_read(items: list[object], names: set[str]) -> None:
    assert _stream_spans(items, names) == _parsed_spans(items, names)


def test_what_the_skip_keeps_masked() -> None:
    # hand-checked: the URL's password is masked with no word read; the reference and the
    # health check hold no credential
    assert mask_credentials("see https://u:hunter22@h/x now") == "see https://u:***@h/x now"
    assert mask_credentials("wget -q --spider http://127.0.0.1:1/") == (
        "wget -q --spider http://127.0.0.1:1/"
    )
    assert credentials_in(["postgres://app:${DB_PASSWORD}@db:5432/app"]) == set()
    assert credentials_in(["wget", "--user=me:pw10", "http://h/"]) == {"pw10"}
    assert credentials_in(["mysql -h db -ppw11"]) == {"pw11"}


@given(_text() | st.text(max_size=20))
@example("PaSS")
@example("Key")  # the Kelvin sign: a K to the case-blind pattern only
@example("-A")
def test_the_trigger_test_is_the_pattern_search(text: str) -> None:
    assert has_trigger(text) == (TRIGGER.search(text) is not None)
