"""Shell completion: ``stackgen completion SHELL`` prints a script that really completes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run_stackgen

BIN = Path(sys.executable).parent


def complete(monkeypatch: pytest.MonkeyPatch, words: str, cword: int) -> list[str]:
    """What the program answers when bash asks it to complete ``words`` at ``cword`` (the
    variables bash's completion function sets, then the program run without arguments)."""
    with monkeypatch.context() as env:
        env.setenv("COMP_WORDS", words)
        env.setenv("COMP_CWORD", str(cword))
        env.setenv("_STACKGEN_COMPLETE", "complete_bash")
        proc = run_stackgen()
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_scripts_for_each_shell() -> None:
    bash = run_stackgen("completion", "bash")
    assert bash.returncode == 0, bash.stderr
    assert "_STACKGEN_COMPLETE=complete_bash" in bash.stdout
    assert bash.stdout.rstrip().endswith("complete -o default -F _stackgen_completion stackgen")
    assert run_stackgen("completion", "zsh").stdout.startswith("#compdef stackgen\n")
    assert "complete --command stackgen" in run_stackgen("completion", "fish").stdout
    assert "Register-ArgumentCompleter" in run_stackgen("completion", "powershell").stdout
    unknown = run_stackgen("completion", "tcsh")
    assert unknown.returncode == 2
    assert "'tcsh' is not one of bash, zsh, fish, powershell" in unknown.stderr


def test_program_completes_commands_and_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    assert complete(monkeypatch, "stackgen gr", 1) == ["graph"]
    assert complete(monkeypatch, "stackgen diff --format m", 3) == ["markdown"]
    assert complete(monkeypatch, "stackgen graph --color ", 3) == ["auto", "always", "never"]
    assert complete(monkeypatch, "stackgen init shop --from h", 4) == ["highlight-hobby"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.skipif(not (BIN / "stackgen").exists(), reason="needs the installed entry point")
def test_bash_script_drives_completion_end_to_end() -> None:
    script = run_stackgen("completion", "bash").stdout
    # bash calls the function with the command name as $1
    program = (
        f"{script}\n"
        "COMP_WORDS=(stackgen sch); COMP_CWORD=1; _stackgen_completion stackgen; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(
        ["bash", "--norc", "-c", program], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "schema\n"


def test_typer_install_and_show_options_are_offered() -> None:
    words = run_stackgen("--help").stdout
    assert "--install-completion" in words and "--show-completion" in words
