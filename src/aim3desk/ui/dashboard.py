"""The deadlines dashboard across every case: assessments due, supervision due, reviews due and
unknowns to answer, overdue first (and marked so in words and colour), with a filter by kind.
Each row names the young person beside the reference. Double-click or Enter opens the case at
the item that is due (ui/place.py). Read by the `read_deadlines` operation, only while the
dashboard is shown: at unlock the case list's read goes first on the one store worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.deadlines import Deadline, DeadlineKind
from aim3desk.ui.assessment.page_kit import fmt_date
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.deadlines import read_deadlines
from aim3desk.ui.place import place_of_deadline
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex

    from aim3desk.services.session import Session

CASE_ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE_BACKGROUND = QColor("#fde7e9")
OVERDUE_TEXT = QColor("#8a0014")
COLUMNS = ("When", "Due", "Case", "Young person", "What is due", "Details")


def when_words(due: date, overdue: bool, today: date) -> str:
    days = (due - today).days
    if overdue:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    return f"In {days} day{'s' if days != 1 else ''}"


def when_text(deadline: Deadline, today: date) -> str:
    return when_words(deadline.due, deadline.overdue, today)


def due_table(name: str, columns: tuple[str, ...], widths: tuple[int, ...]) -> QTableWidget:
    """A read-only table of things due, one row selected at a time (this dashboard and the
    supervisor's Supervisees tab)."""
    table = QTableWidget(0, len(columns))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def set_due_row(
    table: QTableWidget, row: int, values: tuple[str, ...], overdue: bool, data: object = None
) -> None:
    """One row, overdue ones marked in colour and their first column in bold."""
    bold = QFont(table.font())
    bold.setBold(True)
    for column, value in enumerate(values):
        item = QTableWidgetItem(value)
        if data is not None:
            item.setData(CASE_ID_ROLE, data)
        item.setToolTip(value)
        if overdue:
            item.setBackground(QBrush(OVERDUE_BACKGROUND))
            item.setForeground(QBrush(OVERDUE_TEXT))
            if column == 0:
                item.setFont(bold)
        table.setItem(row, column, item)


def summary_style(overdue: int) -> str:
    return "color: #8a0014; font-weight: bold;" if overdue else ""


class DeadlinesDashboard(QWidget):
    """`refresh(session)` reads every deadline now; `follow(session)` reads them now if shown,
    else each time it is next shown. Emits `open_place(place)` (a ui.place.Place: the case at
    the item that is due)."""

    open_place = Signal(object)

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
        self.deadlines: list[Deadline] = []
        self._rows: list[Deadline] = []  # as shown, filtered
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Filter deadlines by kind")
        self.kind_combo.addItem("All deadlines", None)
        for kind in DeadlineKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.overdue_only = QComboBox()
        self.overdue_only.setAccessibleName("Overdue or all")
        self.overdue_only.addItem("Overdue and coming up", False)
        self.overdue_only.addItem("Overdue only", True)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setAccessibleName("Refresh the deadlines")
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Deadlines summary")
        self.table = due_table("Deadlines", COLUMNS, (150, 95, 110, 200, 160))
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        filters.addWidget(self.kind_combo)
        filters.addWidget(self.overdue_only)
        filters.addStretch(1)
        filters.addWidget(self.summary_label)
        filters.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        self.kind_combo.currentIndexChanged.connect(self._fill)
        self.overdue_only.currentIndexChanged.connect(self._fill)
        self.table.activated.connect(self._activated)
        self._session: Session | None = None
        self.refresh_button.clicked.connect(lambda: self.refresh(self._session))

    def refresh(self, session: Session | None) -> None:
        if session is None:
            return
        self._session = session
        read_deadlines(self._runner, session, self._today()).latest(self._reads).on_done(
            self._show
        ).run()

    def follow(self, session: Session) -> None:
        """Show this session's deadlines: read now if the dashboard is shown, otherwise when
        it is next shown (its tab chosen, the home page back after a case closes)."""
        self._session = session
        if self.isVisible():
            self.refresh(session)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not event.spontaneous():  # not a window restored from the taskbar
            self.refresh(self._session)

    def _show(self, found: list[Deadline]) -> None:
        self.deadlines = found
        self._fill()

    def shown(self) -> list[Deadline]:
        kind = self.kind_combo.currentData()
        overdue_only = bool(self.overdue_only.currentData())
        return [
            d
            for d in self.deadlines
            if (kind is None or d.kind.value == kind) and (d.overdue or not overdue_only)
        ]

    def _fill(self) -> None:
        rows = self._rows = self.shown()
        today = self._today()
        self.table.setRowCount(len(rows))
        for row, deadline in enumerate(rows):
            values = (
                when_text(deadline, today),
                fmt_date(deadline.due),
                deadline.case_reference,
                deadline.young_person,
                deadline.kind.label,
                deadline.what,
            )
            set_due_row(self.table, row, values, deadline.overdue, deadline.case_id)
        overdue = sum(1 for d in self.deadlines if d.overdue)
        self.summary_label.setText(
            f"{len(self.deadlines)} deadline{'s' if len(self.deadlines) != 1 else ''}, "
            f"{overdue} overdue"
        )
        self.summary_label.setStyleSheet(summary_style(overdue))
        self.empty_label.setVisible(not rows)
        self.empty_label.setText(
            "Nothing due matches the filter." if self.deadlines else "Nothing is due."
        )

    def _activated(self, index: QModelIndex) -> None:
        self.open_row(index.row())

    def open_row(self, row: int) -> None:
        """Open the case of a shown row at the item that is due."""
        if 0 <= row < len(self._rows):
            self.open_place.emit(place_of_deadline(self._rows[row]))

    def clear(self) -> None:
        """Forget every row (case references) on lock."""
        self._reads.drop()
        self._session = None
        self.deadlines = []
        self._rows = []
        self.table.setRowCount(0)
        self.summary_label.clear()
        self.empty_label.hide()
