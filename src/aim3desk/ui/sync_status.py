"""The sync state in the status bar: "Offline", "Queued N", "Delivered N" or "Up to date",
with the last round, the last error and the next retry in its tooltip. A timer runs a round
every few minutes and File > Sync now (F9) runs one at once; never two at the same time.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.sync import read_sync_status, sync_round

if TYPE_CHECKING:
    from aim3desk.services.session import Session
    from aim3desk.services.sync import SyncRound, SyncStatus
    from aim3desk.ui.operations.base import Changes
    from aim3desk.ui.tasks import TaskRunner

# The states' values (services/sync/values.StatusState, a StrEnum). Compared by value so this
# status-bar module does not import the sync service, and with it the store, before unlock.
NOT_SET, OFFLINE, NEVER = "not-set", "offline", "never"

ROUND_EVERY_MS = 5 * 60 * 1000
FIRST_ROUND_AFTER_MS = 3000  # soon after unlocking, once the window has settled


def status_text(status: SyncStatus) -> str:
    """The few words the status bar shows."""
    if status.state == NOT_SET:
        return "No shared folder" if not status.queued else f"Queued {status.queued}"
    if status.state == OFFLINE:
        return "Offline"
    if status.queued:
        return f"Queued {status.queued}"
    if status.delivered_last_round:
        return f"Delivered {status.delivered_last_round}"
    if status.state == NEVER:
        return "Not synced yet"
    return "Up to date"


def _when(moment: datetime | str | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def status_tooltip(status: SyncStatus) -> str:
    lines = []
    if status.last_round_at is not None:
        lines.append(f"Last round: {_when(status.last_round_at)}")
    if status.message:
        lines.append(status.message)
    if status.queued:
        lines.append(f"Waiting to be delivered: {status.queued}")
    if status.last_error:
        lines.append(f"Last error: {status.last_error}")
    if status.next_retry_at:
        lines.append(f"Next retry: {_when(status.next_retry_at)}")
    lines.append("Sync now: F9 (File menu)")
    return "\n".join(lines)


class SyncStatusLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName("Shared folder sync")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setContentsMargins(0, 0, 12, 0)  # apart from the save state beside it

    def show_status(self, status: SyncStatus) -> None:
        self.setText(status_text(status))
        self.setToolTip(status_tooltip(status))
        self.setProperty("problem", status.state == OFFLINE or bool(status.last_error))
        self.style().unpolish(self)
        self.style().polish(self)


class SyncDriver(QObject):
    """Runs rounds for the attached session (timer and Sync now) and keeps the label current."""

    round_finished = Signal(object)  # SyncRound

    def __init__(self, runner: TaskRunner, label: SyncStatusLabel, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self.label = label
        self._session: Session | None = None
        self._running = False
        self._reads = Latest()
        self.timer = QTimer(self)
        self.timer.setInterval(ROUND_EVERY_MS)
        self.timer.timeout.connect(self.sync_now)
        runner.changes.changed.connect(self._store_changed)

    @property
    def running(self) -> bool:
        return self._running

    def attach(self, session: Session, first_round_ms: int = FIRST_ROUND_AFTER_MS) -> None:
        self._session = session
        self.refresh()
        self.timer.start()
        if first_round_ms >= 0:
            QTimer.singleShot(first_round_ms, self, self.sync_now)  # dropped if self is deleted

    def detach(self) -> None:
        self.timer.stop()
        self._reads.drop()
        self._session = None
        self.label.clear()
        self.label.setToolTip("")

    def sync_now(self) -> None:
        """One round, unless one is running (never two at once), the profile is locked or
        the app is shutting down (a timer may still fire after the runner stopped)."""
        if self._session is None or self._running or self._runner.closed:
            return
        self._running = True
        self.label.setText("Syncing…")
        session = self._session
        sync_round(self._runner, session).on_done(self._finished).on_error(self._failed).run()

    def _finished(self, result: SyncRound) -> None:
        self._running = False
        self.round_finished.emit(result)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self.refresh()
        self._runner.report_error("syncing with the shared folder", exc)

    def refresh(self) -> None:
        if self._session is None or self._runner.closed:
            return
        read_sync_status(self._runner, self._session).latest(self._reads).on_done(
            self.label.show_status
        ).run()

    def _store_changed(self, _changes: Changes, _initiator: object) -> None:
        if not self._running:  # a bundle queued elsewhere shows as "Queued N" at once
            self.refresh()
