"""The case list: a table model over CaseSummary rows and the search and filter bar above it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
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
from aim3desk.ui.assessment.page_kit import RowsTableModel
from aim3desk.ui.case_search import FoundPanel

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from aim3desk.services.cases import CaseSummary
    from aim3desk.services.search import SearchHit

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
DUE_SOON_DAYS = 14
COLUMNS = ("Reference", "Young person", "Model", "Status", "Due date", "Lead worker")
_OVERDUE_COLOUR = QColor("#b00020")

_Index = QModelIndex | QPersistentModelIndex


def label_of(value: Any) -> str:
    """Enum members carry a `.label`; anything else is shown as text."""
    if value is None:
        return ""
    return str(getattr(value, "label", value))


class CaseQuery(TypedDict):
    """The keyword arguments of CaseService.list_cases that the search and filters set."""

    search: str
    status: CaseStatus | list[CaseStatus] | None
    overdue_only: bool
    due_before: date | None
    today: date


class CaseTableModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseSummary] = []
        self.today = date.today()

    def set_rows(self, rows: list[CaseSummary], today: date | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.today = today or date.today()
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        overdue = column == 4 and row.is_overdue(self.today)  # the store's one rule
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, overdue)
        if role == SORT_ROLE:
            if column == 4:
                return row.due_date.toordinal() if row.due_date else 10**7
            return self._display(row, column, overdue).lower()
        if role == CASE_ID_ROLE:
            return row.id
        if overdue and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_OVERDUE_COLOUR)
        if overdue and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if overdue and role == Qt.ItemDataRole.ToolTipRole:
            return "Overdue: the assessment was due on this date and is still open."
        if column == 3 and row.on_hold and role == Qt.ItemDataRole.ToolTipRole:
            return "On legal hold: it cannot be deleted until the hold is lifted with a reason."
        return None

    @staticmethod
    def _display(row: CaseSummary, column: int, overdue: bool) -> str:
        if column == 0:
            return row.reference
        if column == 1:
            return row.young_person_name
        if column == 2:
            return label_of(row.model)
        if column == 3:
            held = ", on legal hold" if row.on_hold else ""  # cannot be deleted
            return label_of(row.status) + held
        if column == 4:
            if row.due_date is None:
                return ""
            text = f"{row.due_date:%d/%m/%Y}"
            return f"{text} (overdue)" if overdue else text  # not by colour alone
        return row.lead_worker


class CaseListPage(QWidget):
    """Search box, filters and the table, and below it (while a search is typed) the matches
    in what was written (`found`). Emits `filters_changed` (debounced for typing),
    `open_case(case_id)` and `open_case_at(case_id, place key)`; the main window runs the
    queries on the task runner."""

    filters_changed = Signal()
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

        self.model = CaseTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setAccessibleName("Cases")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
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

        self._open_first_when_listed = False
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.filters_changed)
        self.search_edit.textChanged.connect(self._search_timer.start)
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
            "search": self.search_edit.text().strip(),
            "status": self._status_filter(),
            "overdue_only": due == "overdue",
            "due_before": today + timedelta(days=DUE_SOON_DAYS) if due == "soon" else None,
            "today": today,
        }

    def _status_filter(self) -> CaseStatus | list[CaseStatus] | None:
        value = self.status_combo.currentData()
        if value is None:
            return None
        if value == "open":
            return [status for status in CaseStatus if status.is_open]
        return CaseStatus(value)

    def show_rows(self, rows: list[CaseSummary]) -> None:
        selected = self.selected_case_id()
        self.model.set_rows(rows)
        self.count_label.setText(f"{len(rows)} case{'s' if len(rows) != 1 else ''}")
        filtered = bool(self.query()["search"]) or self.status_combo.currentIndex() > 0
        filtered = filtered or self.due_combo.currentIndex() > 0
        # While searching, an empty case table gives its room to the matches in what was written.
        self.table.setVisible(bool(rows) or not self.query()["search"])
        if not self.table.isVisible():
            self.splitter.setSizes([self.empty_label.sizeHint().height(), 10_000])
        elif self.splitter.sizes()[0] < self.table.minimumSizeHint().height():
            self.splitter.setSizes([220, 400])
        if rows:
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
        if self._open_first_when_listed and self.proxy.rowCount():
            self._open_first_when_listed = False
            self._activated(self.proxy.index(0, 0))

    def show_found(self, hits: list[SearchHit]) -> None:
        """The matches in what was written for the search text as it is now."""
        self.found.show_hits(hits, self.query()["search"])
        if self._open_first_when_listed and not self.proxy.rowCount() and hits:
            self._open_first_when_listed = False  # no case by name: the first match opens
            self.found.table.setCurrentIndex(self.found.model.index(0, 0))
            self.found.open_current()

    def select_case(self, case_id: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(CASE_ID_ROLE) == case_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return

    def selected_case_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.siblingAtColumn(0).data(CASE_ID_ROLE) if index.isValid() else None

    def _focus_results(self) -> None:
        if self.proxy.rowCount():
            self.table.setFocus()
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        elif self.found.model.rowCount():
            self.found.table.setFocus()
            self.found.table.setCurrentIndex(self.found.model.index(0, 0))

    def _open_first_result(self) -> None:
        self._search_timer.stop()
        self.filters_changed.emit()  # the list follows the text typed so far ...
        self._open_first_when_listed = True  # ... and the first match opens when it arrives

    def _activated(self, index: QModelIndex) -> None:
        case_id = index.siblingAtColumn(0).data(CASE_ID_ROLE)
        if case_id:
            self.open_case.emit(case_id)

    def clear(self) -> None:
        """Forget every row and the search text (it may be a child's name)."""
        self._search_timer.stop()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.model.clear()
        self.found.clear()
        self.count_label.clear()
        self.empty_label.hide()
