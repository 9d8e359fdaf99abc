"""Small widgets shared by the windows that keep a case's records (supervision notes, the
intervention plan): a notes field, a wrapped label that ticks its box, an agreed action's row,
and date helpers."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.limits import MAX_TEXT_CHARS
from aim3desk.domain.supervision import AgreedAction
from aim3desk.ui.date_field import DateField
from aim3desk.ui.text_limit import LimitedText, limit_line


class NoteEdit(LimitedText, QPlainTextEdit):
    """A response or notes field with its own undo."""

    def __init__(self, accessible_name: str, placeholder: str = "", lines: int = 3) -> None:
        super().__init__()
        self.set_text_limit(MAX_TEXT_CHARS)
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self._height = self.fontMetrics().lineSpacing() * lines + 14
        self.setMinimumHeight(self._height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMaximumHeight(self._height * 2)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(360, self._height)  # grows only where a layout has room to give


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_edit(accessible_name: str, value: date) -> DateField:
    return DateField(accessible_name, value, required=True)


def prompt_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ClickLabel(QLabel):
    """Wrapped words beside a check box; clicking them ticks the box."""

    clicked = Signal()

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setWordWrap(True)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


class ActionRow(QWidget):
    """One agreed action: what, owner, due date, done, and a remove button."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, action: AgreedAction) -> None:
        super().__init__()
        self.action_id = action.id
        self.what_edit = limit_line(QLineEdit(action.what), "what")
        self.what_edit.setAccessibleName("Agreed action")
        self.what_edit.setPlaceholderText("What was agreed")
        self.owner_edit = limit_line(QLineEdit(action.owner), "owner")
        self.owner_edit.setAccessibleName("Owner of the action")
        self.owner_edit.setPlaceholderText("Who")
        self.due_edit = DateField("Action due date")
        self.due_edit.set_value(action.due)
        self.done_check = QCheckBox("Done")
        self.done_check.setAccessibleName("Action done")
        self.done_check.setChecked(action.done)
        self.remove_button = QToolButton()
        self.remove_button.setText("\u2715")
        self.remove_button.setToolTip("Remove this action")
        self.remove_button.setAccessibleName("Remove this action")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.what_edit, 1)
        top.addWidget(self.remove_button)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.owner_edit, 1)
        bottom.addWidget(QLabel("due"))
        bottom.addWidget(self.due_edit)
        bottom.addWidget(self.done_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 6)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addLayout(bottom)
        for edit in (self.what_edit, self.owner_edit):
            edit.textChanged.connect(self.changed)
        self.due_edit.dateChanged.connect(self.changed)
        self.done_check.toggled.connect(self.changed)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

    def action(self) -> AgreedAction | None:
        what, owner = self.what_edit.text().strip(), self.owner_edit.text().strip()
        if not what and not owner:
            return None  # a blank row is not an action yet
        return AgreedAction(
            self.action_id, what, owner, self.due_edit.value(), self.done_check.isChecked()
        )
