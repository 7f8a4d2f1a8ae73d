"""The profile: pydantic models, overlay (extends, --set), loading, its JSON Schema."""
