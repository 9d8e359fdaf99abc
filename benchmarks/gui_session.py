"""One person's session in the real app, in a child process of its own, on a scale profile:
type the passphrase in the unlock window and press Unlock, then search the case list, clear the
search, open a case and close it again. Prints one JSON line:

- `unlock_to_list_ms`: from pressing Unlock to the first paint of the case table's viewport
  with rows in it (an event filter on the viewport's Paint events);
- `*_stall_ms`: the longest UI-thread stall in each step (benchmarks/stall_watch.py);
- `peak_rss_mb`: the process's peak resident memory over all of it, the key derivation's
  working memory included; `peak_rss_after_unlock_mb`: the peak from the painted list on
  (list, search, open, close), the peak reset once the list shows (Linux: /proc clear_refs).

    AIM3DESK_BENCH_PASSPHRASE=... python -m benchmarks.gui_session PROFILE_DIR [SEARCH_WORD]
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks.stall_watch import StallWatch

PASSPHRASE_VARIABLE = "AIM3DESK_BENCH_PASSPHRASE"
STEP_TIMEOUT_S = 60.0
PREPARE_S = 3.0  # the time a person takes to type a passphrase: the app preloads meanwhile


class PaintWatch(QObject):
    """The time of the first Paint of `widget` (or of any widget inside it) for which `ready()`
    holds, from the moment `arm` is called."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._widget: Callable[[], QWidget | None] = lambda: None
        self._ready: Callable[[], bool] = lambda: False
        self.painted_at: float | None = None
        app.installEventFilter(self)

    def arm(self, widget: Callable[[], QWidget | None], ready: Callable[[], bool]) -> None:
        self._widget, self._ready, self.painted_at = widget, ready, None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self.painted_at is None and event.type() == QEvent.Type.Paint:
            target = self._widget()
            if (
                target is not None
                and isinstance(watched, QWidget)
                and (watched is target or target.isAncestorOf(watched))
                and self._ready()
            ):
                self.painted_at = time.perf_counter()
        return False


def wait_until(done: Callable[[], bool], timeout_s: float = STEP_TIMEOUT_S) -> None:
    """Run the event loop (as the app's own would) until `done()` holds."""
    if done():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(lambda: done() and loop.quit())
    poll.start()
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    poll.stop()
    if not done():
        raise TimeoutError("the app did not get there in time")


def settle(app: QApplication, runner, seconds: float = 0.3) -> None:
    """Let queued work finish and the screen catch up before the next step."""
    wait_until(lambda: runner.pending == 0)
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end)


def peak_rss_mb() -> float:
    """The process's peak resident memory (VmHWM) in MiB."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def run(profile_dir: Path, passphrase: str, search_word: str) -> dict[str, float]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    paints = PaintWatch(app)
    watch = StallWatch()
    from aim3desk.app import create_application
    from aim3desk.ui.controller import AppController

    create_application(sys.argv[:1])
    controller = AppController(profile_dir)
    controller.start()
    wait_until(lambda: controller.dialog is not None and controller.dialog.isVisible())
    settle(app, controller.runner, PREPARE_S)
    dialog = controller.dialog
    dialog.passphrase_edit.setText(passphrase)

    def table():
        window = controller.main_window
        return None if window is None else window.case_list.table

    def table_rows() -> int:
        view = table()
        return 0 if view is None or view.model() is None else view.model().rowCount()

    def viewport() -> QWidget | None:
        view = table()
        return None if view is None else view.viewport()

    result: dict[str, float] = {}
    paints.arm(viewport, lambda: table_rows() > 0)
    with watch.phase("unlock"):
        start = time.perf_counter()
        QTest.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        wait_until(lambda: paints.painted_at is not None)
    result["unlock_to_list_ms"] = (paints.painted_at - start) * 1000
    result["unlock_stall_ms"] = watch.longest("unlock")
    result["peak_rss_mb"] = peak_rss_mb()
    reset_peak_rss()
    with watch.phase("after list"):  # what still runs once the list shows (checks, counts)
        settle(app, controller.runner)
    result["after_list_stall_ms"] = watch.longest("after list")
    total = table_rows()
    result["rows"] = total
    window = controller.main_window
    search = window.case_list.search_edit

    def step(name: str, act: Callable[[], object], widget, ready, from_end=False) -> None:
        """Do `act`, time to the first paint of `widget` once `ready()` (from the start of
        `act`, or its end), and record the longest stall until the worker is idle again."""
        paints.arm(widget, ready)
        with watch.phase(name):
            start = time.perf_counter()
            act()
            start = time.perf_counter() if from_end else start
            wait_until(lambda: paints.painted_at is not None)
            result[f"{name}_to_paint_ms"] = (paints.painted_at - start) * 1000
            settle(app, controller.runner)
        result[f"{name}_stall_ms"] = watch.longest(name)

    search.setFocus()
    # Typed a key at a time, timed from the last keystroke to the painted rows.
    step(
        "search",
        lambda: QTest.keyClicks(search, search_word),
        viewport,
        lambda: 0 < table_rows() < total,
        from_end=True,
    )
    step("refresh", search.clear, viewport, lambda: table_rows() == total)
    view = table()
    view.setFocus()
    view.setCurrentIndex(view.model().index(total // 2, 0))
    step(
        "open_case",
        lambda: QTest.keyClick(view, Qt.Key.Key_Return),
        lambda: window.case_view,
        lambda: controller.runner.pending == 0,
    )
    step("close_case", window.close_case, viewport, lambda: table_rows() == total)
    result["peak_rss_after_unlock_mb"] = peak_rss_mb()
    result["peak_rss_mb"] = max(result["peak_rss_mb"], result["peak_rss_after_unlock_mb"])

    controller.quit()  # a clean close: the next unlock must not look like after a crash
    wait_until(lambda: controller.finished)
    return result


if __name__ == "__main__":
    found = run(
        Path(sys.argv[1]),
        os.environ[PASSPHRASE_VARIABLE],
        sys.argv[2] if len(sys.argv) > 2 else "a",
    )
    print(json.dumps(found), flush=True)
    os._exit(0)  # the session is closed; skip Qt's slow teardown of every widget
