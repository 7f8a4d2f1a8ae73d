"""Import: compose files -> a stackgen profile."""
