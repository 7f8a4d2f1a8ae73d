"""Output targets: each sibling package turns the planned stack into one engine's files."""
