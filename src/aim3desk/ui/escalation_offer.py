"""The strip in the case header that offers escalation to the line manager when the six-week
due date is near or passed (domain/deadlines.escalation_offer decides when), and records the
escalation in the case's escalation log through the log's own dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from aim3desk.domain.cases import Case
from aim3desk.domain.deadlines import EscalationOffer, escalation_offer
from aim3desk.ui.assessment.page_kit import fmt_date
from aim3desk.ui.case_logs_view import EscalationDialog
from aim3desk.ui.date_field import first_invalid
from aim3desk.ui.operations.logs import save_escalation
from aim3desk.ui.record_saver import save_failure_reason
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.session import Session

NEAR_STYLE = (
    "QFrame#escalationOffer { background: #fff4e5; border: 1px solid #e0a040; border-radius: 4px; }"
)
OVERDUE_STYLE = (
    "QFrame#escalationOffer { background: #fde7e9; border: 1px solid #d9534f; border-radius: 4px; }"
)


def offer_words(offer: EscalationOffer) -> str:
    due = fmt_date(offer.due)
    days = abs(offer.days_left)
    plural = "s" if days != 1 else ""
    if offer.overdue:
        when = f"was due {due} ({days} day{plural} ago)"
    elif offer.days_left == 0:
        when = f"is due today ({due})"
    else:
        when = f"is due {due} (in {days} day{plural})"
    return f"The assessment {when}. Barriers or delays go to your line manager for escalation."


class EscalationOfferStrip(QFrame):
    """Hidden unless the case's assessment is due within a week or overdue. `dialog` is the
    escalation dialog while it is open."""

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("escalationOffer")
        self._session, self._runner, self._today = session, runner, today
        self.case: Case | None = None
        self.offer: EscalationOffer | None = None
        self.dialog: EscalationDialog | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.escalate_button = QPushButton("Escalate to line &manager...")
        self.escalate_button.setAccessibleName("Escalate to line manager")
        self.escalate_button.clicked.connect(self.escalate)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.escalate_button)
        self.hide()

    def show_case(self, case: Case) -> None:
        self.case = case
        self.offer = escalation_offer(case, self._today())
        if self.offer is None:
            self.hide()
            return
        self.label.setText(offer_words(self.offer))
        self.label.setAccessibleName(self.label.text())
        self.setStyleSheet(OVERDUE_STYLE if self.offer.overdue else NEAR_STYLE)
        self.show()

    def escalate(self) -> None:
        """The escalation log's dialog, started with the due date; saved into the log."""
        if self.case is None or self.offer is None or self.dialog is not None:
            return
        today = self._today()
        dialog = EscalationDialog(None, today, self.window())
        dialog.barrier_edit.setPlainText(
            f"The assessment is due {fmt_date(self.offer.due)}"
            f"{' and is overdue' if self.offer.overdue else ''}. What is holding it up: "
        )
        dialog.barrier_edit.moveCursor(QTextCursor.MoveOperation.End)
        dialog.barrier_edit.setFocus()
        case_id, session, runner = self.case.id, self._session, self._runner

        def save() -> None:
            if first_invalid(dialog) is not None:
                return

            def failed(exc: BaseException) -> None:
                dialog.error_label.setText(save_failure_reason(exc))

            entry = dialog.entry()
            change = save_escalation(runner, session, case_id, entry, today)
            change.on_done(lambda _saved: dialog.accept()).on_error(failed).run()

        dialog.buttons.accepted.disconnect()
        dialog.buttons.accepted.connect(save)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog: EscalationDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def clear_sensitive(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
        self.case = self.offer = None
        self.label.clear()
        self.hide()
