"""Issue 15, "Crashes (exit 3) on ordinary input": each reproducer of the issue now renders
(exit 0) or is refused at its key (exit 2) with a message naming what is accepted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from helpers import run_stackgen
from stackgen.yamlio.limits import MAX_EXTENDS


def _profile(tmp_path: Path, body: str, name: str = "p") -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(f"name: {name}\nservices:\n{body}", encoding="utf-8")
    return path


def _render(path: Path, *extra: str) -> tuple[int, str, str]:
    done = run_stackgen("render", path.name, "-o", "-", *extra, cwd=path.parent)
    return done.returncode, done.stdout, done.stderr


def test_an_iso_timestamp_label_is_quoted_and_reads_back_as_text(tmp_path: Path) -> None:
    path = _profile(
        tmp_path,
        "  web:\n    image: nginx:1.27\n"
        '    labels: {org.opencontainers.image.created: "2024-01-01T00:00:00Z"}\n',
    )
    code, out, err = _render(path)
    assert (code, err) == (0, "")
    assert '      org.opencontainers.image.created: "2024-01-01T00:00:00Z"\n' in out
    # YAML 1.1 (PyYAML) reads the file back as the text, not a datetime
    labels = yaml.safe_load(out)["services"]["web"]["labels"]
    assert labels == {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"}


def test_a_long_syntax_port_on_a_catalog_service_renders(tmp_path: Path) -> None:
    path = _profile(
        tmp_path,
        '  db:\n    image: postgres:16\n    ports: [{target: 5432, published: "5432"}]\n',
    )
    code, out, err = _render(path)
    assert code == 0, err
    ports = yaml.safe_load(out)["services"]["db"]["ports"]
    assert ports == [{"target": 5432, "published": "5432"}]


def test_a_long_syntax_port_is_held_to_the_short_syntax_rules(tmp_path: Path) -> None:
    path = _profile(
        tmp_path,
        '  db:\n    image: postgres:16\n    ports: [{target: 5432, published: "٥٤٣٢"}]\n',
    )
    code, _, err = _render(path)
    assert code == 2
    assert err == (
        "p.yml:5:13: services.db.ports[0]: published: '٥٤٣٢' is not a port or range in ASCII "
        "digits (e.g. 8080 or 8000-8010, or a braced ${VAR})\n"
    )


def test_an_integer_past_4300_digits_is_refused_at_its_key(tmp_path: Path) -> None:
    path = _profile(tmp_path, "  web:\n    image: nginx:1.27\n    x-big: " + "9" * 5000 + "\n")
    code, _, err = _render(path)
    assert code == 2
    assert err == (
        "p.yml:5:12: services.web.x-big: an integer of 5000 digits is larger than the 4300 "
        "digits stackgen reads; quote it if it is text\n"
    )


def test_odd_floats_render_as_yaml_floats_both_versions_read(tmp_path: Path) -> None:
    path = _profile(
        tmp_path,
        "  web:\n    image: nginx:1.27\n    cpus: 0.00001\n"
        "    x-a: 1e16\n    x-b: .inf\n    x-c: -.inf\n    x-d: .nan\n",
    )
    code, out, err = _render(path)
    assert code == 0, err
    # 1e+16 without a dot is a string to YAML 1.1: the mantissa gets one
    assert (
        "    cpus: 1.0e-05\n    x-a: 1.0e+16\n    x-b: .inf\n    x-c: -.inf\n    x-d: .nan\n" in out
    )
    web = yaml.safe_load(out)["services"]["web"]
    assert (web["cpus"], web["x-a"], web["x-b"], web["x-c"]) == (
        1e-05,
        1e16,
        float("inf"),
        -float("inf"),
    )
    assert web["x-d"] != web["x-d"]  # NaN


def test_a_domain_target_with_a_superscript_digit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        'name: p\ndomains:\n  example.com: "web:²"\nservices:\n  web:\n    image: nginx:1.27\n',
        encoding="utf-8",
    )
    code, _, err = _render(path)
    assert (code, err) == (2, "p.yml:3:3: domains.example.com: must be service:port, got 'web:²'\n")


def test_a_nul_byte_in_an_extends_path_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text('name: p\nextends: "a\\0b.yml"\nservices: {}\n', encoding="utf-8")
    code, _, err = _render(path)
    assert (code, err) == (2, "p.yml:2:1: extends: the path holds a NUL character\n")


def test_a_nul_byte_in_a_compose_extends_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_text(
        'services:\n  web:\n    extends: {file: "a\\0b", service: a}\n', encoding="utf-8"
    )
    done = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "compose.yml:3:5: services.web.extends.file: must be a file path (text without NUL "
        "characters)\n"
    )


def test_a_file_name_over_255_bytes_is_refused_as_input_and_as_output(tmp_path: Path) -> None:
    long = "a" * 300 + ".yml"
    code, _, err = _render(tmp_path / long)
    assert (code, err) == (2, f"{long}: cannot read file: File name too long\n")
    path = _profile(tmp_path, "  web:\n    image: nginx:1.27\n")
    done = run_stackgen("render", "p.yml", "-o", long, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, f"{long}: cannot write: File name too long\n")
    assert path.exists() and not (tmp_path / "out").exists()


def _profile_chain(tmp_path: Path, length: int) -> Path:
    for i in range(length):
        body = (
            f"extends: c{i + 1}.yml\n"
            if i < length - 1
            else "services:\n  web: {image: nginx:1.27}\n"
        )
        (tmp_path / f"c{i}.yml").write_text(f"name: c\n{body}", encoding="utf-8")
    return tmp_path / "c0.yml"


def test_an_extends_chain_of_the_cap_renders_and_a_longer_one_is_refused(tmp_path: Path) -> None:
    # MAX_EXTENDS bases under the profile: MAX_EXTENDS + 1 files
    code, out, err = _render(_profile_chain(tmp_path, MAX_EXTENDS + 1))
    assert code == 0, err
    assert "image: nginx:1.27" in out
    for name in tmp_path.glob("c*.yml"):
        name.unlink()
    code, _, err = _render(_profile_chain(tmp_path, 1000))
    assert (code, err) == (
        2,
        f"c{MAX_EXTENDS}.yml:2:1: extends: extends chain longer than {MAX_EXTENDS} profiles; "
        "flatten some bases\n",
    )


def test_compose_extends_chains_are_bounded_in_one_file_and_across_files(tmp_path: Path) -> None:
    lines = ["services:"]
    lines += [f"  s{i}:\n    extends: s{i + 1}" for i in range(999)]
    lines += ["  s999:\n    image: nginx:1.27"]
    (tmp_path / "compose.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_stackgen("check", "compose.yml", cwd=tmp_path)
    assert done.returncode == 2
    # s0 → s1 → … : the service MAX_EXTENDS links down the chain is refused (line 3 + 2·32)
    assert done.stderr == (
        f"compose.yml:{3 + 2 * MAX_EXTENDS}:5: services.s{MAX_EXTENDS}.extends: extends chain "
        f"longer than {MAX_EXTENDS} services; flatten some of them\n"
    )
    for i in range(300):
        text = (
            f"services:\n  a:\n    extends: {{file: f{i + 1}.yml, service: a}}\n"
            if i < 299
            else "services:\n  a:\n    image: nginx:1.27\n"
        )
        (tmp_path / f"f{i}.yml").write_text(text, encoding="utf-8")
    for command in ("check", "graph", "import"):
        args = ["-o", "imported.yml"] if command == "import" else []
        done = run_stackgen(command, "f0.yml", *args, cwd=tmp_path)
        assert done.returncode == 2, (command, done.stderr)
        assert "extends chain longer than 32 services" in done.stderr, command
        assert "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_as_input_never_read(tmp_path: Path) -> None:
    # opening a FIFO for reading blocks until a writer comes: were it opened, these would hang
    os.mkfifo(tmp_path / "pipe.yml")
    (tmp_path / "compose.yml").write_text(
        "services:\n  web:\n    extends: {file: pipe.yml, service: a}\n", encoding="utf-8"
    )
    message = (
        "pipe.yml: cannot read file: not a regular file (a pipe, device or socket is never read)\n"
    )
    for args in (
        ("render", "pipe.yml", "-o", "-"),
        ("check", "pipe.yml"),
        ("check", "compose.yml"),
        ("graph", "compose.yml"),
        ("diff", "compose.yml", "compose.yml"),
        ("import", "compose.yml", "-o", "x.yml"),
    ):
        done = run_stackgen(*args, cwd=tmp_path)
        assert (done.returncode, done.stderr) == (2, message), args


def test_a_directory_named_as_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.yml").mkdir()
    code, _, err = _render(tmp_path / "d.yml")
    assert (code, err) == (2, "d.yml: cannot read file: Is a directory\n")


def test_import_refuses_a_long_form_dependency_that_is_not_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        # the ${…} inside depends_on hides it from the schema check (its type is only known
        # after interpolation): the import itself must refuse the entry
        "services:\n  web:\n    image: nginx:1.27\n"
        '    depends_on: {db: 5, cache: {condition: "${COND}"}}\n'
        "  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n",
        encoding="utf-8",
    )
    done = run_stackgen("import", "compose.yml", "-o", "p.yml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "compose.yml:4:18: services.web.depends_on.db: must be a mapping such as "
        "{condition: service_healthy} (compose spec depends_on, long syntax), not '5'\n"
    )
    assert not (tmp_path / "p.yml").exists()
