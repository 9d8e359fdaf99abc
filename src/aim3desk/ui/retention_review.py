"""The retention review window (File > Retention review, Ctrl+Shift+T): the closed cases past
their retention date under the organisation's rule, each needing a decision (delete, keep
for a further period, or legal hold), and with "Show every closed case" each closed case with
the day it is kept until. Reads and decisions run on the store worker; the window follows
every change to the case list while it is open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.cases import CaseStatus
from aim3desk.ui.assessment.page_kit import explanation, fmt_date
from aim3desk.ui.exchange_kit import MessageLabel, error_sentence
from aim3desk.ui.operations.base import Changes, Latest
from aim3desk.ui.operations.retention import RetentionView, read_retention
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.domain.retention import RetentionStatus
    from aim3desk.services.session import Session

COLUMNS = ("Case", "Closed", "Kept until", "State", "Why")


def state_words(status: RetentionStatus) -> str:
    """The state in a word or two (never by colour alone)."""
    if status.due:
        return "Due for a decision"
    if status.on_hold:
        return "On legal hold"
    return "Kept"


class RetentionReviewWindow(QDialog):
    """Not modal: the case list stays usable beside it. `hold_requested(case_id, reference)`
    asks the owner to open the legal hold dialog of a case."""

    hold_requested = Signal(str, str)

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
        before_delete: Callable[[str], None] = lambda _case_id: None,
    ) -> None:
        super().__init__(parent)
        self._before_delete = before_delete  # the decision dialog's (see there)
        self._session = session
        self._runner = runner
        self._today = today
        self._reads = Latest()
        self.view: RetentionView | None = None
        self.shown: list[RetentionStatus] = []
        self.setWindowTitle("Retention review")
        self.setAccessibleName("Retention review")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(980, 520)
        self.rule_label = explanation("Reading the retention rule...")
        self.rule_label.setAccessibleName("Retention rule")
        self.all_check = QCheckBox("Show every &closed case, with the day it is kept until")
        self.all_check.setAccessibleName("Show every closed case")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Cases for retention review")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.count_label = MessageLabel()
        self.count_label.setAccessibleName("Retention review status")
        self.decide_button = QPushButton("&Decide...")
        self.decide_button.setAccessibleName("Record a decision on the selected case")
        self.hold_button = QPushButton("Legal &hold...")
        self.hold_button.setAccessibleName("Legal hold of the selected case")
        for widget in (self.decide_button, self.hold_button):
            widget.setAutoDefault(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.decide_button)
        row.addWidget(self.hold_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.all_check)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(row)
        self.all_check.toggled.connect(self._show_rows)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.decide())
        self.decide_button.clicked.connect(self.decide)
        self.hold_button.clicked.connect(self._hold)
        self._update_buttons()
        # A case's status, holds or decisions may move while the window is open.
        runner.changes.changed.connect(self._store_changed)
        self.refresh()

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        if self.isVisible() and (changes.case_list or changes.case_details):
            self.refresh()  # a closed (or locked) window reads nothing more

    # -- reading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        read_retention(self._runner, self._session, self._today()).latest(self._reads).on_done(
            self._read
        ).on_error(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        if isValid(self.count_label):
            self.count_label.setText(error_sentence(exc, "reading the retention review"))

    def _read(self, view: RetentionView) -> None:
        if not isValid(self.table):
            return  # closed while reading
        self.view = view
        self.rule_label.setText(
            f"Your organisation's rule: a closed case is {view.rule.describe()}. A case "
            "past that day is listed here for a manager's decision: delete it, keep it for "
            "a further period, or place it on legal hold. Nothing is deleted without a "
            "decision, and a case on legal hold is never due."
        )
        self._show_rows()

    def _show_rows(self) -> None:
        if self.view is None:
            return
        selected = self.selected()
        every = self.all_check.isChecked()
        self.shown = [
            s for s in self.view.statuses if s.due or (every and s.status is CaseStatus.CLOSED)
        ]
        self.table.setRowCount(len(self.shown))
        for row, status in enumerate(self.shown):
            cells = (
                status.reference,
                fmt_date(status.closed_on) or "Not recorded",
                fmt_date(status.retain_until),
                state_words(status),
                status.explanation,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, status.case_id)
                if column == 3 and status.due:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
            if selected is not None and status.case_id == selected.case_id:
                self.table.selectRow(row)
        self.table.resizeRowsToContents()
        due = sum(1 for s in self.view.statuses if s.due)
        if due:
            self.count_label.setText(
                f"{due} case{'s' if due != 1 else ''} past the retention date "
                f"need{'s' if due == 1 else ''} a decision."
            )
        else:
            self.count_label.setText("No case is due for a retention decision.")
        self._update_buttons()

    # -- acting -------------------------------------------------------------------------------
    def selected(self) -> RetentionStatus | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.shown):
            return None
        return self.shown[rows[0].row()]

    def select_case(self, case_id: str) -> None:
        for row, status in enumerate(self.shown):
            if status.case_id == case_id:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        status = self.selected()
        self.decide_button.setEnabled(status is not None and status.due)
        self.hold_button.setEnabled(status is not None)

    def decide(self) -> None:
        """The decision dialog for the selected case (only one that is due)."""
        status = self.selected()
        if status is None or not status.due:
            return
        from aim3desk.ui.retention_decision import RetentionDecisionDialog

        dialog = RetentionDecisionDialog(
            status, self._session, self._runner, self, self._today, self._before_delete
        )
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.decision_dialog = dialog  # tests and screenshots reach it
        dialog.open()

    def _hold(self) -> None:
        status = self.selected()
        if status is not None:
            self.hold_requested.emit(status.case_id, status.reference)

    def clear_sensitive(self) -> None:
        """Lock: forget what was shown (references only, but still the profile's data)."""
        self._reads.drop()
        self.view = None
        self.shown = []
        self.table.setRowCount(0)
