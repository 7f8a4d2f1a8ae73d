"""Secrets (issue 4, item 6): no command prints a secret value — env keys naming a credential
(``stackgen.output.secret_rule.SECRET_KEY``) or named in the profile's ``sensitive:`` list — in an
error, a warning, a ``--debug`` traceback or a report, unless asked (``diff --show-secrets``).

Each test drives one path by which a value could be echoed and asserts the secret appears
nowhere in stdout or stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import run_stackgen
from stackgen import api
from stackgen.cli import main
from stackgen.errors import InternalError
from stackgen.output.masking import MASK, input_secrets, redact, secret_values
from stackgen.targets.compose.render import verify

SECRET = "S3cr3t-Hunter2-Value"
OTHER = "pr1vate-l1cense"


def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[Any, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["stackgen", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err


def no_secret(*streams: str) -> None:
    for stream in streams:
        assert SECRET not in stream
        assert OTHER not in stream


def profile(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "p.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_compose_schema_error_does_not_quote_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """jsonschema quotes the whole failing mapping; an empty env name fails the schema."""
    path = profile(
        tmp_path,
        "name: x\nservices:\n  app:\n    image: nginx\n"
        f'    environment: {{"": a, DB_PASSWORD: "{SECRET}"}}\n',
    )
    for args in ((str(path), "-o", "-"), (str(path), "-o", "-", "--debug")):
        code, out, err = run_main(monkeypatch, capsys, "render", *args)
        assert code == 2
        no_secret(out, err)
    code, out, err = run_main(monkeypatch, capsys, "render", str(path), "-o", "-")
    assert err == (
        f"{path}:5:5: services.app.environment: not valid compose: this mapping is not valid "
        "under any of the schemas listed in the 'oneOf' keyword\n"
    )


def test_passthrough_key_holding_a_secret_of_the_wrong_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = profile(
        tmp_path,
        "name: x\nservices:\n  app:\n    image: nginx\n"
        f"    build: {{context: ., args: {{API_TOKEN: {{nested: {SECRET}}}}}}}\n",
    )
    code, out, err = run_main(monkeypatch, capsys, "render", str(path), "-o", "-")
    assert code == 2 and "services.app.build" in err
    no_secret(out, err)


def test_pydantic_errors_under_a_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong type under a secret env name: pydantic's input_value is never printed."""
    path = profile(
        tmp_path,
        "name: x\nservices:\n  app:\n    image: nginx\n"
        f"    environment: {{DB_PASSWORD: [{SECRET}], API_KEY: {{a: {SECRET}}}}}\n",
    )
    for debug in ((), ("--debug",)):
        code, out, err = run_main(monkeypatch, capsys, "render", str(path), "-o", "-", *debug)
        assert code == 2 and "services.app.environment.DB_PASSWORD" in err
        no_secret(out, err)


def test_set_without_equals_does_not_echo_the_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = profile(tmp_path, "name: x\nservices:\n  app: {image: nginx}\n")
    expr = f"services.app.environment.DB_PASSWORD:{SECRET}"
    code, out, err = run_main(monkeypatch, capsys, "render", str(path), "--set", expr)
    assert (code, out) == (2, "")
    assert err == "<--set #1>:1:1: --set needs path.to.key=value (no '=' found)\n"


def test_probe_messages_quoting_a_secret_are_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A probe message quotes the probe's arguments; one holds the env secret's value."""
    path = profile(
        tmp_path,
        "name: x\nservices:\n  db:\n    image: mysql:8\n"
        f"    environment: {{MYSQL_ROOT_PASSWORD: {SECRET}}}\n"
        f"    healthcheck: {{test: [CMD-SHELL, mysqladmin, ping, '-p{SECRET}']}}\n",
    )
    code, out, err = run_main(monkeypatch, capsys, "render", str(path), "-o", "-")
    assert code == 2
    assert "CMD-SHELL takes exactly one command string" in err
    assert f"-p{MASK}" in err
    no_secret(out, err)


def test_sensitive_names_are_secret_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = profile(
        tmp_path,
        "name: x\nsensitive: [LICENSE]\nservices:\n  app:\n    image: nginx\n"
        f"    environment: {{LICENSE: {OTHER}}}\n"
        f"    healthcheck: {{test: [CMD, 'x && {OTHER}']}}\n",
    )
    code, out, err = run_main(monkeypatch, capsys, "render", str(path), "-o", "-")
    assert code == 2 and "CMD runs without a shell" in err
    no_secret(out, err)


def test_internal_errors_and_debug_tracebacks_are_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug whose exception message holds a value (here forced): masked in the one-line
    internal error and in the --debug traceback, with exit code 3 either way."""
    path = profile(
        tmp_path,
        f"name: x\nservices:\n  app:\n    image: nginx\n    environment: [TOKEN={SECRET}]\n",
    )

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"not a scalar: {SECRET!r}")

    monkeypatch.setattr(api, "render", broken)
    code, out, err = run_main(monkeypatch, capsys, "render", str(path), "-o", "-")
    assert code == 3
    assert err == f"internal error: TypeError: not a scalar: '{MASK}' (run with --debug)\n"
    code, out, err = run_main(monkeypatch, capsys, "render", str(path), "-o", "-", "--debug")
    assert code == 3
    assert err.startswith("Traceback (most recent call last):\n")
    assert f"TypeError: not a scalar: '{MASK}'" in err
    no_secret(out, err)


