"""Issue 15 point 2: limits bound the work, not only the count. Each reproducer of the issue
runs in a child process held to 2 GiB of address space and 10 s of CPU by ``setrlimit``
(a resource bound, not a timed assertion: the child is killed past it, and the test then
fails on its exit status); the slow set runs them (``-m slow``). A counting test shows that
redaction looks at each position of a text once, however many secrets there are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import REPO, run_stackgen_bounded
from stackgen.output.masking import MASK, MIN_MASKED, KnownValues
from stackgen.yamlio.limits import MAX_ALIAS_BYTES


def _profile(tmp_path: Path, service_lines: str, head: str = "") -> None:
    (tmp_path / "p.yml").write_text(
        f"name: p\n{head}services:\n  web:\n    image: nginx:1.27\n{service_lines}",
        encoding="utf-8",
    )


@pytest.mark.skipif(os.name != "posix", reason="setrlimit is POSIX")
def test_aliasing_a_long_string_many_times_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    # the reproducer: a 1 MB profile aliasing a 1 MiB string 2,000 times (2 GB out)
    lines = "".join(f"    x-{i}: *big\n" for i in range(2000))
    _profile(tmp_path, lines, head='x-big: &big "' + "a" * 2**20 + '"\n')
    done = run_stackgen_bounded("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stdout == ""
    # the copy that passes MAX_ALIAS_BYTES of text is refused; the mark is the aliased value's
    mib = MAX_ALIAS_BYTES // 2**20
    assert done.stderr == (
        f"p.yml:2:8: services.web.x-{mib}: aliases expand to more than {mib} MiB of text; "
        "write the values out or use fewer aliases of long values\n"
    )


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="setrlimit is POSIX")
@pytest.mark.parametrize(
    ("lines", "fragment"),
    [
        ('    healthcheck: {test: ["CMD", "true"], interval: "' + "1" * 40_000 + 's"}\n',
         "not a duration: 40001 characters, more than 64"),
        ('    mem_limit: "' + "1" * 80_000 + ' g"\n', "not a size: 80002 characters, more than 64"),
        ('    ports: ["' + "1" * 80_000 + ':80"]\n', "is not a port mapping"),
    ],
)  # fmt: skip
def test_long_scalars_are_refused_within_the_bounds(
    tmp_path: Path, lines: str, fragment: str
) -> None:
    _profile(tmp_path, lines)
    done = run_stackgen_bounded("render", "p.yml", "-o", "-", cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-300:]
    assert fragment in done.stderr


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="setrlimit is POSIX")
def test_many_secrets_and_long_lines_are_masked_within_the_bounds(tmp_path: Path) -> None:
    # 5,000 secret values, and a long `KEY: value` line of spaces (the masking regexes'
    # quadratic case), then an error message that must be redacted with all of them
    env = "".join(f"SECRET_{i}=value-{i:05d}-{'x' * 20}\n" for i in range(5000))
    env += "API_KEY: a" + " " * 200_000 + "b\n"
    (tmp_path / "secrets.env").write_text(env, encoding="utf-8")
    _profile(tmp_path, '    ports: ["bad"]\n')
    done = run_stackgen_bounded("render", "p.yml", "-o", "-", "--set", "x=1", cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-300:]
    done = run_stackgen_bounded("diff", "p.yml", "p.yml", "--env-file", "secrets.env", cwd=tmp_path)
    assert done.returncode in (0, 1, 2), done.stderr[-300:]


def test_redaction_looks_at_each_position_once_whatever_the_number_of_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "x" * 10_000 + " a message with no secret in it, value-"
    counts = []
    # distinct prefixes: few are searched for (a regex jumps to them), many looked up at
    # each position; shared ones (the second pair) always searched for
    for values in (
        [f"{i:05d}-secret" for i in range(5)],
        [f"{i:05d}-secret" for i in range(5000)],
        [f"value-{i:05d}-secret" for i in range(5)],
        [f"value-{i:05d}-secret" for i in range(5000)],
    ):
        known = KnownValues(values)
        calls = 0
        original = known._match

        def counting(text: str, pos: int, original: object = original) -> str | None:
            nonlocal calls
            calls += 1
            return original(text, pos)  # type: ignore[operator]

        monkeypatch.setattr(known, "_match", counting)
        assert known.redact(text) == text
        counts.append(calls)
    # at most one look-up per position (len - MIN_MASKED + 1), for 5 secrets as for 5,000:
    # none where no value's prefix stands, one per position when there are too many
    # prefixes to search for, one at the only "valu" of the text
    assert counts == [0, len(text) - 3, 1, 1]


def test_the_readme_documents_each_limit() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for fragment in ("MiB of text built by", "more than 4,300 digits", "more than 32 files",
                     "at most 32 MiB", "at most 64\ncharacters", "never waited on"):  # fmt: skip
        assert fragment in readme, fragment


def _as_value(text: str, pos: int, value: str) -> bool:
    # a part of a name is joined to another part by one of -_./ (letters and digits on
    # both sides of the joint): there the value is no value (test_masking_names)
    before, after = text[max(pos - 2, 0) : pos], text[pos + len(value) : pos + len(value) + 2]
    joined_before = len(before) == 2 and before[1] in "-_./" and before[0].isalnum()
    joined_after = len(after) == 2 and after[0] in "-_./" and after[1].isalnum()
    return not (joined_before and value[0].isalnum()) and not (joined_after and value[-1].isalnum())


def _naive_redact(text: str, values: list[str]) -> str:
    # the rule, spelled out: left to right, at each position the longest value starting
    # there as a value (of at least MIN_MASKED characters) becomes MASK
    usable = sorted({v for v in values if len(v) >= MIN_MASKED}, key=len, reverse=True)
    out, pos = [], 0
    while pos < len(text):
        hit = next((v for v in usable if text.startswith(v, pos) and _as_value(text, pos, v)), None)
        if hit is None:
            out.append(text[pos])
            pos += 1
        else:
            out.append(MASK)
            pos += len(hit)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("ab-", min_size=3, max_size=7), max_size=6),
    st.text("ab-x", max_size=60),
    st.booleans(),
)
def test_redaction_finds_what_a_naive_scan_finds(values: list[str], text: str, many: bool) -> None:
    # many: enough other values (prefixes no text holds) that positions are looked up one
    # by one instead of searched for; the result must not depend on which
    extra = [f"{i:04d}zzzz" for i in range(40)] if many else []
    known = KnownValues([*values, *extra])
    assert known.redact(text) == _naive_redact(text, values)
    assert known.contains(text) == (MASK in _naive_redact(text, values))
    assert known.occurring(text) == {
        v
        for v in values
        if len(v) >= MIN_MASKED
        and any(text.startswith(v, p) and _as_value(text, p, v) for p in range(len(text)))
    }
