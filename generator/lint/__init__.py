"""Lint rules for compose files and profiles (``stackgen check``): one module per rule
family, findings as data (:class:`Finding`), reporters returning strings."""

from .check import CheckResult, check
from .findings import RULES, Finding, Rule
from .formats import FORMATS, render_findings

__all__ = ["FORMATS", "RULES", "CheckResult", "Finding", "Rule", "check", "render_findings"]
