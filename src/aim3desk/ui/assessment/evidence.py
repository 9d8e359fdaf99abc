"""A domain's evidence entries: a table (date, source, category, sharing class, what it is
about, first line) with Add / Edit / Remove, and the dialog that records one entry with its
provenance. Every change goes through the assessment editor, so it undoes like any other."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import EvidenceEntry, new_evidence
from aim3desk.domain.forms import DomainDef, EvidenceRules
from aim3desk.domain.share_rule import may_leave_network
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.text import GrowingTextEdit

ADD_SHORTCUT = "Ctrl+Shift+E"
INTERNAL_MARK = "Internal only"
_INTERNAL_COLOUR = QColor("#8a3b00")
_FIRST_LINE_CHARS = 140
COLUMNS = ("Date", "Source", "Category", "Sharing", "About", "Evidence")


def first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= _FIRST_LINE_CHARS else line[: _FIRST_LINE_CHARS - 1] + "…"


def _label(items: Any, item_id: str) -> str:
    try:
        return items(item_id).label
    except KeyError:
        return item_id  # a vocabulary entry the organisation has since removed


def sharing_label(rules: EvidenceRules, sharing_id: str) -> str:
    """The class's label, saying "internal only" when it may not leave the network
    (domain/share_rule.py) and its label does not say so."""
    try:
        label = rules.sharing_class(sharing_id).label
    except KeyError:
        return f"{INTERNAL_MARK}: {sharing_id}"  # a class no longer known stays internal
    if not may_leave_network(rules, sharing_id) and "internal" not in label.lower():
        return f"{INTERNAL_MARK}: {label}"
    return label


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
                return _label(self._rules.source, entry.source)
            if column == 2:
                return _label(self._rules.category, entry.category)
            if column == 3:
                return sharing_label(self._rules, entry.sharing)
            if column == 4:
                return self.about(entry)
            return first_line(entry.text)
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return entry.text[:2000]
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and self.is_internal(entry):
            return _INTERNAL_COLOUR
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None


class EvidenceDialog(QDialog):
    """Records or edits one entry. The sharing class follows the rules for the chosen source
    and category (with the rule's reason shown) until the person picks one by hand."""

    def __init__(
        self,
        rules: EvidenceRules,
        domain: DomainDef,
        entry: EvidenceEntry | None = None,
        slot: int | None = None,
        parent: QWidget | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self._rules = rules
        self._domain = domain
        self._original = entry
        self._sharing_by_hand = entry is not None  # an existing entry keeps its class
        self.setWindowTitle(f"{'Edit' if entry else 'Add'} evidence: {domain.title}")
        self.setMinimumWidth(620)

        self.text_edit = GrowingTextEdit(
            "Evidence text",
            "What was found, in plain words; quote the source where it matters.",
            min_lines=5,
        )
        self.text_edit.setUndoRedoEnabled(True)  # not bound to the assessment until OK
        self.date_edit = QDateEdit()
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Date of the evidence")
        self.source_combo = self._combo("Source", [(s.id, s.label) for s in rules.sources])
        self.category_combo = self._combo(
            "Information category", [(c.id, c.label) for c in rules.categories]
        )
        for index, category in enumerate(rules.categories):
            self.category_combo.setItemData(
                index, category.description, Qt.ItemDataRole.ToolTipRole
            )
        self.sharing_combo = self._combo(
            "Sharing class",
            [(c.id, sharing_label(rules, c.id)) for c in rules.sharing_classes],
        )
        for index, sharing in enumerate(rules.sharing_classes):
            self.sharing_combo.setItemData(index, sharing.description, Qt.ItemDataRole.ToolTipRole)
        self.why_label = QLabel()
        self.why_label.setWordWrap(True)
        self.why_label.setObjectName("hintLabel")
        self.why_label.setAccessibleName("Why this sharing class")
        self.about_combo = self._combo(
            "About",
            [(None, f"The domain as a whole ({domain.title})")]
            + [(f.slot, f"{f.slot}. {f.label}") for f in domain.factors],
        )
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setAccessibleName("Problem")
        self.error_label.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Evidence:", self.text_edit)
        form.addRow("&Date:", self.date_edit)
        form.addRow("S&ource:", self.source_combo)
        form.addRow("&Category:", self.category_combo)
        sharing_box = QWidget()
        sharing_layout = QVBoxLayout(sharing_box)
        sharing_layout.setContentsMargins(0, 0, 0, 0)
        sharing_layout.setSpacing(2)
        sharing_layout.addWidget(self.sharing_combo)
        sharing_layout.addWidget(self.why_label)
        sharing_caption = QLabel("S&haring:")
        sharing_caption.setBuddy(self.sharing_combo)
        form.addRow(sharing_caption, sharing_box)
        form.addRow("&About:", self.about_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save entry" if not read_only else "OK")
        self.ok_button.setAccessibleName(self.ok_button.text())
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self._show(entry, slot)
        self.source_combo.currentIndexChanged.connect(self._follow_rules)
        self.category_combo.currentIndexChanged.connect(self._follow_rules)
        self.sharing_combo.activated.connect(self._sharing_chosen)
        if read_only:
            self.text_edit.setReadOnly(True)
            for widget in (
                self.date_edit,
                self.source_combo,
                self.category_combo,
                self.sharing_combo,
                self.about_combo,
            ):
                widget.setEnabled(False)
            cancel.hide()
            buttons.accepted.disconnect(self._accept)
            buttons.accepted.connect(self.reject)
        self.text_edit.setFocus()

    def _combo(self, name: str, items: list[tuple[Any, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for value, label in items:
            combo.addItem(label, value)
        return combo

    def _select(self, combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _show(self, entry: EvidenceEntry | None, slot: int | None) -> None:
        when = (entry.date if entry else None) or date.today()
        self.date_edit.setDate(QDate(when.year, when.month, when.day))
        if entry is None:
            self._select(self.source_combo, "practitioner_observation")
            self._select(self.about_combo, slot)
            self._follow_rules()
            return
        self.text_edit.setPlainText(entry.text)
        for combo, value in (
            (self.source_combo, entry.source),
            (self.category_combo, entry.category),
            (self.sharing_combo, entry.sharing),
            (self.about_combo, entry.factor_slot),
        ):
            self._select(combo, value)
        self._update_why()

    def _follow_rules(self) -> None:
        if not self._sharing_by_hand:
            source, category = self.source_combo.currentData(), self.category_combo.currentData()
            self._select(self.sharing_combo, self._rules.default_sharing(source, category))
        self._update_why()

    def _sharing_chosen(self) -> None:
        self._sharing_by_hand = True
        self._update_why()

    def _update_why(self) -> None:
        source, category = self.source_combo.currentData(), self.category_combo.currentData()
        default = self._rules.default_sharing(source, category)
        why = self._rules.default_why(source, category)
        if self.sharing_combo.currentData() == default:
            self.why_label.setText(f"Suggested for this source and category: {why}")
        else:
            suggested = _label(self._rules.sharing_class, default)
            self.why_label.setText(f"Chosen by hand. The rules would suggest “{suggested}”: {why}")

    def _accept(self) -> None:
        if not self.text_edit.toPlainText().strip():
            self.error_label.setText("Write what the evidence is before saving it.")
            self.error_label.show()
            self.text_edit.setFocus()
            return
        self.accept()

    def entry(self) -> EvidenceEntry:
        """The entry as filled in (a new id for a new one)."""
        when = self.date_edit.date().toPython()
        text = self.text_edit.toPlainText()
        source, category = self.source_combo.currentData(), self.category_combo.currentData()
        sharing, slot = self.sharing_combo.currentData(), self.about_combo.currentData()
        if self._original is not None:
            return replace(
                self._original,
                text=text,
                date=when,
                source=source,
                category=category,
                sharing=sharing,
                domain_id=self._domain.id,
                factor_slot=slot,
            )
        return new_evidence(
            self._rules,
            text=text,
            source=source,
            category=category,
            when=when,
            domain_id=self._domain.id,
            factor_slot=slot,
            sharing=sharing,
        )


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
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate((86, 140, 130, 250, 170)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(160)
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
        rows = len(entries)
        row_height = self.table.verticalHeader().defaultSectionSize()
        visible = min(max(rows, 3), 12)
        self.table.setFixedHeight(visible * row_height + self.table.horizontalHeader().height() + 6)
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
