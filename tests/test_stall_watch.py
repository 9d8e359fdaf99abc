"""The benchmarks' UI-thread watchdog sees a held UI thread (its one job)."""

import time

from benchmarks.stall_watch import StallWatch
from PySide6.QtCore import QTimer


def test_a_held_ui_thread_is_recorded_under_its_phase(qtbot):
    watch = StallWatch()
    with watch.phase("hold"):
        QTimer.singleShot(20, lambda: time.sleep(0.12))  # holds the UI thread 120 ms
        qtbot.wait(200)
    with watch.phase("idle"):
        qtbot.wait(50)
    assert watch.longest("hold") >= 100  # a lower bound only: the sleep is at least 120 ms
    assert watch.longest("idle") < watch.longest("hold")
    assert watch.longest("never ran") == 0
