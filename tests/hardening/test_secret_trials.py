"""Session 14's new-user trials: secret values stackgen printed (variables the name rule
missed, command-line and URL forms it did not know, the password it adds for Redis's probe)
and names it masked (a container name equal to a password). Every expected value is
reasoned by hand from the input: a secret is ``***`` (``*** (changed)`` on a changed RIGHT),
everything else is printed as written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from helpers import SHARED_FIXTURES, run_stackgen
from stackgen.output.masking import SECRET_KEY, is_secret_key, mask_credentials
from stackgen.output.secret_rule import SECRET_WORDS, holds_secret_word

# the variables of the trial and the values each side gives; every value is a secret
# but PASSENGER_COUNT's and KEYCLOAK_URL's
PROFILE = """\
name: trial
services:
  app:
    image: example/app:1
    environment:
      POSTGRES_PWD: pwdval-left
      MYSQL_PWD: mysqlpwd-left
      DB_PASS: dbpass-left
      PASSWD: passwd-left
      GOOGLE_CREDENTIALS: credval-left
      REDISCLI_AUTH: authval-left
      AUTH: "Basic YWRtaW46bGVmdHB3"
      PASSENGER_COUNT: "4"
      KEYCLOAK_URL: http://keycloak:8080
      JDBC_URL: jdbc:postgresql://db:5432/app?user=app&password=jdbcpw-left
      SENTRY_DSN: https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1
    labels:
      traefik.http.middlewares.x.basicauth.users: "user:$$apr1$$salt$$hashleft"
    healthcheck:
      test: ["CMD-SHELL", "curl -fsu admin:curlpw-left http://127.0.0.1/"]
  cache:
    kind: redis
    command: redis-server --requirepass redispw-left
