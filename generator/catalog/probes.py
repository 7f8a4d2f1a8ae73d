"""Healthcheck probes: shorthands → compose ``test``, and the checks every probe must pass.

Rules and their sources:

* ``CMD-SHELL`` takes exactly one string; ``CMD`` runs without a shell, so shell operators in
  its items are never interpreted (compose spec ``healthcheck``; moby/moby#28385).
* a probe that calls ``--zookeeper`` checks ZooKeeper, not the broker (elastic/beats#5549).
* ``-distroless`` images ship no shell, wget or curl (openmeterio/openmeter#4683); the
  OpenTelemetry collector images are built FROM scratch and ship no tool at all
  (open-telemetry/opentelemetry-collector-contrib#30798).
* ``localhost`` may resolve to ``::1`` while the server listens on IPv4 only
  (ClickHouse/ClickHouse#63256): probes are rewritten to ``127.0.0.1``.
"""

from __future__ import annotations

import json
import re
import shlex
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..profile.settings import Healthcheck

_SHELL_OPERATORS = re.compile(r"\|\||&&|[|;<>`]|\$\(")
# the host name localhost, not a longer name containing it (my-localhost, localhost.localdomain)
_LOCALHOST = re.compile(r"(?<![\w.-])localhost(?![\w-]|\.\w)", re.IGNORECASE)
_SHELL_TOOLS = ("sh", "bash", "wget", "curl", "nc")
_SHELLS = ("sh", "bash", "ash", "dash", "zsh")
# repositories whose images are built FROM scratch: no shell, wget, curl or nc inside
_SCRATCH_IMAGE = re.compile(r"(?:^|/)otel/opentelemetry-collector(?:-contrib|-k8s)?(?:[:@]|\Z)")


# a named tuple, not a dataclass: cheaper to build at import (check and render start-up)
class Problem(NamedTuple):
    """A probe problem: ``error`` stops the render, a warning is printed and rendering goes on.

    Attributes:
        message: one plain sentence.
        error: True for an error, False for a warning.
        rule: the ``stackgen check`` rule id of this kind of problem (``probe-tool-missing``…).
    """

    message: str
    error: bool = True
    #: the problem is fixed by the returned test (``localhost`` rewritten), not just reported
    rewritten: bool = False
    rule: str = ""


def shorthand_test(hc: Healthcheck) -> list[str] | None:
    """The compose ``test`` list for a healthcheck block, or None when it gives no probe.

    ``http`` → ``CMD wget -q --spider URL`` (or ``curl -fsS -o /dev/null URL``),
    ``tcp`` → ``CMD nc -z 127.0.0.1 PORT``, ``command``/``test`` string → ``CMD-SHELL``,
    list → as given (a list starting with neither CMD, CMD-SHELL nor NONE gets ``CMD``).
    """
    if hc.http is not None:
        url = _LOCALHOST.sub("127.0.0.1", hc.http)
        if hc.tool == "curl":
            return ["CMD", "curl", "-fsS", "-o", "/dev/null", url]
        return ["CMD", "wget", "-q", "--spider", url]
    if hc.tcp is not None:
        return ["CMD", "nc", "-z", "127.0.0.1", str(hc.tcp)]
    given = hc.command if hc.command is not None else hc.test
    if given is None:
        return None
    if isinstance(given, str):
        return ["CMD-SHELL", given]
    if given and given[0] in ("CMD", "CMD-SHELL", "NONE"):
        return list(given)
    return ["CMD", *given]


_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def command_program(words: list[str], *, shell: bool) -> str | None:
    """The program a command runs, past the words that only prepare its environment.

    Args:
        words: the command's words (a ``CMD`` argv, or a ``CMD-SHELL`` text split as sh would).
        shell: the words are a shell simple command, so leading ``NAME=value`` assignments
            and the ``exec`` and ``command`` builtins come before the program (POSIX shell,
            "Simple Commands"); without a shell only the ``env [-i] [NAME=value…]`` wrapper
            is skipped, as docker runs ``CMD`` items as they are.

    Returns:
        The program word (``wget``, ``/usr/bin/curl``), or None when only assignments remain
        (``A=1`` alone runs nothing).
    """
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if shell and _ASSIGNMENT.match(word):
            i += 1
        elif shell and word in ("exec", "command"):
            i += 1
            # their options (exec -a NAME is bash; command -p / -v) come before the program
            while i < n and words[i].startswith("-"):
                i += 2 if words[i] == "-a" else 1
        elif word.rsplit("/", 1)[-1] == "env":
            i += 1
            while i < n and (_ASSIGNMENT.match(words[i]) or words[i].startswith("-")):
                # env -u NAME takes an argument
                i += 2 if words[i] in ("-u", "--unset") else 1
        else:
            return word
    return None


