"""Shared test helpers: paths, and running the CLI in-process or as a real process.

Most tests run the CLI with :func:`run_stackgen`: the real entry point (``stackgen.cli.main``,
its exit-code mapping, its separate stdout and stderr) called in this Python process, which
costs milliseconds instead of a Python start-up. A test about the process itself (the real
streams' encoding, a terminal, a signal, the installed console script, what a fresh
interpreter imports) uses :func:`run_stackgen_process`.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
#: the team's shared folder beside the checkout; CI has it, a bare clone does not
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"
#: real third-party compose files (their projects own them; never copied into the repo):
#: tests that read them carry the ``fixtures`` marker (tests/conftest.py)
REAL = SHARED_FIXTURES / "real"
#: the project's own cases distilled from public bug reports (tests/cases/reports/README.md)
REPORTS = REPO / "tests" / "cases" / "reports"


def real_params(values: Callable[[], Sequence[Any]], argcount: int = 1) -> Sequence[Any]:
    """Parameters read from ``../shared/fixtures/real`` (``values()``) for a test marked
    ``fixtures``; without the folder, one placeholder (``real-fixtures-absent``) that the
    marker skips (or fails under ``STACKGEN_REQUIRE_FIXTURES=1``). An empty list is never
    returned for a missing folder, so ``empty_parameter_set_mark = fail_at_collect`` keeps
    meaning "the folder is there but the glob found nothing"."""
    if REAL.is_dir():
        return values()
    return [pytest.param(*[None] * argcount, id="real-fixtures-absent")]


def report_case(case_id: str) -> Path:
    """The folder of report case ``case_id`` (``"B13"``) under ``tests/cases/reports``.

    Raises:
        ValueError: no folder, or more than one, is named ``<case_id>-…``.
    """
    (found,) = REPORTS.glob(f"{case_id}-*")
    return found


def report_text(case_id: str, name: str = "profile.yml") -> str:
    """The text of file ``name`` of report case ``case_id`` (see :func:`report_case`)."""
    return (report_case(case_id) / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class CliResult:
    """What one ``stackgen`` run gave: exit status and the two streams' text (the fields
    :class:`subprocess.CompletedProcess` has, so a test reads either the same way)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _working_directory(path: Path | None) -> Iterator[None]:
    before = os.getcwd()
    if path is not None:
        os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _text(data: bytes) -> str:
    # what ``subprocess.run(..., text=True)`` reads: UTF-8, universal newlines
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _forget_command_state() -> None:
    """Clear what a real process forgets when it exits: the per-command cache of the inputs'
    secret values (``stackgen.cli.output._secrets``, keyed by the command line; a later run
    with the same arguments in another folder must read its own files again)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("stackgen.") and hasattr(
            getattr(module, "_secrets", None), "cache_clear"
        ):
            module._secrets.cache_clear()


def run_stackgen(*args: str, cwd: Path | None = None) -> CliResult:
    """Run ``stackgen ARGS`` in this process through its console entry point.

    ``sys.argv``, the working directory and the standard streams are set as a process would
    have them (stdout and stderr are separate UTF-8 streams, not terminals) and restored
    after; the exit status is the one ``main()`` exits with (0 when it returns).
    """
    from stackgen.cli import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(
        err_bytes, encoding="utf-8", errors="backslashreplace", write_through=True
    )
    saved = sys.argv, sys.stdout, sys.stderr
    sys.argv, sys.stdout, sys.stderr = ["stackgen", *args], out, err
    _forget_command_state()
    try:
        with _working_directory(cwd or REPO):
            try:
                main()
                code: object = 0
            except SystemExit as exc:
                code = exc.code
    finally:
        out.flush()
        err.flush()
        sys.argv, sys.stdout, sys.stderr = saved
        _forget_command_state()
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): the message goes to stderr, exit 1
        err_bytes.write(f"{code}\n".encode())
        code = 1
    return CliResult(tuple(args), code, _text(out_bytes.getvalue()), _text(err_bytes.getvalue()))


def run_stackgen_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run stackgen's entry point in a new Python process (real exit codes, streams, argv)."""
    return subprocess.run(
        [sys.executable, "-c", "from stackgen.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        check=False,
    )


def run_stackgen_bounded(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``stackgen ARGS`` as a real process held to 2 GiB of address space and 10 s of CPU
    (setrlimit; POSIX only): past either the kernel kills it (a negative return code)."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
        resource.setrlimit(resource.RLIMIT_CPU, (10, 10))

    return subprocess.run(
        [sys.executable, "-c", "from stackgen.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=limit,
    )


@contextlib.contextmanager
def render_paused_mid_write(cwd: Path, profile: str) -> Iterator[subprocess.Popen[bytes]]:
    """``stackgen render PROFILE`` as a real process, held by the writer's test hook
    (``STACKGEN_TEST_PAUSE_WRITE_FD``) with half its temporary file written; yields the
    process once it is there (no sleeps, no timing) and kills it on the way out if the test
    left it running. The caller sends the signal under test.

    Raises:
        AssertionError: the writer ended before its pause point.
    """
    ready, signal_end = os.pipe()
    env = {**os.environ, "STACKGEN_TEST_PAUSE_WRITE_FD": str(signal_end)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from stackgen.cli import main; main()", "render", profile],
        cwd=cwd,
        env=env,
        pass_fds=(signal_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(signal_end)
    try:
        assert os.read(ready, 1) == b"p", "the writer ended before its pause point"
        yield proc
    finally:
        os.close(ready)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def kubelet_expand(text: str, env: dict[str, str]) -> str:
    """Kubernetes' expansion of a container's command, args, env values and exec probes
    (third_party/forked/golang/expansion; prober.go for probes): `$$` is `$`, `$(NAME)` the
    variable (left as written when unknown), any other `$` itself."""
    out, i = [], 0
    while i < len(text):
        if text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("$(", i) and ")" in text[i:]:
            end = text.index(")", i)
            out.append(env.get(text[i + 2 : end], text[i : end + 1]))
            i = end + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
