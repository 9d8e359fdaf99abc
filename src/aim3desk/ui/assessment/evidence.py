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
from aim3desk.domain.share_rule import may_leave_network
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.evidence_dialog import EvidenceDialog, sharing_label, vocabulary_label
from aim3desk.ui.table_fit import ColumnShares, Share

ADD_SHORTCUT = "Ctrl+Shift+E"
_INTERNAL_COLOUR = QColor("#8a3b00")
_FIRST_LINE_CHARS = 140
_SHOWN_CHARS = 400  # the table shows this much of an entry; the tooltip and Edit show it all
_MAX_TABLE_HEIGHT = 600  # about a screen beside the page; more entries scroll inside it
COLUMNS = ("Date", "Source", "Category", "Sharing", "About", "Evidence")
# As COLUMNS: (weight, least width); the evidence itself gets the most room.
EVIDENCE_SHARES = Share.row((1, 80), (1.2, 80), (1.2, 80), (1.5, 90), (1.5, 80), (4.5, 160))


def shown_text(text: str) -> str:
    """An entry's text as the table shows it: its lines run together, long ones cut short."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN_CHARS else flat[: _SHOWN_CHARS - 1] + "…"


def first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= _FIRST_LINE_CHARS else line[: _FIRST_LINE_CHARS - 1] + "…"


class EvidenceTableModel(QAbstractTableModel):
    def __init__(self, rules: EvidenceRules, domain: DomainDef) -> None:
        super().__init__()
        self._rules = rules
        self._domain = domain
        self.entries: tuple[EvidenceEntry, ...] = ()

    def set_entries(self, entries: tuple[EvidenceEntry, ...]) -> bool:
        """Show these entries; False (and nothing redrawn) when they are what is shown."""
        if entries == self.entries:
            return False
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()
        return True

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def is_internal(self, entry: EvidenceEntry) -> bool:
        return not may_leave_network(self._rules, entry.sharing)

    def about(self, entry: EvidenceEntry) -> str:
        if entry.factor_slot is None:
            return "Whole domain"
        try:
            return f"{entry.factor_slot}. {self._domain.factor(entry.factor_slot).label}"
        except KeyError:
            return f"Factor {entry.factor_slot}"

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{entry.date:%d/%m/%Y}" if entry.date else "No date"
            if column == 1:
                return vocabulary_label(self._rules.source, entry.source)
            if column == 2:
                return vocabulary_label(self._rules.category, entry.category)
            if column == 3:
                return sharing_label(self._rules, entry.sharing)
            if column == 4:
                return self.about(entry)
            return shown_text(entry.text)
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return entry.text[:2000]
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and self.is_internal(entry):
            return _INTERNAL_COLOUR
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
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
        internal = sum(self.model.is_internal(e) for e in entries)
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
