"""The plan's ending summary (moving on, stage four): drafted from the plan, then edited; it
saves itself as typed."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.intervention import LAST_STAGE, EndingSummary
from aim3desk.ui.assessment.page_kit import explanation
from aim3desk.ui.operations import intervention as ops
from aim3desk.ui.record_widgets import NoteEdit

if TYPE_CHECKING:
    from aim3desk.ui.intervention.host import PlanHost


class EndingTab(QWidget):
    def __init__(self, board: PlanHost) -> None:
        super().__init__()
        self.board = board
        self._showing = False
        self.ending_hint = explanation("")
        self.ending_progress = NoteEdit("Ending summary: progress", "Progress", 6)
        self.ending_risk = NoteEdit("Ending summary: risk and change", "Risk and change", 5)
        self.ending_outstanding = NoteEdit(
            "Ending summary: outstanding areas", "Outstanding areas for consideration", 4
        )
        for edit in self._edits():
            edit.setMaximumHeight(16777215)
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            edit.textChanged.connect(self._edited)
        self.draft_button = QPushButton("&Draft from the plan")
        self.draft_button.setAccessibleName("Draft the ending summary from the plan")
        self.draft_button.setAutoDefault(False)
        self.draft_button.clicked.connect(self.draft)
        box = QWidget()
        form = QFormLayout(box)
        form.addRow(self.ending_hint)
        form.addRow("&Progress:", self.ending_progress)
        form.addRow("Risk and &change:", self.ending_risk)
        form.addRow("&Outstanding:", self.ending_outstanding)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.draft_button)
        form.addRow(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)

    def _edits(self) -> tuple[NoteEdit, NoteEdit, NoteEdit]:
        return self.ending_progress, self.ending_risk, self.ending_outstanding

    def fill(self) -> None:
        plan = self.board.plan
        ending = plan.ending
        at_four = [t.label for t in plan.tracks if t.stage == LAST_STAGE]
        if ending is None:
            self.ending_hint.setText(
                "Moving on (stage four) produces the ending summary: progress, risk and "
                "change, and outstanding areas. Draft it from the plan, then edit it; it "
                "saves itself." + (f" At stage four now: {', '.join(at_four)}." if at_four else "")
            )
            return
        self.ending_hint.setText("The ending summary saves itself as you edit it.")
        self._showing = True
        try:
            for edit, text in zip(
                self._edits(),
                (ending.progress, ending.risk_and_change, ending.outstanding),
                strict=True,
            ):
                if edit.toPlainText() != text:
                    edit.setPlainText(text)
        finally:
            self._showing = False

    def clear(self) -> None:
        self._showing = True
        for edit in self._edits():
            edit.setPlainText("")
        self._showing = False

    def draft(self) -> None:
        """Fill the ending summary with a draft from the plan's records (saved at once)."""
        board = self.board
        has_text = any(e.toPlainText().strip() for e in self._edits())

        def fill(draft: EndingSummary) -> None:
            self._showing = True
            try:
                self.ending_progress.setPlainText(draft.progress)
                self.ending_risk.setPlainText(draft.risk_and_change)
                self.ending_outstanding.setPlainText(draft.outstanding)
            finally:
                self._showing = False
            self._edited()
            self.ending_hint.setText(
                "Drafted from the plan: edit it into your own words. It saves itself."
            )

        def draft() -> None:
            ops.draft_ending(board.runner, board.session, board.case_id).on_done(fill).run()

        if has_text and self.isVisible():
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Draft the ending summary",
                "Replace the ending summary's text with a fresh draft from the plan?",
                parent=self,
            )
            replace_button = box.addButton("Replace", QMessageBox.ButtonRole.YesRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.finished.connect(
                lambda _r: draft() if box.clickedButton() is replace_button else None
            )
            box.open()
        else:
            draft()

    def _edited(self) -> None:
        if self._showing:
            return
        ending = EndingSummary(
            self.ending_progress.toPlainText(),
            self.ending_risk.toPlainText(),
            self.ending_outstanding.toPlainText(),
        )
        board = self.board
        board.plan = replace(board.plan, ending=ending)
        board.saver.schedule(
            "ending", ops.save_ending(board.runner, board.session, board.case_id, ending)
        )
