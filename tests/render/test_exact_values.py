"""Exact values (issue 4, item 2): any string in an env value, a label (value or key), a
command item, a config file, a passthrough compose key or a domain renders, through the real
pipeline (profile file → load → plan → render), to YAML that reads back as exactly that
string under PyYAML (YAML 1.1) and ruamel.yaml (YAML 1.2).

Modulo compose interpolation (the ``$`` policy, README "Values and ``$``"): compose reads
``$$`` as ``$``, so what a value must equal after parsing is its compose-escaped form, and
un-escaping that (``$$`` → ``$``) must give back the input. Domains are hostnames: anything
else is refused with an error at the domain, never rendered into a broken Traefik rule.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from stackgen.api import render_profile
from stackgen.errors import InputError

# The values the issue names, plus their neighbours: YAML 1.1/1.2 typing traps, structure
# characters, escapes, line breaks YAML folds, and template syntax.
NASTY = [
    *"yes no on off y n Y N ~ null Null NULL true True TRUE false False".split(),
    "0644",
    "0o644",
    "0x1F",
    "1e3",
    "1_000",
    "22:22",
    "1:20:30",
    ".inf",
    "-.inf",
    ".nan",
    "",
    " ",
    " leading",
    "trailing ",
    "#",
    "a #b",
    "# comment",
    ": ",
    "a: b",
    "- ",
    "- item",
    "'single'",
    '"double"',
    "it's",
    "back\\slash",
    "\\n",
    "line\nbreak",
    "\n",
    "trailing newline\n",
    "cr\rlf\r\n",
    "tab\there",
    "\t",
    "ünïcödé ✓ 😀",
    "a\u2028b\u2029c\x85d",
    "\x7f\x80\x9f",
    "\x00\x1b",
    "\ufeff",
    "\ufffe",
    "{{ x }}",
    "{% x %}",
    "{# x #}",
    "{{ 7 * 7 }}",
    "*alias",
    "&anchor",
    "!tag",
    "!!str",
    "%YAML",
    "@at",
    "`tick`",
    "|",
    ">",
    "[a, b]",
    "{a: b}",
    "<<",
    "=",
    "2001-12-14",
    "---",
    "...",
    "$",
    "$$",
    "pa$word$$x",
    "$2a$08$abcdefghijklmnopqrstuv",
    "$HOME",
    "${HOME}",
    "${VAR:-x}",
    "${VAR-x}",
    "${VAR:?err}",
    "${VAR?err}",
    "${VAR:+x}",
    "${VAR+x}",
    "${VAR:-pa$word}",
    "${VAR:-$$}",
    "${A:-${B:-c}}",
    "$${HOME}",
    "${",
    "${}",
    "${1X}",
    "${VAR:x}",
    "x}",
]

_ESCAPES = {'"': '\\"', "\\": "\\\\"}


def dq(text: str) -> str:
    """``text`` as a one-line YAML double-quoted scalar (valid YAML 1.1 and 1.2), every
    character outside printable ASCII escaped, so any string can be put into a profile."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def unescape(text: str) -> str:
    """What compose makes of literal ``$$``: one ``$`` (left to right, as compose scans)."""
    return text.replace("$$", "$")


_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:\}|:?[-?+])")


def lone_dollars_are_references(text: str) -> bool:
    """Every ``$`` that is not half of ``$$`` starts a braced compose reference ``${NAME…``."""
    i = 0
    while i < len(text):
        if text.startswith("$$", i):
            i += 2
        elif text[i] == "$":
            if not _REFERENCE.match(text, i):
                return False
            i += 1
        else:
            i += 1
    return True


def read_back(text: str) -> list[Any]:
    """The rendered text parsed by PyYAML (1.1) and by ruamel.yaml (1.2: safe pure, and rt)."""
    safe = YAML(typ="safe", pure=True)
    rt = YAML(typ="rt")
    return [yaml.safe_load(text), safe.load(io.StringIO(text)), rt.load(io.StringIO(text))]


