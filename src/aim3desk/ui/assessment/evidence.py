"""A domain's evidence entries: a table (date, source, category, sharing class, what it is
about, the text, wrapped) with Add / Edit / Remove, and the one dialog that records an entry
with its provenance (evidence_dialog.py). Every change goes through the assessment editor, so it
undoes like any other."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import EvidenceEntry
from aim3desk.domain.forms import DomainDef, EvidenceRules
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.evidence_dialog import EvidenceDialog
from aim3desk.ui.assessment.evidence_rows import COLUMNS, EvidenceRow, RowShaper
from aim3desk.ui.table_fit import ColumnShares, Share

ADD_SHORTCUT = "Ctrl+Shift+E"
_INTERNAL_COLOUR = QColor("#8a3b00")
_FIRST_LINE_CHARS = 140
_MAX_TABLE_HEIGHT = 600  # about a screen beside the page; more entries scroll inside it
# As COLUMNS: (weight, least width); the evidence itself gets the most room.
EVIDENCE_SHARES = Share.row((1, 80), (1.2, 80), (1.2, 80), (1.5, 90), (1.5, 80), (4.5, 160))


def first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= _FIRST_LINE_CHARS else line[: _FIRST_LINE_CHARS - 1] + "…"


class EvidenceTableModel(QAbstractTableModel):
    """A domain's entries as rows shaped by evidence_rows.py (on the worker when the
    version opens; after an edit only the entries that changed)."""

    def __init__(self, rules: EvidenceRules, domain: DomainDef) -> None:
        super().__init__()
        self.shaper = RowShaper(rules, domain)
        self.entries: tuple[EvidenceEntry, ...] = ()
        self.rows: tuple[EvidenceRow, ...] = ()

    def set_entries(self, entries: tuple[EvidenceEntry, ...]) -> bool:
        """Show these entries; False (and nothing redrawn) when they are what is shown."""
        if entries == self.entries:
            return False
        rows = self.shaper.rows(entries)
        self.beginResetModel()
        self.entries, self.rows = entries, rows
        self.endResetModel()
        return True

    def internal_count(self) -> int:
        return sum(row.internal for row in self.rows)

    def column_words(self, column: int) -> list[str]:
        """Each row's longest word in `column` (table_fit.py leaves room for them)."""
        return [row.longest[column] for row in self.rows]

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return row.entry.text[:2000]
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and row.internal:
            return _INTERNAL_COLOUR
        if role == Qt.ItemDataRole.UserRole:
            return row.entry.id
        return None


class EvidenceList(QWidget):
    """The evidence entries of one domain, with Add (Ctrl+Shift+E), Edit and Remove."""

    def __init__(
        self,
        editor: AssessmentEditor,
        rules: EvidenceRules,
        domain: DomainDef,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._rules = rules
        self._domain = domain
        self._read_only = False
        self.model = EvidenceTableModel(rules, domain)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(f"Evidence for {domain.title}")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setHighlightSections(False)
        # The page scrolls, not the list: the table is as tall as its wrapped rows (to a limit).
        self.columns = ColumnShares(
            self.table, EVIDENCE_SHARES, fit_height=True, max_height=_MAX_TABLE_HEIGHT
        )
        self.table.doubleClicked.connect(lambda _index: self.edit_current())
        self.table.activated.connect(lambda _index: self.edit_current())
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of evidence entries")
        self.add_button = QPushButton("&Add evidence...")
        self.add_button.setAccessibleName("Add evidence")
        self.add_button.setToolTip(f"Record a new evidence entry ({ADD_SHORTCUT})")
        self.edit_button = QPushButton("Edit...")
        self.edit_button.setAccessibleName("Edit evidence")
        self.edit_button.setToolTip("Edit the selected entry (Enter or double-click)")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove evidence")
        self.remove_button.setToolTip("Remove the selected entry (Delete); Ctrl+Z brings it back")
        self.add_button.clicked.connect(lambda: self.add_entry())
        self.edit_button.clicked.connect(self.edit_current)
        self.remove_button.clicked.connect(self.remove_current)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_current)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- showing ------------------------------------------------------------------------------
    def show_entries(self, entries: tuple[EvidenceEntry, ...]) -> None:
        selected = self.current_entry()
        if not self.model.set_entries(entries):
            return
        internal = self.model.internal_count()
        self.count_label.setText(
            f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
            + (f", {internal} internal only" if internal else "")
        )
        if selected is not None:
            self.select(selected.id)

    def select(self, entry_id: str) -> None:
        for row, entry in enumerate(self.model.entries):
            if entry.id == entry_id:
                self.table.selectRow(row)
                return

    def current_entry(self) -> EvidenceEntry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            index = self.table.currentIndex()
            if not index.isValid():
                return None
            row = index.row()
        else:
            row = rows[0].row()
        return self.model.entries[row] if row < len(self.model.entries) else None

    def _update_buttons(self) -> None:
        has = self.current_entry() is not None
        self.add_button.setEnabled(not self._read_only)
        self.edit_button.setEnabled(has)
        self.edit_button.setText("View..." if self._read_only else "Edit...")
        self.remove_button.setEnabled(has and not self._read_only)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def clear_sensitive(self) -> None:
        self.model.set_entries(())
        self.count_label.clear()

    # -- changing -----------------------------------------------------------------------------
    def add_entry(self, slot: int | None = None) -> None:
        if self._read_only:
            return
        dialog = EvidenceDialog(self._rules, self._domain, slot=slot, parent=self.window())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            entry = dialog.entry()
            self._editor.edit("Add evidence", lambda c: c.add_evidence(entry))
            self.select(entry.id)
            self.table.setFocus()
        dialog.deleteLater()

    def edit_current(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        dialog = EvidenceDialog(
            self._rules, self._domain, entry, parent=self.window(), read_only=self._read_only
        )
        if dialog.exec() == QDialog.DialogCode.Accepted and not self._read_only:
            updated = dialog.entry()
            self._editor.edit("Edit evidence", lambda c: c.update_evidence(updated))
        dialog.deleteLater()
        self.table.setFocus()

    def remove_current(self) -> None:
        entry = self.current_entry()
        if entry is None or self._read_only:
            return
        answer = QMessageBox.question(
            self,
            "Remove evidence",
            f"Remove this evidence entry?\n\n“{first_line(entry.text)}”\n\n"
            "Undo (Ctrl+Z) brings it back.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._editor.edit("Remove evidence", lambda c: c.remove_evidence(entry.id))
