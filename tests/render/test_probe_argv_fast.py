"""catalog.probes._shell_text_in_argv splits an argument into sh's words only when it holds
an operator character: the same items are flagged as when every argument is split."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stackgen.catalog.probes import (
    _INLINE_CODE_FLAGS,
    _OPERATOR_WORD,
    _SHELL_OPERATORS,
    _runs_shell_script,
    _shell_text_in_argv,
    shell_words,
)


def _every_argument_split(args: list[str]) -> list[str]:
    """The rule as written before the shortcut: each argument split into sh's words."""
    if not args:
        return []
    bad = [args[0]] if _SHELL_OPERATORS.search(args[0]) else []
    for i, arg in enumerate(args[1:], start=1):
        if args[i - 1] in _INLINE_CODE_FLAGS or (i == 2 and _runs_shell_script(args)):
            continue
        words = shell_words(arg)
        if any(_OPERATOR_WORD.match(w) for w in words) or arg.startswith(("$(", "`")):
            bad.append(arg)
    return bad


_pieces = st.sampled_from(
    [
        "|",
        "||",
        "&",
        "&&",
        ";",
        ">",
        "2>&1",
        ">>",
        "<",
        "'",
        '"',
        "\\",
        " ",
        "\t",
        "\n",
        "$(",
        "`",
        "x",
        "-c",
        "sh",
        "wget",
        "http://a:1/h",
        "exit 1",
        "1",
    ]
)
_arg = st.lists(_pieces, max_size=6).map("".join) | st.text(max_size=10)


@given(st.lists(_arg, max_size=5))
def test_same_items_flagged_as_when_every_argument_is_split(args: list[str]) -> None:
    assert _shell_text_in_argv(args) == _every_argument_split(args)


def test_operator_words_flagged_plain_arguments_not() -> None:
    assert _shell_text_in_argv(["wget", "-q", "http://x:1/h", "||", "exit", "1"]) == ["||"]
    assert _shell_text_in_argv(["curl", "http://x || exit 1"]) == ["http://x || exit 1"]
    assert _shell_text_in_argv(["curl", "a|b"]) == []  # one word: no operator of its own
    assert _shell_text_in_argv(["curl", "$(cat x)"]) == ["$(cat x)"]
