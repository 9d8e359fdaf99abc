"""For a supervisor: every case a supervisee sent for review, with its phase, the supervision
sessions held and when the next is due (three in an assessment, four-weekly in
intervention: the same cadence as the practitioner's deadlines), overdue first and marked
so in words and colour. A tab beside the deadlines, shown when the profile's role is
supervisor. Read by the `read_supervisees` operation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.deadlines import SuperviseeCase
from aim3desk.ui.assessment.page_kit import explanation, fmt_date
from aim3desk.ui.dashboard import due_table, set_due_row, summary_style, when_words
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.deadlines import SuperviseeView, read_supervisees
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.session import Session

COLUMNS = ("When", "Next session due", "Case", "Practitioner", "Phase", "Sessions held", "Details")


def when_text(row: SuperviseeCase, today: date) -> str:
    return "Nothing due" if row.next_due is None else when_words(row.next_due, row.overdue, today)


class SuperviseesPage(QWidget):
    """`refresh(session)` reads the rows; `role_known(is_supervisor)` says whether to show
    the tab."""

    role_known = Signal(bool)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._today = today
        self._reads = Latest()
        self._session: Session | None = None
        self.rows: list[SuperviseeCase] = []
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Supervisees summary")
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAccessibleName("Refresh the supervisees' cases")
        self.refresh_button.clicked.connect(lambda: self.refresh(self._session))
        self.table = due_table("Supervisees' cases", COLUMNS, (140, 130, 120, 170, 110, 100))
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(
            explanation(
                "The cases your supervisees sent you for review, from the newest bundle of "
                "each: when the next supervision session is due."
            ),
            1,
        )
        top.addWidget(self.summary_label)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

    def refresh(self, session: Session | None) -> None:
        if session is None:
            return
        self._session = session
        read_supervisees(self._runner, session, self._today()).latest(self._reads).on_done(
            self._show
        ).run()

    def _show(self, view: SuperviseeView) -> None:
        if not isValid(self.table):
            return  # the window went while the rows were read
        self.rows = view.rows
        self._fill()
        self.role_known.emit(view.is_supervisor)

    def _fill(self) -> None:
        today = self._today()
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            values = (
                when_text(row, today),
                fmt_date(row.next_due) if row.next_due else "",
                row.case_reference,
                row.practitioner,
                row.phase,
                str(row.sessions_held),
                row.what,
            )
            set_due_row(self.table, number, values, row.overdue)
        overdue = sum(1 for r in self.rows if r.overdue)
        due = sum(1 for r in self.rows if r.next_due is not None)
        self.summary_label.setText(
            f"{len(self.rows)} case{'s' if len(self.rows) != 1 else ''}, {due} with a session "
            f"due, {overdue} overdue"
        )
        self.summary_label.setStyleSheet(summary_style(overdue))
        self.empty_label.setVisible(not self.rows)
        self.empty_label.setText("No supervisee has sent you a case for review yet.")

    def clear(self) -> None:
        """Forget every row (case references, names) on lock."""
        self._reads.drop()
        self._session = None
        self.rows = []
        self.table.setRowCount(0)
        self.summary_label.clear()
        self.empty_label.hide()
