"""render.verify: the parse-back proof catches text that YAML 1.1 or 1.2 reads differently.

The YAML 1.1 side is checked per plain scalar (values and keys) and only falls back to a full
YAML 1.1 read to name the path; these tests pin that both routes still reject what a full
read would reject, and accept what it accepts.
"""

from __future__ import annotations

import pytest

from stackgen.errors import InternalError
from stackgen.targets.compose.render import verify


@pytest.mark.parametrize(
    ("text", "expected", "where"),
    [
        # YAML 1.1 bool words, 1.1 octal, base-60 and dates are strings/ints under 1.2 only
        ("a: yes\n", {"a": "yes"}, "YAML 1.1 at a ("),
        ("a:\n  b: [x, off]\n", {"a": {"b": ["x", "off"]}}, "YAML 1.1 at a.b[1] ("),
        ("mode: 0644\n", {"mode": 644}, "YAML 1.1 at mode (420 where the stack has 644)"),
        ("t: 22:22\n", {"t": "22:22"}, "YAML 1.1 at t (1342 where the stack has '22:22')"),
        ("d: 2024-01-02\n", {"d": "2024-01-02"}, "YAML 1.1 at d ("),
        # a plain key YAML 1.1 reads as a number: the mapping's keys differ
        ("8082: x\n", {"8082": "x"}, "YAML 1.1 at (root)"),
        # and YAML 1.2 differences are still found first
        ("a: 1\n", {"a": "1"}, "YAML 1.2 at a (1 where the stack has '1')"),
    ],
)
def test_text_read_differently_is_rejected(text: str, expected: dict, where: str) -> None:
    with pytest.raises(InternalError, match="reads back differently under ") as info:
        verify(text, expected)
    assert where in str(info.value)


def test_text_read_alike_passes() -> None:
    text = (
        'name: "yes"\nservices:\n  web:\n    image: nginx:1.27\n    restart: "no"\n'
        '    environment:\n      PORT: "8080"\n      RATIO: "1e3"\n      PLAIN: hello world\n'
    )
    expected = {
        "name": "yes",
        "services": {
            "web": {
                "image": "nginx:1.27",
                "restart": "no",
                "environment": {"PORT": "8080", "RATIO": "1e3", "PLAIN": "hello world"},
            }
        },
    }
    verify(text, expected)  # raises on any difference or schema error
