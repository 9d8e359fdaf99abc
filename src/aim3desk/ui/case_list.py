"""The case list page: the search and filter bar, the table of cases (ui/case_table.py) and,
while a search is typed, the matches in what was written (ui/case_search.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import CaseStatus
from aim3desk.ui.case_search import FoundPanel
from aim3desk.ui.case_table import (
    CASE_ID_ROLE,
    DUE_COLUMN,
    CaseRow,
    CaseTableModel,
    label_of,
)

if TYPE_CHECKING:
    from aim3desk.services.search import SearchHit

__all__ = [
    "CASE_ID_ROLE",
    "CaseListPage",
    "CaseQuery",
    "CaseTableModel",
    "label_of",
]

DUE_SOON_DAYS = 14
# The search in what was written (FTS5, on the store worker) waits for a pause in typing: at
# 5,000 cases a short prefix costs 0.1-0.3 s there, so a search per key would queue behind
# itself. The case rows follow every key at once, on this side (CaseTableModel.set_search).
CONTENT_SEARCH_DELAY_MS = 150


class CaseQuery(TypedDict):
    """The keyword arguments of CaseService.list_cases that the filters set (the search over
    reference, name and lead worker is applied here, to the rows listed)."""

    status: CaseStatus | list[CaseStatus] | None
    overdue_only: bool
    due_before: date | None
    today: date


class CaseListPage(QWidget):
    """Search box, filters and the table, and below it (while a search is typed) the matches
    in what was written (`found`). The typed search filters the listed rows at once, here;
    the page emits `filters_changed` (status or due filter: list again), `content_search`
    (the typed words after a pause: search what was written), `open_case(case_id)` and
    `open_case_at(case_id, place key)`; the main window runs the queries on the task runner."""

    filters_changed = Signal()
    content_search = Signal()
    open_case = Signal(str)
    open_case_at = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            "Search by reference, name or lead worker, and in what you wrote (Ctrl+F)"
        )
        self.search_edit.setAccessibleName("Search cases")
        self.search_edit.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Filter by status")
        self.status_combo.addItem("All statuses", None)
        self.status_combo.addItem("Open cases", "open")
        for status in CaseStatus:
            self.status_combo.addItem(status.label, status.value)
        self.due_combo = QComboBox()
        self.due_combo.setAccessibleName("Filter by due date")
        self.due_combo.addItem("Due: any time", "any")
        self.due_combo.addItem("Overdue", "overdue")
        self.due_combo.addItem(f"Due within {DUE_SOON_DAYS} days", "soon")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of cases shown")

        self.model = CaseTableModel(self)  # sorts and filters itself: no proxy between
        self.table = QTableView()
        self.table.setAccessibleName("Cases")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DUE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Fixed starting widths: sizing to contents would measure every one of thousands of rows.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 200, 130, 170, 180)):
            self.table.setColumnWidth(column, width)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName("No cases")
        self.found = FoundPanel()
        self.found.hide()
        self.found.open_at.connect(self.open_case_at)
        cases = QWidget()
        cases_layout = QVBoxLayout(cases)
        cases_layout.setContentsMargins(0, 0, 0, 0)
        cases_layout.addWidget(self.table, 1)
        cases_layout.addWidget(self.empty_label)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(cases)
        self.splitter.addWidget(self.found)
        self.splitter.setSizes([220, 400])  # while searching, the matches get the room

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.due_combo)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        self._listed = False  # rows have arrived since the last clear
        self._open_first_when_listed = False
        self._content_timer = QTimer(self)
        self._content_timer.setSingleShot(True)
        self._content_timer.setInterval(CONTENT_SEARCH_DELAY_MS)
        self._content_timer.timeout.connect(self.content_search)
        self.search_edit.textChanged.connect(self._search_typed)
        self.status_combo.currentIndexChanged.connect(self.filters_changed)
        self.due_combo.currentIndexChanged.connect(self.filters_changed)
        self.table.activated.connect(self._activated)  # double-click and Enter
        # From the search box: Down moves into the results, Enter opens the first one.
        self.search_edit.returnPressed.connect(self._open_first_result)
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search_edit)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._focus_results)
        self.setTabOrder(self.search_edit, self.status_combo)
        self.setTabOrder(self.status_combo, self.due_combo)
        self.setTabOrder(self.due_combo, self.table)
        self.setTabOrder(self.table, self.found.table)

    def query(self, today: date | None = None) -> CaseQuery:
        """The keyword arguments for CaseService.list_cases."""
        today = today or date.today()
        due = self.due_combo.currentData()
        return {
            "status": self._status_filter(),
            "overdue_only": due == "overdue",
            "due_before": today + timedelta(days=DUE_SOON_DAYS) if due == "soon" else None,
            "today": today,
        }

    def search_text(self) -> str:
        """The words typed in the search box."""
        return self.search_edit.text().strip()

    def _status_filter(self) -> CaseStatus | list[CaseStatus] | None:
        value = self.status_combo.currentData()
        if value is None:
            return None
        if value == "open":
            return [status for status in CaseStatus if status.is_open]
        return CaseStatus(value)

    def show_rows(self, rows: Sequence[CaseRow]) -> None:
        """The cases listed for the filters (made by case_table.case_rows), shown for the
        search as typed now, in the chosen sort; the selected case stays selected."""
        selected = self.selected_case_id()
        self._listed = True
        self.model.set_case_rows(rows)
        self._rows_changed(selected)

    def _search_typed(self, text: str) -> None:
        selected = self.selected_case_id()
        self.model.set_search(text)
        if self._listed:
            self._rows_changed(selected)
        if text.strip():
            self._content_timer.start()
        else:
            self._content_timer.stop()
            self.content_search.emit()  # nothing to search: the matches go at once

    def _rows_changed(self, selected: str | None) -> None:
        shown = self.model.rowCount()
        self.count_label.setText(f"{shown} case{'s' if shown != 1 else ''}")
        searching = bool(self.search_text())
        filtered = searching or self.status_combo.currentIndex() > 0
        filtered = filtered or self.due_combo.currentIndex() > 0
        # While searching, an empty case table gives its room to the matches in what was written.
        self.table.setVisible(bool(shown) or not searching)
        if not self.table.isVisible():
            self.splitter.setSizes([self.empty_label.sizeHint().height(), 10_000])
        elif self.splitter.sizes()[0] < self.table.minimumSizeHint().height():
            self.splitter.setSizes([220, 400])
        if shown:
            self.empty_label.hide()
        else:
            self.empty_label.setText(
                "No case's reference, name or lead worker matches the search and filters."
                if filtered
                else "No cases yet. Choose File > New case (Ctrl+N) to add the first one."
            )
            self.empty_label.show()
        if selected:
            self.select_case(selected)
        if self._open_first_when_listed and shown:
            self._open_first_when_listed = False
            self._activated(self.model.index(0, 0))

    def show_found(self, hits: list[SearchHit]) -> None:
        """The matches in what was written for the search text as it is now."""
        self.found.show_hits(hits, self.search_text())
        if self._open_first_when_listed and not self.model.rowCount() and hits:
            self._open_first_when_listed = False  # no case by name: the first match opens
            self.found.table.setCurrentIndex(self.found.model.index(0, 0))
            self.found.open_current()

    def select_case(self, case_id: str) -> None:
        row = self.model.row_of(case_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def selected_case_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.siblingAtColumn(0).data(CASE_ID_ROLE) if index.isValid() else None

    def _focus_results(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.setCurrentIndex(self.model.index(0, 0))
        elif self.found.model.rowCount():
            self.found.table.setFocus()
            self.found.table.setCurrentIndex(self.found.model.index(0, 0))

    def _open_first_result(self) -> None:
        if self.model.rowCount():  # the case rows already follow the text typed
            self._activated(self.model.index(0, 0))
            return
        self._open_first_when_listed = True  # a case listed, or else the first match, opens
        self._content_timer.stop()
        self.content_search.emit()

    def _activated(self, index: QModelIndex) -> None:
        case_id = index.siblingAtColumn(0).data(CASE_ID_ROLE)
        if case_id:
            # The case opens over the list: no search in what was written behind it (closing
            # the case lists and searches again).
            self._content_timer.stop()
            self.open_case.emit(case_id)

    def clear(self) -> None:
        """Forget every row and the search text (it may be a child's name)."""
        self._content_timer.stop()
        self._listed = False
        self._open_first_when_listed = False
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.model.clear()
        self.found.clear()
        self.count_label.clear()
        self.empty_label.hide()
