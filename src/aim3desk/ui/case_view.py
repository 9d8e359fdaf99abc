"""One case: a header with its details and model, and the guided assessment workspace of its
current version (ui/assessment/workspace.py), which saves itself through its editor."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import ReadOnlyVersion
from aim3desk.domain.cases import AssessmentModel, Case, ValidationError
from aim3desk.domain.sign_off import SignOffRecords
from aim3desk.ui.assessment.editor import SAVED, SAVING, not_saved
from aim3desk.ui.assessment.workspace import AssessmentWorkspace
from aim3desk.ui.case_list import label_of
from aim3desk.ui.escalation_offer import EscalationOfferStrip
from aim3desk.ui.gate_reason import status_words
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.cases import change_model
from aim3desk.ui.operations.gates import read_sign_off_records
from aim3desk.ui.tasks import TaskRunner, report_to_stderr

if TYPE_CHECKING:
    from aim3desk.domain.forms import FormSet
    from aim3desk.services.session import Session

__all__ = ["SAVED", "SAVING", "CaseView", "not_saved", "save_failure_reason"]


def save_failure_reason(exc: BaseException) -> str:
    """Why a save failed, in words that hold no case data."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.problems.values())
    if isinstance(exc, ReadOnlyVersion):
        return "this version is finished and read-only."
    if isinstance(exc, OSError):
        return "the disk could not be written (is it full or disconnected?)."
    report_to_stderr(exc)
    return f"an unexpected error ({type(exc).__name__}). Your work is still here."


def _format_date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