def render_text(tmp_path: Path, profile: str) -> tuple[str, dict[str, Any]]:
    path = tmp_path / "profile.yml"
    path.write_text(profile, encoding="utf-8")
    rendered = render_profile(path)
    return rendered.text, rendered.data


def _profile(*, env: str = "", labels: str = "", command: str = "", domains: str = "") -> str:
    return (
        "name: exact\n"
        "services:\n"
        "  app:\n"
        "    image: ghcr.io/example/app:1.0\n"
        "    ports: ['8080']\n"
        f"{env}{labels}{command}"
        f"{domains}"
    )


# st.text() draws from all of Unicode except surrogates (not representable in UTF-8 text)
TEXT = st.text(max_size=40)


@pytest.mark.parametrize("value", NASTY)
def test_nasty_values_in_env_labels_and_command(tmp_path: Path, value: str) -> None:
    check_env_label_command(tmp_path, value)


@given(value=TEXT)
@example(value="{{ x }}\n{% if true %}x{% endif %}")
def test_any_string_in_env_labels_and_command(tmp_path_factory: Any, value: str) -> None:
    check_env_label_command(tmp_path_factory.mktemp("exact"), value)


def check_env_label_command(tmp_path: Path, value: str) -> None:
    q = dq(value)
    # as a label key too, unless compose's label schema (key pattern ".+", ECMA-262 regex)
    # refuses it: an empty key, or one made only of line terminators
    as_key = value.strip("\n\r\u2028\u2029") != "" and value != "example.value"
    labels = f"    labels:\n      example.value: {q}\n" + (f"      {q}: key\n" if as_key else "")
    text, data = render_text(
        tmp_path,
        _profile(
            env=f"    environment:\n      VALUE: {q}\n",
            labels=labels,
            command=f"    command: [{q}, {q}]\n"
            f"    working_dir: {q}\n"
            f"    config_files:\n      /etc/app.conf: {q}\n",
        ),
    )
    for parsed in (data, *read_back(text)):
        app = parsed["services"]["app"]
        env_value = app["environment"]["VALUE"]
        label_value = app["labels"]["example.value"]
        command = list(app["command"])
        # values: compose-escaped, and compose's un-escaping gives back the input
        for rendered in (env_value, label_value, *command):
            assert isinstance(rendered, str)
            assert unescape(rendered) == value
        # env and labels keep explicit ${NAME…} references for compose; no other lone $
        assert lone_dollars_are_references(env_value)
        assert env_value == label_value
        # command and config files are container-side text: every $ is literal
        assert command == [value.replace("$", "$$")] * 2
        [mount] = app["configs"]
        assert parsed["configs"][mount["source"]]["content"] == value.replace("$", "$$")
        # any other compose key given verbatim follows the value rule
        assert app["working_dir"] == env_value
        if "$" not in value:
            assert env_value == value
        if as_key:
            # keys are not interpolated by compose: written as they are
            assert app["labels"][value] == "key"


# Domains ------------------------------------------------------------------------------------

# RFC 1123 host name, as the test's own statement of the rule (no trailing root dot)
HOSTNAME = re.compile(
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
)

LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
GOOD_DOMAINS = st.lists(LABEL, min_size=1, max_size=4).map(".".join)


def render_domain(tmp_path: Path, domain: str) -> tuple[str, dict[str, Any]]:
    return render_text(tmp_path, _profile(domains=f"domains:\n  {dq(domain)}: app:8080\n"))


def router_rule(parsed: dict[str, Any]) -> str:
    labels = parsed["services"]["app"]["labels"]
    rules = [v for k, v in labels.items() if k.endswith(".rule")]
    assert len(rules) == 1, labels
    rule: str = rules[0]
    return rule


