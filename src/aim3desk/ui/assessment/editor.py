"""The one place an open assessment version's content lives while it is edited.

Pages never save anything themselves. They call `edit(description, change)` with a pure domain
function (content -> new content). The editor pushes an undoable command, tells every page to
refresh (`changed`), and saves the difference on the TaskRunner after a short pause (or at once
on `flush()`). Undo and redo are the same move: swap contents and save the difference, so undo
works across every kind of edit, not only inside one text box.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from aim3desk.domain.assessment import AssessmentContent, ReadOnlyVersion
from aim3desk.domain.cases import Assessment
from aim3desk.domain.codec import diff_contents
from aim3desk.services.errors import StoreBusy
from aim3desk.ui.operations.assessments import save_assessment_items
from aim3desk.ui.tasks import TaskRunner, report_to_stderr

if TYPE_CHECKING:
    from aim3desk.services.session import Session

SAVED = "All changes saved"
SAVING = "Saving..."
READ_ONLY = "Finished version: read-only"
TYPING_MERGE_SECONDS = 2.0  # keystrokes in one field this close together undo as one step
RETRY_AFTER_MS = 5000  # a failed save (full or missing disk) is tried again this often


def not_saved(reason: str) -> str:
    return f"Not saved: {reason}"


def save_failure_reason(exc: BaseException) -> str:
    """Why a save failed, in words that carry no case data."""
    if isinstance(exc, ReadOnlyVersion):
        return "this version is finished and read-only."
    if isinstance(exc, OSError):
        return "the disk could not be written (is it full or disconnected?)."
    if isinstance(exc, StoreBusy):
        return (
            "the profile is in use by another window or command. Your work is still here "
            "and is saved again shortly; close the other one if this stays."
        )
    report_to_stderr(exc)
    return f"an unexpected error ({type(exc).__name__}). Your work is still here."


class _EditCommand(QUndoCommand):
    _ids: ClassVar[dict[str, int]] = {}

    def __init__(
        self,
        editor: AssessmentEditor,
        text: str,
        before: AssessmentContent,
        after: AssessmentContent,
        merge_key: str | None,
    ) -> None:
        super().__init__(text)
        self._editor = editor
        self.before = before
        self.after = after
        self.merge_key = merge_key
        self.at = time.monotonic()

    def id(self) -> int:  # Qt merges consecutive commands with the same non-negative id
        if self.merge_key is None:
            return -1
        return self._ids.setdefault(self.merge_key, len(self._ids) + 1)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, _EditCommand) or other.merge_key != self.merge_key:
            return False
        if other.at - self.at > TYPING_MERGE_SECONDS:
            return False
        self.after, self.at = other.after, other.at
        return True

    def redo(self) -> None:
        self._editor._show(self.after)

    def undo(self) -> None:
        self._editor._show(self.before)


class AssessmentEditor(QObject):
    """Signals: `changed(content)` after every edit, undo or redo; `save_state_changed(text)`.
    Saves go through the `save_assessment_items` operation."""

    changed = Signal(object)
    save_state_changed = Signal(str)

    def __init__(
        self,
        session: Session,
        assessment: Assessment,
        content: AssessmentContent,
        runner: TaskRunner,
        autosave_delay_ms: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.assessment = assessment
        self.content = content
        self._runner = runner
        self._confirmed = content  # what the store is known to hold
        self._queued = content  # what the store will hold once queued saves finish
        self._in_flight = 0
        self._failure = ""
        self.undo_stack = QUndoStack(self)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(autosave_delay_ms)
        self._autosave.timeout.connect(self.flush)

    @property
    def read_only(self) -> bool:
        return self.assessment.finished

    # -- editing ------------------------------------------------------------------------------
    def edit(
        self,
        description: str,
        change: Callable[[AssessmentContent], AssessmentContent],
        merge_key: str | None = None,
    ) -> bool:
        """Apply a pure change as one undoable step. Typing in one field passes a merge_key
        (e.g. "rationale:developmental:3") so a burst of keystrokes undoes together. Returns
        False when nothing changed. Raises ReadOnlyVersion on a finished version and whatever
        the domain raises for an invalid change (KeyError, ValueError) before anything moves."""
        if self.read_only:
            raise ReadOnlyVersion(
                "This version is finished and read-only: start a new version to change it."
            )
        after = change(self.content)
        if after == self.content:
            return False
        self.undo_stack.push(_EditCommand(self, description, self.content, after, merge_key))
        return True

    def _show(self, content: AssessmentContent) -> None:
        self.content = content
        self.changed.emit(content)
        if not self.read_only:
            self._set_state(SAVING)
            self._autosave.start()

    # -- saving -------------------------------------------------------------------------------
    def has_unsaved(self) -> bool:
        return self._in_flight > 0 or self._autosave.isActive() or self._queued != self.content

    def flush(self) -> None:
        """Queue the save of everything not yet saved, now."""
        self._autosave.stop()
        if self.read_only or self._queued == self.content:
            self._refresh_state()
            return
        upserts, deletes = diff_contents(self._queued, self.content)
        target = self.content
        self._queued = target
        self._in_flight += 1
        assessment = self.assessment
        save_assessment_items(
            self._runner, self._session, assessment.case_id, assessment.id, upserts, deletes
        ).on_done(lambda _r: self._saved(target)).on_error(self._save_failed).run()
        self._set_state(SAVING)

    def _saved(self, target: AssessmentContent) -> None:
        self._in_flight -= 1
        self._confirmed = target
        self._failure = ""
        self._refresh_state()

    def _save_failed(self, exc: BaseException) -> None:
        self._in_flight -= 1
        # Later queued saves were diffs against a state the store may not hold: start again
        # from what is confirmed; upserts and deletes are idempotent, so resending is safe.
        self._queued = self._confirmed
        self._failure = save_failure_reason(exc)
        if not isinstance(exc, ReadOnlyVersion):
            QTimer.singleShot(RETRY_AFTER_MS, self._retry_if_needed)
        self._refresh_state()

    def _retry_if_needed(self) -> None:
        if self._failure and not self._in_flight and self._queued != self.content:
            self.flush()

    def _refresh_state(self) -> None:
        if self.read_only:
            self._set_state(READ_ONLY)
        elif self._in_flight or self._autosave.isActive():
            self._set_state(SAVING)
        elif self._queued != self.content or self._failure:
            self._set_state(not_saved(self._failure or "waiting to save."))
        else:
            self._set_state(SAVED)

    def _set_state(self, text: str) -> None:
        self.save_state_changed.emit(text)

    def clear(self) -> None:
        """Forget the content (locking): the editor is thrown away afterwards."""
        self._autosave.stop()
        self.undo_stack.clear()
        self.content = self._confirmed = self._queued = AssessmentContent()
