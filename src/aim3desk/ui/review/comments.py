"""The review's comments: a list (the item each is on, then its words), add from the item in
hand or a picker, edit, remove, with undo for these edits (a QUndoStack of whole comment
tuples: cheap, the comments are small).

The panel never saves: it emits `edited(comments)` and the window folds them into the draft,
which saves as you go.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.review import Anchor, Comment
from aim3desk.ui.assessment.page_kit import button, explanation, ok_cancel
from aim3desk.ui.text_limit import LimitedPlainTextEdit

COMMENT_ROLE = Qt.ItemDataRole.UserRole


def comment_caption(comment: Comment) -> str:
    quote = f'\n    "{comment.anchor.quote}"' if comment.anchor.quote else ""
    return f"On {comment.anchor.label or comment.anchor.kind.label}:{quote}\n{comment.text}"


class CommentDialog(QDialog):
    """One comment's words, and the item it is on (a picker of every item)."""

    def __init__(
        self,
        anchors: list[Anchor],
        anchor: Anchor,
        text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Comment")
        self.setAccessibleName("Comment")
        self.resize(620, 340)
        self.anchors = list(anchors)
        if anchor not in self.anchors:
            self.anchors.insert(0, anchor)
        self.anchor_combo = QComboBox()
        self.anchor_combo.setAccessibleName("The item this comment is on")
        for item in self.anchors:
            self.anchor_combo.addItem(item.label or item.kind.label)
        self.anchor_combo.setCurrentIndex(self.anchors.index(anchor))
        self.anchor_combo.setMaxVisibleItems(20)
        self.text_edit = LimitedPlainTextEdit("text", text)
        self.text_edit.setAccessibleName("Comment")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText("What should the practitioner reflect on or change?")
        form = QFormLayout()
        form.addRow("&On:", self.anchor_combo)
        form.addRow("&Comment:", self.text_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.buttons = ok_cancel(self, "Save comment")
        layout.addWidget(self.buttons)
        self.text_edit.setFocus()

    def anchor(self) -> Anchor:
        return self.anchors[self.anchor_combo.currentIndex()]

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()


class _CommentsCommand(QUndoCommand):
    def __init__(
        self,
        text: str,
        before: tuple[Comment, ...],
        after: tuple[Comment, ...],
        show: Callable[[tuple[Comment, ...]], None],
    ) -> None:
        super().__init__(text)
        self.before, self.after, self.show = before, after, show

    def redo(self) -> None:
        self.show(self.after)

    def undo(self) -> None:
        self.show(self.before)


class CommentsPanel(QWidget):
    """Signals: `edited(comments)` after every add, edit, remove, undo or redo;
    `comment_requested()` (the window answers with `add(anchor)` for the item in hand)."""

    edited = Signal(object)  # tuple[Comment, ...]
    comment_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comments: tuple[Comment, ...] = ()
        self.anchors: Callable[[], list[Anchor]] = list
        self.read_only = False
        self.undo_stack = QUndoStack(self)
        self.list = QListWidget()
        self.list.setAccessibleName("Comments")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_current())
        self.empty = explanation(
            "No comments yet. Select an item in the assessment (a factor, an evidence entry, a "
            "formulation part) or a report section, then press Comment on this."
        )
        self.add_button = button("Comment on &this", "Comment on the item in hand")
        self.add_button.setToolTip("A comment on the item you last selected (Ctrl+Shift+M)")
        self.add_button.clicked.connect(self.comment_requested)
        self.pick_button = button("Comment on &an item...", "Comment on an item you pick")
        self.pick_button.clicked.connect(lambda: self.add(None))
        self.edit_button = button("&Edit...", "Edit the comment")
        self.edit_button.clicked.connect(self.edit_current)
        self.remove_button = button("Remo&ve", "Remove the comment")
        self.remove_button.clicked.connect(self.remove_current)
        self.undo_button = button("&Undo", "Undo the last comment edit")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self._update_buttons)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        buttons = QHBoxLayout()
        for widget in (self.add_button, self.pick_button, self.edit_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- showing ------------------------------------------------------------------------------
    def show_comments(self, comments: tuple[Comment, ...]) -> None:
        """Show without an undo step (loading a draft)."""
        self.undo_stack.clear()
        self._show(comments, emit=False)

    def _show(self, comments: tuple[Comment, ...], emit: bool = True) -> None:
        row = self.list.currentRow()
        self.comments = tuple(comments)
        self.list.clear()
        for comment in self.comments:
            item = QListWidgetItem(comment_caption(comment))
            item.setData(COMMENT_ROLE, comment.id)
            item.setToolTip(comment.text)
            self.list.addItem(item)
        if self.comments:
            self.list.setCurrentRow(min(max(row, 0), len(self.comments) - 1))
        count = len(self.comments)
        self.count_label.setText(f"{count} comment{'s' if count != 1 else ''}")
        self.empty.setVisible(not count)
        self._update_buttons()
        if emit:
            self.edited.emit(self.comments)

    def _push(self, text: str, after: tuple[Comment, ...]) -> None:
        self.undo_stack.push(_CommentsCommand(text, self.comments, after, self._show))

    # -- editing ------------------------------------------------------------------------------
    def add(self, anchor: Anchor | None) -> CommentDialog | None:
        """Write a comment on `anchor` (None: pick the item in the dialog)."""
        if self.read_only:
            return None
        anchors = self.anchors()
        dialog = CommentDialog(anchors, anchor or anchors[0], parent=self)

        def accepted() -> None:
            if dialog.text():
                comment = Comment(uuid4().hex, dialog.anchor(), dialog.text())
                self._push("Add a comment", (*self.comments, comment))
                self.list.setCurrentRow(len(self.comments) - 1)

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def add_comment(self, anchor: Anchor, text: str) -> None:
        """A comment without the dialog (scripts and tests)."""
        self._push("Add a comment", (*self.comments, Comment(uuid4().hex, anchor, text)))

    def current(self) -> Comment | None:
        row = self.list.currentRow()
        return self.comments[row] if 0 <= row < len(self.comments) else None

    def edit_current(self) -> CommentDialog | None:
        comment = self.current()
        if comment is None or self.read_only:
            return None
        dialog = CommentDialog(self.anchors(), comment.anchor, comment.text, self)

        def accepted() -> None:
            if dialog.text():
                changed = Comment(comment.id, dialog.anchor(), dialog.text())
                after = tuple(changed if c.id == comment.id else c for c in self.comments)
                self._push("Edit a comment", after)

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def remove_current(self) -> None:
        comment = self.current()
        if comment is not None and not self.read_only:
            self._push("Remove a comment", tuple(c for c in self.comments if c.id != comment.id))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.current() is not None
        for widget in (self.add_button, self.pick_button):
            widget.setEnabled(not self.read_only)
        self.edit_button.setEnabled(has and not self.read_only)
        self.remove_button.setEnabled(has and not self.read_only)
        self.undo_button.setEnabled(self.undo_stack.canUndo() and not self.read_only)

    def clear_sensitive(self) -> None:
        self.undo_stack.clear()
        self.comments = ()
        self.list.clear()
