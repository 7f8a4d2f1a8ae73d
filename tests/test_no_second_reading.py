"""Each input is read and parsed once per command (issue 19, "no second reading").

The CLI masks the secret values of its inputs in every message; it takes them from the parse
the command made anyway (:func:`stackgen.output.masking.watch_inputs`), so a warning does not make
it read and parse every input again. Counted in-process: the subject is the number of reads,
not their time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stackgen.cli import main
from stackgen.output import inputs, masking
from stackgen.yamlio import loader

#: a profile that warns with a message masking must read (a probe on localhost kept as
#: written: policies.probes is off) and holds a secret value, in a base it extends
BASE = "services:\n  app:\n    environment: {DB_PASSWORD: hunter2-base}\n"
TOP = (
    "extends: base.yml\n"
    "name: t\n"
    "policies: {probes: false}\n"
    "services:\n"
    "  app:\n"
    "    image: registry.example.test/x:1\n"
    '    healthcheck: {test: ["CMD", "curl", "-f", "http://localhost/"]}\n'
    "    environment: {API_TOKEN: tok-top-value}\n"
)


def _run(monkeypatch: pytest.MonkeyPatch, cwd: Path, *args: str) -> int:
    monkeypatch.chdir(cwd)
    monkeypatch.setattr("sys.argv", ["stackgen", *args])
    with pytest.raises(SystemExit) as done:
        main()
    return int(done.value.code or 0)


def test_a_warning_masks_from_the_parse_already_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "base.yml").write_text(BASE)
    (tmp_path / "top.yml").write_text(TOP)
    parsed: list[str] = []
    real_load_text = loader.load_text

    def counting_load_text(text: str, file: str, **kw: object) -> loader.Document:
        parsed.append(file)
        return real_load_text(text, file, **kw)  # type: ignore[arg-type]

    scanned: list[str] = []
    monkeypatch.setattr(loader, "load_text", counting_load_text)
    monkeypatch.setattr(
        inputs, "_scan_text", lambda text, file, names, sensitive: scanned.append(file) or set()
    )
    assert _run(monkeypatch, tmp_path, "render", "top.yml", "-o", "-") == 0
    err = capsys.readouterr().err
    assert "probe uses localhost" in err
    # each file parsed once (by the render), none scanned again by the masking
    assert sorted(p for p in parsed if p.endswith(("top.yml", "base.yml"))) == [
        "base.yml",
        "top.yml",
    ]
    assert scanned == []
    # and the values noted from that parse are the ones a fresh scan finds
    assert masking.input_secrets(["render", "top.yml", "-o", "-"]) == {
        "hunter2-base",
        "tok-top-value",
    }


def test_inputs_not_parsed_by_the_command_are_still_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a file too broken to parse: the command fails before noting it; the masking reads it
    (tmp_path / "bad.yml").write_text('name: t\nservices: [\nDB_PASSWORD: "hunter2-broken"\n')
    assert _run(monkeypatch, tmp_path, "render", "bad.yml", "-o", "-") == 2
    capsys.readouterr()
    assert masking.input_secrets(["render", "bad.yml"]) == {"hunter2-broken"}


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real_load_text = loader.load_text

    def counting_load_text(text: str, file: str, **kw: object) -> loader.Document:
        parsed.append(Path(file).name)
        return real_load_text(text, file, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_text", counting_load_text)
    return parsed


#: a compose file without stackgen's header that is not a valid profile (no ``name``): diff
#: must try it as a profile before reading it as compose
PLAIN = "services:\n  web:\n    image: nginx:1.27\n    environment: {PORT: 8080}\n"


def test_diff_parses_a_headerless_left_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "compose.yml").write_text(PLAIN)
    (tmp_path / "edited.yml").write_text(PLAIN.replace("8080", "9090"))
    parsed = _count_parses(monkeypatch)
    assert _run(monkeypatch, tmp_path, "diff", "compose.yml", "edited.yml") == 1
    assert "PORT" in capsys.readouterr().out
    # detection parsed LEFT; the profile check and the compose reading used that parse
    assert sorted(p for p in parsed if p.endswith(".yml")) == ["compose.yml", "edited.yml"]


def test_diff_parses_a_profile_left_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shop.yml").write_text(
        "name: shop\nservices:\n  web:\n    kind: app\n    image: nginx:1.27\n"
    )
    (tmp_path / "compose.yml").write_text("services:\n  web:\n    image: nginx:1.27\n")
    parsed = _count_parses(monkeypatch)
    _run(monkeypatch, tmp_path, "diff", "shop.yml", "compose.yml")
    capsys.readouterr()
    assert parsed.count("shop.yml") == 1


def test_trying_a_file_as_a_profile_leaves_its_parse_unchanged(tmp_path: Path) -> None:
    from stackgen.profile.load import load_profile

    path = tmp_path / "p.yml"
    path.write_text("name: p\nservices:\n  web:\n    image: nginx\n    environment: {PORT: 8080}\n")
    doc = loader.load_file(path)
    loaded = load_profile(path, parsed=doc)
    # the profile keeps the text as written; the parse the caller holds still has the number
    assert loaded.source.data["services"]["web"]["environment"] == {"PORT": "8080"}
    assert doc.data["services"]["web"]["environment"] == {"PORT": 8080}


def test_noted_values_include_key_value_lines_of_scripts(tmp_path: Path) -> None:
    # a block scalar's `KEY=value` lines are what a reader of the file sees as a secret; the
    # parse holds them inside one string, which the noting scans line by line
    path = tmp_path / "p.yml"
    path.write_text(
        "name: p\nservices:\n  job:\n    command:\n      - sh\n      - -c\n      - |\n"
        "        export API_TOKEN=tok-in-script\n        DB_PASSWORD=pw-in-script run\n"
    )
    masking.watch_inputs()
    try:
        loader.load_file(path, "p.yml")
        # the item reads as one `KEY=value` entry (API_TOKEN's value runs to its end), and
        # its second line as another, as a fresh scan of the file finds them
        # the shell reads each assignment's value to the end of its word: those are
        # credentials by form (stackgen.output.credentials)
        assert masking.input_secrets(["check", str(path)]) == {
            "tok-in-script\nDB_PASSWORD=pw-in-script run\n",
            "pw-in-script run",
            "tok-in-script",
            "pw-in-script",
        }
    finally:
        loader.FILE_PARSED.clear()


@pytest.fixture
def walked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """The inputs the secret walks (secret_values, credential_values) were asked to walk;
    the noted parses are forgotten afterwards, whatever the test did."""
    seen: list[object] = []
    monkeypatch.setattr(inputs, "secret_values", lambda *a, **k: seen.append(a) or set())
    monkeypatch.setattr(inputs, "credential_values", lambda *a, **k: seen.append(a) or set())
    try:
        yield seen
    finally:
        loader.FILE_PARSED.clear()


def test_a_command_that_prints_no_message_walks_no_input_for_secrets(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    walked: list[object],
) -> None:
    (tmp_path / "compose.yml").write_text(PLAIN)
    (tmp_path / "edited.yml").write_text(PLAIN.replace("8080", "9090"))
    assert _run(monkeypatch, tmp_path, "diff", "compose.yml", "edited.yml") == 1
    assert capsys.readouterr().err == ""
    # the parses were noted, their secret values left until a message needs them
    assert walked == []


def test_a_warning_in_stackgens_own_words_walks_no_input_for_secrets(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    walked: list[object],
) -> None:
    # valid as a profile and as a compose file, not named like a compose file: diffed as a
    # profile with a warning that quotes nothing of the input (so there is nothing to mask)
    both = "name: t\n" + PLAIN.replace("8080", "hunter2-pw").replace("PORT", "DB_PASSWORD")
    (tmp_path / "stack.yml").write_text(both)
    (tmp_path / "edited.yml").write_text(both.replace("nginx:1.27", "nginx:1.28"))
    assert _run(monkeypatch, tmp_path, "diff", "stack.yml", "edited.yml") == 1
    err = capsys.readouterr().err
    assert err == (
        "stack.yml:1:1: reads as both a stackgen profile and a compose file; diffing it as "
        "a profile (its name is not a compose file name); use --left-type compose to change "
        "that "
        "(warning)\n"
    )
    assert walked == []


def test_warnings_that_quote_only_names_walk_no_input_for_secrets(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    walked: list[object],
) -> None:
    # depends-on-started quotes service names only (keys, which masking never touches,
    # docs/diff.md): the input is not walked for secret values to print it
    (tmp_path / "p.yml").write_text(
        "name: t\n"
        "services:\n"
        "  api:\n"
        "    image: postgres:16\n"
        "    environment: {POSTGRES_PASSWORD: hunter2-pw}\n"
        "  web:\n"
        "    image: registry.example.test/web:1\n"
        "    depends_on: {api: {condition: service_started}}\n"
    )
    assert _run(monkeypatch, tmp_path, "render", "p.yml", "-o", "-") == 0
    err = capsys.readouterr().err
    assert err == (
        "p.yml:8:18: services.web.depends_on.api: web waits only for api to start (condition: "
        "service_started), but api has a healthcheck: web may start before api is ready "
        "(depends-on-started) (warning)\n"
    )
    assert walked == []


def test_a_names_only_warning_still_shows_a_name_equal_to_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the service `db` whose password is `db`: the name stands as written (it did before
    # the warning stopped being masked: masking never touches names)
    (tmp_path / "p.yml").write_text(
        "name: t\n"
        "services:\n"
        "  db:\n"
        "    image: postgres:16\n"
        "    environment: {POSTGRES_PASSWORD: db}\n"
        "  web:\n"
        "    image: registry.example.test/web:1\n"
        "    depends_on: {db: {condition: service_started}}\n"
    )
    assert _run(monkeypatch, tmp_path, "render", "p.yml", "-o", "-") == 0
    assert "web waits only for db to start" in capsys.readouterr().err
