"""Session 14's second new-user trial: the kinds of secret ``stackgen diff`` still printed
(name parts ``PW``/``SALT``/``JWT``, a PEM private key, a webhook URL's token, a secret
header's value, ``sshpass -p X``, ``htpasswd -b FILE USER X``). Every expected value is
reasoned by hand from the input: the secret is ``***``, everything else is printed as
written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run_stackgen
from stackgen.output.masking import input_secrets, is_secret_key, mask_credentials

# the trial's file; RIGHT is it with every `secret1` turned into `secret2`
TRIAL = """\
services:
  web:
    image: nginx:1.27
    command: [sh, -c, "sshpass -p sshsecret1 ssh h && htpasswd -b f user htsecret1 && mongo -p mongosecret1"]
    environment:
      SMTP_PW: smtpsecret1
      SESSION_COOKIE_SALT: saltsecret1
      JWT: jwtsecret1
      PRIVATE: "-----BEGIN PRIVATE KEY-----pksecret1"
      SLACK_WEBHOOK_URL: https://hooks.slack.com/services/T000/B000/slacksecret1
      HEADER: "X-Api-Key: apikeysecret1"
"""
KINDS = ("ssh", "ht", "mongo", "smtp", "salt", "jwt", "pk", "slack", "apikey")


@pytest.mark.parametrize(
    "name",
    ["SMTP_PW", "PW", "DB_PW", "pw2", "SESSION_COOKIE_SALT", "SALT", "PASSWORD_SALT_V2",
     "app.salt", "JWT", "AUTH_JWT", "grafana.jwt"],
)  # fmt: skip
def test_the_new_name_parts_are_secret(name: str) -> None:
    assert is_secret_key(name)


@pytest.mark.parametrize(
    "name",
    ["PWD", "OLDPWD", "PWR_MODE", "NPW", "SALTSTACK_URL", "BASALT_HOST", "JWT_ISSUER",
     "JWT_EXPIRY", "JWTS_URL", "MYJWT"],
)  # fmt: skip
def test_names_touching_the_new_parts_are_not(name: str) -> None:
    # a letter on either side makes another word (PWD the shell's directory, SALTSTACK a
    # product); JWT only as the last part names the token (JWT_ISSUER configures it)
    assert not is_secret_key(name)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # PEM private keys (RFC 7468): the body, wherever it stands, with or without END
        ("-----BEGIN PRIVATE KEY-----pk1", "-----BEGIN PRIVATE KEY-----***"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE\npk2\n-----END RSA PRIVATE KEY-----\n",
         "-----BEGIN RSA PRIVATE KEY-----\n***\n-----END RSA PRIVATE KEY-----\n"),
        ("echo -----BEGIN OPENSSH PRIVATE KEY----- b3Bl -----END OPENSSH PRIVATE KEY----- x",
         "echo -----BEGIN OPENSSH PRIVATE KEY----- *** -----END OPENSSH PRIVATE KEY----- x"),
        ("-----BEGIN PUBLIC KEY-----MIIB-----END PUBLIC KEY-----",
         "-----BEGIN PUBLIC KEY-----MIIB-----END PUBLIC KEY-----"),  # a public key: no secret
        # webhook URLs whose path is the token
        ("https://hooks.slack.com/services/T0/B0/tok1", "https://hooks.slack.com/services/***"),
        ("https://hooks.slack.com/workflows/T0/A0/1/tok2?x=1",
         "https://hooks.slack.com/workflows/***?x=1"),
        ("curl -X POST https://discord.com/api/webhooks/123/tok3 -d x",
         "curl -X POST https://discord.com/api/webhooks/*** -d x"),
        ("https://discordapp.com/api/webhooks/123/tok4", "https://discordapp.com/api/webhooks/***"),
        ("https://slack.com/api/chat.postMessage", "https://slack.com/api/chat.postMessage"),
        # the Authorization headers' credentials
        ("Authorization: Token tok7", "Authorization: Token ***"),
        ("Proxy-Authorization: Bearer tok8", "Proxy-Authorization: Bearer ***"),
        # sshpass: -p X or -pX; the command it runs keeps its own -p (ssh's port)
        ("sshpass -p pw9 ssh -p 2222 h", "sshpass -p *** ssh -p 2222 h"),
        ("sshpass -ppw9 scp f h:", "sshpass -p*** scp f h:"),
        ("sshpass -f /run/pw ssh -p 2222 h", "sshpass -f /run/pw ssh -p 2222 h"),
        # htpasswd -b: the argument after FILE and USER (after USER with -n)
        ("htpasswd -b /etc/h user pw10", "htpasswd -b /etc/h user ***"),
        ("htpasswd -bc /etc/h user pw10 && nginx", "htpasswd -bc /etc/h user *** && nginx"),
        ("htpasswd -nb user pw11", "htpasswd -nb user ***"),
        ("htpasswd -B -C 10 -b /etc/h user pw12", "htpasswd -B -C 10 -b /etc/h user ***"),
        ("htpasswd -c /etc/h user", "htpasswd -c /etc/h user"),  # asks for it: none here
    ],
)  # fmt: skip
def test_the_new_forms_are_masked(text: str, want: str) -> None:
    assert mask_credentials(text) == want
    assert mask_credentials(text, named=False) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("X-Api-Key: key5", "X-Api-Key: ***"),
        ("curl -H 'X-Auth-Token: tok6' http://h/", "curl -H 'X-Auth-Token: ***' http://h/"),
        ("X-Auth-User: bob", "X-Auth-User: bob"),  # a user, no secret
        ("Content-Type: application/json", "Content-Type: application/json"),
    ],
)
def test_a_secret_named_header_value_is_masked(text: str, want: str) -> None:
    assert mask_credentials(text) == want
    # a name rule form: free text leaves it to the known values of the inputs (as NAME=X)
    assert mask_credentials(text, named=False) == text


def test_an_exec_form_htpasswd_is_read_as_one_command_line() -> None:
    from stackgen.output.masking import mask_items

    assert mask_items(["htpasswd", "-nb", "admin", "pw13"]) == ["htpasswd", "-nb", "admin", "***"]
    assert mask_items(["sshpass", "-p", "pw14", "ssh", "-p", "22", "h"]) == [
        "sshpass", "-p", "***", "ssh", "-p", "22", "h"
    ]  # fmt: skip


def test_the_trial_diff_prints_no_secret(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(TRIAL, encoding="utf-8")
    (tmp_path / "b.yml").write_text(TRIAL.replace("secret1", "secret2"), encoding="utf-8")
    done = run_stackgen("diff", "a.yml", "b.yml", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    for kind in KINDS:
        assert f"{kind}secret" not in done.stdout + done.stderr
    # hand-written from the input: each secret masked, the rest as written
    assert (
        '~ services.web.environment.SMTP_PW: "***" -> "*** (changed)"  [env] b.yml:6' in done.stdout
    )
    assert (
        '~ services.web.environment.SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/***"'
        ' -> "https://hooks.slack.com/services/*** (changed)"' in done.stdout
    )
    assert '"-----BEGIN PRIVATE KEY-----***" -> "-----BEGIN PRIVATE KEY-----*** (changed)"' in (
        done.stdout
    )
    assert '"X-Api-Key: ***" -> "X-Api-Key: *** (changed)"' in done.stdout
    assert (
        '"sshpass -p *** ssh h && htpasswd -b f user *** && mongo -p *** (changed)"' in done.stdout
    )
    js = run_stackgen("diff", "a.yml", "b.yml", "--format", "json", cwd=tmp_path)
    json.loads(js.stdout)
    assert not any(f"{kind}secret" in js.stdout for kind in KINDS)


def test_the_input_values_mask_messages(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(TRIAL, encoding="utf-8")
    found = input_secrets([str(tmp_path / "a.yml")])
    for value in ("sshsecret1", "htsecret1", "smtpsecret1", "saltsecret1", "jwtsecret1",
                  "pksecret1", "apikeysecret1"):  # fmt: skip
        assert value in found
    assert any("slacksecret1" in value for value in found)


@pytest.mark.parametrize("command", ["render", "check"])
def test_render_and_check_messages_mask_the_new_forms(tmp_path: Path, command: str) -> None:
    # a port the loader rejects, quoted in its message: each holds a secret by form
    ports = [
        "X-Api-Key: key15",
        "sshpass -p pw16 ssh h",
        "https://discord.com/api/webhooks/1/tok17",
        "-----BEGIN EC PRIVATE KEY-----pk18",
    ]
    body = "".join(f"      - {json.dumps(p)}\n" for p in ports)
    text = f"name: t\nservices:\n  web:\n    image: nginx:1.27\n    ports:\n{body}"
    (tmp_path / "p.yml").write_text(text, encoding="utf-8")
    args = ("render", "p.yml", "-o", "o.yml") if command == "render" else ("check", "p.yml")
    done = run_stackgen(*args, cwd=tmp_path)
    # render: bad input (2), on stderr; check: error-level findings (1), on stdout
    assert done.returncode == (2 if command == "render" else 1)
    shown = done.stderr + done.stdout
    assert "p.yml:6:" in shown  # the messages are there, quoting the ports
    for secret in ("key15", "pw16", "tok17", "pk18"):
        assert secret not in shown
    assert "'X-Api-Key: ***'" in shown
