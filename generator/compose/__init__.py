"""Compose-spec knowledge both pipelines share: schema, value syntax (ports, durations, sizes), interpolation, reading, merging."""