def shell_words(text: str) -> list[str]:
    """``text`` split into words as sh would (quotes removed); on unbalanced quotes, split
    at white space (a probe that sh cannot parse still names its first word)."""
    return list(_shell_words(text))


#: text without quotes, backslashes or white space other than sh's: shlex splits it as
#: str.split does
_PLAIN_WORDS = re.compile(r"[^'\"\\\s]*(?:[ \t\r\n]+[^'\"\\\s]*)*")


# shlex is slow and a stack repeats its probes service after service
@lru_cache(maxsize=1 << 16)  # 4,096 thrashed at 10,000 services
def _shell_words(text: str) -> tuple[str, ...]:
    if _PLAIN_WORDS.fullmatch(text):  # most arguments: a URL, a flag, a port
        return tuple(text.split())
    try:
        return tuple(shlex.split(text))
    except ValueError:
        return tuple(text.split())


#: what sh runs itself, never a program of the image: POSIX special and regular built-ins,
#: the ones every sh also builds in (``[``, ``test``, ``echo``, ``printf``, ``pwd``), and
#: reserved words (POSIX Shell Command Language, 2.9.4 / 2.14 / "Utilities")
SHELL_BUILTINS = frozenset(
    ". : [ alias bg break cd command continue echo eval exec exit export false fg getopts "
    "hash jobs kill printf pwd read readonly return set shift test times trap true type "
    "ulimit umask unalias unset wait if then else elif fi do done case esac while until for "
    "in { } ! [[ ]]".split()
)
_LEADING_WORDS = frozenset("if then else elif do while until ! {".split())
_OPERATOR_TOKENS = frozenset({"&&", "||", ";", "|", "&", "(", ")", ";;", "\n"})