"""
LEFT_SECRETS = ("pwdval-left", "mysqlpwd-left", "dbpass-left", "passwd-left", "credval-left",
                "authval-left", "YWRtaW46bGVmdHB3", "jdbcpw-left",
                "0123456789abcdef0123456789abcdef", "hashleft", "curlpw-left", "redispw-left")  # fmt: skip


def _right(text: str) -> str:
    """The rendering with every secret (and the two ordinary values) changed."""
    for old, new in (
        ("-left", "-right"),
        ("YWRtaW46bGVmdHB3", "YWRtaW46cmlnaHRwdw=="),  # admin:leftpw -> admin:rightpw
        ("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"),
        ("hashleft", "hashright"),
        ('PASSENGER_COUNT: "4"', 'PASSENGER_COUNT: "5"'),
        ("http://keycloak:8080", "http://keycloak:8081"),
    ):
        text = text.replace(old, new)
    return text


@pytest.fixture
def trial(tmp_path: Path) -> Path:
    """p.yml, its rendering out.yml and hand.yml: the rendering with every value changed."""
    (tmp_path / "p.yml").write_text(PROFILE, encoding="utf-8")
    done = run_stackgen("render", "p.yml", "-o", "out.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out.yml").read_text(encoding="utf-8")
    (tmp_path / "hand.yml").write_text(_right(text), encoding="utf-8")
    return tmp_path


RIGHT_SECRETS = tuple(_right(s) for s in LEFT_SECRETS)


@pytest.mark.parametrize(
    "name",
    ["POSTGRES_PWD", "MYSQL_PWD", "DB_PASS", "PASSWD", "PASS", "SMTP_USER_PWD", "PWD_FILE",
     "GOOGLE_APPLICATION_CREDENTIALS", "AWS_CREDENTIALS", "REDISCLI_AUTH", "HTTP_AUTH", "AUTH",
     "PASSPHRASE", "APIKEY", "API_KEYS", "AWS_ACCESS_KEY_ID", "db_password", "apiKey"],
)  # fmt: skip
def test_names_of_credentials_are_secret(name: str) -> None:
    assert is_secret_key(name)


@pytest.mark.parametrize(
    "name",
    ["PASSENGER_COUNT", "BYPASS_CACHE", "SSL_PASSTHROUGH", "PWD", "OLDPWD", "KEYCLOAK_URL",
     "CASSANDRA_KEYSPACE", "KEYBOARD_LAYOUT", "AUTH_TYPE", "GF_AUTH_ANONYMOUS_ENABLED",
     "OAUTH_CLIENT_ID", "AUTHOR", "POSTGRES_USER"],
)  # fmt: skip
def test_ordinary_names_are_not_secret(name: str) -> None:
    # PWD is the shell's working directory; KEYCLOAK and KEYSPACE are no keys; AUTH_TYPE
    # and the like configure authentication, they hold no credential
    assert not is_secret_key(name)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("redis-server --requirepass pw1", "redis-server --requirepass ***"),
        ("valkey-server --masterauth pw1 --port 6380", "valkey-server --masterauth *** --port 6380"),
        ("curl -fsu admin:pw2 http://h/", "curl -fsu admin:*** http://h/"),
        ("curl -sSLfu admin:pw2 http://h/", "curl -sSLfu admin:*** http://h/"),
        ("curl -fsuadmin:pw2 http://h/", "curl -fsuadmin:*** http://h/"),
        ("curl -fsSL -o /dev/null http://h/", "curl -fsSL -o /dev/null http://h/"),
        ("sqlcmd -S db -U sa -P pw3 -Q 'SELECT 1'", "sqlcmd -S db -U sa -P *** -Q 'SELECT 1'"),
        ("sqlcmd -S db -p -Q x", "sqlcmd -S db -p -Q x"),  # -p: statistics, not -P
        ("mongosh -u root -p pw4 --eval x", "mongosh -u root -p *** --eval x"),
        ("cqlsh -u cassandra -p pw5", "cqlsh -u cassandra -p ***"),
        ("ldapsearch -D cn=admin -w pw6 -b dc=x", "ldapsearch -D cn=admin -w *** -b dc=x"),
        ("etcdctl --user root:pw7 get k", "etcdctl --user root:*** get k"),
        ("jdbc:postgresql://db/app?user=app&password=pw8", "jdbc:postgresql://db/app?user=app&password=***"),
        ("jdbc:sqlserver://db;user=sa;password=pw9;encrypt=false", "jdbc:sqlserver://db;user=sa;password=***;encrypt=false"),
        ("Server=db;Uid=sa;Pwd=pw10;", "Server=db;Uid=sa;Pwd=***;"),
        ("https://h/x?user=me&ssl=true", "https://h/x?user=me&ssl=true"),
        ("https://h/api?auth=true", "https://h/api?auth=true"),
        ("https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1", "https://***@o1.ingest.sentry.io/1"),
        ("https://public@sentry.example.test/1", "https://public@sentry.example.test/1"),
        ("postgres://postgres_replication_user@db/app", "postgres://postgres_replication_user@db/app"),
        ("Basic YWRtaW46c2VjcmV0", "Basic ***"),  # admin:secret
        ("Basic auth is on", "Basic auth is on"),
        ("Basic aGVsbG8=", "Basic aGVsbG8="),  # `hello`: no user:password
        ("Authorization: Bearer tok11", "Authorization: Bearer ***"),
        ("user:$$apr1$$salt$$hash12,u2:$$2y$$05$$hash13", "user:***,u2:***"),
        ("admin:{SHA}hash14=", "admin:***"),
        ("traefik:v3.0", "traefik:v3.0"),
    ],
)  # fmt: skip
def test_credentials_by_form(text: str, want: str) -> None:
    assert mask_credentials(text) == want
    assert mask_credentials(text, named=False) == want


def test_the_diff_prints_none_of_the_trial_secrets(trial: Path) -> None:
    for fmt in ("text", "markdown", "json", "github"):
        done = run_stackgen("diff", "p.yml", "hand.yml", "--format", fmt, cwd=trial)
        assert done.returncode == 1, done.stderr
        for secret in (*LEFT_SECRETS, *RIGHT_SECRETS):
            assert secret not in done.stdout + done.stderr, (fmt, secret)
    done = run_stackgen("diff", "p.yml", "hand.yml", "--format", "json", cwd=trial)
    changes = {c["path"]: (c["left"], c["right"]) for c in json.loads(done.stdout)["changes"]}
    env = "services.app.environment."
    for name in ("POSTGRES_PWD", "MYSQL_PWD", "DB_PASS", "PASSWD", "GOOGLE_CREDENTIALS",
                 "REDISCLI_AUTH", "AUTH"):  # fmt: skip
        assert changes[env + name] == ("***", "*** (changed)"), name
    # the two ordinary values are shown
    assert changes[env + "PASSENGER_COUNT"] == ("4", "5")
    assert changes[env + "KEYCLOAK_URL"] == ("http://keycloak:8080", "http://keycloak:8081")
    assert changes[env + "JDBC_URL"] == (
        "jdbc:postgresql://db:5432/app?user=app&password=***",
        "jdbc:postgresql://db:5432/app?user=app&password=*** (changed)",
    )
    assert changes[env + "SENTRY_DSN"] == (
        "https://***@o1.ingest.sentry.io/1",
        "https://***@o1.ingest.sentry.io/1 (changed)",
    )
    assert changes["services.app.labels.traefik.http.middlewares.x.basicauth.users"] == (
        "user:***",
        "user:*** (changed)",
    )
    assert changes["services.app.healthcheck.test"] == (
        ["CMD-SHELL", "curl -fsu admin:*** http://127.0.0.1/"],
        ["CMD-SHELL", "curl -fsu admin:*** http://127.0.0.1/ (changed)"],
    )
    assert changes["services.cache.command"] == (
        ["redis-server", "--requirepass", "***"],
        ["redis-server", "--requirepass", "*** (changed)"],
    )
    # the password stackgen adds for the Redis probe (the profile does not write it)
    assert changes["services.cache.environment.REDISCLI_AUTH"] == ("***", "*** (changed)")


def test_render_check_and_the_kubernetes_report_print_no_trial_secret(trial: Path) -> None:
    runs = [
        run_stackgen(
            "render", "p.yml", "--target", "kubernetes", "-o", "k.yml", "--report", fmt, cwd=trial
        )
        for fmt in ("text", "markdown", "json")
    ]
    runs.append(run_stackgen("check", "p.yml", "hand.yml", cwd=trial))
    for done in runs:
        assert done.returncode in (0, 1), done.stderr
        for secret in LEFT_SECRETS + RIGHT_SECRETS:
            assert secret not in done.stdout + done.stderr, secret


def test_kubernetes_takes_the_newly_named_secrets_from_the_secret(trial: Path) -> None:
    done = run_stackgen("render", "p.yml", "--target", "kubernetes", "-o", "k.yml", cwd=trial)
    assert done.returncode == 0, done.stderr
    docs = list(yaml.safe_load_all((trial / "k.yml").read_text(encoding="utf-8")))
    app = next(d for d in docs if d and d["kind"] == "Deployment")
    env = {e["name"]: e for e in app["spec"]["template"]["spec"]["containers"][0]["env"]}
    for name in ("POSTGRES_PWD", "MYSQL_PWD", "DB_PASS", "PASSWD", "GOOGLE_CREDENTIALS",
                 "REDISCLI_AUTH", "AUTH"):  # fmt: skip
        assert env[name] == {
            "name": name,
            "valueFrom": {"secretKeyRef": {"name": "trial-env", "key": name}},
        }
    # not a key (KEYCLOAK), not a password (PASSENGER): their values stay in the manifest
    assert env["KEYCLOAK_URL"] == {"name": "KEYCLOAK_URL", "value": "http://keycloak:8080"}
    assert env["PASSENGER_COUNT"] == {"name": "PASSENGER_COUNT", "value": "4"}


@pytest.fixture
def temporal(tmp_path: Path) -> Path:
    """The Temporal fixture (POSTGRES_PASSWORD and POSTGRES_PWD ``temporal``, a service and
    a container named ``temporal``) imported as t.yml; hand.yml edits POSTGRES_PWD."""
    source = SHARED_FIXTURES / "real" / "temporal"
    for name in ("docker-compose.yml", ".env"):
        shutil.copyfile(source / name, tmp_path / name)
    done = run_stackgen("import", "docker-compose.yml", "-o", "t.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "container_name 'temporal' is fixed" in done.stderr  # a name: never masked
    text = (tmp_path / "docker-compose.yml").read_text(encoding="utf-8")
    text = text.replace("POSTGRES_PWD=temporal", "POSTGRES_PWD=temporal2")
    (tmp_path / "hand.yml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.fixtures
def test_the_temporal_names_are_shown_and_its_passwords_masked(temporal: Path) -> None:
    done = run_stackgen("diff", "t.yml", "hand.yml", "--format", "json", cwd=temporal)
    assert done.returncode == 1, done.stderr
    assert "container_name 'temporal' is fixed" in done.stderr
    assert "'***'" not in done.stderr
    changes = {c["path"]: (c["left"], c["right"]) for c in json.loads(done.stdout)["changes"]}
    assert changes["services.temporal.environment.POSTGRES_PWD"] == ("***", "*** (changed)")
    assert "temporal2" not in done.stdout + done.stderr


def test_a_container_name_equal_to_a_password_is_shown(tmp_path: Path) -> None:
    # no key is `dbname-pw1`: the container name alone makes it a name
    left = """\