class CaseView(QWidget):
    """Emits `save_state_changed(text)` and `close_requested`. Call `flush()` before anything
    that ends the session; it queues the save of unsaved work at once."""

    save_state_changed = Signal(str)
    close_requested = Signal()

    def __init__(
        self,
        case: Case,
        session: Session,
        form_set: FormSet,
        runner: TaskRunner,
        autosave_delay_ms: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self._session = session
        self._runner = runner
        assessment = case.current_assessment
        self._assessment_id = assessment.id if assessment else None
        self._model = assessment.model if assessment else None
        self._records = SignOffRecords()  # read below: the status line's sign-off, overrides
        self._record_reads = Latest()

        self.escalation_offer = EscalationOfferStrip(session, runner)
        self.header = self._build_header()
        self.workspace = AssessmentWorkspace(case, session, form_set, runner, autosave_delay_ms)
        self.navigator = self.workspace.navigator
        self.workspace.save_state_changed.connect(self.save_state_changed)
        self.workspace.case_reloaded.connect(self._case_reloaded)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.workspace, 1)
        self.setTabOrder(self.model_combo, self.back_button)
        self.setTabOrder(self.back_button, self.navigator)
        self._read_records()

    # -- header -------------------------------------------------------------------------------
    def _build_header(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("caseHeader")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.title_label = QLabel()
        self.title_label.setObjectName("caseTitle")
        self.title_label.setAccessibleName("Case")
        self.detail_labels: list[QLabel] = []
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        for i in range(len(self._details())):
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.RichText)
            self.detail_labels.append(label)
            grid.addWidget(label, i // 3, i % 3)
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Assessment model")
        for model in AssessmentModel:
            self.model_combo.addItem(model.label, model.value)
        self.model_combo.activated.connect(self._model_activated)
        self.back_button = QPushButton("Back to case list")
        self.back_button.setAccessibleName("Back to case list")
        self.back_button.setToolTip("Close this case (Ctrl+W)")
        self.back_button.clicked.connect(self.close_requested)
        model_form = QFormLayout()
        model_form.addRow("&Model:", self.model_combo)
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addLayout(model_form)
        top.addWidget(self.back_button)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.escalation_offer)
        self._refresh_header()
        return frame

    def _details(self) -> list[tuple[str, str]]:
        case = self.case
        return [
            (
                "Date of birth",
                f"{_format_date(case.date_of_birth)} (age {case.age_at_request} at request)",
            ),
            ("Lead agency", label_of(case.lead_agency)),
            ("Lead worker", case.lead_worker),
            ("Co-workers", ", ".join(case.co_workers) or "None"),
            ("Requested by", label_of(case.requested_by)),
            ("Request date", _format_date(case.request_date)),
            ("Due", _format_date(self._due_date())),
            ("Status", status_words(case, self._records)[0]),
            ("Joint with social worker", "Yes" if case.joint_with_social_worker else "No"),
        ]

    def _refresh_header(self) -> None:
        self.title_label.setText(
            f"<b style='font-size:15pt'>{html.escape(self.case.reference)}</b>"
            f"&nbsp;&nbsp;{html.escape(self.case.young_person_name)}"
        )
        details = self._details()
        for label, (name, value) in zip(self.detail_labels, details, strict=True):
            label.setText(
                f"<span style='color:#555'>{html.escape(name)}:</span> {html.escape(value)}"
            )
            label.setAccessibleName(f"{name}: {value}")
            label.setToolTip("")
        status_label = self.detail_labels[[name for name, _ in details].index("Status")]
        full = status_words(self.case, self._records)[1]
        status_label.setToolTip(full)
        status_label.setAccessibleName(f"Status: {full}")
        assessment = self.case.current_assessment
        if self._model is not None:
            self.model_combo.setCurrentIndex(self.model_combo.findData(self._model.value))
        # The model is chosen per version and fixed once the version is finished.
        self.model_combo.setEnabled(assessment is not None and not assessment.finished)
        self.escalation_offer.show_case(self.case)

    def _read_records(self) -> None:
        read_sign_off_records(self._runner, self._session, self.case.id).latest(
            self._record_reads
        ).on_done(self._records_read).run()

    def _records_read(self, records: SignOffRecords) -> None:
        self._records = records
        self._refresh_header()

    def _due_date(self) -> date | None:
        assessment = self.case.current_assessment
        return assessment.due_date if assessment else None

    def _model_activated(self) -> None:
        model = AssessmentModel(self.model_combo.currentData())
        if model == self._model or self._assessment_id is None or self._model is None:
            return
        answer = QMessageBox.question(
            self,
            "Change assessment model",
            f"Use {model.label} for this assessment? Ratings, evidence and text are kept; "
            "ratings not on the new model's scale will need rating again.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.model_combo.setCurrentIndex(self.model_combo.findData(self._model.value))
            return
        self.flush()
        previous = self._model
        self._model = model

        def failed(exc: BaseException) -> None:
            self._model = previous
            self.model_combo.setCurrentIndex(self.model_combo.findData(previous.value))
            self._set_state(not_saved(save_failure_reason(exc)))

        self._set_state(SAVING)
        change_model(
            self._runner, self._session, self.case.id, self._assessment_id, model
        ).on_error(failed).run()  # the pages follow the new model's scale from the change

    def _case_reloaded(self, case: Case) -> None:
        """The case changed (status, model, a version finished or started): the header
        follows; the workspace has read it and opens the current version itself."""
        self.case = case
        assessment = case.current_assessment
        self._assessment_id = assessment.id if assessment else None
        self._model = assessment.model if assessment else None
        self._refresh_header()
        self._read_records()  # a status change may have recorded an override

    # -- saving -------------------------------------------------------------------------------
    def _set_state(self, text: str) -> None:
        self.save_state_changed.emit(text)

    def flush(self) -> None:
        """Queue the save of everything not yet saved, now."""
        self.workspace.flush()

    def has_unsaved(self) -> bool:
        return self.workspace.has_unsaved()

    # -- clearing -----------------------------------------------------------------------------
    def clear_sensitive(self) -> None:
        """Save what is pending, then empty every widget that shows case data; the view is
        thrown away afterwards."""
        self.workspace.flush()
        self._runner.wait_for_idle()  # saves are small: let them land before forgetting
        self._record_reads.drop()
        self._records = SignOffRecords()
        self.workspace.clear_sensitive()
        self.escalation_offer.clear_sensitive()
        self.title_label.clear()
        for label in self.detail_labels:
            label.clear()