@given(domain=GOOD_DOMAINS)
@example(domain="api.example.test")
@example(domain="localhost")
@example(domain="xn--bcher-kva.example")
@example(domain="a" * 63 + ".example")
@example(domain="192.168.1.10")
def test_a_hostname_reaches_the_traefik_rule_exactly(tmp_path_factory: Any, domain: str) -> None:
    text, data = render_domain(tmp_path_factory.mktemp("domain"), domain)
    for parsed in (data, *read_back(text)):
        assert router_rule(parsed) == f"Host(`{domain}`)"
        labels = parsed["services"]["app"]["labels"]
        assert labels["traefik.enable"] == "true"


BAD_DOMAINS = [
    "",
    " ",
    "api.example.test ",
    "a`b.example",
    "a`) || Host(`evil.example",
    "a b.example",
    "a$b.example",
    "${HOST}",
    "-a.example",
    "a-.example",
    "a..b",
    "example.test.",
    "a." * 127 + "b",  # 255 characters
    ".a.example",
    "a" * 64 + ".example",
    "bücher.example",
    "a_b.example",
    "*.example.test",
    "a/b",
    "a:8080",
    "line\nbreak.example",
    "{{ x }}",
]


@pytest.mark.parametrize("domain", BAD_DOMAINS)
def test_a_domain_that_is_not_a_hostname_is_an_error(tmp_path: Path, domain: str) -> None:
    with pytest.raises(InputError) as err:
        render_domain(tmp_path, domain)
    [diag] = err.value.diagnostics
    assert diag.path == f"domains.{domain}"
    assert diag.message.startswith("is not a hostname Traefik's Host rule can match")
    assert (diag.file, diag.line, diag.col) == (str(tmp_path / "profile.yml"), 7, 3)


@given(domain=TEXT)
def test_any_domain_text_renders_exactly_or_is_refused(tmp_path_factory: Any, domain: str) -> None:
    try:
        text, data = render_domain(tmp_path_factory.mktemp("domain"), domain)
    except InputError as err:
        assert [d.path for d in err.diagnostics] == [f"domains.{domain}"]
        assert not HOSTNAME.fullmatch(domain)
        return
    assert HOSTNAME.fullmatch(domain)
    for parsed in (data, *read_back(text)):
        assert router_rule(parsed) == f"Host(`{domain}`)"


def test_domains_whose_router_names_coincide_keep_their_own_routers(tmp_path: Path) -> None:
    """``a.example`` and ``a-example`` both sanitise to the router name ``a-example``: each
    still gets its own router (a shared name would make one overwrite the other)."""
    text, data = render_text(
        tmp_path,
        _profile(domains="domains:\n  a.example: app:8080\n  a-example: app:8080\n"),
    )
    for parsed in (data, *read_back(text)):
        labels = parsed["services"]["app"]["labels"]
        assert labels == {
            "traefik.enable": "true",
            "traefik.http.routers.a-example.rule": "Host(`a.example`)",
            "traefik.http.routers.a-example.service": "a-example",
            "traefik.http.services.a-example.loadbalancer.server.port": "8080",
            "traefik.http.routers.a-example-2.rule": "Host(`a-example`)",
            "traefik.http.routers.a-example-2.service": "a-example-2",
            "traefik.http.services.a-example-2.loadbalancer.server.port": "8080",
        }


def test_a_domain_listed_twice_in_other_case_is_an_error(tmp_path: Path) -> None:
    """Host names are case-insensitive (RFC 4343): two spellings are one domain routed twice."""
    with pytest.raises(InputError) as err:
        render_text(
            tmp_path,
            _profile(domains="domains:\n  api.example: app:8080\n  API.Example: app:8080\n"),
        )
    [diag] = err.value.diagnostics
    assert (diag.line, diag.col, diag.path) == (8, 3, "domains.API.Example")
    assert diag.message == "is the domain 'api.example' again (host names ignore case)"


# Template code in values --------------------------------------------------------------------


