"""stackgen: describe a container stack once; render a docker compose file; review drift."""

__version__ = "0.1.0"
