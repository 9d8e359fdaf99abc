"""The case list at scale, driven as a person would in the main window, offscreen: the list after
unlock, refreshes (a status filter, a store change, clearing a search, closing a case), header
sorts, and typing a search one key at a time. For each: the longest UI-thread stall
(benchmarks/stall_watch.py), and for keys the time from the key press to the table's first
paint after its rows changed ("painted", not "model updated").

    python -m benchmarks.case_list_bench PROFILE_DIR   (passphrase from AIM3DESK_BENCH_PASSPHRASE)

The profile is copied to a temporary folder first: unlocking writes to a profile.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication

from benchmarks.stall_watch import StallWatch

DEFAULT_PASSPHRASE = "bench correct horse battery staple 42"
WAIT_S = 120.0
SORT_COLUMNS = (1, 0, 3, 5, 4)  # name, reference, status, lead worker, due date (the default)


class PaintClock(QObject):
    """When a table last changed its rows and when its viewport was painted after that."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.changed_at = 0.0
        self.painted_at = 0.0
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsRemoved):
            signal.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        self.changed_at = time.perf_counter()
        self.painted_at = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self.changed_at and not self.painted_at:
            self.painted_at = time.perf_counter()
        return False

    def arm(self) -> None:
        self.changed_at = self.painted_at = 0.0

    def painted_since(self, start: float) -> bool:
        return self.painted_at >= start and self.changed_at >= start


def wait_until(condition: Callable[[], bool], timeout_s: float = WAIT_S) -> None:
    """Run the event loop (sleeping in Qt, so the worker thread gets the GIL) until true."""
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(2)

    def check() -> None:
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()
    if not condition():
        raise TimeoutError("the case list did not get there in time")


def settle(ms: int = 60) -> None:
    """Let queued events and paints run out."""
    end = time.perf_counter() + ms / 1000
    wait_until(lambda: time.perf_counter() >= end)


class _Driver:
    def __init__(self, window, runner, watch: StallWatch) -> None:
        self.window = window
        self.page = window.case_list
        self.runner = runner
        self.watch = watch
        self.clock = PaintClock(self.page.table)
        self.found_clock = PaintClock(self.page.found.table)
        self.stalls: dict[str, list[float]] = {}

    @contextmanager
    def phase(self, kind: str, name: str) -> Iterator[None]:
        with self.watch.phase(name):
            yield
        self.stalls.setdefault(kind, []).append(self.watch.longest(name))

    def idle(self) -> None:
        wait_until(lambda: self.runner.pending == 0)
        settle()

    def rows(self) -> int:
        return self.page.table.model().rowCount()

    def repainted(self, action: Callable[[], None]) -> float:
        """Do `action` and wait for the table's paint after its rows changed; ms taken."""
        start = time.perf_counter()
        self.clock.arm()
        action()
        wait_until(lambda: self.clock.painted_since(start))
        return (self.clock.painted_at - start) * 1000

    def refresh(self, name: str, action: Callable[[], None]) -> float:
        with self.phase("refresh", name):
            taken = self.repainted(action)
            self.idle()
        return taken

    def sort(self, column: int, order: Qt.SortOrder) -> None:
        header = self.page.table.horizontalHeader()
        with self.phase("sort", f"sort {column} {order.name}"):
            if header.sortIndicatorSection() == column and header.sortIndicatorOrder() == order:
                return
            self.repainted(lambda: self.page.table.sortByColumn(column, order))
            settle()

    def type_keys(self, text: str) -> tuple[list[float], list[float]]:
        """Key press to painted case rows, and to painted matches in what was written (ms)."""
        edit = self.page.search_edit
        edit.setFocus()
        rows: list[float] = []
        found: list[float] = []
        for number, char in enumerate(text):
            with self.phase("key", f"key {number} {char!r}"):
                self.found_clock.arm()
                start = time.perf_counter()
                rows.append(self.repainted(lambda c=char: QTest.keyClicks(edit, c)))
                wait_until(lambda t=start: self.found_clock.painted_since(t))
                found.append((self.found_clock.painted_at - start) * 1000)
                self.idle()
        return rows, found


