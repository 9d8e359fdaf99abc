"""The intervention plan of a case: a thin host for its four tabs (stages and goals, risk
management meetings, the keeping-safe plan, moving on).

The host holds what the tabs share: the plan as last read, the forms, the debounced saver and
the one way a tab changes the plan (`change`), which runs a named operation that returns the
plan as it stands afterwards and shows it in every tab."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from aim3desk.domain.forms import InterventionForms
from aim3desk.domain.intervention import InterventionPlan
from aim3desk.ui.intervention.ending_tab import EndingTab
from aim3desk.ui.intervention.keeping_safe_tab import KeepingSafeTab
from aim3desk.ui.intervention.meetings_tab import MeetingsTab
from aim3desk.ui.intervention.stages_tab import StagesTab
from aim3desk.ui.operations.base import Change, Latest
from aim3desk.ui.operations.intervention import PlanAfter, PlanRead, read_plan
from aim3desk.ui.record_saver import RecordSaver, save_failure_reason
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.session import Session

T = TypeVar("T")


class InterventionBoard(QWidget):
    """`load()` reads the plan; `flush()` queues unsaved edits; `clear_sensitive()` empties
    it. Emits `save_state_changed(text)`."""

    save_state_changed = Signal(str)

    def __init__(
        self,
        session: Session,
        case_id: str,
        runner: TaskRunner,
        parent: QWidget | None = None,
        autosave_delay_ms: int = 800,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.runner = runner
        self.today = today
        self.forms: InterventionForms | None = None
        self.plan = InterventionPlan()
        self.active_dialog: QDialog | None = None
        self._reads = Latest()
        self.saver = RecordSaver(autosave_delay_ms, self)
        self.saver.state_changed.connect(self.save_state_changed)

        self.stages = StagesTab(self)
        self.meetings = MeetingsTab(self)
        self.keeping_safe = KeepingSafeTab(self)
        self.ending = EndingTab(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Intervention plan")
        self.tabs.addTab(self.stages, "&Stages and goals")
        self.tabs.addTab(self.meetings, "&Risk management meetings")
        self.tabs.addTab(self.keeping_safe, "&Keeping-safe plan")
        self.tabs.addTab(self.ending, "&Moving on")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    # -- reading and changing -------------------------------------------------------------
    def load(self) -> None:
        read_plan(self.runner, self.session, self.case_id).latest(self._reads).on_done(
            self._loaded
        ).run()

    def _loaded(self, read: PlanRead) -> None:
        self.forms = read.forms
        self.meetings.set_forms(read.forms)
        self.show_plan(read.plan)

    def change(
        self, operation: Change[PlanAfter[T]], after: Callable[[T], None] | None = None
    ) -> None:
        """Run a change that returns the plan after it; show that plan, then `after(result)`.
        Waiting saves go first (the worker keeps order)."""
        self.saver.flush()

        def done(changed: PlanAfter[T]) -> None:
            self.show_plan(changed.plan)
            if after is not None:
                after(changed.result)

        operation.latest(self._reads).on_done(done).on_error(self.failed).by(self).run()

    def failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "Not saved", f"Not saved: {save_failure_reason(exc)}")

    def show_plan(self, plan: InterventionPlan) -> None:
        self.plan = plan
        self.stages.fill()
        self.meetings.fill()
        self.keeping_safe.fill()
        self.ending.fill()

    def draft_ending(self) -> None:
        self.ending.draft()

    def open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> QDialog:
        """Show a dialog without blocking (so the runner keeps delivering); `active_dialog`
        is it until it closes."""
        self.active_dialog = dialog

        def finished(result: int) -> None:
            if self.active_dialog is dialog:
                self.active_dialog = None
            if result == QDialog.DialogCode.Accepted:
                on_accept()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    # -- saving and clearing --------------------------------------------------------------
    def flush(self) -> None:
        self.saver.flush()

    def has_unsaved(self) -> bool:
        return self.saver.has_unsaved()

    def clear_sensitive(self) -> None:
        self._reads.drop()
        self.saver.discard()
        if self.active_dialog is not None:
            self.active_dialog.reject()
        self.plan = InterventionPlan()
        self.meetings.clear()
        self.keeping_safe.clear()
        self.ending.clear()
        self.stages.clear()
