"""Plain scalars of a compose file read as docker compose reads them (Go yaml.v3), on import
and in the rendered output.

compose v2 is not YAML 1.2 core: yaml.v3 keeps YAML 1.1's octal ``022`` (18), reads ``0b101``,
``1_000`` and ``0o17`` as integers, and compose writes a float into an environment variable as
Go prints it (``1e+06``). ``yes`` and ``1:30`` are strings (no 1.1 booleans or sexagesimals).
Each expected string is worked out by hand from those rules, and checked against the real
loader on the original; then ``import`` → ``render`` must give compose the same string.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from engines import compose_config
from helpers import run_stackgen
from stackgen.compose.values import go_float_text, scalar_text
from stackgen.yamlio.loader import load_text
from stackgen.yamlio.resolve import resolve_plain_go

#: plain text as written → the string compose passes to the container (by hand: yaml.v3's
#: resolve.go, then Go's fmt for the number)
FORMS: dict[str, str] = {
    "022": "18",  # leading 0: octal, as YAML 1.1 (yaml.v3 keeps it)
    "0o17": "15",  # YAML 1.2 octal
    "1:30": "1:30",  # no sexagesimal in yaml.v3: text
    "yes": "yes",  # no YAML 1.1 boolean: text
    "off": "off",
    "1e3": "1000",  # a float; Go prints 1000
    "1e6": "1e+06",  # Go's %v: exponent form from 1e+06 on
    "0.000001": "1e-06",
    "123456.7": "123456.7",
    "0b101": "5",
    "1_000": "1000",  # underscores removed before parsing
    "0x1F": "31",
    "-012": "-10",
    "+12": "12",
    "08": "8",  # not octal: read as the float 8
    "1.50": "1.5",
    "True": "true",
    "18446744073709551616": "1.8446744073709552e+19",  # past uint64: a float
    "12:30:00": "12:30:00",
}

_NAMES = {text: f"V{i}" for i, text in enumerate(FORMS)}


def _compose_text() -> str:
    env = "".join(f"      {_NAMES[t]}: {t}\n" for t in FORMS)
    labels = "".join(f"      l{_NAMES[t]}: {t}\n" for t in FORMS)
    return (
        "services:\n  web:\n    image: nginx:1.27\n    environment:\n"
        + env
        + "    labels:\n"
        + labels
    )


def test_the_go_reading_of_each_form_gives_the_string_compose_passes() -> None:
    # the library's own reading (no binary): resolve as yaml.v3, print as Go
    for text, expected in FORMS.items():
        assert scalar_text(resolve_plain_go(text)) == expected, text


def test_go_float_text_prints_as_go() -> None:
    assert [go_float_text(v) for v in (1e21, 1e-5, 0.0001, -0.0, 2.5e300, 100.0)] == [
        "1e+21",
        "1e-05",
        "0.0001",
        "-0",
        "2.5e+300",
        "100",
    ]
    assert (go_float_text(math.inf), go_float_text(-math.inf), go_float_text(math.nan)) == (
        "+Inf",
        "-Inf",
        "NaN",
    )


def test_compose_files_and_profiles_read_plain_numbers_their_own_way() -> None:
    text = "a: 022\nb: 1_000\nc: 0o17\nd: yes\n"
    assert load_text(text, "c.yml", compose=True).data == {"a": 18, "b": 1000, "c": 15, "d": "yes"}
    # a profile is read by YAML 1.2 core (README "Values"): 022 is 22, 1_000 text
    assert load_text(text, "p.yml").data == {"a": 22, "b": "1_000", "c": 15, "d": "yes"}


def test_import_then_render_gives_compose_the_same_strings(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(_compose_text(), encoding="utf-8")
    original = compose_config(cwd=tmp_path)
    assert original.clean, original.stderr
    assert original.config is not None
    web = original.config["services"]["web"]
    # the real loader agrees with the hand-worked strings
    assert web["environment"] == {_NAMES[t]: s for t, s in FORMS.items()}
    assert web["labels"] == {"l" + _NAMES[t]: s for t, s in FORMS.items()}

    done = run_stackgen("import", "compose.yml", "-o", "p.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '      V0: "18"\n' in (tmp_path / "p.yml").read_text(encoding="utf-8")
    done = run_stackgen("render", "p.yml", "-o", "out/compose.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rendered = compose_config(cwd=tmp_path / "out")
    assert rendered.clean, rendered.stderr
    assert rendered.config is not None
    out = rendered.config["services"]["web"]
    assert out["environment"] == web["environment"]
    assert out["labels"] == web["labels"]


@pytest.mark.parametrize("left_first", [True, False])
def test_diff_reads_a_compose_left_as_compose_does(tmp_path: Path, left_first: bool) -> None:
    """diff parses LEFT once to tell a profile from a compose file (YAML 1.2 core); a compose
    LEFT whose numbers compose reads otherwise is read again the compose way."""
    (tmp_path / "a.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    environment: {UMASK: 022}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yml").write_text(
        'services:\n  web:\n    image: nginx:1.27\n    environment: {UMASK: "18"}\n',
        encoding="utf-8",
    )
    files = ["a.yml", "b.yml"] if left_first else ["b.yml", "a.yml"]
    done = run_stackgen("diff", *files, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr  # 022 is "18" to compose: no drift


#: plain text → whether Go yaml.v3 reads it as a timestamp (by hand: its layouts
#: 2006-1-2, 2006-1-2T15:4:5.999999999Z07:00 (t too), 2006-1-2 15:4:5.999999999, read by
#: Go's time.Parse, which checks the day against the month), which compose then refuses
TIMESTAMPS: dict[str, bool] = {
    "2024-01-01": True,
    "2024-1-2": True,
    "2024-02-29": True,  # a leap year
    "2023-02-29": False,  # no such day: text
    "2024-13-01": False,
    "2024-01-01T10:00:00Z": True,
    "2024-1-2t1:2:3.5+01:00": True,
    "2024-01-01 10:00:00": True,
    "2024-01-01 10:00:00 +01:00": False,  # no layout has a zone after a space
    "2024-01-01T10:00:00": False,  # T form needs a zone
    "2024-01-01T24:00:00Z": False,
    "12024-01-01": False,
}


@pytest.mark.parametrize("text", list(TIMESTAMPS))
def test_a_plain_timestamp_is_refused_where_compose_refuses_it(text: str, tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        f"x-when: {text}\nservices:\n  web:\n    image: nginx:1.27\n    x-at: {text}\n"
        f"    labels:\n      at: {text}\n",
        encoding="utf-8",
    )
    original = compose_config(cwd=tmp_path)
    assert (original.returncode != 0) == TIMESTAMPS[text], original.stderr  # the hand verdict
    done = run_stackgen("import", "compose.yml", "-o", "p.yml", cwd=tmp_path)
    if TIMESTAMPS[text]:
        # refused at the label only (x- keys are free), with the fix
        assert (done.returncode, done.stderr.splitlines()) == (
            2,
            [
                f"compose.yml:7:7: services.web.labels.at: {text} unquoted is a timestamp to "
                "docker compose (Go yaml.v3), which it refuses here (invalid jsonType "
                f'time.Time); quote it: "{text}"'
            ],
        )
        return
    assert done.returncode == 0, done.stderr
    assert run_stackgen("render", "p.yml", "-o", "out/compose.yml", cwd=tmp_path).returncode == 0
    rendered = compose_config(cwd=tmp_path / "out")
    assert rendered.config is not None and original.config is not None
    assert rendered.config["services"]["web"]["labels"] == {"at": text}
    assert original.config["services"]["web"]["labels"] == {"at": text}
