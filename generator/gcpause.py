"""Pausing CPython's cyclic garbage collector around stages that build large, long-lived
object graphs (a parsed YAML document, a planned stack, a rendered file).

Every few hundred container allocations the collector walks the young objects, and every
so often all of them; while a 1 MB compose file is being built nothing it walks is garbage,
so on large stacks that work is pure overhead (about a third of a C-loader load of such a
file, per the benchmark in ``bench/``). Reference counting still frees everything acyclic at
once; cycles left over are collected when the collector resumes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block; re-enable it afterwards only if
    it was enabled before (so blocks nest). Raises nothing of its own."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