def test_read_back_mismatch_names_no_secret_value() -> None:
    text = "name: x\nservices:\n  app:\n    environment:\n      DB_PASSWORD: other\n"
    want = {"name": "x", "services": {"app": {"environment": {"DB_PASSWORD": SECRET}}}}
    with pytest.raises(InternalError) as err:
        verify(text, want)
    assert str(err.value) == (
        "rendered text reads back differently under YAML 1.2 at "
        "services.app.environment.DB_PASSWORD (secret values differ)"
    )


def test_diff_schema_error_and_report_mask_secrets(tmp_path: Path) -> None:
    """diff: a compose file failing the schema, and a secret that drifted (subprocess: real
    streams); --show-secrets shows it when asked."""
    left = tmp_path / "left.yml"
    left.write_text(
        f"services:\n  app:\n    image: nginx\n    environment: {{DB_PASSWORD: {SECRET}}}\n"
    )
    right = tmp_path / "right.yml"
    right.write_text(
        f"services:\n  app:\n    image: nginx\n    environment: {{DB_PASSWORD: {OTHER}}}\n"
    )
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "services:\n  app:\n    image: nginx\n"
        f"    environment: {{DB_PASSWORD: {{nested: {SECRET}}}, LOG: [{SECRET}]}}\n"
    )
    bad = run_stackgen("diff", str(left), str(broken), cwd=tmp_path)
    assert bad.returncode == 2 and "services.app.environment" in bad.stderr
    no_secret(bad.stdout, bad.stderr)
    for fmt in ("text", "markdown", "json", "github"):
        out = run_stackgen("diff", str(left), str(right), "--format", fmt, cwd=tmp_path)
        assert out.returncode == 1, out.stderr
        assert "DB_PASSWORD" in out.stdout
        no_secret(out.stdout, out.stderr)
    shown = run_stackgen("diff", str(left), str(right), "--show-secrets", cwd=tmp_path)
    assert SECRET in shown.stdout and OTHER in shown.stdout


def test_secret_values_are_found_in_every_form(tmp_path: Path) -> None:
    data = {
        "sensitive": ["LICENSE"],
        "services": {
            "a": {
                "environment": {"DB_PASSWORD": "p1", "LICENSE": "l1", "LOG": "debug"},
                "build": {"args": ["API_TOKEN=t1", "PLAIN=x"]},
                "x-vault": {"secret": {"nested": ["n1", 42]}},
            }
        },
    }
    assert secret_values(data) == {"p1", "l1", "t1", "n1", "42"}
    # files (also ones too broken to parse, and extends bases) and --set values
    base = tmp_path / "base.yml"
    base.write_text("services:\n  a:\n    environment: {ROOT_PASSWORD: 'base-secret'}\n")
    top = tmp_path / "top.yml"
    top.write_text('extends: base.yml\n  broken: [\nDB_TOKEN: "tok-value"  # comment\n')
    found = input_secrets(["render", str(top), "--set", "services.a.environment.API_KEY=set-val"])
    assert found == {"base-secret", "tok-value", "set-val"}
    # the file -o names is the output, not an input: it is not read
    target = tmp_path / "out.yml"
    target.write_text("services:\n  a:\n    environment: {OLD_PASSWORD: 'old-out'}\n")
    for flag in ("-o", "--output"):
        assert input_secrets(["render", str(base), flag, str(target)]) == {"base-secret"}
    # short values are not masked in free text (they would garble line numbers and words)
    assert redact('p.yml:1:2: x \'abcd\' and "a\\"bcd"', {"12", "abcd", 'a"bcd'}) == (
        "p.yml:1:2: x '***' and \"***\""
    )


def test_masking_leaves_file_names_and_paths_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A weak password equal to a name (postgres) is masked in messages, never in the file
    name or the field path that say where the problem is."""
    path = tmp_path / "postgres.yml"
    path.write_text(
        "name: x\nservices:\n  postgres:\n    image: postgres:16\n"
        "    environment: {POSTGRES_PASSWORD: postgres}\n    depends_on: [postgres]\n",
        encoding="utf-8",
    )
    code, out, err = run_main(monkeypatch, capsys, "render", str(path), "-o", "-")
    assert (code, out) == (2, "")
    assert (
        err == f"{path}:6:18: services.postgres.depends_on[0]: a service cannot depend on itself\n"
    )
