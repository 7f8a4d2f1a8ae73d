"""Every use of PyYAML: reading with positions, plain-scalar resolution, input limits, quoting."""