def test_template_syntax_in_values_is_data(tmp_path: Path) -> None:
    """Profile values never reach Jinja as template source: ``{{ … }}`` and ``{% … %}`` come
    through verbatim everywhere, also in the image, a config file and a passthrough key."""
    text, data = render_text(
        tmp_path,
        "name: exact\n"
        "services:\n"
        "  app:\n"
        '    image: "ghcr.io/example/{{ name }}:{% raw %}1"\n'
        "    environment: {A: '{{ 7 * 7 }}', B: '{% for x in y %}{{ x }}{% endfor %}'}\n"
        "    working_dir: '/srv/{{ lookup }}'\n"
        "    config_files:\n"
        "      /etc/app.conf: \"{{ x }}\\n{% include 'compose.yml.j2' %}\\n\"\n",
    )
    for parsed in (data, *read_back(text)):
        app = parsed["services"]["app"]
        assert app["image"] == "ghcr.io/example/{{ name }}:{% raw %}1"
        assert app["environment"] == {
            "A": "{{ 7 * 7 }}",
            "B": "{% for x in y %}{{ x }}{% endfor %}",
        }
        assert app["working_dir"] == "/srv/{{ lookup }}"
        [mount] = app["configs"]
        content = parsed["configs"][mount["source"]]["content"]
        assert content == "{{ x }}\n{% include 'compose.yml.j2' %}\n"
    assert "49" not in text


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a\nb.yml", "a\\nb.yml"),
        ("{{ x }}.yml", "{{ x }}.yml"),
        ("x\u2028\x1b.yml", "x\\u2028\\x1b.yml"),
    ],
)
def test_the_profile_name_in_the_header_stays_a_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, shown: str
) -> None:
    """The header names the profile file; a line break in that name would end the comment
    and put the rest of the name into the document."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text("name: x\nservices:\n  app: {image: nginx}\n", encoding="utf-8")
    rendered = render_profile(Path(name))
    assert rendered.text.split("\n")[:2] == [
        f"# Generated by stackgen from {shown}; do not edit by hand.",
        f"# Change the profile and run: stackgen render {shown}",
    ]
    for parsed in read_back(rendered.text):
        assert parsed["services"] == {"app": {"image": "nginx", "restart": "unless-stopped"}}


@pytest.mark.parametrize("host", ["kafka.example.test", "localhost", "10.0.0.5", "[::1]"])
def test_kafka_external_host_reaches_the_advertised_listener(tmp_path: Path, host: str) -> None:
    text, data = render_text(tmp_path, kafka_profile(host))
    for parsed in (data, *read_back(text)):
        env = parsed["services"]["kafka"]["environment"]
        assert env["KAFKA_ADVERTISED_LISTENERS"] == (
            f"INTERNAL://kafka:29092,EXTERNAL://{host}:9092"
        )


@pytest.mark.parametrize("host", ["a,b", "host:1", "", "a b", "${HOST}", "x\ny"])
def test_a_kafka_external_host_that_is_no_host_is_an_error(tmp_path: Path, host: str) -> None:
    """A comma or colon would add or break a listener in KAFKA_ADVERTISED_LISTENERS."""
    with pytest.raises(InputError) as err:
        render_text(tmp_path, kafka_profile(host))
    [diag] = err.value.diagnostics
    assert (diag.line, diag.path) == (2, "kafka.listeners.external_host")
    assert diag.message == (
        f"must be a host name or IP address (IPv6 in brackets), got {host!r}: it is written "
        "into KAFKA_ADVERTISED_LISTENERS as-is"
    )


def kafka_profile(host: str) -> str:
    return (
        f"name: k\nkafka: {{listeners: {{external_host: {dq(host)}}}}}\nservices:\n"
        "  zookeeper: {kind: zookeeper}\n  kafka: {kind: kafka, depends_on: [zookeeper]}\n"
    )