def script_program(text: str) -> str | None:
    """The first program of the image a ``CMD-SHELL`` script runs: the first simple command
    (split at ``&&``, ``||``, ``;``, ``|``, ``&``, newlines) whose program is not a shell
    built-in (:data:`SHELL_BUILTINS`). None when the script runs only built-ins
    (``[ -f /ready ]``, ``true``, ``exit 0``): sh itself is all it needs."""
    lexer = shlex.shlex(text.replace("\n", " ; "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: sh cannot parse it either; judge the words
        tokens = text.split()
    segment: list[str] = []
    for token in [*tokens, ";"]:
        if token not in _OPERATOR_TOKENS and not set(token) <= set("&|;()"):
            segment.append(token)
            continue
        while segment and segment[0] in _LEADING_WORDS:
            segment = segment[1:]  # `if`, `then`, `!` … come before a command
        program = command_program(segment, shell=True) if segment else None
        segment = []
        if program is not None and program not in SHELL_BUILTINS:
            return program
    return None


def _runs_shell_script(args: list[str]) -> bool:
    """Whether a CMD argv starts a shell on a script (``bash -c "…"``, ``/bin/sh -ec "…"``)."""
    if len(args) < 3:
        return False
    program = args[0].rsplit("/", 1)[-1]
    return program in _SHELLS and args[1].startswith("-") and "c" in args[1]


# a word that only a shell gives meaning to: ||, &&, |, ;, &, redirections (>x, 2>&1, <x)
_OPERATOR_WORD = re.compile(r"^(?:\|\||&&|\||;|&|[0-9]*>>?\S*|<\S*)\Z")
#: every operator word holds one of these characters
_OPERATOR_CHARS = frozenset("|&;<>")
# options after which a program takes inline code: node -e, python -c, php -r, ruby -e …
_INLINE_CODE_FLAGS = frozenset({"-c", "-e", "-r", "--eval", "--command", "--execute"})


def _shell_text_in_argv(args: list[str]) -> list[str]:
    """The items of a CMD argv that are shell text no shell will read: a program name holding
    shell operators (a whole command line in one item), or an argument holding an operator as
    a word of its own (``"http://x || exit 1"``) or starting with ``$(`` or a backtick.

    The argument right after an inline-code option (``node -e``, ``python -c``, ``bash -c``,
    ``sh -ec``) is a script for that program, which reads its own operators: never flagged
    (``["CMD", "node", "-e", "… r => process.exit(…)"]`` is valid)."""
    if not args:
        return []
    bad = [args[0]] if _SHELL_OPERATORS.search(args[0]) else []
    for i, arg in enumerate(args[1:], start=1):
        previous = args[i - 1]
        if previous in _INLINE_CODE_FLAGS or (i == 2 and _runs_shell_script(args)):
            continue
        if arg.startswith(("$(", "`")) or (
            # sh's words of ``arg`` hold only its characters: most arguments (a URL, a
            # flag) hold no operator character and need no splitting
            not _OPERATOR_CHARS.isdisjoint(arg)
            and any(_OPERATOR_WORD.match(w) for w in shell_words(arg))
        ):
            bad.append(arg)
    return bad


def check_test(
    test: list[str], image: str | None, *, catalog_image: bool = True
) -> tuple[list[str], list[Problem]]:
    """Check a compose ``test`` list; return it (``localhost`` rewritten) and its problems.

    Args:
        test: ``["CMD", argv…]`` or ``["CMD-SHELL", "text"]``.
        image: the service image, to spot variants without the probe's tools.
        catalog_image: False when the image is not in the catalog, so nothing is known of the
            tools it ships: the probe's program gets a "cannot verify" warning (B08).
    """
    problems: list[Problem] = []
    if not catalog_image and len(test) > 1 and test[0] in ("CMD", "CMD-SHELL"):
        program: str | None
        if test[0] == "CMD":
            program = command_program(test[1:], shell=False) or test[1]
        else:
            program = script_program(test[1])
        if program is not None:
            problems.append(
                Problem(
                    f"cannot verify that {program} exists in {image or 'the image'}",
                    error=False,
                    rule="probe-unverified",
                )
            )
    if not test:
        return test, [Problem("healthcheck test is empty", rule="probe-cmd-shell")]
    head, args = test[0], test[1:]
    if head == "CMD-SHELL" and len(args) != 1:
        first = args[0] if args else ""
        joined = " ".join(args)
        problems.append(
            Problem(
                f"CMD-SHELL takes exactly one command string; items after {json.dumps(first)} "
                f"would be passed to sh as $0/$1 and ignored. Use "
                f"{json.dumps(['CMD-SHELL', joined])} or {json.dumps(['CMD', *args])}",
                rule="probe-cmd-shell",
            )
        )
    if head == "CMD":
        bad = _shell_text_in_argv(args)
        if bad:
            role = "a single program name" if bad[0] == args[0] else "a plain argument"
            problems.append(
                Problem(
                    f"CMD runs without a shell; {json.dumps(bad[0])} would be executed as "
                    f"{role}, its shell operators not interpreted. Use CMD-SHELL, or split the "
                    "arguments and drop the shell operator",
                    rule="probe-cmd-shell",
                )
            )
    text = " ".join(args)
    if "--zookeeper" in text:
        problems.append(
            Problem(
                "probe uses --zookeeper: it checks ZooKeeper, not the broker (and Kafka 3.x "
                "tools in cp-kafka 7.x no longer support it); probe the broker with "
                "kafka-broker-api-versions --bootstrap-server",
                rule="probe-zookeeper",
            )
        )
    cmd_program = command_program(args, shell=False) if head == "CMD" else None
    tool = cmd_program.split()[0] if cmd_program and cmd_program.split() else "sh"
    # /usr/bin/wget is wget
    needs_tool = head == "CMD-SHELL" or tool.rsplit("/", 1)[-1] in _SHELL_TOOLS
    what = "/bin/sh" if head == "CMD-SHELL" else tool
    if image and needs_tool and "distroless" in image:
        problems.append(
            Problem(
                f'image variant "distroless" ships no {what} (no shell, wget or curl); '
                "the probe can never succeed. Use the image's own client binary or a "
                "non-distroless tag",
                rule="probe-tool-missing",
            )
        )
    elif image and needs_tool and _SCRATCH_IMAGE.search(image):
        problems.append(
            Problem(
                f"image {image} is built FROM scratch and ships no {what} (no shell, wget, "
                "curl or nc); the probe can never succeed. Leave it without a healthcheck "
                "(dependants wait for service_started) or build an image that has a probe tool",
                rule="probe-tool-missing",
            )
        )
    if any(_LOCALHOST.search(a) for a in args):
        problems.append(
            Problem(
                "probe: localhost rewritten to 127.0.0.1 (IPv6 ::1 may be tried first while "
                "the server listens on IPv4 only)",
                error=False,
                rewritten=True,
                rule="probe-localhost",
            )
        )
        test = [head, *(_LOCALHOST.sub("127.0.0.1", a) for a in args)]
    return test, problems
