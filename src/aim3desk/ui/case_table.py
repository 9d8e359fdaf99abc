"""The case list's table: rows made ready once (shown texts, sort keys, search key), then sorted
and filtered by the model itself, so neither a sort nor a search calls back into Python per
cell. `case_rows` is pure Python and runs on the store worker beside the read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from aim3desk.domain.cases import case_search_key, matches_case_search, search_fold
from aim3desk.ui.assessment.page_kit import RowsTableModel

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from aim3desk.services.cases import CaseSummary

COLUMNS = ("Reference", "Young person", "Model", "Status", "Due date", "Lead worker")
DUE_COLUMN = 4
STATUS_COLUMN = 3
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_TIP = "Overdue: the assessment was due on this date and is still open."
ON_HOLD_TIP = "On legal hold: it cannot be deleted until the hold is lifted with a reason."

# data() is called per cell and per role while painting: compare plain ints.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_CASE_ID = int(CASE_ID_ROLE)

_Index = QModelIndex | QPersistentModelIndex
SortKey = str | int | None  # None: a blank cell, listed last in either order


def label_of(value: Any) -> str:
    """Enum members carry a `.label`; anything else is shown as text."""
    if value is None:
        return ""
    return str(getattr(value, "label", value))


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One case as the table shows it, computed once when the rows arrive."""

    case_id: str
    summary: CaseSummary
    texts: tuple[str, ...]  # per column, as shown
    sort_keys: tuple[SortKey, ...]  # per column
    search_key: str  # domain/cases.py case_search_key
    overdue: bool  # the store's one rule (CaseSummary.is_overdue) on the day listed


def case_row(summary: CaseSummary, today: date) -> CaseRow:
    overdue = summary.is_overdue(today)
    held = ", on legal hold" if summary.on_hold else ""  # it cannot be deleted
    due = f"{summary.due_date:%d/%m/%Y}" if summary.due_date else ""
    if overdue:
        due += " (overdue)"  # not by colour alone
    texts = (
        summary.reference,
        summary.young_person_name,
        label_of(summary.model),
        label_of(summary.status) + held,
        due,
        summary.lead_worker,
    )
    keys: list[SortKey] = [search_fold(text) or None for text in texts]
    keys[DUE_COLUMN] = summary.due_date.toordinal() if summary.due_date else None
    search_key = case_search_key(summary.reference, summary.young_person_name, summary.lead_worker)
    return CaseRow(summary.id, summary, texts, tuple(keys), search_key, overdue)


def case_rows(summaries: Iterable[CaseSummary], today: date) -> list[CaseRow]:
    """The rows for the table, in reference order (the order ties keep in any sort)."""
    return sort_rows([case_row(summary, today) for summary in summaries], 0)


def sort_rows(
    rows: Sequence[CaseRow], column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
) -> list[CaseRow]:
    """Sorted by the column's key, blanks last either way; equal keys keep their order."""
    filled = [row for row in rows if row.sort_keys[column] is not None]
    blank = [row for row in rows if row.sort_keys[column] is None]
    descending = order == Qt.SortOrder.DescendingOrder
    filled.sort(key=lambda row: row.sort_keys[column], reverse=descending)
    return filled + blank


class CaseTableModel(RowsTableModel):
    """The loaded rows, in the chosen sort, showing those the search matches. Sorting keeps
    the selection (persistent indexes follow their case); `set_rows` and `set_search` reset
    and the page selects the case again by id (`row_of`)."""

    columns = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loaded: list[CaseRow] = []  # every row from the store, in reference order
        self._ordered: list[CaseRow] = []  # the same, in the chosen sort
        self._rows: list[CaseRow] = []  # those shown
        self._row_of: dict[str, int] | None = None  # made when first asked for
        self._sort_column = DUE_COLUMN
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._folded_search = ""
        self._overdue_font: QFont | None = None
        self._overdue_brush = QBrush(QColor("#b00020"))

    # -- rows in ------------------------------------------------------------------------------
    def set_case_rows(self, rows: Sequence[CaseRow]) -> None:
        """Rows made by `case_rows` (on the worker), kept in the current sort and search."""
        self.beginResetModel()
        self._loaded = list(rows)
        self._ordered = sort_rows(self._loaded, self._sort_column, self._sort_order)
        self._show_matching()
        self.endResetModel()

    def set_rows(self, summaries: Iterable[CaseSummary], today: date | None = None) -> None:
        self.set_case_rows(case_rows(summaries, today or date.today()))

    def clear(self) -> None:
        self._folded_search = ""
        self.set_case_rows([])

    def set_search(self, text: str) -> None:
        """Show the loaded rows the search text matches (domain/cases.py's one rule)."""
        folded = search_fold(text)
        if folded == self._folded_search:
            return
        # Typing on: what the longer text matches is among what the shorter one matched.
        narrowing = self._folded_search and self._folded_search in folded
        self.beginResetModel()
        self._folded_search = folded
        self._show_matching(self._rows if narrowing else self._ordered)
        self.endResetModel()

    def _show_matching(self, candidates: Sequence[CaseRow] | None = None) -> None:
        folded = self._folded_search
        rows = self._ordered if candidates is None else candidates
        self._rows = (
            [row for row in rows if matches_case_search(row.search_key, folded)]
            if folded
            else list(rows)
        )
        self._row_of = None

    # -- rows out -----------------------------------------------------------------------------
    @property
    def loaded_count(self) -> int:
        """Rows loaded from the store, shown or not."""
        return len(self._loaded)

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row].summary

    def row_of(self, case_id: str) -> int | None:
        """The shown row of a case, or None when it is not shown."""
        if self._row_of is None:
            self._row_of = {row.case_id: number for number, row in enumerate(self._rows)}
        return self._row_of.get(case_id)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == _DISPLAY:
            return row.texts[index.column()]
        if role == _CASE_ID:
            return row.case_id
        column = index.column()
        if column == DUE_COLUMN and row.overdue:
            if role == _FOREGROUND:
                return self._overdue_brush
            if role == _FONT:
                return self._bold()
            if role == _TOOLTIP:
                return OVERDUE_TIP
        if role == _TOOLTIP and column == STATUS_COLUMN and row.summary.on_hold:
            return ON_HOLD_TIP
        return None

    def _bold(self) -> QFont:
        if self._overdue_font is None:
            self._overdue_font = QFont()
            self._overdue_font.setBold(True)
        return self._overdue_font

    # -- sorting ------------------------------------------------------------------------------
    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header clicks land here (the view's sorting is on); rows arriving later keep it."""
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        kept_ids = [self._rows[index.row()].case_id for index in kept]
        self._sort_column, self._sort_order = column, order
        self._ordered = sort_rows(self._loaded, column, order)  # ties in reference order
        self._show_matching()
        moved = [
            self.index(self.row_of(case_id) or 0, index.column())
            for index, case_id in zip(kept, kept_ids, strict=True)
        ]
        self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()
