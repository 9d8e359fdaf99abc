"""Small parts the assessment pages share: dates shown dd/mm/yyyy, an optional date field,
tables that edit on Enter and remove on Delete and the models behind them, a non-blocking
confirmation, headings and colour chips. (The one evidence dialog is in evidence.py.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.forms import FormSet
from aim3desk.ui.date_field import DateField, accept_if_dates_valid
from aim3desk.ui.date_field import fmt_date as fmt_date  # every page formats dates with it
from aim3desk.ui.table_fit import PaddedItemDelegate

DATE_FORMAT = "dd/MM/yyyy"


def heading(text: str, level: int = 2) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * (1.35 if level == 1 else 1.12))
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def explanation(text: str) -> QLabel:
    """A wrapped line of guidance under a heading."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(text)
    return label


def page_layout(page: QWidget, title: str, guidance: str) -> QVBoxLayout:
    """The page's layout, opened with its title and a line of guidance under it."""
    layout = QVBoxLayout(page)
    layout.addWidget(heading(title, level=1))
    layout.addWidget(explanation(guidance))
    return layout


def scrolling_body(page: QWidget) -> QVBoxLayout:
    """The page's content in a scroll area that wraps its text to the width (down to ~480 px
    beside the supervision dock): the layout to fill."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    return QVBoxLayout(body)


def add_row(form: QFormLayout, text: str, field: QWidget | QLayout, buddy: QWidget) -> None:
    """A form row whose label's &-shortcut moves to `buddy` (also when the field is a row
    of several widgets)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    form.addRow(label, field)


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on the background colour."""
    colour = QColor(background)
    luminance = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()
    return "#000000" if luminance > 150 else "#ffffff"


def colour_chip(text: str, colour: str) -> QLabel:
    """A word on its colour: the word says it, so colour is never the only sign."""
    chip = QLabel(text)
    chip.setStyleSheet(
        f"QLabel {{ background: {colour}; color: {text_colour_on(colour)}; "
        "border-radius: 4px; padding: 1px 8px; font-weight: bold; }"
    )
    chip.setAccessibleName(text)
    return chip


def item_name_of(form_set: FormSet, domain_id: str | None, slot: int | None) -> str:
    """What an item is about in plain words: factor label and domain title."""
    if domain_id is None:
        return "The assessment as a whole"
    try:
        domain = form_set.domain(domain_id)
    except KeyError:
        return domain_id
    if slot is None:
        return domain.title
    try:
        return f"{domain.factor(slot).label} ({domain.title})"
    except KeyError:
        return f"{domain.title}, factor {slot}"


def required_date_edit(accessible_name: str, value: date | None = None) -> DateField:
    return DateField(accessible_name, value or date.today(), required=True)


_Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel):
    """A flat, read-only table of rows under the subclass's `columns` headings; subclasses
    fill `_rows` and answer `data`."""

    columns: tuple[str, ...] = ()
    _rows: Sequence[Any] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None


class ItemTable(QTableView):
    """A table of items: Enter (or a double click) asks to edit the current row, Delete asks
    to remove it. The page decides what that means and confirms removals."""

    edit_requested = Signal(QModelIndex)
    delete_requested = Signal(QModelIndex)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        self.setItemDelegate(PaddedItemDelegate(self))  # room around the text, rows fit it
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setHighlightSections(False)
        self.doubleClicked.connect(self._double_clicked)

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
            self.edit_requested.emit(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        index = self.currentIndex()
        key = event.key()
        if index.isValid() and self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
                    self.edit_requested.emit(index)
                else:
                    self.edit(index)
                event.accept()
                return
            editable = self.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
            # In a table edited in place Backspace starts typing; elsewhere it removes too.
            if key == Qt.Key.Key_Delete or (key == Qt.Key.Key_Backspace and not editable):
                self.delete_requested.emit(index)
                event.accept()
                return
        super().keyPressEvent(event)


def confirm(
    parent: QWidget,
    title: str,
    text: str,
    on_yes: Callable[[], None],
    yes_text: str = "Remove",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> QMessageBox:
    """Ask before something that cannot be taken back lightly; on_yes runs only on the
    `yes_text` button (Cancel is the default). Non-blocking (window-modal), so the rest of the
    app keeps its event loop."""
    box = QMessageBox(icon, title, text, parent=parent)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.YesRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAccessibleName(title)

    def finished() -> None:
        if box.clickedButton() is yes:
            on_yes()
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setAccessibleName(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
    buttons.accepted.connect(lambda: accept_if_dates_valid(dialog))
    buttons.rejected.connect(dialog.reject)
    return buttons


EDITS_PROPERTY = "editsContent"  # buttons and pickers that change content: off when read-only


def marks_edit(widget: QWidget) -> QWidget:
    """Mark a picker (combo box) as changing content, so read-only versions disable it."""
    widget.setProperty(EDITS_PROPERTY, True)
    return widget


def button(text: str, accessible_name: str, *, edits: bool = True) -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(accessible_name)
    widget.setProperty(EDITS_PROPERTY, edits)
    widget.setAutoDefault(False)
    return widget


def apply_read_only(root: QWidget, read_only: bool) -> None:
    """Finished versions: text stays selectable (read-only) and every control that would
    change the content is disabled."""
    for child in root.findChildren(QWidget):
        if isinstance(child, QLineEdit | QPlainTextEdit | QAbstractSpinBox):
            child.setReadOnly(read_only)
        elif isinstance(child, QComboBox | QAbstractButton) and child.property(EDITS_PROPERTY):
            child.setEnabled(not read_only)
