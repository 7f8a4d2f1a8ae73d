"""Issue 15: 20,000 ``--set`` options once took 80 s and 7.3 GB (each copied the whole profile
and its marks, and scanned every mark to drop the replaced ones). They are applied in one
overlay now; these tests hold the values and positions the merge rule gives at that scale
(the time is bench's and test_limits_bound_work's business, not these tests')."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_stackgen
from stackgen import api
from stackgen.profile.load import load_profile
from stackgen.profile.overlay import overlay, overlay_all
from stackgen.yamlio.loader import load_text
from stackgen.yamlio.nodes import Mark

N = 20_000
HALF = N // 2


def _sets() -> list[str]:
    # each of K0..K9999 set twice (the later value wins), then K1 removed by null: 20,000
    sets = [f"services.web.environment.K{i % HALF}=v{i}" for i in range(N - 1)]
    return [*sets, "services.web.environment.K1=null"]


def _expected_env() -> dict[str, str]:
    # K_j was set by i = j and i = j + 10,000; the second exists for j < 9,999 only (i < 19,999)
    env = {f"K{j}": f"v{j + HALF}" for j in range(HALF - 1)}
    env[f"K{HALF - 1}"] = f"v{HALF - 1}"
    del env["K1"]
    return env


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "p.yml"
    path.write_text(
        "name: demo\nservices:\n  web:\n    image: nginx:1.27\n    environment: {BASE: kept}\n",
        encoding="utf-8",
    )
    return path


def test_twenty_thousand_sets_render_every_value(profile: Path) -> None:
    sets = _sets()
    assert len(sets) == N
    rendered = api.render_profile(profile, sets=sets)
    env = rendered.data["services"]["web"]["environment"]
    assert env == {"BASE": "kept", **_expected_env()}
    assert rendered.data["services"]["web"]["image"] == "nginx:1.27"


def test_twenty_thousand_sets_keep_their_own_positions(profile: Path) -> None:
    loaded = load_profile(profile, _sets())
    source = loaded.source
    env = ("services", "web", "environment")
    # K5 was last set by option #10,006 (i = 10,005); the key starts at column 26
    assert source.marks[(*env, "K5")] == Mark("<--set #10006>", 1, 26)
    assert source.marks[(*env, f"K{HALF - 1}")] == Mark(f"<--set #{HALF}>", 1, 26)
    # K1's value is gone; its key names the option that removed it
    assert source.marks[(*env, "K1")] == Mark(f"<--set #{N}>", 1, 26)
    # the mappings on the way keep the file's own positions
    assert source.marks[env] == Mark(str(profile), 5, 5)
    assert source.marks[(*env, "BASE")] == Mark(str(profile), 5, 19)


def test_all_at_once_equals_one_after_another() -> None:
    base = load_text("a: {b: 1, c: [1, 2], d: {e: x}}\nf: 2\n", "base")
    tops = [
        load_text(text, f"top{i}")
        for i, text in enumerate(
            [
                "a: {b: 2, d: {g: y}}\n",
                "a: {c: {k: v}}\n",  # a list replaced by a mapping
                "a: {d: !replace {h: z}}\n",  # a mapping replaced whole
                "a: {c: null}\nf: {$replace: [3]}\n",
                "n: {new: 1}\n",
                "n: {more: 2}\n",
            ]
        )
    ]
    one_by_one = base
    for top in tops:
        one_by_one = overlay(one_by_one, top, keep_merged_marks=True)
    at_once = overlay_all(base, tops, keep_merged_marks=True)
    assert (
        at_once.data
        == one_by_one.data
        == {
            "a": {"b": 2, "d": {"h": "z"}},
            "f": [3],
            "n": {"new": 1, "more": 2},
        }
    )
    assert at_once.marks == one_by_one.marks
    assert at_once.texts == one_by_one.texts
    # the replaced values' positions are gone, the base's mappings keep theirs
    assert ("a", "c", 0) not in at_once.marks
    assert ("a", "d", "e") not in at_once.marks
    assert at_once.marks[("a", "d", "h")] == Mark("top2", 1, 18)
    assert at_once.marks[("a",)] == Mark("base", 1, 1)
    # the inputs are not changed
    assert base.data == {"a": {"b": 1, "c": [1, 2], "d": {"e": "x"}}, "f": 2}
    assert ("a", "c", 1) in base.marks
    assert tops[4].data == {"n": {"new": 1}}


def test_many_messages_index_the_secrets_once(
    profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2,000 messages (one per --set on a missing service): the secret values of the command
    # line are indexed once for the command, not once per message: one index finds the
    # values that are names (never masked, redaction.unnamed), one masks the messages
    from stackgen.output import masking

    built = []
    original = masking.KnownValues.__init__

    def counting(self: masking.KnownValues, values: object) -> None:
        built.append(1)
        original(self, values)  # type: ignore[arg-type]

    monkeypatch.setattr(masking.KnownValues, "__init__", counting)
    args = [a for i in range(2000) for a in ("--set", f"services.nope.environment.K{i}=v{i}")]
    args += ["--set", "services.web.environment.API_KEY=hunter2-secret"]
    result = run_stackgen("render", profile.name, "-o", "-", *args, cwd=profile.parent)
    assert result.returncode == 2
    message = (
        "services.nope: no service 'nope' in the profile; "
        "--set changes existing services (add new ones in the profile or an extends overlay)"
    )
    lines = result.stderr.splitlines()
    assert sorted(lines) == sorted(f"<--set #{i + 1}>:1:10: {message}" for i in range(2000))
    assert built == [1, 1]
