"""Lint rules for compose files and profiles: one module per rule family, findings as data
(:class:`~stackgen.lint.findings.Finding`), reporters returning strings.

``stackgen check`` is :func:`stackgen.lint.check.check` (reporters in
:mod:`stackgen.lint.formats`); ``stackgen render`` runs the same rule set through
:mod:`stackgen.lint.gate`. Nothing is imported here, so the render path loads the rules
without ``check``'s input readers (the diff stage's file detection, compose-file reading).
"""
