"""A main window attached to a real session for GUI tests, taken down in the order the app
uses (saves, detach, then the session closes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.session import Session
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.tasks import TaskRunner

WAIT_MS = 15_000


@contextmanager
def attached_window(runner: TaskRunner, session: Session) -> Iterator[MainWindow]:
    """Not qtbot's widget: it must detach before it goes. Closes the session afterwards."""
    main = MainWindow(runner)
    main.attach(session, load_form_set())
    main.sync.timer.stop()
    main.show()
    try:
        yield main
    finally:
        main.flush_saves()
        runner.wait_for_idle(WAIT_MS)
        main.detach()
        runner.wait_for_idle(WAIT_MS)
        main.hide()
        main.deleteLater()
        session.close()
