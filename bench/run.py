"""Benchmark stackgen against the YAML floor and docker-compose, whole processes, one run.

Usage (from the repository root, with stackgen installed in the running Python's venv):

    python bench/run.py [--sizes 10,100,1000,5000] [--runs 5] [--no-docker-compose]
                        [--results bench/RESULTS.md] [--compose-venv DIR]

It writes, into a temporary directory, profiles of N services (bench/workload.py), renders
each once, and writes a hand-edited twin of each output (~2 % of the services changed). Then,
interleaved round by round so that background load hits every command alike, it times each
command as a whole process (median of --runs runs after one warm-up run) and records its peak
memory (ru_maxrss of that child, from os.wait4):

* stackgen: ``render``, ``render --check``, ``diff`` (output vs twin), ``import``, ``--version``;
* anchors: the C-loader + C-dumper round trip of the rendered file, C-loading the rendered file
  and its twin, C-loading the rendered file alone (the memory floor), ``python -c "import
  yaml"``, and ``docker-compose config`` (v1.29.2, pip-installed into a throwaway venv).

It prints the measurements and the target ratios of issue 6 (pass/fail) and writes them to
--results. Exit status 0 whatever the ratios (this is a measurement, not a test); 2 when a
stackgen command fails outright.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
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
MISSING = "n/a (command missing)"

_LOAD = "import sys, yaml; [yaml.load(open(f, encoding='utf-8').read(), Loader=yaml.CSafeLoader) for f in sys.argv[1:]]"
_ROUND_TRIP = (
    "import sys, yaml; d = yaml.load(open(sys.argv[1], encoding='utf-8').read(), "
    "Loader=yaml.CSafeLoader); yaml.dump(d, Dumper=yaml.CSafeDumper, sort_keys=False)"
)


#: GNU time, to read each command's peak RSS: a child's ru_maxrss also counts the memory of
#: the process that forked it, up to its exec (Linux records the old image's high-water mark)
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None

#: children run as an installed tool does: with bytecode caching (a session may have it off)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


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
    """Run ``cmd`` in ``cwd``; returns (wall seconds, CPU seconds, the child's peak RSS in KiB).

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
            f"{' '.join(cmd)} exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}"
        )
    rss = usage.ru_maxrss  # Linux: kibibytes
    if rss_file is not None:
        rss = int(Path(rss_file.name).read_text().split()[-1])
        os.unlink(rss_file.name)
    # wait4 reports the child with its waited-for children: the CPU time of the command
    return elapsed, usage.ru_utime + usage.ru_stime, rss


def stackgen_cmd() -> list[str]:
    """The ``stackgen`` console script of this Python's environment (``-m stackgen`` else)."""
    script = Path(PY).parent / "stackgen"
    return [str(script)] if script.exists() else [PY, "-m", "stackgen"]


def has_import(sg: list[str], cwd: Path) -> bool:
    """Whether this stackgen has an ``import`` command (it lands with issue 5)."""
    proc = subprocess.run([*sg, "import", "--help"], cwd=cwd, capture_output=True, env=ENV)
    return proc.returncode == 0


# --- docker-compose v1 in a throwaway venv ------------------------------------------------


def install_docker_compose(venv: Path) -> tuple[Path | None, str]:
    """Install docker-compose 1.29.2 into ``venv`` (reused when it already works).

    docker-compose 1.29.2 requires PyYAML < 6, and PyYAML 5.4.1 has no wheel for Python >=
    3.10 and does not build with Cython 3: it is built from source with ``cython<3`` and
    ``--no-build-isolation``. Returns (the executable or None, why not).
    """
    exe = venv / "bin" / "docker-compose"
    if exe.exists() and subprocess.run([str(exe), "version"], capture_output=True).returncode == 0:
        return exe, ""
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    steps = [
        [PY, "-m", "venv", str(venv)],
        [*pip, "cython<3", "wheel", "setuptools<70"],
        [*pip, "--no-build-isolation", "pyyaml==5.4.1"],
        [*pip, "docker-compose==1.29.2"],
    ]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, env=ENV)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return None, f"`{' '.join(step[-2:])}` failed: {' / '.join(tail)}"
    return exe, ""


