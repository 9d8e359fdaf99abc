"""Debounced saving of a case's records (supervision sessions, plan items, log entries): each
save is a named change operation (ui/operations), with the save state in the same words as the
assessment's autosave.

Each record is saved under a key; a later edit of the same record replaces the waiting save,
so typing saves one snapshot a second or so, never one per key press. `flush()` queues every
waiting save at once: call it before locking, closing or switching records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from aim3desk.domain.cases import ValidationError
from aim3desk.ui.assessment.editor import SAVED, SAVING, not_saved
from aim3desk.ui.assessment.editor import save_failure_reason as _other_failure

if TYPE_CHECKING:
    from aim3desk.ui.operations.base import Change

__all__ = ["SAVED", "SAVING", "RecordSaver", "save_failure_reason"]


def save_failure_reason(exc: BaseException) -> str:
    """Why a save failed, in words that carry no case data: a record's rule (the
    validators' own sentences) or the assessment editor's wording for anything else."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.problems.values())
    return _other_failure(exc)


class RecordSaver(QObject):
    """Signals: `state_changed(text)` and `saved(key, result)` after each save lands."""

    state_changed = Signal(str)
    saved = Signal(str, object)

    def __init__(self, delay_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, Change[object]] = {}
        self._in_flight = 0
        self._failures: dict[str, str] = {}
        self.state = SAVED
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(50, delay_ms))
        self._timer.timeout.connect(self.flush)

    def set_delay(self, delay_ms: int) -> None:
        self._timer.setInterval(max(50, delay_ms))

    def schedule(self, key: str, save: Change[object]) -> None:
        """Run `save` for record `key` after the delay (replacing a waiting save of it)."""
        self._pending[key] = save
        self._timer.start()
        self._set(SAVING)

    def now(self, key: str, save: Change[object]) -> None:
        """Queue a save at once (a button press: add, move, remove)."""
        self._pending[key] = save
        self.flush()

    def flush(self) -> None:
        self._timer.stop()
        pending, self._pending = self._pending, {}
        for key, save in pending.items():
            self._in_flight += 1
            save.on_done(lambda result, k=key: self._finished(k, result, None)).on_error(
                lambda exc, k=key, s=save: self._finished(k, None, exc, s)
            ).run()
        if pending:
            self._set(SAVING)

    def discard(self) -> None:
        """Forget waiting saves (the records are being thrown away on purpose)."""
        self._timer.stop()
        self._pending.clear()
        self._failures.clear()

    def has_unsaved(self) -> bool:
        return bool(self._pending) or self._in_flight > 0

    def _finished(
        self,
        key: str,
        result: object,
        exc: BaseException | None,
        save: Change[object] | None = None,
    ) -> None:
        self._in_flight -= 1
        if not shiboken6.isValid(self):
            return  # the pane or window was closed meanwhile; the save itself has landed
        if exc is None:
            self._failures.pop(key, None)
            self.saved.emit(key, result)
        else:
            self._failures[key] = save_failure_reason(exc)
            if save is not None and not isinstance(exc, ValidationError):
                self._pending.setdefault(key, save)  # retried at the next flush
        if self._in_flight or self._timer.isActive():
            self._set(SAVING)
        elif self._failures:
            self._set(not_saved(next(iter(self._failures.values()))))
        else:
            self._set(SAVED)

    def _set(self, text: str) -> None:
        self.state = text
        self.state_changed.emit(text)
