"""Start AIM3 Desk as a person would and print the wall-clock time its first window is shown.

Run as a child process by benchmarks/run.py; the profile folder comes from AIM3DESK_PROFILE.
The QApplication is made here first (run_gui reuses it) only to watch for the first window;
nothing of the app is imported before it starts.
"""

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def _check_shown() -> None:
    # Polling (every millisecond) rather than an application-wide event filter: a filter
    # would put every event through Python, which the bare window does not pay for.
    if any(w.isWindow() and w.isVisible() for w in QApplication.topLevelWidgets()):
        print(f"shown {time.time():.6f}", flush=True)
        os._exit(0)


app = QApplication(sys.argv)
poll = QTimer()
poll.setInterval(1)
poll.timeout.connect(_check_shown)
poll.start()

from aim3desk.app import run_gui  # noqa: E402 - imported after the watcher on purpose

sys.exit(run_gui(Path(os.environ["AIM3DESK_PROFILE"]), sys.argv))