def _search_word(page) -> str:
    """A first name of a case in the middle of the list, so every key leaves rows shown."""
    model = page.table.model()
    name = model.index(model.rowCount() // 2, 1).data() or "a"
    return name.split()[0][:5]


def drive(window, runner) -> dict[str, float]:
    """Drive an attached, shown main window's case list; the figures in ms."""
    watch = StallWatch()
    driver = _Driver(window, runner, watch)
    page = driver.page
    results: dict[str, float] = {}
    for column in SORT_COLUMNS:
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            driver.sort(column, order)
    results["sort_stall_ms"] = max(driver.stalls["sort"])

    word = _search_word(page)
    keys, found = driver.type_keys(word)
    results["keystroke_paint_median_ms"] = statistics.median(keys)
    results["keystroke_paint_max_ms"] = max(keys)
    results["found_paint_median_ms"] = statistics.median(found)
    results["found_paint_max_ms"] = max(found)
    results["keystroke_stall_ms"] = max(driver.stalls["key"])
    results["search_rows"] = float(driver.rows())

    def clear_search() -> None:
        page.search_edit.selectAll()
        QTest.keyClick(page.search_edit, Qt.Key.Key_Delete)

    results["clear_search_paint_ms"] = driver.refresh("clear search", clear_search)
    results["clear_search_stall_ms"] = driver.stalls["refresh"][-1]
    status = page.status_combo
    driver.refresh("status filter", lambda: status.setCurrentIndex(status.findData("open")))
    driver.refresh("status filter back", lambda: status.setCurrentIndex(0))
    results["status_filter_stall_ms"] = max(driver.stalls["refresh"][-2:])
    driver.refresh("store changed", window.refresh_cases)
    results["store_changed_stall_ms"] = driver.stalls["refresh"][-1]
    results["refresh_stall_ms"] = max(driver.stalls["refresh"])
    # Closing a case also tears down its workspace and refreshes the deadlines: reported apart.
    case_id = page.table.model().index(0, 0).data(Qt.ItemDataRole.UserRole + 2)
    window.open_case(case_id)
    wait_until(lambda: window.case_view is not None)
    driver.idle()
    driver.refresh("close case", window.close_case)
    results["close_case_stall_ms"] = driver.stalls["refresh"][-1]
    return results


def bench_case_list(profile_dir: Path, passphrase: str = DEFAULT_PASSPHRASE) -> dict[str, float]:
    """Unlock a copy of the profile, show the main window at 1366x768 and drive its case list.
    In ms: the list painted after attach and the longest stall meanwhile; the longest stall
    per sort, per key, per refresh (`refresh_stall_ms`: clearing the search, a status filter,
    a store change) and on closing a case; key press to painted case rows and to painted
    matches in what was written (median and max)."""
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.services.profile import ProfileService
    from aim3desk.ui.main_window import MainWindow
    from aim3desk.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="aim3desk-bench-") as work:
        copy = Path(work) / "profile"
        shutil.copytree(profile_dir, copy)
        session = ProfileService(copy).unlock(passphrase)
        runner = TaskRunner()
        window = MainWindow(runner)
        window.resize(1366, 768)
        window.show()
        settle()
        watch = StallWatch()
        clock = PaintClock(window.case_list.table)
        start = time.perf_counter()
        with watch.phase("listed after unlock"):
            window.attach(session, load_form_set())
            wait_until(lambda: clock.painted_since(start) and clock.painted_at > 0)
            listed_ms = (clock.painted_at - start) * 1000
            wait_until(lambda: runner.pending == 0)
            settle()
        window.sync.detach()  # no shared-folder round in the middle of the figures
        rows = window.case_list.table.model().rowCount()
        results = {
            "cases": float(rows),
            "listed_after_unlock_ms": listed_ms,
            "listed_after_unlock_stall_ms": watch.longest("listed after unlock"),
        }
        try:
            results |= drive(window, runner)
        finally:
            window.detach()
            runner.wait_for_idle()
            session.close()
            runner.shutdown()
            window.close()
            window.deleteLater()
            app.processEvents()
    return results


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    secret = os.environ.get("AIM3DESK_BENCH_PASSPHRASE", DEFAULT_PASSPHRASE)
    print(json.dumps({k: round(v, 1) for k, v in bench_case_list(folder, secret).items()}))
