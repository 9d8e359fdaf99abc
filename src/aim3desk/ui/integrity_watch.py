"""The whole-database integrity check, once per unlock, in the background.

Unlocking reads only enough to know the key opens the store (store/db.py); the full check runs
here once the case list has loaded: on a thread of its own, at low priority, with a connection
of its own (session.check_integrity), so it holds up neither the UI thread nor the one store
worker (ui/tasks.py) that the person's reads and saves queue on. Locking interrupts it.

Damage found is said in the store's own words (restore from the backups folder), logged
without case data, in a window that does not take the keyboard from what the person is typing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from aim3desk.services.errors import StoreClosed, StoreCorrupt
from aim3desk.ui.tasks import report_to_stderr

if TYPE_CHECKING:
    from aim3desk.services.session import Session

log = logging.getLogger(__name__)

DAMAGED_TITLE = "The profile's database is damaged"
_NICENESS = 10  # below the UI and the store worker, above idle: it still finishes


def lower_this_threads_priority() -> None:
    """Let the UI and the store worker go first on a busy machine (best effort)."""
    with contextlib.suppress(OSError):
        if sys.platform.startswith("linux"):  # a Linux thread has a niceness of its own
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _NICENESS)
        elif sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), -1)  # BELOW_NORMAL


def _check(session: Session, deliver: Callable[[object, object], None]) -> None:
    """On the check's own thread: run it and hand the outcome to the UI thread."""
    lower_this_threads_priority()
    outcome: BaseException | None = None
    try:
        session.check_integrity()
    except BaseException as exc:  # delivered to the UI thread, never swallowed here
        outcome = exc
    with contextlib.suppress(RuntimeError):  # the window went meanwhile (quitting)
        deliver(session, outcome)


class IntegrityWatch(QObject):
    """`start(session)` checks that session's store once; `forget()` on lock. Emits
    `damage_found(message)` after showing the message."""

    damage_found = Signal(str)
    _arrived = Signal(object, object)  # session, exception or None: from the check's thread

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        self._session: Session | None = None
        self.ran_for: Session | None = None  # the session the last check was started for
        self.notice: QMessageBox | None = None
        self._arrived.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def start(self, session: Session) -> None:
        """Check this session's store in the background, unless this unlock already did
        (after an unclean shutdown or a migration) or a check for it is under way."""
        if session is self._session or session.integrity_checked or session.closed:
            return
        self._session = self.ran_for = session
        threading.Thread(
            target=_check,
            args=(session, self._arrived.emit),
            name="aim3desk-integrity",
            daemon=True,  # locking interrupts it; a quit must not wait for it
        ).start()

    def forget(self) -> None:
        """The session is being locked: an outcome still on its way is dropped."""
        self._session = None

    def _show(self, session: object, outcome: object) -> None:
        if session is not self._session:
            return  # locked (or locked and unlocked again) meanwhile
        self._session = None
        if outcome is None or isinstance(outcome, StoreClosed):
            return
        if not isinstance(outcome, StoreCorrupt):
            log.error("background integrity check could not run")
            report_to_stderr(outcome)  # type: ignore[arg-type]
            return
        log.error("background integrity check found damage")
        message = str(outcome)  # the store's own words: nothing of any case is in them
        box = QMessageBox(QMessageBox.Icon.Warning, DAMAGED_TITLE, message, parent=self._window)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # typing goes on
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.notice = box
        self.damage_found.emit(message)
