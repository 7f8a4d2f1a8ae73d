"""Planning: a validated profile -> the stack the targets emit."""
