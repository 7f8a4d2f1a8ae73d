"""The docker compose target: templates -> compose text, proven by reading it back."""