def v1_copy(compose_file: Path, target_dir: Path) -> Path:
    """A copy of ``compose_file`` that docker-compose v1 reads: without the top-level ``name``
    (v1 rejects it; the project name is given with -p) and ``build.pull`` (v1 rejects it),
    plus an empty ``.env`` for ``env_file: .env``. Same services, same size within a line per
    service."""
    data = yaml.load(compose_file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    data.pop("name", None)
    for svc in data.get("services", {}).values():
        if isinstance(svc.get("build"), dict):
            svc["build"].pop("pull", None)
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / ".env").write_text("", encoding="utf-8")
    target = target_dir / "compose.yml"
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, width=1000)
    target.write_text(text, encoding="utf-8")
    return target


# --- measurement ----------------------------------------------------------------------------


@dataclass
class Case:
    """One command to time: label, argv, working directory, accepted exit codes."""

    label: str
    cmd: list[str]
    cwd: Path
    ok: tuple[int, ...] = (0,)
    warm_up: bool = True


def prepare(work: Path, sizes: list[int], sg: list[str]) -> dict[int, dict[str, Path]]:
    """Write profiles, render them once (out/bench-N/compose.yml), write the twins."""
    files: dict[int, dict[str, Path]] = {}
    script = str(Path(workload.__file__).resolve())
    for n in sizes:
        # in child processes, so that this one stays small (see TIME)
        subprocess.run([PY, script, "profile", str(work), str(n)], check=True)
        profile = work / f"bench-{n}.yml"
        out = work / "out" / f"bench-{n}" / "compose.yml"
        run_once([*sg, "render", profile.name], work)
        twin = work / f"twin-{n}.yml"
        subprocess.run([PY, script, "twin", str(out), str(twin)], check=True)
        files[n] = {"profile": profile, "out": out, "twin": twin}
    return files


def measure(cases: list[Case], runs: int, log: bool) -> dict[str, Sample]:
    """Warm up each case once (bytecode caches, page cache; the largest sizes share the
    smallest's), then run all cases ``runs`` times, interleaved."""
    samples = {c.label: Sample() for c in cases}
    for c in cases:
        if c.warm_up:
            run_once(c.cmd, c.cwd, c.ok)
    for r in range(runs):
        for c in cases:
            seconds, cpu, rss = run_once(c.cmd, c.cwd, c.ok)
            samples[c.label].seconds.append(seconds)
            samples[c.label].cpu_seconds.append(cpu)
            samples[c.label].rss_kib.append(rss)
        if log:
            print(f"  round {r + 1}/{runs} done", file=sys.stderr)
    return samples


