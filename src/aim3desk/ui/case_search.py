"""Below the case list while a search is typed: the cases whose content matches (evidence,
rationale, formulation, notes, ...), each with the place of the match and a snippet of it.
Activating a row (double click, Enter) asks to open that case at that place
(`open_at(case_id, place key)`); what a place key means is services/search_places.py's."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aim3desk.services.search import MATCH_END, MATCH_START, SearchHit
from aim3desk.ui.assessment.page_kit import RowsTableModel

COLUMNS = ("Reference", "Young person", "Found in", "What was written")
SNIPPET_COLUMN = 3
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def plain_snippet(snippet: str) -> str:
    return snippet.replace(MATCH_START, "").replace(MATCH_END, "").replace("\n", " / ")


def snippet_html(snippet: str) -> str:
    """The snippet escaped, its matched words bold, its lines joined by " / "."""
    escaped = html.escape(snippet).replace("\n", " / ")
    return escaped.replace(MATCH_START, "<b>").replace(MATCH_END, "</b>")


class FoundModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._rows = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return hit.reference
            if column == 1:
                return hit.young_person_name
            if column == 2:
                more = f" ({hit.matches} matches)" if hit.matches > 1 else ""
                return hit.place.label + more
            return plain_snippet(hit.snippet)
        if role == HTML_ROLE and column == SNIPPET_COLUMN:
            return snippet_html(hit.snippet)
        return None


class SnippetDelegate(QStyledItemDelegate):
    """Draws a snippet with its matched words in bold, wrapped to the column's width."""

    def _document(self, option: QStyleOptionViewItem, index: _Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(4)
        document.setHtml(index.data(HTML_ROLE) or "")
        document.setTextWidth(max(option.rect.width(), 100))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        text_free = QStyleOptionViewItem(option)
        text_free.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_free, painter)
        document = self._document(option, index)
        painter.save()
        painter.translate(option.rect.topLeft())
        document.drawContents(painter, QRectF(0, 0, option.rect.width(), option.rect.height()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:  # noqa: N802
        document = self._document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()))


class FoundPanel(QWidget):
    """The matches in what was written. Signals `open_at(case_id, place key)`."""

    open_at = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setAccessibleName("Found in what you wrote")
        self.model = FoundModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Found in what you wrote")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(SNIPPET_COLUMN, SnippetDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the text gets the room
        for column, width in enumerate((120, 180, 320)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)

    def show_hits(self, hits: list[SearchHit], words: str) -> None:
        self.model.set_hits(hits)
        cases = len({hit.case_id for hit in hits})
        if hits:
            self.heading.setText(
                f"<b>Found in what you wrote</b>: {len(hits)} place{'s' if len(hits) != 1 else ''}"
                f" in {cases} case{'s' if cases != 1 else ''}. Double-click or press Enter to "
                "open the case at that page."
            )
        else:
            self.heading.setText(
                f"<b>Found in what you wrote</b>: nothing for “{html.escape(words)}”."
            )
        self.setVisible(bool(words))

    def open_current(self) -> None:
        self._activated(self.table.currentIndex())

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            hit = self.model.hit(index.row())
            self.open_at.emit(hit.case_id, hit.place.key)

    def clear(self) -> None:
        self.model.set_hits([])
        self.heading.clear()
        self.hide()
