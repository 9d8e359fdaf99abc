"""The start-up measuring hook, the same in AIM3 Desk's child process and the bare window's:
an application event filter, installed right after the QApplication is made and before
anything else is imported or built, that prints the wall-clock time of the first Paint event
any widget of a top-level window receives and ends the process there. Both children pay the
same overhead (every event goes through this filter until then), so the ratio is fair.

    app = QApplication(sys.argv)
    watch_first_paint(app)
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

PAINTED = "painted"


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            window = watched.window()
            if window.isWindow() and window.isVisible():
                print(f"{PAINTED} {time.time():.6f}", flush=True)
                os._exit(0)  # measured: nothing after the first paint matters here
        return False


def watch_first_paint(app: QApplication) -> QObject:
    """Install the hook on `app`; keep the returned object alive."""
    probe = _FirstPaint(app)
    app.installEventFilter(probe)
    return probe
