"""Time the whole render pipeline for each profile in profiles/ (wall clock, best and mean)."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from stackgen.api import render_profile

REPO = Path(__file__).resolve().parents[1]


def main(rounds: int = 20) -> None:
    """Render each profile ``rounds`` times and print best/mean milliseconds."""
    for profile in sorted((REPO / "profiles").glob("*.yml")):
        render_profile(profile)  # warm caches (schema, templates)
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            render_profile(profile)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{profile.name:28} best {min(times):7.2f} ms   mean {statistics.mean(times):7.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