def build_cases(
    work: Path,
    sizes: list[int],
    files: dict[int, dict[str, Path]],
    sg: list[str],
    dc: Path | None,
    with_import: bool,
) -> list[Case]:
    cases = [
        Case("python -c 'import yaml'", [PY, "-c", "import yaml"], work),
        Case("stackgen --version", [*sg, "--version"], work),
        Case("hobby: stackgen render", [*sg, "render", str(HOBBY), "-o", str(work / "hobby.yml")], REPO),
    ]
    if dc is not None:
        hobby_dir = work / "dc-hobby"
        run_once([*sg, "render", str(HOBBY), "-o", str(work / "hobby.yml")], REPO)
        v1 = v1_copy(work / "hobby.yml", hobby_dir)
        cases.append(
            Case("hobby: docker-compose config", [str(dc), "-p", "hobby", "-f", v1.name, "config"], hobby_dir)
        )
    for n in sizes:
        f = files[n]
        prof, out, twin = f["profile"].name, str(f["out"].relative_to(work)), f["twin"].name
        first = len(cases)
        cases += [
            Case(f"{n}: render", [*sg, "render", prof], work),
            Case(f"{n}: render --check", [*sg, "render", "--check", prof], work),
            Case(f"{n}: diff", [*sg, "diff", out, twin], work, (0, 1)),
            Case(f"{n}: C round trip", [PY, "-c", _ROUND_TRIP, out], work),
            Case(f"{n}: C round trip, gc paused", [PY, "-c", "import gc; gc.disable(); " + _ROUND_TRIP, out], work),
            Case(f"{n}: C load both", [PY, "-c", _LOAD, out, twin], work),
            Case(f"{n}: C load output", [PY, "-c", _LOAD, out], work),
        ]
        if with_import:
            cases.append(Case(f"{n}: import", [*sg, "import", out, "-o", f"imported-{n}.yml", "--force"], work))
        if dc is not None and n <= 1000:  # no target compares with it above N = 1,000
            v1 = v1_copy(f["out"], work / f"dc-{n}")
            cases.append(
                Case(f"{n}: docker-compose config", [str(dc), "-p", f"b{n}", "-f", v1.name, "config"], v1.parent)
            )
        if n != min(sizes):
            for c in cases[first:]:
                c.warm_up = False
    return cases


# --- report -----------------------------------------------------------------------------------


NOTES = [
    "* The C round trip and C loads run with the garbage collector on, as a plain",
    "  `python -c` does (the issue's first anchor row); the gc-paused round trip is shown for",
    "  reference. stackgen pauses the collector itself while it builds large graphs.",
    "* docker-compose v1 reads a copy without the top-level `name` and `build.pull` (it rejects",
    "  both), with `-p` for the project name; it is not run above N = 1,000 (no target uses it).",
    "* `import` is measured only once `stackgen import --help` succeeds (issue 5).",
    "* Wall-time ratios decide; on a machine busy with other work they move by ±20 %, the CPU",
    "  ratios less. The load average is printed above.",
]


@dataclass
class Target:
    """One target ratio: ``num`` / ``den`` must be at most ``limit``."""

    text: str
    num: str
    den: str
    limit: float
    memory: bool = False


def targets(sizes: list[int]) -> list[Target]:
    out = [
        Target("`stackgen --version` ≤ 3× `python -c \"import yaml\"`", "stackgen --version", "python -c 'import yaml'", 3),
        Target("hobby render ≤ 0.6× `docker-compose config` on its output", "hobby: stackgen render", "hobby: docker-compose config", 0.6),
        Target("render N=1000 ≤ 1.5× C round trip of its output", "1000: render", "1000: C round trip", 1.5),
        Target("render N=5000 ≤ 5.5× render N=1000", "5000: render", "1000: render", 5.5),
        Target("diff N=1000 vs twin ≤ 1.5× C-loading both files", "1000: diff", "1000: C load both", 1.5),
        Target("diff N=5000 ≤ 5.5× diff N=1000", "5000: diff", "1000: diff", 5.5),
    ]
    for cmd in ("render", "render --check", "diff", "import"):
        out.append(Target(f"`{cmd}` N=1000 ≤ 0.3× `docker-compose config`", f"1000: {cmd}", "1000: docker-compose config", 0.3))
    out.append(Target("`--version` ≤ 0.3× `docker-compose config` N=1000", "stackgen --version", "1000: docker-compose config", 0.3))
    out.append(Target("peak memory of render N=5000 ≤ 2× a process that only C-loads its output", "5000: render", "5000: C load output", 2, memory=True))
    return out


def judge(t: Target, samples: dict[str, Sample], notes: dict[str, str]) -> tuple[str, str, str]:
    """(ratio text, CPU-time ratio text, verdict) for one target; the verdict is on wall time
    (or peak memory)."""
    for label in (t.num, t.den):
        if label not in samples:
            reason = notes.get(label.split(": ", 1)[-1]) or notes.get(label) or "size not run"
            return "—", "—", reason if reason.startswith("n/a") else f"n/a ({reason})"
    a, b = samples[t.num], samples[t.den]
    if t.memory:
        ratio = a.rss / b.rss
        return f"{ratio:.2f}×", "—", ("pass" if ratio <= t.limit else "FAIL")
    ratio = a.time / b.time
    cpu = f"{a.cpu / b.cpu:.2f}×" if b.cpu > 0 else "—"
    return f"{ratio:.2f}×", cpu, ("pass" if ratio <= t.limit else "FAIL")


