"""Change a case's status. "Not completed" needs a reason (counted in the annual return, so it
must not name the young person) and the day it was marked. "Assessment completed" of a
version no supervisor has signed off needs a written reason too (an override, kept and
counted apart in the annual return): the dialog says whether the version is signed off and
asks for it in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.cases import NOT_COMPLETED_REASONS, Case, CaseStatus, ValidationError
from aim3desk.domain.gates import Gate, GateClosed
from aim3desk.ui.assessment.page_kit import explanation, ok_cancel
from aim3desk.ui.date_field import DateField, first_invalid
from aim3desk.ui.gate_reason import GateReasonBox
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.cases import set_status
from aim3desk.ui.operations.gates import GateFacts, read_gate_facts
from aim3desk.ui.record_saver import save_failure_reason
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.session import Session


class StatusDialog(QDialog):
    """On success `case` is the stored case with its new status and the dialog is accepted."""

    def __init__(
        self,
        case: Case,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self._session = session
        self._runner = runner
        self.setWindowTitle(f"Status of {case.reference}")
        self.setAccessibleName("Change case status")
        self.resize(520, 260)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Case status")
        for status in CaseStatus:
            self.status_combo.addItem(status.label, status.value)
        self.status_combo.setCurrentIndex(self.status_combo.findData(case.status.value))
        self.reason_combo = QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.setAccessibleName("Why the assessment was not completed")
        self.reason_combo.addItems(NOT_COMPLETED_REASONS)
        self.reason_combo.setCurrentText(case.not_completed_reason)
        self.reason_combo.lineEdit().setPlaceholderText("Choose or write the reason (required)")
        now = today()
        marked = case.not_completed_on or now
        self.on_edit = DateField("Marked not completed on", marked, required=True, maximum=now)
        self.reason_label = QLabel("&Reason:")
        self.reason_label.setBuddy(self.reason_combo)
        self.on_label = QLabel("Marked &on:")
        self.on_label.setBuddy(self.on_edit)
        self.note = explanation(
            "The reason is counted in the annual return: describe it without naming anyone."
        )
        self.gate_box = GateReasonBox(Gate.COMPLETE)
        self._facts: GateFacts | None = None
        self._fact_reads = Latest()
        self.error_label = explanation("")
        self.error_label.setObjectName("errorLabel")
        form = QFormLayout()
        form.addRow("&Status:", self.status_combo)
        form.addRow(self.reason_label, self.reason_combo)
        form.addRow(self.on_label, self.on_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.gate_box)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.buttons = ok_cancel(self, "Change status")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.save)
        layout.addWidget(self.buttons)
        self.status_combo.currentIndexChanged.connect(self._update)
        self.reason_combo.currentTextChanged.connect(self._update)
        self._update()
        read_gate_facts(runner, session, case).latest(self._fact_reads).on_done(
            self._facts_read
        ).run()

    def chosen_status(self) -> CaseStatus:
        return CaseStatus(self.status_combo.currentData())

    def _update(self) -> None:
        not_completed = self.chosen_status() is CaseStatus.NOT_COMPLETED
        for widget in (self.reason_label, self.reason_combo, self.on_label, self.on_edit):
            widget.setVisible(not_completed)
        self.note.setVisible(not_completed)
        completing = (
            self.chosen_status() is CaseStatus.COMPLETED
            and self.case.status is not CaseStatus.COMPLETED
        )
        if completing and self._facts is not None:
            self.gate_box.show_facts(self._facts)
        else:
            self.gate_box.hide_gate()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not not_completed or bool(self.reason_combo.currentText().strip()))

    def _facts_read(self, facts: GateFacts) -> None:
        if not isValid(self.gate_box):
            return  # the dialog was closed while the sign-off was read
        self._facts = facts
        self._update()

    def save(self) -> None:
        status = self.chosen_status()
        not_completed = status is CaseStatus.NOT_COMPLETED
        reason = self.reason_combo.currentText().strip() if not_completed else ""
        if not_completed and not reason:
            self.error_label.setText("Say why the assessment could not be completed.")
            return
        if first_invalid(self) is not None:
            return
        on = self.on_edit.value() if not_completed else None
        problem = self.gate_box.problem()
        if problem:
            self.error_label.setText("Why mark it completed without a sign-off? " + problem)
            return

        def done(case: Case) -> None:
            self.case = case
            self.accept()

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.error_label.setText(" ".join(exc.problems.values()))
            elif isinstance(exc, GateClosed):  # not signed off after all: ask for the reason
                self.error_label.setText(str(exc))
                self._facts = None
                read_gate_facts(self._runner, self._session, self.case).latest(
                    self._fact_reads
                ).on_done(self._facts_read).run()
            else:
                self.error_label.setText(save_failure_reason(exc))

        self.buttons.setEnabled(False)
        set_status(
            self._runner, self._session, self.case.id, status, reason, on, self.gate_box.reason()
        ).on_done(done).on_error(failed).run()