services:
  db:
    image: postgres:16
    container_name: dbname-pw1
    environment:
      POSTGRES_PASSWORD: dbname-pw1
"""
    (tmp_path / "a.yml").write_text(left, encoding="utf-8")
    (tmp_path / "b.yml").write_text(
        left.replace("container_name: dbname-pw1", "container_name: other-db").replace(
            "POSTGRES_PASSWORD: dbname-pw1", "POSTGRES_PASSWORD: pw2-secret"
        ),
        encoding="utf-8",
    )
    done = run_stackgen("diff", "a.yml", "b.yml", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    changes = {c["path"]: (c["left"], c["right"]) for c in json.loads(done.stdout)["changes"]}
    assert changes["services.db.container_name"] == ("dbname-pw1", "other-db")
    assert changes["services.db.environment.POSTGRES_PASSWORD"] == ("***", "*** (changed)")
    assert "pw2-secret" not in done.stdout + done.stderr
    done = run_stackgen("import", "a.yml", "-o", "p.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "container_name 'dbname-pw1' is fixed" in done.stderr


@given(st.text(max_size=24) | st.sampled_from(["DB_PASS", "ſecret", "K", "xAUTH", "PWD_X"]))
def test_the_word_prefilter_keeps_the_rule(name: str) -> None:
    # is_secret_key skips the pattern when no rule word is in an ASCII name: it must decide
    # as the pattern alone does
    assert is_secret_key(name) == (SECRET_KEY.search(name) is not None)


def test_the_spelled_out_words_are_the_rule_words() -> None:
    for word in SECRET_WORDS:
        assert holds_secret_word(f"x{word}y")
    assert not holds_secret_word("image: nginx:1.27, ports, healthcheck")


def test_a_set_path_is_judged_part_by_part(tmp_path: Path) -> None:
    # `services.api-key-rotator.image`: the KEY is in a service's name, which makes nothing
    # secret; a secret-named variable's value given by --set still is
    (tmp_path / "p.yml").write_text(
        "name: s\nservices:\n  api-key-rotator:\n    image: example/app:1\n    healthcheck:\n"
        '      test: ["CMD-SHELL", "curl -f http://127.0.0.1/"]\n',
        encoding="utf-8",
    )
    done = run_stackgen(
        "render",
        "p.yml",
        "-o",
        "-",
        "--set",
        "services.api-key-rotator.image=example/app:2",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "cannot verify that curl exists in example/app:2 (warning)" in done.stderr
    done = run_stackgen(
        "render", "p.yml", "-o", "-",
        "--set", "services.api-key-rotator.environment.DB_PASS=example/app:3",
        "--set", "services.api-key-rotator.image=example/app:3", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "cannot verify that curl exists in *** (warning)" in done.stderr


def test_a_shell_line_with_an_equals_sign_is_read_by_form(tmp_path: Path) -> None:
    # found by the second trial: shown() read "redis-cli -a A1 ping && wget --password=C1 URL"
    # as a KEY=value entry (its "key" held "password"), so -a A1 was shown and the URL lost
    from stackgen.output.masking import shown

    value = {"test": ["CMD-SHELL", "redis-cli -a A1 ping && wget --password=C1 http://x"]}
    assert shown(value, ("services", "app", "healthcheck")) == {
        "test": ["CMD-SHELL", "redis-cli -a *** ping && wget --password=*** http://x"]
    }
    assert shown(["DB_PASSWORD=x1", "A=b"], ("services", "app", "environment")) == [
        "DB_PASSWORD=***",
        "A=b",
    ]
    (tmp_path / "e.yml").write_text("services:\n  app:\n    image: redis:7.1\n", "utf-8")
    (tmp_path / "h.yml").write_text(
        "services:\n  app:\n    image: redis:7.2\n    healthcheck:\n"
        '      test: ["CMD-SHELL", "redis-cli -a A1 ping && wget --password=C1 http://x"]\n',
        "utf-8",
    )
    for fmt in ("text", "json"):
        out = run_stackgen("diff", "--left-type", "compose", "e.yml", "h.yml", "--format", fmt,
                           cwd=tmp_path)  # fmt: skip
        assert out.returncode == 1
        assert "A1" not in out.stdout and "C1" not in out.stdout
