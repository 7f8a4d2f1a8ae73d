"""Pass-through durations and sizes: stackgen refuses exactly what docker compose refuses.

Found by a new-user trial (issue 14, "Where compose rejects what stackgen wrote, stackgen is
wrong"): `stop_grace_period: forever` and `shm_size: big` rendered with exit 0 and compose's own
loader refused the file. Compose reads durations with Go's time.ParseDuration (every number
needs a unit; "0" alone excepted) and sizes with go-units RAMInBytes. The real loader is the
judge of each value here, so the expected verdicts are compose's, not stackgen's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen

DURATIONS = [
    *("1m30s", ".5s", "0", "-1s", "1.5m", "250ms", "30", "forever", "30S", "1 s", ""),
    # found by a new-user trial: compose reads d and w, ns and µs, and refuses what overflows
    # Go's int64 nanoseconds (2562047h47m16.854775807s)
    *("1d", "1.5d", "1w", "1d2h", "1ns", "1µs", "1μs", "-5s", "+5s", "5.s", "."),
    *("10000000h", "2562047h", "2562048h", "15250w", "15251w", "1h-5m", "1H", "1Ms"),
]
SIZES = [
    "1 g",
    "1gb",
    "64M",
    "2GiB",
    "1.5g",
    "512",
    "1KB",
    "big",
    "1 gb x",
    "-1g",
    "g",
    "1p",
    "1.2.3m",
    # found by a new-user trial: go-units reads the number with Go's ParseFloat (exponents,
    # a leading + or ., underscores between digits), so compose takes these
    *("1.5e3m", "1e3", ".5e1g", "1e-3g", "1_0m", "+5m", "5.m", "1.5e3 m"),
    *("0x10m", "1e400m", "1__0m", "5 .m"),
    # found by the second trial: Go's ParseFloat reads hexadecimal floats with a p exponent
    *("0x1p4m", "0x1p-2g", "0X1P4M", "0x.8p1g", "0x_1p4m", "0x1p4", "0x1.8p1g"),
]


def _compose_accepts(tmp_path: Path, key: str, value: str) -> bool:
    (tmp_path / "compose.yml").write_text(
        f'services:\n  web:\n    image: nginx:1.27\n    {key}: "{value}"\n', encoding="utf-8"
    )
    return compose_config(cwd=tmp_path, quiet=True).returncode == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [("stop_grace_period", v) for v in DURATIONS] + [("shm_size", v) for v in SIZES],
)
def test_render_accepts_what_compose_accepts(tmp_path: Path, key: str, value: str) -> None:
    accepted = _compose_accepts(tmp_path, key, value)
    profile = tmp_path / "p.yml"
    profile.write_text(
        f'name: t\nservices:\n  web:\n    image: nginx:1.27\n    {key}: "{value}"\n',
        encoding="utf-8",
    )
    out = run_stackgen("render", str(profile), "-o", "-", cwd=tmp_path)
    if accepted:
        assert out.returncode == 0, out.stderr
    else:
        assert out.returncode == 2, out.stderr
        what = "duration" if key == "stop_grace_period" else "size"
        assert f"p.yml:5:5: services.web.{key}: " in out.stderr
        assert f"is not a {what} compose reads" in out.stderr


def test_the_verdicts_hold_the_known_forms(tmp_path: Path) -> None:
    # the oracle itself, pinned on the two reproducers and two valid forms
    assert not _compose_accepts(tmp_path, "stop_grace_period", "forever")
    assert not _compose_accepts(tmp_path, "shm_size", "big")
    assert _compose_accepts(tmp_path, "stop_grace_period", "1m30s")
    assert _compose_accepts(tmp_path, "shm_size", "2GiB")


@pytest.mark.parametrize(
    ("key", "value"),
    [("stop_grace_period", v) for v in DURATIONS if v]
    + [("healthcheck.interval", v) for v in ("1d", "-5s", "1ns", "10000000h", "1h-5m")]
    + [("shm_size", v) for v in SIZES if v],
)
def test_check_refuses_exactly_what_compose_refuses(tmp_path: Path, key: str, value: str) -> None:
    body = (
        f'healthcheck: {{test: [CMD, x], interval: "{value}"}}'
        if key == "healthcheck.interval"
        else f'{key}: "{value}"'
    )
    (tmp_path / "compose.yml").write_text(
        f"services:\n  web:\n    image: nginx:1.27\n    {body}\n", encoding="utf-8"
    )
    accepted = compose_config(cwd=tmp_path, quiet=True).returncode == 0
    out = run_stackgen("check", "compose.yml", cwd=tmp_path)
    if accepted:
        assert out.returncode == 0, out.stderr
    else:
        # a value the engine cannot read is an input error at its key, as for any schema error
        assert out.returncode == 2, out.stdout
        assert "compose.yml:4:" in out.stderr and f"services.web.{key}: " in out.stderr


def test_integers_beyond_int64_are_refused_where_compose_misreads_them(tmp_path: Path) -> None:
    # compose wraps scale 9223372036854775808 to a negative number and refuses it
    for value, accepted in (("9223372036854775807", True), ("9223372036854775808", False)):
        (tmp_path / "compose.yml").write_text(
            f"services:\n  web:\n    image: nginx:1.27\n    scale: {value}\n", encoding="utf-8"
        )
        assert (compose_config(cwd=tmp_path, quiet=True).returncode == 0) is accepted
        out = run_stackgen("check", "compose.yml", cwd=tmp_path)
        assert out.returncode == (0 if accepted else 2), out.stderr
    assert "compose.yml:4:5: services.web.scale: 9223372036854775808 is outside the 64-bit" in (
        out.stderr
    )
    # a profile's own integer is refused before anything is written, at the bound of its
    # consumer (replicas: Kubernetes' int32 spec.replicas; tests/hardening/test_profile_bounds)
    (tmp_path / "p.yml").write_text(
        "name: t\nservices:\n  web:\n    image: nginx:1.27\n    replicas: 99999999999999999999999\n",
        encoding="utf-8",
    )
    out = run_stackgen("render", "p.yml", "-o", "out.yml", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr == (
        "p.yml:5:5: services.web.replicas: must be at most 2147483647, "
        "got 99999999999999999999999\n"
    )
    assert not (tmp_path / "out.yml").exists()


@pytest.mark.parametrize(
    ("written", "same"), [("1.5e3m", "1500m"), (".5g", "512m"), ("0x1p4m", "16m")]
)
def test_import_and_diff_read_them_by_value(tmp_path: Path, written: str, same: str) -> None:
    # found by the second trial: import refused them ("cannot import: not a size") and diff
    # compared them as text against the same size
    head = "services:\n  web:\n    image: ghcr.io/x/app:1\n    mem_limit: "
    (tmp_path / "a.yml").write_text(f"{head}{written}\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text(f"{head}{same}\n", encoding="utf-8")
    a = compose_config("a.yml", cwd=tmp_path)
    b = compose_config("b.yml", cwd=tmp_path)
    assert a.config is not None and b.config is not None
    assert a.config["services"]["web"]["mem_limit"] == b.config["services"]["web"]["mem_limit"]
    assert run_stackgen("diff", "a.yml", "b.yml", cwd=tmp_path).returncode == 0
    out = run_stackgen("import", "a.yml", "-o", "p.yml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert run_stackgen("render", "p.yml", "-o", "r.yml", cwd=tmp_path).returncode == 0
    rendered = compose_config("r.yml", cwd=tmp_path)
    assert rendered.config is not None
    assert (
        rendered.config["services"]["web"]["mem_limit"] == a.config["services"]["web"]["mem_limit"]
    )
