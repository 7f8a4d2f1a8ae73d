"""The diff pipeline: read, normalise, compare, report."""
