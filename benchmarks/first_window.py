"""Start AIM3 Desk as a person would and print the wall-clock time its first window (the unlock
window, or first run) is first painted.

Run as a child process by benchmarks/startup.py; the profile folder comes from
AIM3DESK_PROFILE. The QApplication is made here first (run_gui reuses it) only to install the
measuring hook (benchmarks/paint_probe.py, the same as the bare window's); nothing of the app
is imported before it.
"""

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from benchmarks.paint_probe import watch_first_paint

app = QApplication(sys.argv)
probe = watch_first_paint(app)

from aim3desk.app import run_gui  # noqa: E402 - imported after the hook on purpose

sys.exit(run_gui(Path(os.environ["AIM3DESK_PROFILE"]), sys.argv))
