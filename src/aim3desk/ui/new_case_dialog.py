"""File > New case: every case field, the assessment model proposed from age, the due date,
and each validation message beside the field it is about."""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    ValidationError,
    age_on,
    due_date,
    new_id,
    propose_model,
    validate_case,
)
from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.operations.cases import add_case
from aim3desk.ui.tasks import TaskRunner, describe_unexpected, report_to_stderr

if TYPE_CHECKING:
    from aim3desk.services.session import Session

DATE_FORMAT = "dd/MM/yyyy"
_NO_DATE = QDate(1900, 1, 1)  # shown as "Not entered": a QDateEdit cannot be empty


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def split_co_workers(text: str) -> tuple[str, ...]:
    """Co-workers typed one per line or separated by commas or semicolons."""
    return tuple(name.strip() for name in re.split(r"[,;\n]", text) if name.strip())


def enum_combo(members: list[Any], accessible_name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible_name)
    for member in members:
        combo.addItem(member.label, member.value)  # Qt hands str subclasses back as str
    return combo


class NewCaseDialog(QDialog):
    """After exec() returns Accepted, `case` is the case as the store saved it. (`session`
    may be None only where nothing is saved: checking the fields alone.)"""

    def __init__(
        self,
        session: Session | None,
        runner: TaskRunner,
        deadline_weeks: int,
        lead_worker: str = "",
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self._deadline_weeks = deadline_weeks
        self._today = today or date.today()
        self._model_chosen_by_hand = False
        self._busy = False
        self._touched: set[str] = set()
        self.case: Case | None = None
        self.setWindowTitle("New case")
        self.setMinimumWidth(560)

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Young person's name")
        self.dob_edit = self._date_edit("Date of birth", _NO_DATE)
        self.dob_edit.setSpecialValueText("Not entered")
        self.reference_edit = QLineEdit()
        self.reference_edit.setAccessibleName("Case reference")
        self.reference_edit.setPlaceholderText("For example YOS/2025/014 (never the child's name)")
        self.agency_combo = enum_combo(list(LeadAgency), "Lead agency")
        self.lead_worker_edit = QLineEdit(lead_worker)
        self.lead_worker_edit.setAccessibleName("Lead worker")
        self.co_workers_edit = QPlainTextEdit()
        self.co_workers_edit.setAccessibleName("Co-workers")
        self.co_workers_edit.setPlaceholderText("One per line, or separated by commas")
        self.co_workers_edit.setTabChangesFocus(True)
        self.co_workers_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.requester_combo = enum_combo(list(Requester), "Requested by")
        self.request_date_edit = self._date_edit("Request date", QDate.currentDate())
        self.request_date_edit.setDate(QDate(self._today.year, self._today.month, self._today.day))
        self.joint_check = QCheckBox("Joint assessment with the social worker")
        self.joint_check.setAccessibleName("Joint assessment with the social worker")
        self.status_combo = enum_combo(list(CaseStatus), "Status")
        self.model_combo = enum_combo(list(AssessmentModel), "Assessment model")
        self.model_note = QLabel()
        self.model_note.setAccessibleName("Why this model")
        self.model_note.setWordWrap(True)
        self.due_label = QLabel()
        self.due_label.setAccessibleName("Due date")

        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._row(form, "Young person's &name:", self.name_edit, "young_person_name")
        self._row(form, "Date of &birth:", self.dob_edit, "date_of_birth")
        self._row(form, "Case &reference:", self.reference_edit, "reference")
        self._row(form, "Lead &agency:", self.agency_combo, "lead_agency")
        self._row(form, "&Lead worker:", self.lead_worker_edit, "lead_worker")
        self._row(form, "&Co-workers:", self.co_workers_edit, "co_workers")
        self._row(form, "Re&quested by:", self.requester_combo, "requested_by")
        self._row(form, "Request &date:", self.request_date_edit, "request_date")
        form.addRow("", self.joint_check)
        self._row(form, "&Status:", self.status_combo, "status")
        self._row(form, "Assessment &model:", self.model_combo, "model")
        form.addRow("", self.model_note)
        form.addRow("Due by:", self.due_label)

        self.general_error = QLabel()
        self.general_error.setObjectName("errorLabel")
        self.general_error.setWordWrap(True)
        self.general_error.setAccessibleName("Problem")
        self.busy = BusyIndicator()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add case")
        self.ok_button.setAccessibleName("Add case")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

        order = [
            self.name_edit,
            self.dob_edit,
            self.reference_edit,
            self.agency_combo,
            self.lead_worker_edit,
            self.co_workers_edit,
            self.requester_combo,
            self.request_date_edit,
            self.joint_check,
            self.status_combo,
            self.model_combo,
            self.ok_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

        for field_name, edit in (
            ("young_person_name", self.name_edit),
            ("reference", self.reference_edit),
            ("lead_worker", self.lead_worker_edit),
        ):
            edit.textChanged.connect(self._changed)
            edit.editingFinished.connect(lambda f=field_name: self._touch(f))
        self.co_workers_edit.textChanged.connect(lambda: self._touch("co_workers"))
        self.dob_edit.dateChanged.connect(lambda: self._touch("date_of_birth"))
        self.request_date_edit.dateChanged.connect(lambda: self._touch("request_date"))
        self.dob_edit.dateChanged.connect(self._update_model_and_due)
        self.request_date_edit.dateChanged.connect(self._update_model_and_due)
        self.model_combo.activated.connect(self._model_chosen)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self._update_model_and_due()
        self._changed()
        self.name_edit.setFocus()

    # -- building -----------------------------------------------------------------------------
    def _date_edit(self, accessible_name: str, initial: QDate) -> QDateEdit:
        edit = QDateEdit(initial)
        edit.setAccessibleName(accessible_name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setMinimumDate(_NO_DATE)
        edit.setMaximumDate(QDate(2100, 12, 31))
        return edit

    def _row(self, form: QFormLayout, label: str, field: QWidget, name: str) -> None:
        form.addRow(label, field)
        error = QLabel()
        error.setObjectName("errorLabel")
        error.setWordWrap(True)
        error.setAccessibleName(f"Problem with {field.accessibleName().lower()}")
        error.hide()
        form.addRow("", error)
        self.errors[name] = error

    # -- live updates -------------------------------------------------------------------------
    def _dob(self) -> date | None:
        value = self.dob_edit.date()
        return None if value == _NO_DATE else to_date(value)

    def _model_chosen(self) -> None:
        self._model_chosen_by_hand = True
        self._update_model_and_due()

    def _update_model_and_due(self) -> None:
        request = to_date(self.request_date_edit.date())
        dob = self._dob()
        chosen = AssessmentModel(self.model_combo.currentData())
        if dob is None:
            self.model_note.setText("Enter the date of birth to have a model proposed.")
        else:
            age = age_on(dob, request)
            proposed = propose_model(dob, request)
            if not self._model_chosen_by_hand:
                self.model_combo.setCurrentIndex(self.model_combo.findData(proposed.value))
                chosen = proposed
            note = f"Age {age} at the request date: {proposed.label} is proposed."
            if chosen != proposed:
                note += f" You chose {chosen.label}."
            self.model_note.setText(note)
        due = due_date(request, self._deadline_weeks)
        self.due_label.setText(
            f"{due:%d/%m/%Y} ({self._deadline_weeks} weeks after the request date)"
        )
        self._changed()

    def _touch(self, name: str) -> None:
        self._touched.add(name)
        self._show_problems(self._problems(), only_touched=True)

    def _changed(self) -> None:
        required_filled = (
            bool(self.name_edit.text().strip())
            and bool(self.reference_edit.text().strip())
            and bool(self.lead_worker_edit.text().strip())
            and self._dob() is not None
        )
        self.ok_button.setEnabled(required_filled and not self._busy)
        if self._touched:
            self._show_problems(self._problems(), only_touched=True)

    # -- validation and saving ----------------------------------------------------------------
    def build_case(self) -> Case:
        return Case(
            id=new_id(),
            reference=self.reference_edit.text().strip(),
            young_person_name=self.name_edit.text().strip(),
            date_of_birth=self._dob() or to_date(_NO_DATE),
            lead_agency=LeadAgency(self.agency_combo.currentData()),
            lead_worker=self.lead_worker_edit.text().strip(),
            requested_by=Requester(self.requester_combo.currentData()),
            request_date=to_date(self.request_date_edit.date()),
            co_workers=split_co_workers(self.co_workers_edit.toPlainText()),
            joint_with_social_worker=self.joint_check.isChecked(),
            status=CaseStatus(self.status_combo.currentData()),
        )

    def _problems(self) -> dict[str, str]:
        try:
            validate_case(self.build_case(), self._today)
        except ValidationError as exc:
            return dict(exc.problems)
        return {}

    def _show_problems(self, problems: dict[str, str], only_touched: bool = False) -> None:
        unplaced = []
        for name, label in self.errors.items():
            message = problems.get(name, "")
            if only_touched and name not in self._touched:
                message = ""
            label.setText(message)
            label.setVisible(bool(message))
        for name, message in problems.items():
            if name not in self.errors:
                unplaced.append(message)
        if not only_touched:
            self.general_error.setText(" ".join(unplaced))

    def _save(self) -> None:
        if not self.ok_button.isEnabled():
            return
        problems = self._problems()
        if problems:
            self._touched.update(problems)
            self._show_problems(problems)
            first = next(iter(problems))
            widget = {
                "young_person_name": self.name_edit,
                "date_of_birth": self.dob_edit,
                "reference": self.reference_edit,
                "lead_worker": self.lead_worker_edit,
                "co_workers": self.co_workers_edit,
                "request_date": self.request_date_edit,
            }.get(first)
            if widget is not None:
                widget.setFocus()
            return
        case = self.build_case()
        model = AssessmentModel(self.model_combo.currentData())
        assert self._session is not None
        self._set_busy(True)
        add_case(self._runner, self._session, case, model).on_done(self._saved).on_error(
            self._failed
        ).run()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            self.busy.start("Saving the case...")
        else:
            self.busy.stop()
        self._changed()

    def _saved(self, case: Case) -> None:
        self._set_busy(False)
        self.case = case
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            self._touched.update(exc.problems)
            self._show_problems(dict(exc.problems))
        else:
            report_to_stderr(exc)
            self.general_error.setText(describe_unexpected("adding the case", exc))

    def reject(self) -> None:
        if not self._busy:
            super().reject()
