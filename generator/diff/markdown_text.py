"""Markdown text for the pull-request report: table cells, code spans and fenced blocks that
show any value literally (GitHub Flavored Markdown, "Code spans", "Tables"; GitHub renders
raw HTML in comments, so HTML is escaped)."""

from __future__ import annotations

import html


def cell(value: str) -> str:
    """Text for a markdown table cell: HTML and table syntax escaped (``<``, ``>``, ``&``,
    ``|``, backticks, backslashes, line breaks), so a value such as ``</table><h1>…`` or
    ``| x |`` shows as text (GitHub renders raw HTML in comments)."""
    text = html.escape(value, quote=False).replace("\n", " ").replace("\r", " ")
    for char in "\\`|":
        text = text.replace(char, "\\" + char)
    return text


def code(value: str) -> str:
    """``value`` as a markdown code span (shown literally), fenced with more backticks than
    it holds, ``|`` escaped for tables (GitHub Flavored Markdown, "Code spans" and "Tables")."""
    text = value.replace("\n", " ").replace("\r", " ").replace("|", "\\|")
    fence = "`" * (longest_run(text, "`") + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def longest_run(text: str, char: str) -> int:
    """The longest run of ``char`` in ``text``."""
    longest = run = 0
    for c in text:
        run = run + 1 if c == char else 0
        longest = max(longest, run)
    return longest


def fenced(text: str, info: str = "") -> list[str]:
    """A fenced code block holding ``text`` literally (fence longer than any backtick run)."""
    fence = "`" * max(3, longest_run(text, "`") + 1)
    return [f"{fence}{info}", text, fence]
