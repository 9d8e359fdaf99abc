"""A decision on a case past its retention date: keep it until a later day, place it on
legal hold, or delete it. The reason and who authorised it are required; deleting says
plainly what it removes and asks for the case reference to be typed. The decision runs on
the store worker (a deletion with it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.retention import Decision, RetentionDecision, add_years
from aim3desk.ui.assessment.page_kit import explanation, fmt_date, ok_cancel
from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.date_field import DateField, first_invalid
from aim3desk.ui.delete_case_dialog import result_html
from aim3desk.ui.exchange_kit import WARNING_COLOUR, MessageLabel, error_sentence
from aim3desk.ui.operations.retention import decide
from aim3desk.ui.tasks import TaskRunner
from aim3desk.ui.text_limit import LimitedPlainTextEdit, limit_line

if TYPE_CHECKING:
    from aim3desk.domain.retention import RetentionStatus
    from aim3desk.services.deletion import DeletionResult
    from aim3desk.services.retention import Decided
    from aim3desk.services.session import Session

DELETION_REMOVES = (
    "Deleting removes this case from this profile for good: the young person's details, "
    "every version of the assessment and its content, the supervision notes, the "
    "intervention plan and the logs, from the database and its backups. The case's bundles "
    "in your own shared folder are withdrawn. Only a line without any case content stays in "
    "the audit trail (the case id, who, when and under which rule). Copies held by other "
    "people are listed afterwards so you can ask them to delete theirs. This cannot be undone."
)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class RetentionDecisionDialog(QDialog):
    """On success `decision` is the recorded decision and the dialog is accepted."""

    def __init__(
        self,
        status: RetentionStatus,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
        before_delete: Callable[[str], None] = lambda _case_id: None,
    ) -> None:
        """`before_delete(case_id)` runs just before a deletion is asked for: the main
        window closes the case if it is open, so nothing saves into a deleted case."""
        super().__init__(parent)
        self.status = status
        self._before_delete = before_delete
        self._session = session
        self._runner = runner
        self.decision: RetentionDecision | None = None
        self.deletion: DeletionResult | None = None  # after a decision to delete
        self.setWindowTitle(f"Retention decision: {status.reference}")
        self.setAccessibleName("Retention decision")
        self.resize(620, 560)
        now = today()
        facts = explanation(
            f"Case {status.reference}, closed {fmt_date(status.closed_on)}, was kept until "
            f"{fmt_date(status.retain_until)} under your organisation's rule. Record the "
            "decision a manager made on it."
        )
        self.keep_radio = QRadioButton("&Keep it for a further period, until")
        self.hold_radio = QRadioButton("Place it on &legal hold (kept until the hold is lifted)")
        self.delete_radio = QRadioButton("D&elete it now")
        self.choices = QButtonGroup(self)
        for choice, radio in (
            (Decision.KEEP, self.keep_radio),
            (Decision.HOLD, self.hold_radio),
            (Decision.DELETE, self.delete_radio),
        ):
            radio.setProperty("decision", choice.value)
            radio.setAccessibleName(choice.label)
            self.choices.addButton(radio)
        self.keep_until_edit = DateField(
            "Keep until",
            add_years(now, 1),
            required=True,
            minimum=date.fromordinal(now.toordinal() + 1),
        )
        keep_row = QHBoxLayout()
        keep_row.addWidget(self.keep_radio)
        keep_row.addWidget(self.keep_until_edit)
        keep_row.addStretch(1)
        self.delete_warning = QLabel(DELETION_REMOVES)
        self.delete_warning.setWordWrap(True)
        self.delete_warning.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.delete_warning.setAccessibleName("What deletion removes")
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setAccessibleName("Type the case reference to confirm")
        self.confirm_label = QLabel(f"&Type the case reference {status.reference} to confirm:")
        self.confirm_label.setBuddy(self.confirm_edit)
        self.reason_edit = LimitedPlainTextEdit("reason")
        self.reason_edit.setAccessibleName("Reason for the decision")
        self.reason_edit.setPlaceholderText(
            "Why (required; kept with the decision, never in the audit trail)"
        )
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(80)
        self.authorised_edit = limit_line(QLineEdit(), "authorised_by")
        self.authorised_edit.setAccessibleName("Authorised by")
        self.authorised_edit.setPlaceholderText("The manager who decided")
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason_edit)
        authorised_label = QLabel("&Authorised by:")
        authorised_label.setBuddy(self.authorised_edit)
        form = QFormLayout()
        form.addRow(reason_label, self.reason_edit)
        form.addRow(authorised_label, self.authorised_edit)
        self.error_label = MessageLabel("errorLabel")
        self.buttons = ok_cancel(self, "Record decision")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.save)
        self.busy = BusyIndicator()
        # After a deletion its result takes the form's place (what went, what is left to do).
        self.result_view = QTextBrowser()
        self.result_view.setAccessibleName("What the deletion did")
        self.result_view.setOpenLinks(False)
        self.result_view.hide()
        self.form_page = QWidget()
        layout = QVBoxLayout(self.form_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(facts)
        layout.addLayout(keep_row)
        layout.addWidget(self.hold_radio)
        layout.addWidget(self.delete_radio)
        layout.addWidget(self.delete_warning)
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.confirm_edit)
        layout.addLayout(form)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.form_page, 1)
        outer.addWidget(self.result_view, 1)
        outer.addWidget(self.error_label)
        outer.addWidget(self.busy)
        outer.addWidget(self.buttons)
        self.keep_radio.setChecked(True)
        self.choices.buttonToggled.connect(lambda *_: self._update())
        for edit in (self.confirm_edit, self.authorised_edit):
            edit.textChanged.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)
        self._update()

    def chosen(self) -> Decision:
        return Decision(self.choices.checkedButton().property("decision"))

    def _reference_typed(self) -> bool:
        return self.confirm_edit.text().strip().casefold() == self.status.reference.casefold()

    def _update(self) -> None:
        deleting = self.chosen() is Decision.DELETE
        for widget in (self.delete_warning, self.confirm_label, self.confirm_edit):
            widget.setVisible(deleting)
        self.keep_until_edit.setEnabled(self.chosen() is Decision.KEEP)
        ready = bool(self.reason_edit.toPlainText().strip() and self.authorised_edit.text().strip())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Delete the case" if deleting else "Record decision")
        ok.setEnabled(ready and (not deleting or self._reference_typed()))

    def save(self) -> None:
        choice = self.chosen()
        if choice is Decision.DELETE and not self._reference_typed():
            self.error_label.setText(f"Type {self.status.reference} to confirm the deletion.")
            return
        if first_invalid(self) is not None:
            return
        keep_until = self.keep_until_edit.value() if choice is Decision.KEEP else None

        def done(decided: Decided) -> None:
            self.decision = decided.decision
            self.deletion = decided.deletion
            if decided.deletion is None:
                self.accept()
                return
            self.busy.stop()
            self.form_page.hide()
            self.result_view.setHtml(result_html(decided.deletion))
            self.result_view.show()
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
            self.buttons.rejected.disconnect()
            self.buttons.rejected.connect(self.accept)  # the decision is made: accepted
            self.buttons.setEnabled(True)

        def failed(exc: BaseException) -> None:
            self.busy.stop()
            self.buttons.setEnabled(True)
            self.error_label.setText(error_sentence(exc, "recording the decision"))

        self.buttons.setEnabled(False)
        self.error_label.setText("")
        if choice is Decision.DELETE:
            self.busy.start("Deleting the case, cleaning the backups and the shared folder...")
            self._before_delete(self.status.case_id)
        decide(
            self._runner,
            self._session,
            self.status.case_id,
            choice,
            self.reason_edit.toPlainText(),
            self.authorised_edit.text(),
            keep_until,
        ).on_done(done).on_error(failed).run()
