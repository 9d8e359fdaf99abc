"""Every open unknown across the assessment in one list, soonest due first, overdue ones
marked; add a free-standing unknown, edit or remove one, and answer one with a new evidence
entry that is linked to it both ways."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.assessment import AssessmentContent, Unknown, new_unknown
from aim3desk.domain.forms import FormSet, ModelDef
from aim3desk.ui.assessment.evidence_dialog import EvidenceDialog
from aim3desk.ui.assessment.page_kit import (
    ItemTable,
    RowsTableModel,
    apply_read_only,
    button,
    confirm,
    fmt_date,
    item_name_of,
    ok_cancel,
    page_layout,
)
from aim3desk.ui.assessment.pages import AssessmentPage
from aim3desk.ui.assessment.text import GrowingTextEdit
from aim3desk.ui.date_field import DateField
from aim3desk.ui.table_fit import ColumnShares, Share
from aim3desk.ui.text_limit import limit_line

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Question", "About", "How it will be found out", "Who", "By when", "Answer")
_OVERDUE_BACKGROUND = QColor("#fde0dc")
_OVERDUE_TEXT = QColor("#8e1a10")
_ANSWERED_TEXT = QColor("#5f6368")
# As COLUMNS: (weight, least width); a date with "(overdue)" below it fits its least width.
UNKNOWN_SHARES = Share.row((4, 170), (2, 90), (3, 110), (1.2, 60), (1.3, 92), (2.5, 64))


class UnknownsModel(RowsTableModel):
    columns = COLUMNS

    def __init__(self, form_set: FormSet, parent: Any = None) -> None:
        super().__init__(parent)
        self._form_set = form_set
        self._rows: list[Unknown] = []
        self._answers: dict[str, str] = {}
        self.today = date.today()

    def set_rows(self, rows: list[Unknown], answers: dict[str, str], today: date) -> None:
        self.beginResetModel()
        self._rows, self._answers, self.today = rows, answers, today
        self.endResetModel()

    def unknown(self, row: int) -> Unknown:
        return self._rows[row]

    def row_of(self, unknown_id: str) -> int:
        return next((n for n, u in enumerate(self._rows) if u.id == unknown_id), -1)

    def is_overdue(self, unknown: Unknown) -> bool:
        return unknown.is_open and unknown.by_when is not None and unknown.by_when < self.today

    def _text(self, unknown: Unknown, column: int) -> str:
        if column == 0:
            return unknown.question
        if column == 1:
            return item_name_of(self._form_set, unknown.about_domain, unknown.about_slot)
        if column == 2:
            return unknown.how
        if column == 3:
            return unknown.who
        if column == 4:
            text = fmt_date(unknown.by_when)
            return f"{text} (overdue)" if self.is_overdue(unknown) else text  # not colour alone
        if unknown.is_open:
            return "Open"
        return f"Answered {fmt_date(unknown.answered_on)}: " + self._answers.get(unknown.id, "")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        unknown = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(unknown, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[column]}: {self._text(unknown, column)}"
        overdue = self.is_overdue(unknown)
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(_OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue:
                return QBrush(_OVERDUE_TEXT)
            if not unknown.is_open:
                return QBrush(_ANSWERED_TEXT)
        if role == Qt.ItemDataRole.FontRole and overdue and column == 4:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if overdue:
                return "Overdue: this was to be found out by this date and is still open."
            return self._text(unknown, column)
        return None


def about_choices(
    form_set: FormSet, model: ModelDef
) -> list[tuple[str, tuple[str | None, int | None]]]:
    """What an unknown can be about: the whole assessment, a domain, or one factor."""
    choices: list[tuple[str, tuple[str | None, int | None]]] = [
        ("The assessment as a whole", (None, None))
    ]
    for domain in form_set.domains_for(model.id):
        choices.append((f"{domain.title} (the domain)", (domain.id, None)))
        for factor in domain.factors:
            choices.append((f"    {factor.slot}. {factor.label}", (domain.id, factor.slot)))
    return choices


class UnknownDialog(QDialog):
    """Add or edit an unknown: the question, what it is about, how, who and by when."""

    def __init__(
        self,
        form_set: FormSet,
        model: ModelDef,
        unknown: Unknown | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = "Add an unknown" if unknown is None else "Edit an unknown"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(560)
        self.unknown = unknown
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.question_edit = GrowingTextEdit("What is not known", "What is not known yet?")
        self.about_combo = QComboBox()
        self.about_combo.setAccessibleName("What it is about")
        for label, key in about_choices(form_set, model):
            self.about_combo.addItem(label, key)
        self.how_edit = GrowingTextEdit("How it will be found out", "Who to ask or what to read")
        self.who_edit = limit_line(QLineEdit(), "who")
        self.who_edit.setAccessibleName("Who will find out")
        self.by_when_edit = DateField("Find out by when")
        form.addRow("&Question:", self.question_edit)
        form.addRow("&About:", self.about_combo)
        form.addRow("&How:", self.how_edit)
        form.addRow("&Who:", self.who_edit)
        form.addRow("&By when:", self.by_when_edit)
        layout.addLayout(form)
        self.buttons = ok_cancel(self, "Save unknown")
        layout.addWidget(self.buttons)
        if unknown is not None:
            self.question_edit.setPlainText(unknown.question)
            self.about_combo.setCurrentIndex(
                max(0, self.about_combo.findData((unknown.about_domain, unknown.about_slot)))
            )
            self.how_edit.setPlainText(unknown.how)
            self.who_edit.setText(unknown.who)
            self.by_when_edit.set_value(unknown.by_when)
        self.question_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.question_edit.toPlainText().strip())
        )

    def result_unknown(self) -> Unknown:
        domain_id, slot = self.about_combo.currentData()
        fields = {
            "question": self.question_edit.toPlainText().strip(),
            "how": self.how_edit.toPlainText().strip(),
            "who": self.who_edit.text().strip(),
            "by_when": self.by_when_edit.value(),
        }
        if self.unknown is None:
            return new_unknown(about_domain=domain_id, about_slot=slot, **fields)
        return replace(self.unknown, about_domain=domain_id, about_slot=slot, **fields)


class UnknownsPage(AssessmentPage):
    title = "Unknowns"
    nav_key = "unknowns"

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        self.dialog: QDialog | None = None
        layout = page_layout(
            self,
            "Unknowns",
            "Everything not known yet, across the whole assessment, soonest due first. "
            "Answer one to record the evidence that resolves it.",
        )
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.model = UnknownsModel(context.form_set, self)
        self.table = ItemTable("Unknowns")
        self.table.setModel(self.model)
        # The question gets the room; a date (with "(overdue)" below it) and who stay narrow.
        self.columns = ColumnShares(self.table, UNKNOWN_SHARES)
        self.table.edit_requested.connect(lambda _i: self.edit_selected())
        self.table.delete_requested.connect(lambda _i: self.remove_selected())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = button("&Add unknown...", "Add an unknown")
        self.add_button.clicked.connect(self.add_unknown)
        self.answer_button = button("A&nswer...", "Answer the selected unknown with evidence")
        self.answer_button.clicked.connect(self.answer_selected)
        self.edit_button = button("&Edit...", "Edit the selected unknown")
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = button("&Remove...", "Remove the selected unknown")
        self.remove_button.clicked.connect(self.remove_selected)
        self.show_answered = QCheckBox("&Show answered unknowns with their evidence")
        self.show_answered.setAccessibleName("Show answered unknowns with their evidence")
        self.show_answered.toggled.connect(lambda _on: self.refresh(self.editor.content))
        for widget in (self.add_button, self.answer_button, self.edit_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        # On its own line: beside the buttons it made the page too wide next to the dock.
        layout.addWidget(self.show_answered)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.set_read_only(editor.read_only)

    # -- showing -------------------------------------------------------------------------
    def refresh(self, content: AssessmentContent) -> None:
        current = self._selected()
        open_unknowns = list(content.open_unknowns())
        rows = list(open_unknowns)
        answers: dict[str, str] = {}
        if self.show_answered.isChecked():
            answered = [u for u in content.unknowns if not u.is_open]
            answered.sort(key=lambda u: u.answered_on or date.min, reverse=True)
            rows += answered
            for unknown in answered:
                try:
                    answers[unknown.id] = content.evidence_entry(
                        unknown.answered_by_evidence_id or ""
                    ).text
                except KeyError:
                    answers[unknown.id] = ""
        today = date.today()
        self.model.set_rows(rows, answers, today)
        overdue = sum(self.model.is_overdue(u) for u in open_unknowns)
        answered_count = sum(not u.is_open for u in content.unknowns)
        summary = f"{len(open_unknowns)} open"
        if overdue:
            summary += f", {overdue} overdue"
        summary += f"; {answered_count} answered."
        self.summary_label.setText(summary)
        self.summary_label.setAccessibleName(f"Unknowns: {summary}")
        if current is not None and (row := self.model.row_of(current.id)) >= 0:
            self.table.selectRow(row)
        elif rows:
            self.table.selectRow(0)
        self._update_buttons()

    def _selected(self) -> Unknown | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.unknown(index.row())

    def _update_buttons(self) -> None:
        unknown = self._selected()
        editable = not self.editor.read_only
        self.answer_button.setEnabled(editable and unknown is not None and unknown.is_open)
        self.edit_button.setEnabled(editable and unknown is not None)
        self.remove_button.setEnabled(editable and unknown is not None)
        self.add_button.setEnabled(editable)

    # -- actions -------------------------------------------------------------------------
    def add_unknown(self) -> UnknownDialog:
        dialog = UnknownDialog(self.context.form_set, self.context.model, None, self)
        dialog.accepted.connect(
            lambda: self._put(dialog.result_unknown(), "Add an unknown", new=True)
        )
        return self._open(dialog)

    def edit_selected(self) -> UnknownDialog | None:
        unknown = self._selected()
        if unknown is None or self.editor.read_only:
            return None
        dialog = UnknownDialog(self.context.form_set, self.context.model, unknown, self)
        dialog.accepted.connect(
            lambda: self._put(dialog.result_unknown(), "Edit an unknown", new=False)
        )
        return self._open(dialog)

    def _put(self, unknown: Unknown, description: str, new: bool) -> None:
        if new:
            self.editor.edit(description, lambda c: c.mark_unknown(unknown))
        else:
            self.editor.edit(description, lambda c: c.update_unknown(unknown))

    def answer_selected(self) -> EvidenceDialog | None:
        unknown = self._selected()
        if unknown is None or not unknown.is_open or self.editor.read_only:
            return None
        about = item_name_of(self.context.form_set, unknown.about_domain, unknown.about_slot)
        dialog = EvidenceDialog(
            self.context.evidence_rules,
            None,
            parent=self,
            title="Answer an unknown",
            intro=f"Still unknown ({about}): {unknown.question}\n"
            "Record the evidence that answers it; it is linked to this unknown.",
            about=(unknown.about_domain, unknown.about_slot),
        )

        def accepted() -> None:
            entry = dialog.entry()
            self.editor.edit(
                "Answer an unknown",
                lambda c: c.answer_unknown(unknown.id, entry, date.today()),
            )

        dialog.accepted.connect(accepted)
        return self._open(dialog)

    def remove_selected(self) -> None:
        unknown = self._selected()
        if unknown is None or self.editor.read_only:
            return
        confirm(
            self,
            "Remove unknown",
            "Remove this unknown? Use this for one recorded by mistake; an answer's evidence "
            "is kept. Undo (Ctrl+Z) brings it back.",
            lambda: self.editor.edit("Remove an unknown", lambda c: c.remove_unknown(unknown.id)),
        )

    def _open(self, dialog: QDialog) -> Any:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def set_read_only(self, read_only: bool) -> None:
        apply_read_only(self, read_only)
        self._update_buttons()

    def clear_sensitive(self) -> None:
        self.model.set_rows([], {}, date.today())
        self.summary_label.clear()
        self._stale = True
