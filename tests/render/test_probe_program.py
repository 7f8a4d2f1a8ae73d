"""The program a healthcheck runs is found past shell assignments and wrappers (``A='' wget``,
``exec``, ``env``, ``command``), in the render warnings and in ``stackgen check``."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import REAL, run_stackgen
from stackgen.catalog.probes import check_test, command_program, shell_words

SENTRY = "HTTP_PROXY='' http_proxy='' wget -q -O- http://localhost:8123/ping"


@pytest.mark.parametrize(
    ("text", "program"),
    [
        (SENTRY, "wget"),
        ("wget -q -O- http://127.0.0.1/", "wget"),
        ("A=1 B='x y' exec curl -f http://127.0.0.1/", "curl"),
        ("exec -a probe /usr/bin/wget -q http://127.0.0.1/", "/usr/bin/wget"),
        ("env -i PATH=/bin HTTP_PROXY= nc -z 127.0.0.1 80", "nc"),
        ("env -u HTTP_PROXY wget -q http://127.0.0.1/", "wget"),
        ("command -p curl -f http://127.0.0.1/", "curl"),
        ("/usr/bin/env NO_PROXY=* redis-cli ping", "redis-cli"),
        ("A=1", None),
        ("A='unbalanced wget", "wget"),  # sh cannot parse it: split at white space
    ],
)
def test_shell_program(text: str, program: str | None) -> None:
    assert command_program(shell_words(text), shell=True) == program


def test_cmd_program_skips_env_but_not_assignments() -> None:
    # CMD runs without a shell: A=1 would be executed as a program name
    assert command_program(["env", "A=1", "wget", "-q"], shell=False) == "wget"
    assert command_program(["A=1", "wget"], shell=False) == "A=1"


@pytest.mark.parametrize(
    ("test", "program"),
    [
        (["CMD-SHELL", SENTRY], "wget"),
        (["CMD-SHELL", "exec env A=1 curl -f http://127.0.0.1/"], "curl"),
        (["CMD", "/usr/bin/env", "HTTP_PROXY=", "wget", "-q", "http://127.0.0.1/"], "wget"),
    ],
)
def test_unverified_warning_names_the_program(test: list[str], program: str) -> None:
    _, problems = check_test(test, "ghcr.io/example/web:1.0", catalog_image=False)
    assert [p.message for p in problems if p.rule == "probe-unverified"] == [
        f"cannot verify that {program} exists in ghcr.io/example/web:1.0"
    ]


def test_distroless_names_the_wrapped_tool() -> None:
    _, problems = check_test(
        ["CMD", "env", "HTTP_PROXY=", "wget", "-q", "http://127.0.0.1/"],
        "gcr.io/distroless/static:nonroot",
    )
    assert [p.rule for p in problems] == ["probe-tool-missing"]
    assert "ships no wget" in problems[0].message


@pytest.mark.fixtures
def test_sentry_import_names_wget_not_the_assignment() -> None:
    """End to end on the real sentry compose file: its clickhouse probe starts with
    ``HTTP_PROXY='' http_proxy=''`` assignments."""
    sentry = REAL / "sentry" / "docker-compose.yml"
    proc = run_stackgen("import", str(sentry), "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert "HTTP_PROXY=''" not in proc.stderr
    assert (
        f"{sentry}:264:7: services.clickhouse.healthcheck.test: cannot verify that wget exists "
        "in clickhouse-self-hosted-local (warning)\n"
    ) in proc.stderr


@pytest.mark.parametrize(
    ("script", "program"),
    [
        ("true", None),
        ("[ -f /tmp/ready ]", None),
        ("test -e /a || exit 1", None),
        ("exit 0", None),
        ("A=1", None),
        ("[ -f /tmp/ready ] && curl -f http://127.0.0.1/", "curl"),
        ("echo ok | grep -q ok", "grep"),
        ("if [ -e /a ]; then nc -z 127.0.0.1 80; fi", "nc"),
        ("! wget -q http://127.0.0.1/", "wget"),
        (SENTRY, "wget"),
    ],
)
def test_shell_builtins_are_never_unverified(script: str, program: str | None) -> None:
    """Issue 18: ``cannot verify that [ exists`` named a shell built-in; sh runs those itself,
    so the warning names the first program of the image, or there is none."""
    _, problems = check_test(["CMD-SHELL", script], "ghcr.io/example/web:1.0", catalog_image=False)
    found = [p.message for p in problems if p.rule == "probe-unverified"]
    expected = (
        []
        if program is None
        else [f"cannot verify that {program} exists in ghcr.io/example/web:1.0"]
    )
    assert found == expected


@given(
    st.text(alphabet=st.sampled_from(" \t\r\n\x0b\x0c\x1c\xa0\u2028ab=-'\"\\#;|&$()"), max_size=10)
)
def test_shell_words_split_as_sh_would_with_or_without_the_fast_path(text: str) -> None:
    """Words without quotes or escapes are split without shlex: the same words it gives."""
    try:
        want = shlex.split(text)
    except ValueError:  # unbalanced quotes: split at white space
        want = text.split()
    assert shell_words(text) == want
