"""Building a page a slice at a time, so the UI thread never holds for long.

A page that is costly to build (a domain page: five factor cards, the notes, the evidence
table) writes its construction as a generator that yields between slices. `StagedBuild` runs
the slices on idle, as many in one turn of the event loop as fit in `SLICE_BUDGET_MS`, and
emits `finished` when the page is complete; `finish_now()` completes it at once when the page
is wanted before then (the person chose it). Nothing is shown until the build has finished,
so no page is ever seen half-built.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer, Signal

SLICE_BUDGET_MS = 12.0  # well under the 50 ms a person notices as a stall

BuildSteps = Iterator[None]


def build_all(steps: BuildSteps) -> None:
    """Run every step now."""
    for _ in steps:
        pass


class StagedBuild(QObject):
    """Runs `steps` on idle within a time budget per turn; `finished` once they are done."""

    finished = Signal()

    def __init__(self, steps: BuildSteps, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: BuildSteps | None = steps
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._turn)

    @property
    def done(self) -> bool:
        return self._steps is None

    def start(self) -> None:
        if self._steps is not None:
            self._timer.start()

    def _turn(self) -> None:
        steps = self._steps
        if steps is None:
            return
        deadline = time.perf_counter() + SLICE_BUDGET_MS / 1000
        for _ in steps:
            if time.perf_counter() >= deadline:
                self._timer.start()  # the rest on a later turn, after any input waiting
                return
        self._complete()

    def finish_now(self) -> None:
        """Complete the build at once (it is wanted now)."""
        if self._steps is not None:
            self._timer.stop()
            build_all(self._steps)
            self._complete()

    def cancel(self) -> None:
        """Stop without finishing; `finished` is never emitted."""
        self._timer.stop()
        if self._steps is not None:
            close = getattr(self._steps, "close", None)
            if close is not None:
                close()
        self._steps = None
        self.deleteLater()

    def _complete(self) -> None:
        self._steps = None
        self.finished.emit()
        self.deleteLater()  # done with: its connections (and what they hold) go with it


__all__ = ["SLICE_BUDGET_MS", "BuildSteps", "StagedBuild", "build_all"]
