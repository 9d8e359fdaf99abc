"""The GUI entry point: create the application, show first run or unlock at once, and only then
load the heavy parts (SQLAlchemy, cryptography, reportlab) on the worker thread.

Only Qt, config and the small UI modules are imported before the first window is visible;
start-up time is measured against a bare Qt window (docs/benchmarks.md)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from aim3desk import __version__
from aim3desk.config import APP_NAME

ORGANISATION = "AIM3 Desk"
DISPLAY_NAME = "AIM3 Desk"


def _resources_dir() -> Path | None:
    from aim3desk.paths import data_dir

    try:
        return data_dir("resources")
    except FileNotFoundError:
        return None


def create_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with names, icon and style sheet (reuses one that exists: tests)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv))
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setApplicationDisplayName(DISPLAY_NAME)
    QApplication.setDesktopFileName(APP_NAME)
    resources = _resources_dir()
    if resources is not None:
        icon = resources / "icons" / "aim3desk.svg"
        if icon.exists():
            app.setWindowIcon(QIcon(str(icon)))
        style = resources / "style.qss"
        if style.exists():
            app.setStyleSheet(style.read_text(encoding="utf-8"))
    # Locking hides every window for a moment; the controller decides when to quit.
    app.setQuitOnLastWindowClosed(False)
    return app


def run_gui(
    profile_dir: Path,
    argv: Sequence[str],
    *,
    kdf: Any = None,
    idle_timeout_ms: int | None = None,
) -> int:
    """Run the app until the person quits. `kdf` and `idle_timeout_ms` are for tests and
    demos only; the real app leaves them None (calibrated KDF, idle time from settings)."""
    profile_dir = Path(profile_dir)
    app = create_application(argv)
    from aim3desk.ui.controller import AppController

    # Settings and logging are set up just after the first window shows (start-up time).
    controller = AppController(profile_dir, None, kdf=kdf, idle_timeout_ms=idle_timeout_ms)
    QTimer.singleShot(50, lambda: _set_up_logging(profile_dir))
    controller.quit_finished.connect(app.quit)
    app.aboutToQuit.connect(controller.quit)  # session end, desktop log-out: still save
    controller.start()
    code = app.exec()
    controller.quit()  # no-op when it already ran; waits for pending saves otherwise
    return code


def _set_up_logging(profile_dir: Path) -> None:
    """Logs and crash reports in the profile folder, without case data (aim3desk.logs)."""
    if not profile_dir.exists():
        return  # first run: the profile service creates the folder with private permissions
    from aim3desk.logs import install_excepthook, setup_logging

    try:
        setup_logging(profile_dir)
    except OSError:
        return
    install_excepthook()


if __name__ == "__main__":
    from aim3desk.config import default_profile_dir

    sys.exit(run_gui(default_profile_dir(), sys.argv))
