"""Keeping Python's cycle collector from holding the UI thread after a large read.

A version of tens of thousands of items is a million Python objects. Made on the worker, they
wake the cycle collector again and again while the worker holds the interpreter lock: each
pass walks every object (a few hundred ms at that size) and the UI thread waits for it. The
read runs with the collector paused, and what it made is then set aside from later passes
(`gc.freeze`); it is still freed as usual when nothing refers to it. Closing the version
returns everything to the collector (`collect_again`), so nothing set aside outlives it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def set_aside_from_collection() -> Iterator[None]:
    """Pause the cycle collector for the block, then set what exists aside from it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def collect_again() -> None:
    """Return what was set aside to the collector (a version closed)."""
    gc.unfreeze()


__all__ = ["collect_again", "set_aside_from_collection"]
