"""Issue 15 point 3: credentials recognised by their form (a URL's password, the credential
argument of a command line) are secret values of the one rule, whatever the variable's name:
``***`` in every output, the rest of the value readable, a ``${VAR}`` there the reference.

The inputs of the new-user trial that found them printed in full are copied here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from helpers import run_stackgen
from stackgen.output import credentials
from stackgen.output.credentials import credential_values, mask_items
from stackgen.output.masking import mask_credentials, shown

LEFT = """\
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: hunter2secret
  app:
    image: ghcr.io/example/app:1.0
    depends_on: [db]
    environment:
      DATABASE_URL: postgres://app:s3cr3tpw@localhost:5432/app
      API_TOKEN: tok_abcdef123456
    command: ["--password=cmdlinesecret"]
    healthcheck:
      test: ["CMD-SHELL", "curl -u admin:probesecret http://localhost:8080/"]
"""
RIGHT = """\
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: changed
  app:
    image: ghcr.io/example/app:1.0
    depends_on: [db]
    environment:
      DATABASE_URL: postgres://app:other@localhost:5432/app
      API_TOKEN: tok_zzz
    command: ["--password=cmd2"]
    healthcheck:
      test: ["CMD-SHELL", "curl -u admin:probe2 http://localhost:8080/"]
