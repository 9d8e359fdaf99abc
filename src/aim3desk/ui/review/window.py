"""The review window: one bundle sent to you for review.

Left, the assessment as the practitioner sent it, on the practitioner's own pages, read-only
(review_workspace.py). Right, in tabs: the report (its pages as images), the session-three
checklist, the comments and the changes since the previous version received. Below, the
decision. The draft saves as you go (a short pause after each edit, and on closing).

Ctrl+Shift+M comments on the item in hand (or the report section on screen).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.review import Anchor, Decision, Review
from aim3desk.ui.exchange_kit import MessageLabel, error_sentence
from aim3desk.ui.operations import review as ops
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.review.anchors import pickable_anchors, section_anchor
from aim3desk.ui.review.comments import CommentsPanel
from aim3desk.ui.review.inbox import day_of
from aim3desk.ui.review.panels import ChangesPanel, ChecklistPanel, DecisionBar
from aim3desk.ui.review.report_view import ReportView
from aim3desk.ui.review.review_workspace import FocusFollower, ReviewWorkspace

if TYPE_CHECKING:
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

DRAFT_SAVE_DELAY_MS = 800
DRAFT_SAVED = "Draft saved"


class ReviewWindow(QDialog):
    """Signals: `opened()` once the material is shown, `draft_saved(review)`,
    `decided(review)` once the decision is recorded and queued."""

    opened = Signal()
    draft_saved = Signal(object)
    decided = Signal(object)

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        bundle_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self.bundle_id = bundle_id
        self._reads = Latest()
        self.review: Review | None = None
        self.opened_review: ops.OpenedReview | None = None
        self.workspace: ReviewWorkspace | None = None
        self._saved_review: Review | None = None
        self._deciding = False
        self._last_area = "workspace"
        self.setWindowTitle("Review")
        self.setAccessibleName("Review")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setModal(False)
        self.resize(1340, 740)

        self.header = QLabel("Opening the bundle...")
        self.header.setWordWrap(True)
        self.header.setAccessibleName("What is under review")
        self.reason_label = MessageLabel("sentEarlyLabel")
        self.reason_label.setStyleSheet(
            "QLabel#sentEarlyLabel { background: #fff4d6; color: #4a3800; "
            "border: 1px solid #d9b44a; border-radius: 4px; padding: 6px; }"
        )
        self.save_label = QLabel()
        self.save_label.setAccessibleName("Draft state")
        self.error_label = MessageLabel("errorLabel")

        self.left = QWidget()
        self.left_layout = QVBoxLayout(self.left)
        self.left_layout.setContentsMargins(0, 0, 0, 0)
        self.report = ReportView(runner)
        self.checklist = ChecklistPanel()
        self.checklist.edited.connect(lambda items: self._edit(checklist=items))
        self.comments = CommentsPanel()
        self.comments.anchors = self._anchors
        self.comments.edited.connect(lambda comments: self._edit(comments=comments))
        self.comments.comment_requested.connect(self.comment_on_this)
        self.changes = ChangesPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.report, "&Report")
        self.tabs.addTab(self.checklist, "Check&list")
        self.tabs.addTab(self.comments, "&Comments")
        self.tabs.addTab(self.changes, "C&hanges")
        self.decision = DecisionBar()
        self.decision.reasons_edited.connect(lambda text: self._edit(reasons=text))
        self.decision.decided.connect(self.decide)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.left)
        splitter.addWidget(self.tabs)
        splitter.setSizes([720, 620])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.reason_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.decision)
        layout.addWidget(self.save_label)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(DRAFT_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)
        comment_action = QAction("Comment on this", self)
        comment_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        comment_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        comment_action.triggered.connect(self.comment_on_this)
        self.addAction(comment_action)
        self._focus = FocusFollower(self._focus_changed)
        ops.open_review(runner, session, bundle_id).latest(self._reads).on_done(
            self._show
        ).on_error(self._open_failed).run()

    # -- opening ------------------------------------------------------------------------------
    def _show(self, opened: ops.OpenedReview) -> None:
        self.opened_review = opened
        material = opened.material
        entry = material.entry
        self.setWindowTitle(f"Review: case {entry.case_reference}, version {entry.version}")
        self.header.setText(
            f"<b>Case {entry.case_reference}</b>, version {entry.version}, from "
            f"{entry.author_name}, sent {day_of(entry.created)}. The assessment is read-only; "
            "your checklist, comments and decision are yours."
        )
        self.reason_label.setText(
            "Sent before it passed the readiness check. The practitioner's reason: "
            + material.sent_with_reason
            if material.sent_with_reason
            else ""
        )
        workspace = ReviewWorkspace(
            opened.assessment,
            material.case,
            self._session,
            material.form_set,
            self._runner,
        )
        self.workspace = workspace
        self.left_layout.addWidget(workspace)
        if material.report_pdf:
            self.report.show_pdf(material.report_pdf)
        else:
            self.report.status.setText("This bundle holds no report.")
        self.changes.show_changes(tuple(material.changes), first=entry.changes is None)
        count = len(material.changes)
        self.tabs.setTabText(3, f"C&hanges ({count})")
        self._show_review(opened.review)
        self._saved_review = opened.review
        self.comments.show_comments(opened.review.comments)
        self.opened.emit()

    def _open_failed(self, exc: BaseException) -> None:
        self.header.setText(error_sentence(exc, "opening the review"))

    def _anchors(self) -> list[Anchor]:
        if self.opened_review is None:
            return []
        material = self.opened_review.material
        model = material.form_set.model(material.assessment.model.value)
        sections = [s.title for s in self.report.sections]
        return pickable_anchors(material.form_set, model, material.content, sections)

    # -- editing the draft ---------------------------------------------------------------------
    def _show_review(self, review: Review) -> None:
        self.review = review
        read_only = review.decided or self._deciding
        self.checklist.show_checklist(review.checklist, read_only)
        self.comments.set_read_only(read_only)
        self.decision.show_review(review, busy=self._deciding)
        count = len(review.comments)
        self.tabs.setTabText(2, f"&Comments ({count})")

    def _edit(self, **change: object) -> None:
        if self.review is None or self.review.decided:
            return
        self._show_review(replace(self.review, **change))  # type: ignore[arg-type]
        self.save_label.setText("Saving the draft...")
        self._save_timer.start()

    def save_now(self) -> None:
        self._save_timer.stop()
        review = self.review
        if review is None or review.decided or review == self._saved_review:
            return
        self._saved_review = review
        ops.save_draft(self._runner, self._session, review).on_done(self._draft_saved).on_error(
            self._save_failed
        ).run()

    def _draft_saved(self, review: Review) -> None:
        # "Draft saved" only when nothing newer waits: an older snapshot landing while a
        # later edit is still on its timer would otherwise claim that edit is saved.
        if review == self.review and not self._save_timer.isActive():
            self.save_label.setText(DRAFT_SAVED)
        self.draft_saved.emit(review)

    def _save_failed(self, exc: BaseException) -> None:
        self._saved_review = None  # try again with the next edit or on closing
        self.save_label.setText("Draft not saved: " + error_sentence(exc, "saving the review"))

    # -- commenting ----------------------------------------------------------------------------
    def _focus_changed(self, new: QWidget | None) -> None:
        widget = new
        while widget is not None:
            if widget is self.report:
                self._last_area = "report"
                return
            if widget is self.workspace:
                self._last_area = "workspace"
                return
            widget = widget.parentWidget()

    def anchor_in_hand(self) -> Anchor:
        if self._last_area == "report":
            section = self.report.current_section()
            if section is not None:
                return section_anchor(section.title)
        if self.workspace is not None:
            return self.workspace.anchor_in_hand()
        return self._anchors()[0]

    def comment_on_this(self) -> None:
        if self.review is None or self.review.decided:
            return
        self.tabs.setCurrentWidget(self.comments)
        self.comments.add(self.anchor_in_hand())

    # -- deciding ------------------------------------------------------------------------------
    def decide(self, decision: Decision, reasons: str) -> None:
        review = self.review
        if review is None or review.decided:
            return
        self.error_label.setText("")
        self.save_now()  # the runner keeps order: the draft lands before the decision
        self._deciding = True
        self._show_review(review)
        ops.decide(self._runner, self._session, review.review_id, decision, reasons).on_done(
            self._decided
        ).on_error(self._decide_failed).run()

    def _decided(self, decided: object) -> None:
        self._deciding = False
        review = decided.review  # type: ignore[attr-defined]
        self._saved_review = review
        self._show_review(review)
        self.save_label.setText("")
        self.decided.emit(review)

    def _decide_failed(self, exc: BaseException) -> None:
        self._deciding = False
        if self.review is not None:
            self._show_review(self.review)
        self.error_label.setText(error_sentence(exc, "sending the review"))

    # -- closing -------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        self.release()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.release()
        super().closeEvent(event)

    def release(self) -> None:
        """Save the draft, then forget what the window showed (closing or locking)."""
        self.save_now()
        self._reads.drop()
        self._focus.stop()
        if self.workspace is not None:
            self.workspace.clear_sensitive()
        for panel in (self.report, self.checklist, self.comments, self.changes, self.decision):
            panel.clear_sensitive()
        self.header.clear()
        self.reason_label.setText("")
