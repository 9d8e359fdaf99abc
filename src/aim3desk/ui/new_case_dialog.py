"""File > New case and Case > Case details: every case field, the assessment model proposed
from age, the lead agency proposed by the procedure, the due date, and each validation
message beside the field it is about. The form scrolls when the screen is short."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
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
from aim3desk.ui.date_field import DateField, date_of_birth_field
from aim3desk.ui.lead_agency_fields import LeadAgencyFields
from aim3desk.ui.operations.cases import add_case, update_case
from aim3desk.ui.tasks import TaskRunner, describe_unexpected, report_to_stderr
from aim3desk.ui.text_limit import LimitedPlainTextEdit, limit_line

if TYPE_CHECKING:
    from aim3desk.services.session import Session

_NO_DATE = date(1900, 1, 1)  # stands in for a date not entered yet, while checking the rest
DIALOG_HEIGHT = 690  # fits a 1366x768 screen with a taskbar; the form scrolls inside


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
    may be None only where nothing is saved: checking the fields alone.) With `existing`, the
    dialog edits that case's details instead (its status and model are changed elsewhere, and
    its request date is fixed by its assessment)."""

    def __init__(
        self,
        session: Session | None,
        runner: TaskRunner,
        deadline_weeks: int,
        lead_worker: str = "",
        today: date | None = None,
        parent: QWidget | None = None,
        existing: Case | None = None,
    ) -> None:
        super().__init__(parent)
        self._existing = existing
        self._session = session
        self._runner = runner
        self._deadline_weeks = deadline_weeks
        self._today = today or date.today()
        self._model_chosen_by_hand = False
        self._busy = False
        self._touched: set[str] = set()
        self.case: Case | None = None
        self.setWindowTitle("Case details" if existing else "New case")
        self.setMinimumWidth(600)

        self.name_edit = limit_line(QLineEdit(), "young_person_name")
        self.name_edit.setAccessibleName("Young person's name")
        self.dob_edit = date_of_birth_field("Date of birth", self._today)
        self.reference_edit = limit_line(QLineEdit(), "reference")
        self.reference_edit.setAccessibleName("Case reference")
        self.reference_edit.setPlaceholderText("For example YOS/2025/014 (never the child's name)")
        self.agency_combo = enum_combo(list(LeadAgency), "Lead agency")
        self.lead_worker_edit = limit_line(QLineEdit(lead_worker), "lead_worker")
        self.lead_worker_edit.setAccessibleName("Lead worker")
        self.co_workers_edit = LimitedPlainTextEdit("co_workers")
        self.co_workers_edit.setAccessibleName("Co-workers")
        self.co_workers_edit.setPlaceholderText("One per line, or separated by commas")
        self.co_workers_edit.setTabChangesFocus(True)
        self.co_workers_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.requester_combo = enum_combo(list(Requester), "Requested by")
        self.request_date_edit = DateField(
            "Request date", self._today, required=True, maximum=self._today
        )
        self.joint_check = QCheckBox("Joint assessment with the social worker")
        self.joint_check.setAccessibleName("Joint assessment with the social worker")
        self.lead = LeadAgencyFields(
            self.agency_combo, self.requester_combo, self.joint_check, self
        )
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
        lead = self.lead
        self._row(form, "Young person's &name:", self.name_edit, "young_person_name")
        self._row(form, "Date of &birth:", self.dob_edit, "date_of_birth")
        self._row(form, "Case &reference:", self.reference_edit, "reference")
        self._row(form, "Re&quested by:", self.requester_combo, "requested_by")
        self._row(form, "Request &date:", self.request_date_edit, "request_date")
        self._row(form, "&Why was it requested?", lead.request_reason_edit, "request_reason")
        form.addRow("", lead.yos_open_check)
        self._row(form, "Social &worker:", lead.social_worker_edit, "social_worker")
        self._row(form, "Lead &agency:", self.agency_combo, "lead_agency")
        form.addRow("", self.joint_check)
        form.addRow("", lead.proposal_note)
        form.addRow(lead.reason_label, lead.reason_edit)
        self._error_row(form, "lead_agency_reason", "Problem with why not as proposed")
        self._row(form, "&Lead worker:", self.lead_worker_edit, "lead_worker")
        self._row(form, "&Co-workers:", self.co_workers_edit, "co_workers")
        self._row(form, "&Status:", self.status_combo, "status")
        self._row(form, "Assessment &model:", self.model_combo, "model")
        form.addRow("", self.model_note)
        form.addRow("Due by:", self.due_label)
        if existing is not None:
            # The status has its own dialog, the model its own control in the case header,
            # and the request date made the assessment's due date.
            for widget in (self.status_combo, self.model_combo, self.model_note):
                form.setRowVisible(widget, False)
            self.request_date_edit.setEnabled(False)

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
        fields = QWidget()
        fields.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(fields)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

        order = [
            self.name_edit,
            self.dob_edit.line_edit,
            self.reference_edit,
            self.requester_combo,
            self.request_date_edit.line_edit,
            lead.request_reason_edit,
            lead.yos_open_check,
            lead.social_worker_edit,
            self.agency_combo,
            self.joint_check,
            lead.reason_edit,
            self.lead_worker_edit,
            self.co_workers_edit,
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
        lead.reason_edit.textChanged.connect(lambda: self._touch("lead_agency_reason"))
        lead.changed.connect(self._changed)
        self.model_combo.activated.connect(self._model_chosen)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        if existing is not None:
            self._load(existing)
        else:
            lead.follow()
        self._update_model_and_due()
        self._changed()
        self.resize(680, DIALOG_HEIGHT)
        self.name_edit.setFocus()

    @classmethod
    def for_session(
        cls, session: Session, runner: TaskRunner, parent: QWidget, existing: Case | None = None
    ) -> NewCaseDialog:
        """New case (or the details of `existing`) with the profile's deadline and the
        practitioner as the lead worker proposed."""
        return cls(
            session,
            runner,
            deadline_weeks=session.settings.values.assessment_deadline_weeks,
            lead_worker=session.practitioner,
            parent=parent,
            existing=existing,
        )

    # -- building -----------------------------------------------------------------------------
    def _row(self, form: QFormLayout, label: str, field: QWidget, name: str) -> None:
        form.addRow(label, field)
        self._error_row(form, name, f"Problem with {field.accessibleName().lower()}")

    def _error_row(self, form: QFormLayout, name: str, accessible_name: str) -> None:
        error = QLabel()
        error.setObjectName("errorLabel")
        error.setWordWrap(True)
        error.setAccessibleName(accessible_name)
        error.hide()
        form.addRow("", error)
        self.errors[name] = error

    def _load(self, case: Case) -> None:
        self.name_edit.setText(case.young_person_name)
        self.dob_edit.set_value(case.date_of_birth)
        self.reference_edit.setText(case.reference)
        self.lead_worker_edit.setText(case.lead_worker)
        self.co_workers_edit.setPlainText("\n".join(case.co_workers))
        self.requester_combo.setCurrentIndex(self.requester_combo.findData(case.requested_by.value))
        self.request_date_edit.set_value(case.request_date)
        self.agency_combo.setCurrentIndex(self.agency_combo.findData(case.lead_agency.value))
        self.joint_check.setChecked(case.joint_with_social_worker)
        self.lead.load(case)
        self.ok_button.setText("Save")
        self.ok_button.setAccessibleName("Save")

    # -- live updates -------------------------------------------------------------------------
    def _dob(self) -> date | None:
        return self.dob_edit.value()

    def _request_date(self) -> date:
        return self.request_date_edit.value() or self._today

    def _model_chosen(self) -> None:
        self._model_chosen_by_hand = True
        self._update_model_and_due()

    def _update_model_and_due(self) -> None:
        request = self._request_date()
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
        current = self._existing.current_assessment if self._existing else None
        if current is not None:
            self.due_label.setText(f"{current.due_date:%d/%m/%Y}")
        else:
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
            and self.request_date_edit.value() is not None
        )
        self.ok_button.setEnabled(required_filled and not self._busy)
        if self._touched:
            self._show_problems(self._problems(), only_touched=True)

    # -- validation and saving ----------------------------------------------------------------
    def build_case(self) -> Case:
        fields = dict(
            reference=self.reference_edit.text().strip(),
            young_person_name=self.name_edit.text().strip(),
            date_of_birth=self._dob() or _NO_DATE,
            lead_agency=LeadAgency(self.agency_combo.currentData()),
            lead_worker=self.lead_worker_edit.text().strip(),
            requested_by=Requester(self.requester_combo.currentData()),
            request_date=self._request_date(),
            co_workers=split_co_workers(self.co_workers_edit.toPlainText()),
            joint_with_social_worker=self.joint_check.isChecked(),
            **self.lead.values(),
        )
        if self._existing is not None:
            return replace(self._existing, **fields)  # type: ignore[arg-type]
        status = CaseStatus(self.status_combo.currentData())
        return Case(id=new_id(), status=status, **fields)  # type: ignore[arg-type]

    def _problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        try:
            validate_case(self.build_case(), self._today)
        except ValidationError as exc:
            problems = dict(exc.problems)
        if self._dob() is None:
            # Checked with a stand-in day. Text that is not a date: the field says so itself.
            problems["date_of_birth"] = (
                "" if self.dob_edit.problem() else "Enter the date of birth."
            )
        return problems

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
                "lead_agency_reason": self.lead.reason_edit,
            }.get(first)
            if widget is not None:
                widget.setFocus()
            return
        case = self.build_case()
        model = AssessmentModel(self.model_combo.currentData())
        assert self._session is not None
        self._set_busy(True)
        if self._existing is not None:
            change = update_case(self._runner, self._session, case)
        else:
            change = add_case(self._runner, self._session, case, model)
        change.on_done(self._saved).on_error(self._failed).run()

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