def report(samples: dict[str, Sample], sizes: list[int], runs: int, notes: dict[str, str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"`python bench/run.py --sizes {','.join(map(str, sizes))} --runs {runs}` on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: Python {platform.python_version()}, "
        f"PyYAML {yaml.__version__} (libyaml: {getattr(yaml, '__with_libyaml__', False)}), "
        f"{os.cpu_count()} CPUs, load average at the end {os.getloadavg()[0]:.1f}.",
        f"Medians of {runs} whole-process runs (after a warm-up run), interleaved round by "
        "round; CPU is user + system time; peak memory is the command's maximum RSS "
        f"({'GNU time %M' if TIME else 'ru_maxrss from wait4'}).",
        "",
        "## Targets",
        "",
        "| target | ratio (wall) | ratio (CPU) | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for t in targets(sizes):
        ratio, cpu, verdict = judge(t, samples, notes)
        lines.append(f"| {t.text} | {ratio} | {cpu} | {verdict} |")
    lines += [
        "",
        "## Measurements",
        "",
        "| command | median wall | median CPU | peak memory |",
        "| --- | --- | --- | --- |",
    ]
    for label, s in samples.items():
        lines.append(
            f"| {label} | {s.time * 1000:,.0f} ms | {s.cpu * 1000:,.0f} ms | {s.rss / 1024:,.0f} MiB |"
        )
    for label, why in notes.items():
        lines.append(f"| {label} | {why} | | |")
    lines += ["", "## Notes", "", *NOTES]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,5000", help="comma-separated N")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median)")
    parser.add_argument("--no-docker-compose", action="store_true", help="skip docker-compose")
    parser.add_argument("--results", default=str(REPO / "bench" / "RESULTS.md"), help="write here ('-': nowhere)")
    parser.add_argument("--compose-venv", help="venv for docker-compose (kept; default: temporary)")
    parser.add_argument("--work", help="directory for generated files (kept; default: temporary)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    sg = stackgen_cmd()
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="stackgen-bench-") as tmp:
        work = Path(args.work) if args.work else Path(tmp) / "work"
        work.mkdir(parents=True, exist_ok=True)
        dc: Path | None = None
        if args.no_docker_compose:
            notes["docker-compose config"] = "skipped (--no-docker-compose)"
        else:
            print("installing docker-compose 1.29.2 into a throwaway venv …", file=sys.stderr)
            dc, why = install_docker_compose(Path(args.compose_venv or Path(tmp) / "dc-venv"))
            if dc is None:
                notes["docker-compose config"] = f"not installed: {why}"
        print(f"generating and rendering N = {sizes} …", file=sys.stderr)
        files = prepare(work, sizes, sg)
        with_import = has_import(sg, work)
        if not with_import:
            notes["import"] = MISSING
        sizes_line = ", ".join(
            f"N={n}: {files[n]['out'].stat().st_size / 1024:,.0f} KiB "
            f"({files[n]['out'].stat().st_size / n / 1000:.2f} KB/service)"
            for n in sizes
        )
        cases = build_cases(work, sizes, files, sg, dc, with_import)
        print(f"timing {len(cases)} commands × {args.runs} runs …", file=sys.stderr)
        samples = measure(cases, args.runs, log=True)
    text = report(samples, sizes, args.runs, notes)
    text = text.replace("\n## Targets", f"Rendered sizes: {sizes_line}.\n\n## Targets", 1)
    print(text)
    if args.results != "-":
        Path(args.results).write_text(text, encoding="utf-8")
        print(f"wrote {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(2)
