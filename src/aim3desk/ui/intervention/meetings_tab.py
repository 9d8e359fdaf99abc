"""The plan's risk management meetings: their list, and the chosen one's decisions, changes
to safety plans and where responsibility for risk lies (saved as typed)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import new_id
from aim3desk.domain.forms import InterventionForms
from aim3desk.domain.intervention import FIRST_STAGE, Responsibility, RiskMeeting, TrackKind
from aim3desk.ui.assessment.page_kit import confirm, explanation, fmt_date
from aim3desk.ui.date_field import DateField
from aim3desk.ui.operations import intervention as ops
from aim3desk.ui.record_widgets import NoteEdit, date_edit
from aim3desk.ui.text_limit import limit_line

if TYPE_CHECKING:
    from aim3desk.ui.intervention.host import PlanHost


class MeetingsTab(QWidget):
    def __init__(self, board: PlanHost) -> None:
        super().__init__()
        self.board = board
        self._showing = False
        self.meeting_list = QListWidget()
        self.meeting_list.setAccessibleName("Risk management meetings")
        self.new_meeting_button = QPushButton("New meeting")
        self.remove_meeting_button = QPushButton("Remove")
        for widget in (self.new_meeting_button, self.remove_meeting_button):
            widget.setAutoDefault(False)
        self.new_meeting_button.setAccessibleName("New risk management meeting")
        self.remove_meeting_button.setAccessibleName("Remove risk management meeting")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.meeting_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_meeting_button)
        row.addWidget(self.remove_meeting_button)
        left_layout.addLayout(row)
        self.meeting_form = QWidget()
        form = QFormLayout(self.meeting_form)
        self.meeting_date = date_edit("Meeting date", board.today())
        self.meeting_attendees = limit_line(QLineEdit(), "attendees")
        self.meeting_attendees.setAccessibleName("Attendees")
        self.meeting_attendees.setPlaceholderText("Names or roles, separated by commas")
        self.meeting_decisions = NoteEdit("Decisions", "What the meeting decided", 4)
        self.meeting_changes = NoteEdit(
            "Changes to safety plans", "Changes to the safety plans ratified", 3
        )
        self.meeting_responsibility = QComboBox()
        self.meeting_responsibility.setAccessibleName("Where responsibility for risk lies")
        self.meeting_next = DateField("Next review")
        form.addRow("&Date:", self.meeting_date)
        form.addRow("&Attendees:", self.meeting_attendees)
        form.addRow("D&ecisions:", self.meeting_decisions)
        form.addRow("Safety plan &changes:", self.meeting_changes)
        form.addRow("Responsibility for &risk lies:", self.meeting_responsibility)
        form.addRow("&Next review:", self.meeting_next)
        self.meeting_empty = explanation(
            "Risk management meetings record their decisions, changes to safety plans and "
            "where responsibility for risk management lies. Choose New meeting to add one."
        )
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.meeting_empty)
        right_layout.addWidget(self.meeting_form)
        right_layout.addStretch(1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([280, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.new_meeting_button.clicked.connect(self.new_meeting)
        self.remove_meeting_button.clicked.connect(self._remove_meeting)
        self.meeting_list.currentItemChanged.connect(lambda *_a: self._show_meeting())
        self.meeting_date.dateChanged.connect(self._meeting_edited)
        self.meeting_attendees.textChanged.connect(self._meeting_edited)
        self.meeting_decisions.textChanged.connect(self._meeting_edited)
        self.meeting_changes.textChanged.connect(self._meeting_edited)
        self.meeting_responsibility.currentIndexChanged.connect(self._meeting_edited)
        self.meeting_next.dateChanged.connect(self._meeting_edited)

    def set_forms(self, forms: InterventionForms) -> None:
        if self.meeting_responsibility.count():
            return
        for option in forms.responsibility:
            self.meeting_responsibility.addItem(option.text, option.id)

    def fill(self) -> None:
        current = self._current_meeting_id()
        self._showing = True
        try:
            self.meeting_list.blockSignals(True)
            self.meeting_list.clear()
            meetings = sorted(self.board.plan.meetings, key=lambda m: m.date, reverse=True)
            for meeting in meetings:
                item = QListWidgetItem(self._describe_meeting(meeting))
                item.setData(Qt.ItemDataRole.UserRole, meeting.id)
                self.meeting_list.addItem(item)
                if meeting.id == current:
                    self.meeting_list.setCurrentItem(item)
            self.meeting_list.blockSignals(False)
            if self.meeting_list.currentItem() is None and self.meeting_list.count():
                self.meeting_list.setCurrentRow(0)
            self._show_meeting()
        finally:
            self._showing = False

    def clear(self) -> None:
        self._showing = True
        self.meeting_decisions.setPlainText("")
        self.meeting_changes.setPlainText("")
        self.meeting_attendees.clear()
        self.meeting_list.clear()
        self._showing = False

    def _describe_meeting(self, meeting: RiskMeeting) -> str:
        review = f", review {fmt_date(meeting.next_review)}" if meeting.next_review else ""
        return f"{fmt_date(meeting.date)}{review}"

    def _current_meeting_id(self) -> str | None:
        item = self.meeting_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _current_meeting(self) -> RiskMeeting | None:
        meeting_id = self._current_meeting_id()
        return next((m for m in self.board.plan.meetings if m.id == meeting_id), None)

    def _show_meeting(self) -> None:
        self.board.saver.flush()
        meeting = self._current_meeting()
        self.meeting_form.setVisible(meeting is not None)
        self.meeting_empty.setVisible(meeting is None)
        self.remove_meeting_button.setEnabled(meeting is not None)
        if meeting is None:
            return
        showing, self._showing = self._showing, True
        try:
            self.meeting_date.set_value(meeting.date)
            self.meeting_attendees.setText(", ".join(meeting.attendees))
            self.meeting_decisions.setPlainText(meeting.decisions)
            self.meeting_changes.setPlainText(meeting.safety_plan_changes)
            self.meeting_responsibility.setCurrentIndex(
                self.meeting_responsibility.findData(meeting.responsibility.value)
            )
            self.meeting_next.set_value(meeting.next_review)
        finally:
            self._showing = showing

    def new_meeting(self) -> None:
        board = self.board
        stage = next(
            (t.stage for t in board.plan.tracks if t.kind is TrackKind.RISK_MEETING), FIRST_STAGE
        )
        responsibility = Responsibility(
            board.forms.stage(stage).responsibility if board.forms else "adults"
        )
        meeting = RiskMeeting(new_id(), board.today(), responsibility=responsibility)

        def select(_result: object) -> None:
            for row in range(self.meeting_list.count()):
                if self.meeting_list.item(row).data(Qt.ItemDataRole.UserRole) == meeting.id:
                    self.meeting_list.setCurrentRow(row)
            self.meeting_decisions.setFocus()

        board.change(ops.add_meeting(board.runner, board.session, board.case_id, meeting), select)

    def _meeting_edited(self, *_args: object) -> None:
        if self._showing:
            return
        meeting = self._current_meeting()
        if meeting is None:
            return
        edited = replace(
            meeting,
            date=self.meeting_date.value() or meeting.date,  # kept while the text is no date
            attendees=tuple(
                a.strip() for a in self.meeting_attendees.text().split(",") if a.strip()
            ),
            decisions=self.meeting_decisions.toPlainText(),
            safety_plan_changes=self.meeting_changes.toPlainText(),
            responsibility=Responsibility(self.meeting_responsibility.currentData()),
            next_review=self.meeting_next.value(),
        )
        board = self.board
        meetings = tuple(edited if m.id == edited.id else m for m in board.plan.meetings)
        board.plan = replace(board.plan, meetings=meetings)
        self.meeting_list.currentItem().setText(self._describe_meeting(edited))
        board.saver.schedule(
            f"meeting:{edited.id}",
            ops.save_meeting(board.runner, board.session, board.case_id, edited),
        )

    def _remove_meeting(self) -> None:
        meeting_id = self._current_meeting_id()
        if meeting_id is None:
            return
        board = self.board

        def remove() -> None:
            board.saver.discard()
            board.change(ops.delete_meeting(board.runner, board.session, board.case_id, meeting_id))

        confirm(self, "Remove meeting", "Remove this risk management meeting record?", remove)
