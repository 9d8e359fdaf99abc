"""A UI-thread watchdog for the benchmarks' stall figures.

A timer on the UI thread fires every `TICK_MS`; while the thread is free the gap between two
firings is about one tick, and when something holds the thread (building widgets, sorting a
table, a synchronous query) the next firing comes late. The longest gap, less one tick, is the
longest time the person's clicks and keys went unanswered. Phases name what was being done:

    watch = StallWatch()
    with watch.phase("open a case"):
        ...  # drive the app and wait for the result, pumping events
    watch.longest("open a case")  # ms
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt, QTimer

TICK_MS = 5


class StallWatch(QObject):
    """Records the longest gap between ticks of a UI-thread timer, per named phase."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self._current: str | None = None
        self._longest: dict[str, float] = {}

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._current is not None and self._last:
            gap = (now - self._last) * 1000 - TICK_MS
            if gap > self._longest.get(self._current, 0.0):
                self._longest[self._current] = gap
        self._last = now

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Record stalls under `name` while the block runs (the block must pump events)."""
        self._longest.setdefault(name, 0.0)
        self._current = name
        self._last = time.perf_counter()
        self._timer.start()
        try:
            yield
        finally:
            self._tick()  # a stall that ends the phase counts too
            self._timer.stop()
            self._current = None

    def longest(self, name: str) -> float:
        """The longest UI-thread stall in ms seen during phase `name` (0 when none)."""
        return max(0.0, self._longest.get(name, 0.0))
