"""Back at the practitioner: a review received, shown in the case workspace.

Each comment is placed on the item it names (a strip under the factor card, on the domain
page for the domain and its evidence entries, under the formulation part); a comment whose
item is no longer in the version is orphaned and listed with the words it quoted on the
"Supervisor's review" page, never dropped. That page also lists a returned version's
comments as things to do (tick done, with a note: session.review.set_todo) and says who
signed a version off, when, and with which key.

The comments shown are those of the reviews of the version on screen or of the version it
was started from (a return opens a new version based on the one reviewed).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.cases import Assessment
from aim3desk.domain.forms import FormSet
from aim3desk.domain.review import AnchorKind, Comment, Decision, Review
from aim3desk.domain.review_anchors import is_orphaned
from aim3desk.ui.assessment.comment_strip import CommentStrip, PlacedComment
from aim3desk.ui.assessment.page_kit import explanation, heading
from aim3desk.ui.assessment.pages import AssessmentPage
from aim3desk.ui.operations import review as ops
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.review.anchors import present_anchor
from aim3desk.ui.text_limit import limit_line

if TYPE_CHECKING:
    from aim3desk.services.review import Todo
    from aim3desk.services.session import Session
    from aim3desk.ui.assessment.editor import AssessmentEditor
    from aim3desk.ui.tasks import TaskRunner


def reviews_for(assessment: Assessment, reviews: list[Review]) -> list[Review]:
    """The reviews of this version, or of the version it was started from."""
    wanted = {assessment.id, assessment.based_on_id}
    return [r for r in reviews if r.reviewed.assessment_id in wanted]


def place_comments(
    reviews: list[Review], content: AssessmentContent, form_set: FormSet
) -> list[PlacedComment]:
    placed = []
    for review in reviews:
        for comment in review.comments:
            anchor = comment.anchor
            present = present_anchor(form_set, content, anchor.kind, anchor.ref) is not None
            changed = present and is_orphaned(anchor, content, form_set)
            placed.append(PlacedComment(comment, review, present, changed))
    return placed


WHOLE_KINDS = (AnchorKind.GENERAL, AnchorKind.REPORT_SECTION)  # shown on the review page


def quoted(comment: Comment) -> str:
    quote = comment.anchor.quote
    return f'<br><i>It quoted: "{html.escape(quote)}"</i>' if quote else ""


def signed_off_text(review: Review) -> str:
    when = f"{review.decided_at.astimezone():%d/%m/%Y}" if review.decided_at else "an unknown date"
    return f"Signed off by {review.supervisor.name} on {when}, key {review.supervisor.fingerprint}"


# -- the "Supervisor's review" page ------------------------------------------------------------


class ReviewPage(AssessmentPage):
    """What came back from review for this version: the sign-off, the things to do, and
    the comments whose items are gone. Signal `todos_shown()` after each read."""

    title = "Supervisor's review"
    nav_key = "review"
    todos_shown = Signal()

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        self.placed: list[PlacedComment] = []
        self.todos: list[Todo] = []
        self._todo_rows: list[tuple[QCheckBox, QLineEdit, Todo]] = []
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(heading(self.title, level=1))
        self.signed_label = QLabel()
        self.signed_label.setObjectName("signedOffLabel")
        self.signed_label.setWordWrap(True)
        self.signed_label.setStyleSheet(
            "QLabel#signedOffLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid "
            "#66bb6a; border-radius: 6px; padding: 8px; }"
        )
        self.signed_label.hide()
        self.decision_label = QLabel()
        self.decision_label.setWordWrap(True)
        self.nothing_label = explanation(
            "No review has come back for this version yet. Send it for review from the Case "
            "menu or the Versions page; your supervisor's comments appear here and on the "
            "items they are about."
        )
        self.todo_heading = heading("Things to do")
        self.todo_help = explanation(
            "Your supervisor returned the previous version with these comments. Tick each one "
            "when it is dealt with, and say how in the note."
        )
        self.todo_grid = QGridLayout()
        self.todo_grid.setColumnStretch(1, 1)
        self.todo_grid.setColumnMinimumWidth(0, 24)
        self.orphan_heading = heading("Comments whose item is no longer in this version")
        self.orphan_label = QLabel()
        self.orphan_label.setWordWrap(True)
        self.orphan_label.setTextFormat(Qt.TextFormat.RichText)
        self.orphan_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.general_strip = CommentStrip()
        for widget in (
            self.signed_label,
            self.decision_label,
            self.nothing_label,
            self.general_strip,
            self.todo_heading,
            self.todo_help,
        ):
            layout.addWidget(widget)
        layout.addLayout(self.todo_grid)
        layout.addWidget(self.orphan_heading)
        layout.addWidget(self.orphan_label)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._show(None)

    def refresh(self, content: AssessmentContent) -> None:
        """Content edits move no review: the workspace hands them in (show_reviews)."""

    def show_reviews(
        self,
        reviews: list[Review],
        placed: list[PlacedComment],
        todos: list[Todo],
        signing: Review | None,
    ) -> None:
        self.placed = placed
        self.todos = todos
        self._show(reviews[-1] if reviews else None, signing)
        self._show_todos()
        orphans = [p for p in placed if not p.present]
        self.orphan_label.setText(
            "<br><br>".join(
                f"<b>{html.escape(p.review.supervisor.name)}</b> on "
                f"{html.escape(p.comment.anchor.label or p.kind.label)}: "
                f"{html.escape(p.comment.text)}" + quoted(p.comment)
                for p in orphans
            )
        )
        self.orphan_heading.setVisible(bool(orphans))
        self.orphan_label.setVisible(bool(orphans))
        general = [p for p in placed if p.present and p.kind in WHOLE_KINDS]
        self.general_strip.show_comments(general)
        self.todos_shown.emit()

    def _show(self, latest: Review | None, signing: Review | None = None) -> None:
        self.nothing_label.setVisible(latest is None)
        self.signed_label.setText(signed_off_text(signing) if signing else "")
        self.signed_label.setVisible(signing is not None)
        if latest is not None and latest.decision is Decision.RETURN:
            reasons = f" Reasons: {latest.reasons}" if latest.reasons else ""
            self.decision_label.setText(
                f"Version {latest.reviewed.assessment_version} was returned for amendments by "
                f"{latest.supervisor.name}.{reasons}"
            )
        else:
            self.decision_label.setText("")
        self.decision_label.setVisible(bool(self.decision_label.text()))

    def _show_todos(self) -> None:
        for check, note, _todo in self._todo_rows:
            self.todo_grid.removeWidget(check)
            self.todo_grid.removeWidget(note)
            check.deleteLater()
            note.deleteLater()
        self._todo_rows = []
        read_only = self.editor.read_only
        for row, todo in enumerate(self.todos):
            anchor = todo.comment.anchor
            check = QCheckBox(f"{anchor.label or anchor.kind.label}: {todo.comment.text}")
            check.setAccessibleName(f"Done: {todo.comment.text}")
            check.setChecked(todo.done)
            check.setEnabled(not read_only)
            note = limit_line(QLineEdit(todo.note), "note")
            note.setAccessibleName(f"How it was dealt with: {todo.comment.text}")
            note.setPlaceholderText("How it was dealt with")
            note.setReadOnly(read_only)
            check.toggled.connect(lambda _on, t=todo: self._save_todo(t))
            note.editingFinished.connect(lambda t=todo: self._save_todo(t))
            self.todo_grid.addWidget(check, 2 * row, 0, 1, 2)  # the note under it, indented
            self.todo_grid.addWidget(note, 2 * row + 1, 1)
            self._todo_rows.append((check, note, todo))
        self.todo_heading.setVisible(bool(self.todos))
        self.todo_help.setVisible(bool(self.todos))

    def _save_todo(self, todo: Todo) -> None:
        row = next((r for r in self._todo_rows if r[2] is todo), None)
        if row is None:
            return
        check, note, _ = row
        if check.isChecked() == todo.done and note.text() == todo.note:
            return
        context = self.context
        ops.set_todo(
            context.runner,
            context.session,
            context.case.id,
            todo.review.review_id,
            todo.comment.id,
            check.isChecked(),
            note.text(),
        ).run()  # the workspace reads the reviews again from the change

    def set_todo(self, comment_id: str, done: bool, note: str = "") -> None:
        """Tick a to-do as a person would (scripts and tests)."""
        for check, edit, todo in self._todo_rows:
            if todo.comment.id == comment_id:
                edit.setText(note)
                check.setChecked(done)
                if check.isChecked() == todo.done:
                    self._save_todo(todo)

    def set_read_only(self, read_only: bool) -> None:
        for check, note, _todo in self._todo_rows:
            check.setEnabled(not read_only)
            note.setReadOnly(read_only)

    def clear_sensitive(self) -> None:
        self.placed = []
        self.todos = []
        self._show_todos()
        self.orphan_label.clear()
        self.general_strip.clear_sensitive()
        self.signed_label.clear()
        self.decision_label.clear()


class ReceivedReviews(QObject):
    """The workspace's part: read the case's reviews and this version's to-dos, and place
    them on every page that shows them (now, and on a page built later)."""

    def __init__(
        self, session: Session, runner: TaskRunner, form_set: FormSet, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self._form_set = form_set
        self._reads = Latest()
        self.case_reviews: ops.CaseReviews | None = None
        self._assessment: Assessment | None = None
        self._editor: AssessmentEditor | None = None

    def read(
        self,
        case_id: str,
        assessment: Assessment,
        editor: AssessmentEditor,
        pages: Iterable[AssessmentPage],
    ) -> None:
        self._assessment, self._editor = assessment, editor

        def arrived(case_reviews: ops.CaseReviews) -> None:
            self.case_reviews = case_reviews
            for page in list(pages):  # the pages built by now (a live view of them)
                if isValid(page):
                    self.show_on(page)

        ops.read_case_reviews(self._runner, self._session, case_id, assessment.id).latest(
            self._reads
        ).on_done(arrived).run()

    def show_on(self, page: AssessmentPage) -> None:
        if self.case_reviews is None or self._assessment is None or self._editor is None:
            return
        reviews = reviews_for(self._assessment, self.case_reviews.reviews)
        placed = place_comments(reviews, self._editor.content, self._form_set)
        if isinstance(page, ReviewPage):
            page.show_reviews(reviews, placed, self.case_reviews.todos, self.case_reviews.signing)
        show = getattr(page, "show_review_comments", None)
        if show is not None:
            show(placed)
        show_signing = getattr(page, "show_signing", None)
        if show_signing is not None:  # the Versions page
            signing = self.case_reviews.signing
            show_signing(signed_off_text(signing) if signing else "")

    def clear(self) -> None:
        self._reads.drop()
        self.case_reviews = None
        self._editor = None


__all__ = ["ReceivedReviews", "ReviewPage", "place_comments", "signed_off_text"]
