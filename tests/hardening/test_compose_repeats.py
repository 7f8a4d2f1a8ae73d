"""A repeated list entry: stackgen says what docker compose does with it, field by field.

Docker Compose v2 refuses a repeat in some service lists (``depends_on: [a, a]``: "items at 0
and 1 are equal") and accepts it in others (``environment: [A=1, A=1]`` is read once). The
verdict of each field comes from the real binary in the test itself; ``check`` must report an
error exactly where compose refuses, and the diff's warning must end with the note that
matches (:data:`~stackgen.compose.validate.AS_WRITTEN_NOTE` or ``REPEAT_ACCEPTED_NOTE``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import compose_config
from stackgen.api import check, diff
from stackgen.compose.validate import AS_WRITTEN_NOTE, REPEAT_ACCEPTED_NOTE, rejected

#: a repeat in each service list field (a bare mapping form would not repeat)
REPEATS = {
    "depends_on": "[a, a]",
    "device_cgroup_rules": "['c 1:3 mr', 'c 1:3 mr']",
    "external_links": "[a, a]",
    "group_add": "[g, g]",
    "networks": "[n, n]",
    "security_opt": "[s, s]",
    "volumes_from": "[a, a]",
    "extra_hosts": "['h:10.0.0.1', 'h:10.0.0.1']",
    "environment": "[A=1, A=1]",
    "ports": "['80:80', '80:80']",
    "dns": "[10.0.0.2, 10.0.0.2]",
    "cap_add": "[NET_ADMIN, NET_ADMIN]",
    "expose": "['80', '80']",
    "labels": "[a=1, a=1]",
    "profiles": "[p, p]",
    "volumes": "['./x:/x', './x:/x']",
    "env_file": "[e.env, e.env]",
    "secrets": "[s, s]",
    "configs": "[c, c]",
    "links": "[a, a]",
    "tmpfs": "[/t, /t]",
    "devices": "['/dev/a:/dev/a', '/dev/a:/dev/a']",
}


def _compose(field: str) -> str:
    return (
        f"services:\n  web:\n    image: x:1\n    {field}: {REPEATS[field]}\n  a: {{image: x:1}}\n"
        "networks: {n: {}}\nsecrets: {s: {file: ./s}}\nconfigs: {c: {file: ./c}}\n"
    )


@pytest.mark.parametrize("field", sorted(REPEATS))
def test_check_and_diff_say_what_compose_does_with_a_repeat(tmp_path: Path, field: str) -> None:
    for name in ("e.env", "s", "c"):
        (tmp_path / name).write_text("")
    path = tmp_path / "compose.yml"
    path.write_text(_compose(field), encoding="utf-8")
    verdict = compose_config(path, cwd=tmp_path, quiet=True)
    assert verdict.returncode in (0, 1), verdict.stderr
    refuses = verdict.returncode == 1

    errors = [
        (f.rule, f.path, f.line)
        for f in check([path], input_type="compose").findings
        if f.severity == "error"
    ]
    assert errors == ([("compose-refuses", f"services.web.{field}", 4)] if refuses else [])

    # the same file on both sides: one warning per side, both at the repeat, where the
    # compose-spec schema forbids repeats (it allows them in configs, secrets, devices …)
    warnings = diff([path], [path]).warnings
    assert [w.path for w in warnings] in ([f"services.web.{field}"] * 2, [])
    if refuses:
        assert warnings
        assert all(w.message.endswith(AS_WRITTEN_NOTE) for w in warnings)
    else:
        assert all(w.message.endswith(REPEAT_ACCEPTED_NOTE) for w in warnings)


def _one_each(field: str) -> str:
    """The first entry of REPEATS[field], as a one-entry list."""
    return "[" + REPEATS[field][1:-1].split(", ")[0] + "]"


@pytest.mark.parametrize("field", sorted(REPEATS))
def test_a_repeat_made_by_merging_is_refused_where_compose_refuses_it(
    tmp_path: Path, field: str
) -> None:
    # each file lists the entry once; compose appends some lists and then refuses the repeat
    # (found by a new-user trial: security_opt in two -f files passed the diff silently)
    for name in ("e.env", "s", "c"):
        (tmp_path / name).write_text("")
    entry = _one_each(field)
    base = tmp_path / "compose.yml"
    base.write_text(_compose(field).replace(REPEATS[field], entry), encoding="utf-8")
    over = tmp_path / "override.yml"
    over.write_text(f"services:\n  web:\n    {field}:\n      - {entry[1:-1]}\n", encoding="utf-8")
    verdict = compose_config(base, over, cwd=tmp_path, quiet=True)
    assert verdict.returncode in (0, 1), verdict.stderr
    refuses = verdict.returncode == 1
    assert not refuses or "are equal" in verdict.stderr

    warnings = diff([base, over], [base]).warnings
    refused = [(w.file, w.line, w.col, w.path) for w in warnings if rejected(w)]
    assert refused == ([(str(over), 4, 9, f"services.web.{field}")] if refuses else [])

    # extends merges the same way: check refuses the file at the extending service's entry
    ext = tmp_path / "ext.yml"
    extending = f"  ext:\n    extends: web\n    {field}:\n      - {entry[1:-1]}\n"
    ext.write_text(
        _compose(field)
        .replace(REPEATS[field], entry)
        .replace("\nnetworks:", "\n" + extending + "networks:"),
        encoding="utf-8",
    )
    ext_verdict = compose_config(ext, cwd=tmp_path, quiet=True)
    assert ext_verdict.returncode == verdict.returncode, ext_verdict.stderr
    errors = [
        (f.rule, f.path, f.line)
        for f in check([ext], input_type="compose").findings
        if f.severity == "error"
    ]
    assert errors == ([("compose-refuses", f"services.ext.{field}", 9)] if refuses else [])
