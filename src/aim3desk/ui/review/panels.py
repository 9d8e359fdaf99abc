"""The review window's other panels: the session-three checklist (ticks and notes), the
changes since the previous version received, and the decision bar.

The decision bar asks domain.review.decision_problems: "Sign off" is enabled only when it
is empty for a sign-off and says why not; "Return for amendments" needs a comment or a
written reason.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.review import (
    SIGN_OFF_ITEM,
    ChecklistItem,
    Decision,
    Review,
    decision_problems,
)
from aim3desk.domain.versions import Change
from aim3desk.ui.assessment.page_kit import ItemTable, button, explanation
from aim3desk.ui.assessment.versions_page import change_row
from aim3desk.ui.text_limit import LimitedPlainTextEdit, limit_line

# -- the checklist ------------------------------------------------------------------------------


class ChecklistPanel(QWidget):
    """One tick and one note per item of the session-three agenda. The sign-off item is the
    decision itself (ticked when you sign off), so it shows without a box to tick.
    Signal: `edited(checklist)`."""

    edited = Signal(object)  # tuple[ChecklistItem, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: tuple[ChecklistItem, ...] = ()
        self.checks: dict[str, QCheckBox] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(
            explanation(
                "Session three of assessment supervision. Tick each item once it is done, with "
                "a note where it helps; signing off needs every item ticked."
            )
        )
        inner.addLayout(self.grid)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def show_checklist(self, items: tuple[ChecklistItem, ...], read_only: bool) -> None:
        self.items = tuple(items)
        if set(self.checks) != {i.id for i in items}:
            self._build(items)
        for item in items:
            check, note = self.checks[item.id], self.notes[item.id]
            check.blockSignals(True)
            check.setChecked(item.done)
            check.blockSignals(False)
            check.setEnabled(not read_only and item.id != SIGN_OFF_ITEM)
            if note.text() != item.note:
                note.setText(item.note)
            note.setReadOnly(read_only)

    def _build(self, items: tuple[ChecklistItem, ...]) -> None:
        for widget in (*self.checks.values(), *self.notes.values()):
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.checks.clear()
        self.notes.clear()
        for row, item in enumerate(items):
            text = item.text
            if item.id == SIGN_OFF_ITEM:
                text += " (your decision below)"
            check = QCheckBox(text)
            check.setAccessibleName(item.text)
            check.toggled.connect(lambda done, item_id=item.id: self._set(item_id, done=done))
            note = limit_line(QLineEdit(), "note")
            note.setAccessibleName(f"Note on: {item.text}")
            note.setPlaceholderText("Note (optional)")
            note.textEdited.connect(lambda text, item_id=item.id: self._set(item_id, note=text))
            self.grid.addWidget(check, row, 0)
            self.grid.addWidget(note, row, 1)
            self.checks[item.id] = check
            self.notes[item.id] = note

    def _set(self, item_id: str, **change: object) -> None:
        self.items = tuple(
            replace(i, **change) if i.id == item_id else i  # type: ignore[arg-type]
            for i in self.items
        )
        self.edited.emit(self.items)

    def tick(self, item_id: str, note: str = "") -> None:
        """Tick an item as a person would (scripts and tests)."""
        self.checks[item_id].setChecked(True)
        if note:
            self.notes[item_id].setText(note)
            self._set(item_id, note=note)

    def clear_sensitive(self) -> None:
        for note in self.notes.values():
            note.clear()


# -- changes since the last version ------------------------------------------------------------


class ChangesPanel(QWidget):
    """In the same words as the practitioner's Versions page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(["Area", "Item", "Before", "After"])
        self.table = ItemTable("Changes since the previous version")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 200)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_changes(self, changes: tuple[Change, ...], first: bool) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for change in changes:
            self.model.appendRow([QStandardItem(text) for text in change_row(change)])
        count = len(changes)
        if first:
            text = "This is the first version of this case sent to you: nothing to compare with."
        elif not count:
            text = "No changes since the previous version you received."
        else:
            plural = "s" if count != 1 else ""
            text = f"{count} change{plural} since the previous version you received."
        self.summary.setText(text)
        self.summary.setAccessibleName(text)
        self.table.setVisible(bool(count))

    def clear_sensitive(self) -> None:
        self.model.removeRows(0, self.model.rowCount())


# -- the decision -----------------------------------------------------------------------------


class DecisionBar(QWidget):
    """Reasons, and the two decisions. Signals `decided(decision, reasons)` and
    `reasons_edited(text)`."""

    decided = Signal(object, str)
    reasons_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reasons_edit = LimitedPlainTextEdit("reasons")
        self.reasons_edit.setAccessibleName("Reasons for your decision")
        self.reasons_edit.setPlaceholderText(
            "Reasons for your decision (needed to return it without comments)"
        )
        self.reasons_edit.setTabChangesFocus(True)
        self.reasons_edit.setFixedHeight(54)
        self.reasons_edit.textChanged.connect(
            lambda: self.reasons_edited.emit(self.reasons_edit.toPlainText())
        )
        self.why_not = QLabel()
        self.why_not.setWordWrap(True)
        self.why_not.setObjectName("whyNotLabel")
        self.why_not.setStyleSheet("QLabel#whyNotLabel { color: #9a3412; }")
        self.sign_off_button = button("&Sign off", "Sign off this version")
        self.sign_off_button.clicked.connect(lambda: self._decide(Decision.SIGN_OFF))
        self.return_button = button("&Return for amendments", "Return for amendments")
        self.return_button.clicked.connect(lambda: self._decide(Decision.RETURN))
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.why_not, 1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.sign_off_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.reasons_edit)
        layout.addLayout(buttons)

    def show_review(self, review: Review, busy: bool = False) -> None:
        if self.reasons_edit.toPlainText() != review.reasons:
            self.reasons_edit.blockSignals(True)
            self.reasons_edit.setPlainText(review.reasons)
            self.reasons_edit.blockSignals(False)
        if review.decided:
            when = f" on {review.decided_at:%d/%m/%Y}" if review.decided_at else ""
            self.state_label.setText(
                f"{review.decision.label}{when}. The review was signed with your key and "
                "queued for the practitioner through the shared folder."
            )
        else:
            self.state_label.setText("")
        self.state_label.setVisible(review.decided)
        self.reasons_edit.setReadOnly(review.decided or busy)
        sign_problems = decision_problems(review, Decision.SIGN_OFF)
        return_problems = decision_problems(review, Decision.RETURN)
        open_ = not review.decided and not busy
        self.sign_off_button.setEnabled(open_ and not sign_problems)
        self.return_button.setEnabled(open_ and not return_problems)
        self.sign_off_button.setToolTip(" ".join(sign_problems) or "Sign off this version")
        self.return_button.setToolTip(" ".join(return_problems) or "Return for amendments")
        if review.decided:
            self.why_not.setText("")
        elif sign_problems:
            count = len(sign_problems)
            self.why_not.setText(
                f"Sign off needs the checklist done ({count} item{'s' if count != 1 else ''} "
                "open). " + ("" if not return_problems else return_problems[0])
            )
        else:
            self.why_not.setText("")
        self.why_not.setAccessibleName(self.why_not.text())

    def _decide(self, decision: Decision) -> None:
        self.decided.emit(decision, self.reasons_edit.toPlainText())

    def clear_sensitive(self) -> None:
        self.reasons_edit.blockSignals(True)
        self.reasons_edit.clear()
        self.reasons_edit.blockSignals(False)
