"""Example profiles, shipped inside the package for ``stackgen init --from``."""
