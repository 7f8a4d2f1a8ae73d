"""Issue 14 point 4: ports, durations, sizes and numbers accept what compose accepts (ASCII
digits, no padding, ``$`` references braced), with an error naming the accepted forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_stackgen
from stackgen.compose.ports import parse_port
from stackgen.compose.units import parse_duration, parse_size


def _render_service(tmp_path: Path, lines: str) -> tuple[int, str]:
    (tmp_path / "p.yml").write_text(
        f"name: p\nservices:\n  web:\n    image: nginx:1.27\n    {lines}\n", encoding="utf-8"
    )
    done = run_stackgen("render", "p.yml", "-o", "-", cwd=tmp_path)
    return done.returncode, done.stderr


PORT_FORMS = (
    "[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL] in ASCII digits with no spaces, e.g. 8080:80 or "
    "127.0.0.1:8080:80/tcp; a variable only braced, as a whole part: ${PORT}:80"
)


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ("٨٠٨٠:٨٠", f"'٨٠٨٠:٨٠' is not a port mapping ({PORT_FORMS})"),
        (" 8080:80", f"' 8080:80' holds whitespace; use {PORT_FORMS}"),
        ("8080:80 ", f"'8080:80 ' holds whitespace; use {PORT_FORMS}"),
        ("$PORT:80", f"'$PORT:80' is not a port mapping ({PORT_FORMS})"),
        ("${PORT}0:80", f"'${{PORT}}0:80' is not a port mapping ({PORT_FORMS})"),
        ("8_080:80", f"'8_080:80' is not a port mapping ({PORT_FORMS})"),
        ("123456:80", f"'123456:80' is not a port mapping ({PORT_FORMS})"),
    ],
)
def test_ports_compose_refuses_are_refused_at_their_key(
    tmp_path: Path, port: str, message: str
) -> None:
    code, err = _render_service(tmp_path, f"ports: [{port!r}]".replace("'", '"'))
    assert (code, err) == (2, f"p.yml:5:13: services.web.ports[0]: {message}\n")


def test_braced_port_references_are_kept(tmp_path: Path) -> None:
    for spec in ("${PORT}:80", "${PORT:-8080}:80", "${IP:-127.0.0.1}:${P}:80/udp"):
        assert parse_port(spec).target == "80"
    code, err = _render_service(tmp_path, 'ports: ["${PORT:-8080}:80"]')
    assert (code, err) == (0, "")


@pytest.mark.parametrize("text", ["٣٠s", " 30s", "30s ", "3 0s", "30 s", "1_0s", "30S", "-5s"])
def test_durations_compose_refuses_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="in ASCII digits with no spaces"):
        parse_duration(text)


def test_duration_reproducer_is_refused_at_its_key(tmp_path: Path) -> None:
    code, err = _render_service(tmp_path, 'healthcheck: {test: ["CMD", "true"], interval: "٣٠s"}')
    assert code == 2
    assert err == (
        "p.yml:5:42: services.web.healthcheck.interval: not a duration: '٣٠s'; use numbers "
        "with units us, ms, s, m, h, e.g. 30s, 1m30s or 500ms, or a number of seconds, in "
        "ASCII digits with no spaces\n"
    )


def test_durations_and_sizes_compose_reads_keep_their_values() -> None:
    assert [parse_duration(t) for t in ("30s", "1m30s", "500ms", "1.5h", "10us", "30")] == (
        pytest.approx([30.0, 90.0, 0.5, 5400.0, 1e-05, 30.0])
    )
    assert [parse_size(t) for t in ("512m", "1GiB", "1g", "1kb", "2048", "1.5k", "3B")] == [
        512 * 2**20, 2**30, 2**30, 1024, 2048, 1536, 3,
    ]  # fmt: skip
    assert [parse_size(t) for t in ("1 g", "1_000", "1.5e3m", "0x1p4m")] == [
        2**30, 1000, 1500 * 2**20, 16 * 2**20,
    ]  # fmt: skip


# (1 g and 1_000 were listed here; the compose binary reads them as 1073741824 and 1000:
# test_compose_duration_size_forms asks it)
@pytest.mark.parametrize("text", ["٣g", " 1g", "1g ", "1ib", "1i", "1gg", "1kibb"])
def test_sizes_compose_refuses_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a size"):
        parse_size(text)


@pytest.mark.parametrize(
    ("line", "where", "value"),
    [
        ('cpus: "٠.٥"', "5:5: services.web.cpus", "'٠.٥'"),
        ('cpus: "1_0"', "5:5: services.web.cpus", "'1_0'"),
        ('scale: " 2"', "5:5: services.web.scale", "' 2'"),
        ('deploy: {replicas: "٣"}', "5:14: services.web.deploy.replicas", "'٣'"),
        ('deploy: {replicas: "2.5"}', "5:14: services.web.deploy.replicas", "'2.5'"),
    ],
)
def test_numbers_written_as_text_are_held_to_what_compose_reads(
    tmp_path: Path, line: str, where: str, value: str
) -> None:
    code, err = _render_service(tmp_path, line)
    assert (code, err) == (
        2,
        f"p.yml:{where}: not valid compose: {value} is not a number compose reads; use a "
        "number in ASCII digits with no spaces (e.g. 3 or 0.5), or a ${VAR} reference\n",
    )


def test_an_unbraced_dollar_in_a_profile_number_is_literal_and_refused(tmp_path: Path) -> None:
    # a profile writes $CPU as literal text ($$CPU), which compose cannot read as a number
    code, err = _render_service(tmp_path, 'cpus: "$CPU"')
    assert (code, err) == (
        2,
        "p.yml:5:5: services.web.cpus: not valid compose: '$$CPU' is not a number compose "
        "reads; use a number in ASCII digits with no spaces (e.g. 3 or 0.5), or a ${VAR} "
        "reference (a $ not followed by { is literal text in a profile, written $$: brace it)\n",
    )


def test_compose_files_may_use_unbraced_references_in_numbers(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n"
        '      test: ["CMD", "true"]\n      retries: $RETRIES\n',
        encoding="utf-8",
    )
    done = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_numbers_as_text_compose_reads_render(tmp_path: Path) -> None:
    code, err = _render_service(tmp_path, 'cpus: "0.5"\n    scale: "${SCALE:-1}"')
    assert (code, err) == (0, "")


_HUGE = "9" * 400  # beyond a float64 (Go's ParseFloat: "value out of range")
_BIG = "9" * 309  # a float64, but times a unit or as bytes beyond Go's int64


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mem_limit", _BIG),
        ("mem_limit", f"{_HUGE}g"),
        ("mem_limit", f"{_BIG}g"),
        ("shm_size", _HUGE),
    ],
)
@pytest.mark.parametrize("command", ["check", "diff", "import"])
def test_a_size_no_integer_holds_is_refused_at_its_key_by_every_command(
    tmp_path: Path, command: str, field: str, value: str
) -> None:
    # it was an internal error (exit 3, OverflowError turning an infinite float or a huge
    # int into another number); compose refuses such a size
    (tmp_path / "compose.yml").write_text(
        f"services:\n  web:\n    image: x:1\n    {field}: {value}\n", encoding="utf-8"
    )
    args = {"check": ["compose.yml"], "diff": ["/dev/null", "compose.yml"]}.get(
        command, ["compose.yml", "-o", "p.yml"]
    )
    done = run_stackgen(command, *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"compose.yml:4:5: services.web.{field}: "), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (f"resources: {{memory: {_HUGE}}}", "resources.memory"),
        (f"resources: {{memory: {_BIG}.0}}", "resources.memory"),
        (f"healthcheck: {{test: [CMD, 'true'], interval: {_HUGE}}}", "healthcheck.interval"),
    ],
)
def test_a_profile_number_no_compose_integer_holds_is_refused_at_its_key(
    tmp_path: Path, line: str, field: str
) -> None:
    # an int of hundreds of digits has no float (math.isfinite raised OverflowError: exit 3)
    code, err = _render_service(tmp_path, line)
    assert code == 2, err
    assert err.startswith(f"p.yml:5:5: services.web.{field}") or f"services.web.{field}" in err
    assert "internal error" not in err


def test_sizes_and_durations_stop_where_go_int64_does() -> None:
    assert parse_size(2**63 - 1) == 2**63 - 1
    assert parse_size("8388607t") == 8388607 * 2**40  # below 2**63
    for size in (2**63, 10**400, "8388608t", f"{'9' * 60}g"):
        with pytest.raises(ValueError, match="more than docker compose reads"):
            parse_size(size)
    with pytest.raises(ValueError, match="longer than docker compose reads"):
        parse_duration(10**400)
