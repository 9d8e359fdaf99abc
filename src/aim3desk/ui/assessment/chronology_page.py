"""The chronology: significant events with their date and source, sortable by any column
(by date unless the practitioner clicks another header)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import AssessmentContent, ChronologyEvent, new_event
from aim3desk.domain.forms import EvidenceRules
from aim3desk.ui.assessment.page_kit import (
    ItemTable,
    RowsTableModel,
    apply_read_only,
    button,
    confirm,
    fmt_date,
    ok_cancel,
    page_layout,
    required_date_edit,
)
from aim3desk.ui.assessment.pages import AssessmentPage
from aim3desk.ui.assessment.text import GrowingTextEdit

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Date", "What happened", "Source")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class ChronologyModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[ChronologyEvent, ...] = ()

    def set_rows(self, rows: tuple[ChronologyEvent, ...]) -> None:
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def event_at(self, row: int) -> ChronologyEvent:
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        column = index.column()
        text = (fmt_date(item.date), item.what, item.source)[column]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {text}"
        if role == SORT_ROLE:
            # Same-day events keep the order they were recorded in.
            if column == 0:
                return (item.date.toordinal(), index.row())
            return (text.casefold(), item.date.toordinal(), index.row())
        if role == ID_ROLE:
            return item.id
        return None


class _SortProxy(QSortFilterProxyModel):
    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802 - Qt API
        return left.data(SORT_ROLE) < right.data(SORT_ROLE)


class EventDialog(QDialog):
    def __init__(
        self, rules: EvidenceRules, event: ChronologyEvent | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        title = "Add an event" if event is None else "Edit an event"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)
        self.chronology_event = event
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date_edit = required_date_edit("Date of the event", event.date if event else None)
        self.what_edit = GrowingTextEdit("What happened", "What happened, in a sentence or two")
        self.source_combo = QComboBox()
        self.source_combo.setEditable(True)  # the agencies of evidence.toml, or anything else
        self.source_combo.setAccessibleName("Source of the information")
        self.source_combo.addItems([""] + [s.label for s in rules.sources])
        form.addRow("&Date:", self.date_edit)
        form.addRow("&What happened:", self.what_edit)
        form.addRow("&Source:", self.source_combo)
        layout.addLayout(form)
        self.buttons = ok_cancel(self, "Save event")
        layout.addWidget(self.buttons)
        if event is not None:
            self.what_edit.setPlainText(event.what)
            self.source_combo.setCurrentText(event.source)
        self.what_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.what_edit.toPlainText().strip())
        )

    def result_event(self) -> ChronologyEvent:
        when = self.date_edit.value()
        assert when is not None  # OK is refused until the date field holds a date
        what = self.what_edit.toPlainText().strip()
        source = self.source_combo.currentText().strip()
        if self.chronology_event is None:
            return new_event(when, what, source)
        return replace(self.chronology_event, date=when, what=what, source=source)


class ChronologyPage(AssessmentPage):
    title = "Chronology"
    nav_key = "chronology"

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        self.dialog: EventDialog | None = None
        layout = page_layout(
            self,
            "Chronology",
            "Significant events in the young person's life and in the case. Click a "
            "column heading to sort by it; Enter edits the selected event, Delete removes it.",
        )
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.model = ChronologyModel(self)
        self.proxy = _SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = ItemTable("Chronology of events")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 220)
        self.table.edit_requested.connect(lambda _i: self.edit_selected())
        self.table.delete_requested.connect(lambda _i: self.remove_selected())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = button("&Add event...", "Add an event to the chronology")
        self.add_button.clicked.connect(self.add_event)
        self.edit_button = button("&Edit...", "Edit the selected event")
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = button("&Remove...", "Remove the selected event")
        self.remove_button.clicked.connect(self.remove_selected)
        for widget in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.set_read_only(editor.read_only)

    def refresh(self, content: AssessmentContent) -> None:
        self.model.set_rows(content.chronology)
        count = len(content.chronology)
        self.count_label.setText(f"{count} event{'s' if count != 1 else ''} recorded.")
        if not self.table.currentIndex().isValid() and count:
            self.table.selectRow(0)

    def shown_events(self) -> list[ChronologyEvent]:
        """The events in the order the table shows them."""
        return [
            self.model.event_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            for row in range(self.proxy.rowCount())
        ]

    def _selected(self) -> ChronologyEvent | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.event_at(self.proxy.mapToSource(index).row())

    def add_event(self) -> EventDialog:
        dialog = EventDialog(self.context.evidence_rules, None, self)
        dialog.accepted.connect(
            lambda: self.editor.edit("Add a chronology event", _put(dialog.result_event()))
        )
        return self._open(dialog)

    def edit_selected(self) -> EventDialog | None:
        event = self._selected()
        if event is None or self.editor.read_only:
            return None
        dialog = EventDialog(self.context.evidence_rules, event, self)
        dialog.accepted.connect(
            lambda: self.editor.edit("Edit a chronology event", _put(dialog.result_event()))
        )
        return self._open(dialog)

    def remove_selected(self) -> None:
        event = self._selected()
        if event is None or self.editor.read_only:
            return
        confirm(
            self,
            "Remove event",
            f"Remove the event of {fmt_date(event.date)} from the chronology? Undo (Ctrl+Z) "
            "brings it back.",
            lambda: self.editor.edit(
                "Remove a chronology event", lambda c: c.remove_event(event.id)
            ),
        )

    def _open(self, dialog: EventDialog) -> EventDialog:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def set_read_only(self, read_only: bool) -> None:
        apply_read_only(self, read_only)

    def clear_sensitive(self) -> None:
        self.model.set_rows(())
        self.count_label.clear()
        self._stale = True


def _put(event: ChronologyEvent):
    return lambda c: c.put_event(event)
