"""The supervisor's comments on one item of the assessment, as a coloured strip under it
(ui/review/practitioner.py places the comments of a review received; the domain and
formulation pages show them). Kept here, below ui/review, so the pages need nothing from it."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from aim3desk.domain.review import AnchorKind, Comment, Review


@dataclass(frozen=True)
class PlacedComment:
    """A comment received, with who wrote it, and where it stands on the version shown."""

    comment: Comment
    review: Review
    present: bool  # its item is in this version
    changed: bool  # the words it quoted are no longer there (amended, or moved)

    @property
    def kind(self) -> AnchorKind:
        return self.comment.anchor.kind

    @property
    def ref(self) -> str:
        return self.comment.anchor.ref


class CommentStrip(QLabel):
    """The supervisor's comments on one item, in a coloured strip; hidden when there are
    none. The words are shown as plain text (escaped)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewCommentStrip")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(
            "QLabel#reviewCommentStrip { background: #e8f0fe; color: #123a6b; "
            "border-left: 4px solid #1a73e8; padding: 4px 8px; }"
        )
        self.comments: list[PlacedComment] = []
        self.hide()

    def show_comments(self, comments: list[PlacedComment]) -> None:
        self.comments = list(comments)
        lines = []
        for placed in comments:
            name = html.escape(placed.review.supervisor.name)
            about = (
                f" <i>(on {html.escape(placed.comment.anchor.label)})</i>"
                if placed.kind is AnchorKind.EVIDENCE
                else ""
            )
            changed = " <i>(since amended)</i>" if placed.changed else ""
            lines.append(f"<b>{name}:</b> {html.escape(placed.comment.text)}{about}{changed}")
        self.setText("<br>".join(lines))
        plain = "; ".join(f"{p.review.supervisor.name}: {p.comment.text}" for p in comments)
        self.setAccessibleName(f"Supervisor's comments: {plain}" if comments else "")
        self.setVisible(bool(comments))

    def clear_sensitive(self) -> None:
        self.comments = []
        self.clear()
        self.hide()