"""
SECRETS = ("s3cr3tpw", "probesecret", "app:other@", "admin:probe2", "hunter2secret",
           "tok_abcdef123456", "tok_zzz", "cmdlinesecret", "cmd2")  # fmt: skip
FORMATS = ("text", "markdown", "json", "github")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # RFC 3986 userinfo: the password is between the first ':' and the '@'
        ("postgres://app:s3cr3tpw@localhost:5432/app", "postgres://app:***@localhost:5432/app"),
        ("redis://:pw@cache:6379/0", "redis://:***@cache:6379/0"),
        ("postgres://app@db/app", "postgres://app@db/app"),  # no password
        ("postgres://app:${DB_PASSWORD}@db/app", "postgres://app:${DB_PASSWORD}@db/app"),
        ("postgres://app:${DB_PASSWORD:-dflt}@db/app", "postgres://app:${DB_PASSWORD:-***}@db/app"),
        ("curl -u admin:probesecret http://localhost:8080/", "curl -u admin:*** http://localhost:8080/"),
        ("curl --user=admin:pw http://x/", "curl --user=admin:*** http://x/"),
        ("curl -uadmin:pw http://x/", "curl -uadmin:*** http://x/"),
        ("curl -fsS -H 'Authorization: Bearer abc.def' http://x/", "curl -fsS -H 'Authorization: Bearer ***' http://x/"),
        ("curl -H \"Authorization: Basic YWRtaW46cHc=\" x", "curl -H \"Authorization: Basic ***\" x"),
        ("app --password=cmdlinesecret", "app --password=***"),
        ("app --password hunter --verbose", "app --password *** --verbose"),
        ("psql --password -h db", "psql --password -h db"),  # a flag: no argument
        ("mysqladmin ping -h localhost -uroot -prootpw", "mysqladmin ping -h localhost -uroot -p***"),
        ("mysqladmin ping -p$$MYSQL_ROOT_PASSWORD", "mysqladmin ping -p$$MYSQL_ROOT_PASSWORD"),
        ("redis-cli -a redispw ping", "redis-cli -a *** ping"),
        ("PGPASSWORD=pgpw psql -U app", "PGPASSWORD=*** psql -U app"),
        ("export DB_PASSWORD=x1; run", "export DB_PASSWORD=***; run"),
        # not credentials: a port, a uid:gid, -p of other commands, an ordinary value
        ("docker run -p 8080:80 -u 1000:1000 img", "docker run -p 8080:80 -u 1000:1000 img"),
        ("mysql -h db; app -pnotapassword", "mysql -h db; app -pnotapassword"),
        ("http://localhost:8080/health", "http://localhost:8080/health"),
    ],
)  # fmt: skip
def test_mask_credentials_masks_the_credential_and_keeps_the_rest(text: str, expected: str) -> None:
    assert mask_credentials(text) == expected


def test_an_exec_form_list_is_read_as_one_command_line() -> None:
    items = ["CMD", "curl", "-u", "admin:pw", "http://x/"]
    assert mask_items(items) == ["CMD", "curl", "-u", "admin:***", "http://x/"]
    assert mask_items(["mysqladmin", "ping", "-prootpw"]) == ["mysqladmin", "ping", "-p***"]
    assert mask_items(["app", "--password", "pw"]) == ["app", "--password", "***"]


def test_free_text_masks_password_forms_but_not_a_message_about_keys() -> None:
    # stderr and check findings (named=False): a message's `path.to.key=value` is no
    # assignment; a password's option or variable still is
    assert mask_credentials("--set needs path.to.key=value", named=False) == (
        "--set needs path.to.key=value"
    )
    assert mask_credentials("x API_TOKEN=abc", named=False) == "x API_TOKEN=abc"
    assert mask_credentials("app --password pw -v", named=False) == "app --password *** -v"
    assert mask_credentials("PGPASSWORD=pg psql", named=False) == "PGPASSWORD=*** psql"
    assert mask_credentials("curl -u a:pw x", named=False) == "curl -u a:*** x"


def test_shown_masks_by_form_at_any_name_and_keeps_name_rule_masking() -> None:
    path = ("services", "app", "environment", "DATABASE_URL")
    assert shown("postgres://app:pw@db/app", path) == "postgres://app:***@db/app"
    # a secret by name is masked whole, as before
    assert shown("postgres://app:pw@db/app", (*path[:3], "DB_PASSWORD")) == "***"
    test = ["CMD-SHELL", "curl -u admin:probesecret http://localhost:8080/"]
    assert shown(test, ("services", "app", "healthcheck", "test")) == [
        "CMD-SHELL",
        "curl -u admin:*** http://localhost:8080/",
    ]


def test_credential_values_are_known_secret_values() -> None:
    import yaml

    assert credential_values(yaml.safe_load(LEFT)) == {"s3cr3tpw", "probesecret", "cmdlinesecret"}


@pytest.fixture
def trial(tmp_path: Path) -> Path:
    (tmp_path / "compose.yml").write_text(LEFT, encoding="utf-8")
    (tmp_path / "c2.yml").write_text(RIGHT, encoding="utf-8")
    return tmp_path


def _no_secret(*streams: str) -> None:
    for stream in streams:
        for secret in SECRETS:
            assert secret not in stream, secret


@pytest.mark.parametrize("fmt", FORMATS)
def test_diff_of_the_trial_inputs_shows_no_credential(trial: Path, fmt: str) -> None:
    done = run_stackgen("diff", "compose.yml", "c2.yml", "--format", fmt, cwd=trial)
    assert done.returncode == 1, done.stderr
    _no_secret(done.stdout, done.stderr)
    # the user, host, port and database stay readable
    assert "postgres://app:***@localhost:5432/app" in done.stdout
    assert "curl -u admin:*** http://localhost:8080/" in done.stdout


def test_diff_json_marks_a_change_behind_a_masked_credential(trial: Path) -> None:
    done = run_stackgen("diff", "compose.yml", "c2.yml", "--format", "json", cwd=trial)
    changes = {c["path"]: (c["left"], c["right"]) for c in json.loads(done.stdout)["changes"]}
    assert changes["services.app.environment.DATABASE_URL"] == (
        "postgres://app:***@localhost:5432/app",
        "postgres://app:***@localhost:5432/app (changed)",
    )
    assert changes["services.app.healthcheck.test"] == (
        ["CMD-SHELL", "curl -u admin:*** http://localhost:8080/"],
        ["CMD-SHELL", "curl -u admin:*** http://localhost:8080/ (changed)"],
    )


def test_check_graph_and_import_print_no_credential(trial: Path) -> None:
    for args in (
        ("check", "compose.yml"),
        ("check", "compose.yml", "--format", "json"),
        ("graph", "compose.yml"),
        ("import", "compose.yml", "-o", "p.yml"),
        ("--debug", "import", "compose.yml", "-o", "p.yml"),
    ):
        done = run_stackgen(*args, cwd=trial)
        assert done.returncode in (0, 1, 2), (args, done.stderr)
        _no_secret(done.stdout if args[0] != "import" else "", done.stderr)


def test_stderr_masks_credentials_messages_quote(tmp_path: Path) -> None:
    # render and import messages quote the values; their credentials are masked by form,
    # even shorter than the free-text minimum (pw)
    (tmp_path / "p.yml").write_text(
        "name: x\nservices:\n  app:\n    image: nginx:1.27\n"
        '    healthcheck: {test: [CMD-SHELL, curl, -u, "admin:pw", "http://localhost:8080/"]}\n',
        encoding="utf-8",
    )
    for args in (("render", "p.yml", "-o", "-"), ("--debug", "render", "p.yml", "-o", "-")):
        done = run_stackgen(*args, cwd=tmp_path)
        assert done.returncode == 2
        assert '"curl -u admin:*** http://localhost:8080/"' in done.stderr
        assert "admin:pw" not in done.stderr
    (tmp_path / "c.yml").write_text(
        'services:\n  app:\n    image: nginx:1.27\n    ports: ["postgres://app:urlsecret9@x"]\n',
        encoding="utf-8",
    )
    done = run_stackgen("import", "c.yml", "-o", "q.yml", cwd=tmp_path)
    assert done.returncode == 2
    assert (
        "'postgres://app:***@x' is not a port docker compose reads (invalid IP address)"
        in done.stderr
    )
    assert "urlsecret9" not in done.stderr


def _each_string(data: object) -> set[str]:
    """credential_values as its docstring defines it: every string and every list (one
    command line) read on its own by credentials_in."""
    from stackgen.output.credentials import credentials_in

    if isinstance(data, dict):
        return set().union(*(_each_string(v) for v in data.values()))
    if isinstance(data, list):
        nested = [_each_string(v) for v in data if isinstance(v, (dict, list))]
        return credentials_in(data).union(*nested)
    return credentials_in([data]) if isinstance(data, str) else set()


_WORDS = st.sampled_from(
    [
        "curl",
        "-u",
        "a:pw1",
        "mysql",
        "-ppw2",
        "redis-cli",
        "-a",
        "pw3",
        "x@y",
        "K",
        "ſ",
        "PASS=pw4",
        "paſſword=pw5",
        "--ſecret",
        "Bearer",
        "tok6",
        "\0",
        "http://u:pw7@h/",
        ";",
        "plain",
        "é",
    ]
)
_TEXTS = st.lists(_WORDS, max_size=5).map(" ".join) | st.text(max_size=12)
_YAML = st.recursive(
    _TEXTS | st.integers() | st.none(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_YAML)
@example({"k": "--ſecret pw3"})  # a word only Unicode case folding finds
def test_credential_values_read_every_string_as_credentials_in_does(data: object) -> None:
    # one search over all strings (ASCII: str.find per word) finds what reading each string
    # alone finds, Unicode case folding (ſ is an s) included
    assert credential_values(data) == _each_string(data)


@pytest.mark.parametrize("option", sorted(credentials._PASS_OPTIONS))
@pytest.mark.parametrize("form", ["x --{o} pw4711", "x --{o}=pw4711", "x -{o} pw4711"])
def test_every_password_option_is_found_alone_in_its_string(option: str, form: str) -> None:
    # a string is read word by word only when a trigger word is in it: `x --pwd pw4711`
    # held none (pwd was no trigger) and its password was shown; every option the word
    # reading takes for a password must make its string be read
    text = form.format(o=option)
    assert credential_values({"command": text}) == {"pw4711"}
    assert mask_credentials(text, named=False) == form.format(o=option).replace("pw4711", "***")
