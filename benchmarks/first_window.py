"""Start AIM3 Desk as a person would and print the wall-clock time its first window is shown.

Run as a child process by benchmarks/run.py; the profile folder comes from AIM3DESK_PROFILE.
The QApplication is made here first (run_gui reuses it) only to watch for the first Show event;
nothing of the app is imported before it starts.
"""

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class FirstShow(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            print(f"shown {time.time():.6f}", flush=True)
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, lambda: os._exit(0))
        return False


app = QApplication(sys.argv)
watcher = FirstShow()
app.installEventFilter(watcher)

from aim3desk.app import run_gui  # noqa: E402 - imported after the watcher on purpose

sys.exit(run_gui(Path(os.environ["AIM3DESK_PROFILE"]), sys.argv))
