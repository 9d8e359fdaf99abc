"""Text fields stop at the limits of domain/limits.py, the same figures the services hold a
record to (domain/record_limits.text_limit), so nothing typed is refused later on save.

A one-line field takes QLineEdit.setMaxLength. A multi-line field (LimitedText, mixed into
every QPlainTextEdit subclass that edits a record) refuses typing past its limit and a paste
or drop that would not fit (nothing of it goes in, so nothing is cut off unseen), and shows a
note in its corner once little room is left: how many characters are left, or why a paste
went nowhere. Text loaded from the store is shown as it is, even if an older version let it
grow past the limit (the note then says by how much).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from aim3desk.domain.record_limits import text_limit

# The note shows once less than this share of the limit is left.
NOTE_FROM_SHARE = 0.1
_NOTE_STYLE = (
    "QLabel { background: #fff4ce; color: #3b2f00; border: 1px solid #c8a600;"
    " border-radius: 3px; padding: 1px 5px; }"
)


def limit_line(edit: QLineEdit, field: str) -> QLineEdit:
    """`edit` holding at most what the record's `field` may (domain/record_limits)."""
    edit.setMaxLength(text_limit(field))
    return edit


def room_words(length: int, most: int) -> str:
    """The note for a text of `length` characters where `most` fit."""
    if length > most:
        return f"{length - most:,} characters over the limit of {most:,}: shorten this text"
    left = most - length
    if left == 0:
        return f"No room left: this text holds at most {most:,} characters"
    return f"{left:,} character{'s' if left != 1 else ''} left"


class LimitedText:
    """Mixed in before QPlainTextEdit: the field takes at most `most` characters (call
    set_text_limit from __init__)."""

    _most: int = 0
    _note: QLabel | None = None

    def set_text_limit(self, most: int) -> None:
        editor = self._editor()
        self._most = most
        self._note = QLabel(editor)
        self._note.setObjectName("textLimitNote")
        self._note.setStyleSheet(_NOTE_STYLE)
        self._note.setWordWrap(True)
        self._note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._note.hide()
        editor.textChanged.connect(self._show_room)
        editor.installEventFilter(_NotePlacer(editor, self._note))

    @property
    def text_limit(self) -> int:
        return self._most

    def room_note(self) -> str:
        """What the corner note says now ('' when it is hidden)."""
        note = self._note
        return note.text() if note is not None and note.isVisible() else ""

    def _editor(self) -> QPlainTextEdit:
        assert isinstance(self, QPlainTextEdit)
        return self

    def _length(self) -> int:
        return self._editor().document().characterCount() - 1  # less the final separator

    def _room_for(self, adding: int) -> bool:
        """Whether `adding` characters fit in place of the selection."""
        if not self._most:
            return True
        selected = len(self._editor().textCursor().selectedText())
        return self._length() - selected + adding <= self._most

    def _show_room(self, message: str = "") -> None:
        note = self._note
        if note is None:
            return
        length = self._length()
        near = length >= self._most * (1 - NOTE_FROM_SHARE)
        if not message and not near:
            note.hide()
            return
        note.setText(message or room_words(length, self._most))
        _place(self._editor(), note)
        note.show()

    def _refuse(self, adding: int) -> None:
        room = max(0, self._most - self._length())
        self._show_room(
            f"Nothing was added: that is {adding:,} characters and there is room for {room:,}"
        )

    # -- where text comes in ---------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        typed = event.text()
        control = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
        )
        inserts = bool(typed) and (typed.isprintable() or typed in ("\r", "\n", "\t"))
        if inserts and not control and not self._room_for(len(typed)):
            self._show_room(room_words(self._most, self._most))
            event.accept()
            return
        super().keyPressEvent(event)  # type: ignore[misc]

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt API
        adding = len(source.text()) if source.hasText() else 0
        if not self._room_for(adding):
            self._refuse(adding)
            return
        super().insertFromMimeData(source)  # type: ignore[misc]

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802 - Qt API
        adding = len(event.commitString())
        if adding and not self._room_for(adding):
            self._refuse(adding)
            event.accept()
            return
        super().inputMethodEvent(event)  # type: ignore[misc]


def _place(editor: QPlainTextEdit, note: QLabel) -> None:
    """The note in the bottom right corner of the text area, wrapped if the field is narrow."""
    area = editor.viewport().geometry()
    natural = note.fontMetrics().horizontalAdvance(note.text()) + 14
    width = max(40, min(natural, area.width() - 8))
    note.setFixedSize(width, note.heightForWidth(width))
    note.move(area.right() - width - 4, area.bottom() - note.height() - 2)


class _NotePlacer(QObject):
    """Keeps the note in its corner as the field is resized."""

    def __init__(self, editor: QPlainTextEdit, note: QLabel) -> None:
        super().__init__(editor)
        self._editor, self._note = editor, note

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and self._note.isVisible():
            _place(self._editor, self._note)
        return False


class LimitedPlainTextEdit(LimitedText, QPlainTextEdit):
    """A plain QPlainTextEdit for a record's `field` (its limit from domain/record_limits)."""

    def __init__(self, field: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.set_text_limit(text_limit(field))
