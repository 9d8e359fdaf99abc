"""Text fields for long writing: they grow with their content and leave undo to the assessment
editor so one Ctrl+Z works everywhere. (Copies are remembered by ui/clipboard.py's watcher.)"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

from aim3desk.domain.limits import MAX_TEXT_CHARS
from aim3desk.ui.assessment import spelling
from aim3desk.ui.text_limit import LimitedText

MIN_LINES = 3
MAX_LINES = 30  # beyond this the field scrolls inside itself


class GrowingTextEdit(LimitedText, QPlainTextEdit):
    """A plain-text field whose height follows its content between MIN_LINES and MAX_LINES.

    `bind(on_text)` calls on_text(text) for each change the person makes; `show_text(text)`
    sets the text from the content without echoing back and without moving the cursor when
    the text is already there.
    """

    def __init__(
        self,
        accessible_name: str,
        placeholder: str = "",
        parent: QWidget | None = None,
        *,
        min_lines: int = MIN_LINES,
        spell_check: bool = True,
    ) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self.set_text_limit(MAX_TEXT_CHARS)
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # the editor's undo stack covers every field
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._on_text: Callable[[str], None] | None = None
        self._showing = False
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.textChanged.connect(self._edited)
        self.spell_highlighter = spelling.attach(self) if spell_check else None
        QTimer.singleShot(0, self, self._fit)  # not after deletion

    def bind(self, on_text: Callable[[str], None]) -> None:
        self._on_text = on_text

    def show_text(self, text: str) -> None:
        if self.toPlainText() == text:
            return
        self._showing = True
        try:
            cursor = self.textCursor()
            position = min(cursor.position(), len(text))
            self.setPlainText(text)
            if self.hasFocus():
                cursor = self.textCursor()
                cursor.setPosition(position)
                self.setTextCursor(cursor)
        finally:
            self._showing = False

    def _edited(self) -> None:
        if not self._showing and self._on_text is not None:
            self._on_text(self.toPlainText())

    def _line_height(self) -> int:
        return self.fontMetrics().lineSpacing()

    def _fit(self, *_args: object) -> None:
        lines = max(self._min_lines, min(MAX_LINES, int(self.document().size().height()) + 1))
        margins = self.contentsMargins()
        height = (
            lines * self._line_height()
            + 2 * int(self.document().documentMargin())
            + margins.top()
            + margins.bottom()
            + 4
        )
        if self.height() != height:
            self.setFixedHeight(height)

    def event(self, event: QEvent) -> bool:
        # Ctrl+Z / Ctrl+Y belong to the assessment's undo stack, not this field's: let the
        # shortcuts through instead of the text control claiming them.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._is_undo_key(event)
            and not self.isUndoRedoEnabled()
        ):
            event.ignore()
            return True
        return super().event(event)

    @staticmethod
    def _is_undo_key(event: QKeyEvent) -> bool:
        return (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
            or event.keyCombination().toCombined()
            in (
                QKeySequence("Ctrl+Y")[0].toCombined(),
                QKeySequence("Ctrl+Shift+Z")[0].toCombined(),
            )
        )

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        menu = self.createStandardContextMenu(event.pos())
        if not self.isUndoRedoEnabled():  # the field's own undo is off: drop its dead entries
            for action in menu.actions()[:3]:
                if action.text().replace("&", "").startswith(("Undo", "Redo")):
                    menu.removeAction(action)
        spelling.add_spelling_actions(self, menu, self.cursorForPosition(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(400, self.height())
