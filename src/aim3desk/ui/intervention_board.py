"""The intervention plan board of a case (AIM intervention framework, seed 002).

The four stages are columns; each track (the young person, each named parent or carer, the
multi-agency risk management meeting) is a row with its card in the column of its own stage.
A card moves with its arrow buttons or the Left and Right keys. Below the board, the goals of
the chosen track: started from the stage's content or written fresh, with the young person's
plain-words version and who they think can help, rated at reviews and drawn as a small chart.
Further tabs keep the risk management meetings, the versioned keeping-safe plan and the
ending summary that moving on (stage four) produces.

Every read and write goes through the TaskRunner; each write reloads the plan (one query).
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import ValidationError, new_id
from aim3desk.domain.forms import InterventionForms
from aim3desk.domain.intervention import (
    FIRST_STAGE,
    LAST_STAGE,
    EndingSummary,
    Goal,
    InterventionPlan,
    ProgressReview,
    Responsibility,
    RiskMeeting,
    Track,
    TrackKind,
)
from aim3desk.ui.assessment.page_kit import (
    DATE_FORMAT,
    OptionalDateEdit,
    confirm,
    explanation,
    fmt_date,
    ok_cancel,
)
from aim3desk.ui.record_saver import RecordSaver, save_failure_reason
from aim3desk.ui.supervision_pane import NoteEdit
from aim3desk.ui.tasks import TaskRunner

STAGE_COLOURS = ("#e8f1fb", "#eaf6ec", "#fdf3e3", "#f1ebf8")
CARD_COLOURS = ("#2f6fb3", "#2e7d4f", "#b36b00", "#6a4a9c")


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def date_edit(accessible_name: str, value: date) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setAccessibleName(accessible_name)
    edit.setDate(_qdate(value))
    return edit


# ---------------------------------------------------------------------------------------------
# The small chart


class ProgressSparkline(QWidget):
    """Progress ratings of a goal over its reviews, as a line on the scale (QPainter)."""

    def __init__(self, scale_min: int, scale_max: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale_min, self.scale_max = scale_min, scale_max
        self._reviews: tuple[ProgressReview, ...] = ()
        self.setMinimumSize(150, 40)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Progress chart")

    def set_reviews(self, reviews: tuple[ProgressReview, ...]) -> None:
        self._reviews = tuple(reviews)
        ratings = ", ".join(f"{r.rating} on {fmt_date(r.date)}" for r in self._reviews)
        self.setAccessibleDescription(
            f"Progress out of {self.scale_max}: {ratings}" if ratings else "Not yet reviewed"
        )
        self.setToolTip(self.accessibleDescription())
        self.update()

    def points(self) -> list[int]:
        return [r.rating for r in self._reviews]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(170, 44)

    def point_positions(self) -> list[QPointF]:
        area = QRectF(self.rect()).adjusted(6, 6, -34, -6)
        count = len(self._reviews)
        span = max(1, self.scale_max - self.scale_min)
        found = []
        for i, review in enumerate(self._reviews):
            x = area.left() + (area.width() * i / (count - 1) if count > 1 else area.width() / 2)
            y = area.bottom() - area.height() * (review.rating - self.scale_min) / span
            found.append(QPointF(x, y))
        return found

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(6, 6, -34, -6)
        painter.setPen(QPen(QColor("#c8c8c8"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.topLeft(), area.topRight())
        points = self.point_positions()
        if not points:
            painter.setPen(QColor("#777777"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Not yet reviewed")
            return
        painter.setPen(QPen(QColor("#2f6fb3"), 2))
        for a, b in itertools.pairwise(points):
            painter.drawLine(a, b)
        painter.setBrush(QColor("#2f6fb3"))
        for point in points:
            painter.drawEllipse(point, 3, 3)
        painter.setPen(QColor("#1a1a1a"))
        last = self._reviews[-1].rating
        painter.drawText(
            QRectF(area.right() + 4, 0, 30, self.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            f"{last}/{self.scale_max}",
        )


# ---------------------------------------------------------------------------------------------
# Dialogs


class StageItemDialog(QDialog):
    """Pick a goal from the stage's content for this track."""

    def __init__(self, forms: InterventionForms, track: Track, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.forms, self.track = forms, track
        self.setWindowTitle("Add goal from stage content")
        self.resize(560, 420)
        self.stage_combo = QComboBox()
        self.stage_combo.setAccessibleName("Stage")
        for stage in forms.stages:
            self.stage_combo.addItem(f"Stage {stage.number}: {stage.title}", stage.number)
        self.stage_combo.setCurrentIndex(self.stage_combo.findData(track.stage))
        self.summary = explanation("")
        self.items = QListWidget()
        self.items.setAccessibleName("Stage content")
        self.items.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation(f"Work for {track.label} at the chosen stage:"))
        layout.addWidget(self.stage_combo)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 1)
        self.buttons = ok_cancel(self, "Add goal")
        layout.addWidget(self.buttons)
        self.stage_combo.currentIndexChanged.connect(self._fill)
        self.items.itemDoubleClicked.connect(lambda _i: self.accept())
        self._fill()

    def _fill(self) -> None:
        stage = self.forms.stage(self.stage_combo.currentData())
        self.summary.setText(stage.summary)
        self.items.clear()
        for item in stage.items_for(self.track.kind.content_track):
            part = f" (part {item.part})" if item.part else ""
            entry = QListWidgetItem(item.text + part)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self.items.addItem(entry)
        self.items.setCurrentRow(0)

    def item_id(self) -> str | None:
        item = self.items.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None


class GoalDialog(QDialog):
    """Write or edit a goal with its plain-words version and who can help."""

    def __init__(self, goal: Goal | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit goal" if goal else "Add a fresh goal")
        self.resize(560, 400)
        self.text_edit = NoteEdit("Goal", "The goal, as the plan puts it", 3)
        self.plain_edit = NoteEdit(
            "Goal in plain words", "The goal in the young person's own words", 3
        )
        self.help_edit = QLineEdit()
        self.help_edit.setAccessibleName("Who the young person thinks can help")
        self.help_edit.setPlaceholderText("Who the young person thinks can help")
        if goal is not None:
            self.text_edit.setPlainText(goal.text)
            self.plain_edit.setPlainText(goal.plain_words)
            self.help_edit.setText(goal.who_can_help)
        form = QFormLayout(self)
        form.addRow("&Goal:", self.text_edit)
        form.addRow("In &plain words:", self.plain_edit)
        form.addRow("Who can &help:", self.help_edit)
        self.buttons = ok_cancel(self, "Save goal")
        form.addRow(self.buttons)


class ReviewDialog(QDialog):
    """Rate progress on a goal at a review (forms' progress scale)."""

    def __init__(
        self, forms: InterventionForms, goal: Goal, today: date, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        scale = forms.progress
        self.setWindowTitle("Review progress")
        self.resize(480, 260)
        self.date_edit = date_edit("Review date", today)
        if goal.reviews:
            self.date_edit.setMinimumDate(_qdate(goal.reviews[-1].date))
        self.date_edit.setMaximumDate(_qdate(today))
        self.rating_spin = QSpinBox()
        self.rating_spin.setRange(scale.min, scale.max)
        self.rating_spin.setAccessibleName("Progress rating")
        self.rating_spin.setValue(goal.latest_rating if goal.latest_rating is not None else 0)
        scale_label = QLabel(f"{scale.min} = {scale.low_label}, {scale.max} = {scale.high_label}")
        rating_row = QHBoxLayout()
        rating_row.addWidget(self.rating_spin)
        rating_row.addWidget(scale_label, 1)
        self.note_edit = NoteEdit("Review note", "What has changed (optional)", 2)
        form = QFormLayout(self)
        form.addRow(explanation(goal.text))
        form.addRow("&Date:", self.date_edit)
        form.addRow("&Rating:", rating_row)
        form.addRow("&Note:", self.note_edit)
        self.buttons = ok_cancel(self, "Save review")
        form.addRow(self.buttons)

    def review(self) -> ProgressReview:
        return ProgressReview(
            self.date_edit.date().toPython(),
            self.rating_spin.value(),
            self.note_edit.toPlainText().strip(),
        )


# ---------------------------------------------------------------------------------------------
# Cards


class TrackCard(QFrame):
    """A track at its stage. Left / Right (or the arrow buttons) move it a stage."""

    move_requested = Signal(str, int)  # track id, new stage
    chosen = Signal(str)

    def __init__(self, track: Track, goals: int, selected: bool) -> None:
        super().__init__()
        self.track = track
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName("trackCard")
        colour = CARD_COLOURS[track.stage - 1]
        width = 3 if selected else 1
        self.setStyleSheet(
            f"QFrame#trackCard {{ background: white; border: {width}px solid {colour};"
            " border-radius: 6px; }"
            f"QFrame#trackCard:focus {{ border: 3px solid {colour}; }}"
        )
        self.setAccessibleName(f"{track.label}, stage {track.stage}")
        self.setAccessibleDescription("Left and Right arrows move the track a stage.")
        self.setToolTip("Left / Right arrow keys move this track to another stage.")
        self.back_button = QToolButton()
        self.back_button.setText("\u25c0")
        self.back_button.setAccessibleName(f"Move {track.label} back a stage")
        self.back_button.setToolTip("Move back a stage (Left)")
        self.back_button.setEnabled(track.stage > FIRST_STAGE)
        self.on_button = QToolButton()
        self.on_button.setText("\u25b6")
        self.on_button.setAccessibleName(f"Move {track.label} on a stage")
        self.on_button.setToolTip("Move on a stage (Right)")
        self.on_button.setEnabled(track.stage < LAST_STAGE)
        name = QLabel(f"<b>{html.escape(track.label)}</b>")
        name.setWordWrap(True)
        since = track.history[-1].on if track.history else None
        detail = QLabel(
            f"{goals} goal{'s' if goals != 1 else ''}"
            + (f" \u00b7 since {fmt_date(since)}" if since else "")
        )
        detail.setStyleSheet("color: #555;")
        text = QVBoxLayout()
        text.setSpacing(1)
        text.addWidget(name)
        text.addWidget(detail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.back_button)
        layout.addLayout(text, 1)
        layout.addWidget(self.on_button)
        self.back_button.clicked.connect(lambda: self.step(-1))
        self.on_button.clicked.connect(lambda: self.step(1))

    def step(self, delta: int) -> None:
        stage = self.track.stage + delta
        if FIRST_STAGE <= stage <= LAST_STAGE:
            self.move_requested.emit(self.track.id, stage)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Left:
            self.step(-1)
        elif event.key() == Qt.Key.Key_Right:
            self.step(1)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self.chosen.emit(self.track.id)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.setFocus()
        super().mousePressEvent(event)


class GoalCard(QFrame):
    """One goal: its words, the young person's words, who can help, and its chart."""

    review_requested = Signal(str)
    edit_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, goal: Goal, forms: InterventionForms) -> None:
        super().__init__()
        self.goal = goal
        self.setObjectName("goalCard")
        self.setStyleSheet(
            "QFrame#goalCard { background: palette(base); border: 1px solid #cfcfcf;"
            " border-radius: 6px; }"
        )
        origin = "from stage content" if goal.from_stage_item else "written fresh"
        title = QLabel(
            f"<b>{html.escape(goal.text)}</b> <span style='color:#666'>(stage {goal.stage}, "
            f"{origin})</span>"
        )
        title.setWordWrap(True)
        lines = []
        if goal.plain_words:
            lines.append(f"<i>In plain words:</i> {html.escape(goal.plain_words)}")
        if goal.who_can_help:
            lines.append(f"<i>Who can help:</i> {html.escape(goal.who_can_help)}")
        if not lines:
            lines.append(
                "<span style='color:#8a5a00'>Add the young person's plain-words version "
                "(Edit).</span>"
            )
        words = QLabel("<br>".join(lines))
        words.setWordWrap(True)
        scale = forms.progress
        self.chart = ProgressSparkline(scale.min, scale.max)
        self.chart.set_reviews(goal.reviews)
        reviews = QLabel(
            f"{len(goal.reviews)} review{'s' if len(goal.reviews) != 1 else ''}"
            + (f", last {fmt_date(goal.reviews[-1].date)}" if goal.reviews else "")
        )
        reviews.setStyleSheet("color:#555;")
        self.review_button = QPushButton("Review progress...")
        self.review_button.setAccessibleName("Review progress on this goal")
        self.edit_button = QPushButton("Edit...")
        self.edit_button.setAccessibleName("Edit this goal")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove this goal")
        for widget in (self.review_button, self.edit_button, self.remove_button):
            widget.setAutoDefault(False)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(words)
        chart_box = QVBoxLayout()
        chart_box.addWidget(self.chart)
        chart_box.addWidget(reviews)
        buttons = QVBoxLayout()
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(text, 1)
        layout.addLayout(chart_box)
        layout.addLayout(buttons)
        self.review_button.clicked.connect(lambda: self.review_requested.emit(goal.id))
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(goal.id))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(goal.id))


# ---------------------------------------------------------------------------------------------
# The board


class InterventionBoard(QWidget):
    """`load()` reads the plan; `flush()` queues unsaved edits; `clear_sensitive()` empties
    it. Emits `save_state_changed(text)` and `plan_changed()` after each reload."""

    save_state_changed = Signal(str)
    plan_changed = Signal()

    def __init__(
        self,
        session: Any,
        case_id: str,
        runner: TaskRunner,
        parent: QWidget | None = None,
        autosave_delay_ms: int = 800,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._service = session.intervention
        self.case_id = case_id
        self._runner = runner
        self._today = today
        self.forms: InterventionForms | None = None
        self.plan = InterventionPlan()
        self.selected_track: str | None = None
        self.active_dialog: QDialog | None = None
        self._showing = False
        self._generation = 0
        self.saver = RecordSaver(runner, autosave_delay_ms, "saving the intervention plan", self)
        self.saver.state_changed.connect(self.save_state_changed)
        self.cards: dict[str, TrackCard] = {}
        self.goal_cards: dict[str, GoalCard] = {}

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Intervention plan")
        self.tabs.addTab(self._build_board_tab(), "&Stages and goals")
        self.tabs.addTab(self._build_meetings_tab(), "&Risk management meetings")
        self.tabs.addTab(self._build_plan_tab(), "&Keeping-safe plan")
        self.tabs.addTab(self._build_ending_tab(), "&Moving on")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    # -- building -----------------------------------------------------------------------------
    def _build_board_tab(self) -> QWidget:
        self.add_young_person_button = QPushButton("Add young person")
        self.add_parent_button = QPushButton("Add parent or carer...")
        self.add_meeting_track_button = QPushButton("Add risk management meeting")
        self.remove_track_button = QPushButton("Remove track")
        for widget in (
            self.add_young_person_button,
            self.add_parent_button,
            self.add_meeting_track_button,
            self.remove_track_button,
        ):
            widget.setAutoDefault(False)
            widget.setAccessibleName(widget.text().rstrip("."))
        self.add_young_person_button.clicked.connect(lambda: self.add_track(TrackKind.YOUNG_PERSON))
        self.add_parent_button.clicked.connect(self._ask_parent)
        self.add_meeting_track_button.clicked.connect(
            lambda: self.add_track(TrackKind.RISK_MEETING)
        )
        self.remove_track_button.clicked.connect(self._remove_track)
        buttons = QHBoxLayout()
        for widget in (
            self.add_young_person_button,
            self.add_parent_button,
            self.add_meeting_track_button,
        ):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_track_button)

        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(6)
        self.board_empty = explanation(
            "No tracks yet. Add the young person, each parent or carer by name, and the "
            "multi-agency risk management meeting: each moves through the stages at its own "
            "pace."
        )
        board_box = QWidget()
        board_layout = QVBoxLayout(board_box)
        board_layout.setContentsMargins(0, 0, 0, 0)
        board_layout.addLayout(buttons)
        board_layout.addWidget(self.grid_holder)
        board_layout.addWidget(self.board_empty)
        board_layout.addStretch(1)
        board_scroll = QScrollArea()
        board_scroll.setWidgetResizable(True)
        board_scroll.setFrameShape(QFrame.Shape.NoFrame)
        board_scroll.setWidget(board_box)

        self.goals_title = QLabel()
        self.goals_title.setWordWrap(True)
        self.goal_from_stage_button = QPushButton("Add goal from &stage content...")
        self.goal_fresh_button = QPushButton("Add &fresh goal...")
        for widget in (self.goal_from_stage_button, self.goal_fresh_button):
            widget.setAutoDefault(False)
            widget.setAccessibleName(widget.text().replace("&", "").rstrip("."))
        self.goal_from_stage_button.clicked.connect(self.ask_goal_from_stage)
        self.goal_fresh_button.clicked.connect(lambda: self.ask_goal(None))
        goal_buttons = QHBoxLayout()
        goal_buttons.addWidget(self.goals_title, 1)
        goal_buttons.addWidget(self.goal_from_stage_button)
        goal_buttons.addWidget(self.goal_fresh_button)
        self.goals_box = QWidget()
        self.goals_layout = QVBoxLayout(self.goals_box)
        self.goals_layout.setContentsMargins(0, 0, 8, 0)
        goals_scroll = QScrollArea()
        goals_scroll.setWidgetResizable(True)
        goals_scroll.setFrameShape(QFrame.Shape.NoFrame)
        goals_scroll.setWidget(self.goals_box)
        goals = QWidget()
        goals_layout = QVBoxLayout(goals)
        goals_layout.setContentsMargins(0, 0, 0, 0)
        goals_layout.addLayout(goal_buttons)
        goals_layout.addWidget(goals_scroll, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(board_scroll)
        split.addWidget(goals)
        split.setSizes([280, 360])
        split.setChildrenCollapsible(False)
        return split

    def _build_meetings_tab(self) -> QWidget:
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
        self.meeting_date = date_edit("Meeting date", self._today())
        self.meeting_attendees = QLineEdit()
        self.meeting_attendees.setAccessibleName("Attendees")
        self.meeting_attendees.setPlaceholderText("Names or roles, separated by commas")
        self.meeting_decisions = NoteEdit("Decisions", "What the meeting decided", 4)
        self.meeting_changes = NoteEdit(
            "Changes to safety plans", "Changes to the safety plans ratified", 3
        )
        self.meeting_responsibility = QComboBox()
        self.meeting_responsibility.setAccessibleName("Where responsibility for risk lies")
        self.meeting_next = OptionalDateEdit("Next review")
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
        self.new_meeting_button.clicked.connect(self.new_meeting)
        self.remove_meeting_button.clicked.connect(self._remove_meeting)
        self.meeting_list.currentItemChanged.connect(lambda *_a: self._show_meeting())
        self.meeting_date.dateChanged.connect(self._meeting_edited)
        self.meeting_attendees.textChanged.connect(self._meeting_edited)
        self.meeting_decisions.textChanged.connect(self._meeting_edited)
        self.meeting_changes.textChanged.connect(self._meeting_edited)
        self.meeting_responsibility.currentIndexChanged.connect(self._meeting_edited)
        self.meeting_next.dateChanged.connect(self._meeting_edited)
        return split

    def _build_plan_tab(self) -> QWidget:
        self.plan_history = QListWidget()
        self.plan_history.setAccessibleName("Keeping-safe plan versions")
        self.plan_view = QLabel()
        self.plan_view.setWordWrap(True)
        self.plan_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan_view.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.plan_view.setAccessibleName("Chosen keeping-safe plan version")
        self.plan_text = NoteEdit(
            "New keeping-safe plan version", "The keeping-safe plan as agreed now", 8
        )
        self.plan_text.setMaximumHeight(16777215)
        self.plan_agreed = QLineEdit()
        self.plan_agreed.setAccessibleName("Agreed with")
        self.plan_agreed.setPlaceholderText("Who it was agreed with")
        self.plan_save_button = QPushButton("Save as &new version")
        self.plan_save_button.setAccessibleName("Save as new keeping-safe plan version")
        self.plan_save_button.setAutoDefault(False)
        self.plan_save_button.clicked.connect(self.save_keeping_safe_plan)
        self.plan_history.currentItemChanged.connect(lambda *_a: self._show_plan_version())
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Versions</b>"))
        left_layout.addWidget(self.plan_history, 1)
        left_layout.addWidget(self.plan_view, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(
            explanation(
                "Each change to the keeping-safe plan is kept as a new version; earlier "
                "versions stay as they were."
            )
        )
        right_layout.addWidget(self.plan_text, 1)
        agreed = QFormLayout()
        agreed.addRow("A&greed with:", self.plan_agreed)
        right_layout.addLayout(agreed)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.plan_save_button)
        right_layout.addLayout(row)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([360, 620])
        return split

    def _build_ending_tab(self) -> QWidget:
        self.ending_hint = explanation("")
        self.ending_progress = NoteEdit("Ending summary: progress", "Progress", 6)
        self.ending_risk = NoteEdit("Ending summary: risk and change", "Risk and change", 5)
        self.ending_outstanding = NoteEdit(
            "Ending summary: outstanding areas", "Outstanding areas for consideration", 4
        )
        for edit in (self.ending_progress, self.ending_risk, self.ending_outstanding):
            edit.setMaximumHeight(16777215)
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            edit.textChanged.connect(self._ending_edited)
        self.draft_button = QPushButton("&Draft from the plan")
        self.draft_button.setAccessibleName("Draft the ending summary from the plan")
        self.draft_button.setAutoDefault(False)
        self.draft_button.clicked.connect(self.draft_ending)
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
        return box

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        service, case_id = self._service, self.case_id
        self._generation += 1
        generation = self._generation

        def show(result: tuple[InterventionForms, InterventionPlan]) -> None:
            if generation == self._generation:
                self.forms = result[0]
                self._fill_responsibility()
                self._show_plan(result[1])

        self._runner.run(
            lambda: (service.forms, service.plan(case_id)),
            on_done=show,
            what="reading the intervention plan",
        )

    def _change(
        self, change: Callable[[], Any], what: str, after: Callable[[Any], None] | None = None
    ) -> None:
        """Run a write, then reload the plan (one query) and show it."""
        self.saver.flush()
        service, case_id = self._service, self.case_id
        generation = self._generation

        def work() -> tuple[Any, InterventionPlan]:
            return change(), service.plan(case_id)

        def done(result: tuple[Any, InterventionPlan]) -> None:
            if generation != self._generation:
                return
            self._show_plan(result[1])
            if after is not None:
                after(result[0])

        self._runner.run(work, on_done=done, on_error=self._failed, what=what)

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "Not saved", f"Not saved: {save_failure_reason(exc)}")

    def _fill_responsibility(self) -> None:
        if self.forms is None or self.meeting_responsibility.count():
            return
        for option in self.forms.responsibility:
            self.meeting_responsibility.addItem(option.text, option.id)

    def _show_plan(self, plan: InterventionPlan) -> None:
        self.plan = plan
        if self.selected_track not in {t.id for t in plan.tracks}:
            self.selected_track = plan.tracks[0].id if plan.tracks else None
        self._showing = True
        try:
            self._fill_board()
            self._fill_goals()
            self._fill_meetings()
            self._fill_plan_versions()
            self._fill_ending()
        finally:
            self._showing = False
        self.plan_changed.emit()

    # -- board --------------------------------------------------------------------------------
    def _fill_board(self) -> None:
        focused = next((tid for tid, c in self.cards.items() if c.hasFocus()), None)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.cards = {}
        assert self.forms is not None
        plan = self.plan
        self.grid.addWidget(QLabel("<b>Track</b>"), 0, 0)
        for stage in self.forms.stages:
            head = QLabel(f"<b>Stage {stage.number}</b><br>{html.escape(stage.title)}")
            head.setWordWrap(True)
            head.setToolTip(stage.summary)
            head.setStyleSheet(
                f"QLabel {{ background: {STAGE_COLOURS[stage.number - 1]}; padding: 6px;"
                " border-radius: 4px; }"
            )
            head.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self.grid.addWidget(head, 0, stage.number)
            self.grid.setColumnStretch(stage.number, 1)
        for row, track in enumerate(plan.tracks, start=1):
            kind = {
                TrackKind.YOUNG_PERSON: "Young person",
                TrackKind.PARENT_CARER: "Parent or carer",
                TrackKind.RISK_MEETING: "Multi-agency",
            }[track.kind]
            label = QLabel(kind)
            label.setStyleSheet("color:#555;")
            self.grid.addWidget(label, row, 0)
            for number in range(FIRST_STAGE, LAST_STAGE + 1):
                lane = QFrame()
                lane.setStyleSheet(
                    f"QFrame {{ background: {STAGE_COLOURS[number - 1]}; border-radius: 4px; }}"
                )
                lane.setMinimumHeight(52)
                self.grid.addWidget(lane, row, number)
            card = TrackCard(track, len(plan.goals_of(track.id)), track.id == self.selected_track)
            card.move_requested.connect(self.move_track)
            card.chosen.connect(self.choose_track)
            self.grid.addWidget(card, row, track.stage)
            self.cards[track.id] = card
        self.grid_holder.setVisible(bool(plan.tracks))
        self.board_empty.setVisible(not plan.tracks)
        has = {t.kind for t in plan.tracks}
        self.add_young_person_button.setEnabled(TrackKind.YOUNG_PERSON not in has)
        self.add_meeting_track_button.setEnabled(TrackKind.RISK_MEETING not in has)
        self.remove_track_button.setEnabled(self.selected_track is not None)
        if focused in self.cards:
            self.cards[focused].setFocus()

    def choose_track(self, track_id: str) -> None:
        if track_id == self.selected_track:
            return
        self.selected_track = track_id
        for tid, card in self.cards.items():
            colour = CARD_COLOURS[card.track.stage - 1]
            width = 3 if tid == track_id else 1
            card.setStyleSheet(
                f"QFrame#trackCard {{ background: white; border: {width}px solid {colour};"
                " border-radius: 6px; }"
                f"QFrame#trackCard:focus {{ border: 3px solid {colour}; }}"
            )
        self._fill_goals()

    def add_track(self, kind: TrackKind, name: str = "") -> None:
        service, case_id, today = self._service, self.case_id, self._today()

        def chosen(track: Track) -> None:
            self.selected_track = track.id
            self._show_plan(self.plan)

        self._change(
            lambda: service.add_track(case_id, kind, name, on=today),
            "adding a track to the plan",
            chosen,
        )

    def _ask_parent(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Add parent or carer", "The parent's or carer's name:"
        )
        if ok and name.strip():
            self.add_track(TrackKind.PARENT_CARER, name.strip())

    def _remove_track(self) -> None:
        track_id = self.selected_track
        if track_id is None:
            return
        track = self.plan.track(track_id)
        service, case_id = self._service, self.case_id
        confirm(
            self,
            "Remove track",
            f"Remove the track for {track.label} and its goals? This cannot be undone.",
            lambda: self._change(
                lambda: service.delete_track(case_id, track_id), "removing a track"
            ),
        )

    def move_track(self, track_id: str, stage: int) -> None:
        """Put a track at another stage (from today); moving on drafts the ending summary."""
        service, case_id, today = self._service, self.case_id, self._today()
        self.selected_track = track_id

        def moved(track: Track) -> None:
            if track.id in self.cards:
                self.cards[track.id].setFocus()
            if (
                track.stage == LAST_STAGE
                and track.kind is TrackKind.YOUNG_PERSON
                and self.plan.ending is None
            ):
                self.draft_ending()

        self._change(
            lambda: service.move_track(case_id, track_id, stage, on=today),
            "moving a track to another stage",
            moved,
        )

    # -- goals --------------------------------------------------------------------------------
    def _fill_goals(self) -> None:
        while self.goals_layout.count():
            item = self.goals_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.goal_cards = {}
        track_id = self.selected_track
        has_track = track_id is not None
        self.goal_from_stage_button.setEnabled(has_track)
        self.goal_fresh_button.setEnabled(has_track)
        self.remove_track_button.setEnabled(has_track)
        if track_id is None:
            self.goals_title.setText("<b>Goals</b>: add a track first.")
            return
        assert self.forms is not None
        track = self.plan.track(track_id)
        self.goals_title.setText(
            f"<b>Goals for {html.escape(track.label)}</b> (at stage {track.stage}: "
            f"{html.escape(self.forms.stage(track.stage).title)})"
        )
        goals = self.plan.goals_of(track_id)
        for goal in goals:
            card = GoalCard(goal, self.forms)
            card.review_requested.connect(self.ask_review)
            card.edit_requested.connect(lambda gid: self.ask_goal(self._goal(gid)))
            card.remove_requested.connect(self._remove_goal)
            self.goals_layout.addWidget(card)
            self.goal_cards[goal.id] = card
        if not goals:
            self.goals_layout.addWidget(
                explanation(
                    "No goals for this track yet. Start one from the stage's content or write "
                    "a fresh one, then add the young person's plain-words version."
                )
            )
        self.goals_layout.addStretch(1)

    def _goal(self, goal_id: str) -> Goal:
        return next(g for g in self.plan.goals if g.id == goal_id)

    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> QDialog:
        """Show a dialog without blocking (so the runner keeps delivering); `active_dialog`
        is it until it closes."""
        self.active_dialog = dialog

        def finished(result: int) -> None:
            if self.active_dialog is dialog:
                self.active_dialog = None
            if result == QDialog.DialogCode.Accepted:
                on_accept()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def ask_goal_from_stage(self) -> None:
        if self.selected_track is None or self.forms is None:
            return
        track = self.plan.track(self.selected_track)
        dialog = StageItemDialog(self.forms, track, self)
        service, case_id, today = self._service, self.case_id, self._today()

        def add() -> None:
            item_id = dialog.item_id()
            if item_id is not None:
                self._change(
                    lambda: service.goal_from_stage_item(case_id, track.id, item_id, on=today),
                    "adding a goal",
                    lambda goal: self.ask_goal(goal),
                )

        self._open(dialog, add)

    def ask_goal(self, goal: Goal | None) -> None:
        if self.selected_track is None:
            return
        track = self.plan.track(self.selected_track)
        dialog = GoalDialog(goal, self)
        service, case_id, today = self._service, self.case_id, self._today()

        def save() -> None:
            text = dialog.text_edit.toPlainText().strip()
            if not text:
                return
            fields = {
                "text": text,
                "plain_words": dialog.plain_edit.toPlainText().strip(),
                "who_can_help": dialog.help_edit.text().strip(),
            }
            saved = (
                replace(goal, **fields)
                if goal is not None
                else Goal(new_id(), track.id, track.stage, created=today, **fields)
            )
            self._change(lambda: service.save_goal(case_id, saved), "saving a goal")

        self._open(dialog, save)

    def ask_review(self, goal_id: str) -> None:
        if self.forms is None:
            return
        goal = self._goal(goal_id)
        dialog = ReviewDialog(self.forms, goal, self._today(), self)
        service, case_id = self._service, self.case_id

        def save() -> None:
            review = dialog.review()
            self._change(
                lambda: service.review_goal(case_id, goal_id, review), "saving a progress review"
            )

        self._open(dialog, save)

    def _remove_goal(self, goal_id: str) -> None:
        goal = self._goal(goal_id)
        service, case_id = self._service, self.case_id
        confirm(
            self,
            "Remove goal",
            f"Remove the goal \u201c{goal.text[:80]}\u201d and its reviews?",
            lambda: self._change(lambda: service.delete_goal(case_id, goal_id), "removing a goal"),
        )

    # -- risk management meetings -------------------------------------------------------------
    def _fill_meetings(self) -> None:
        current = self._current_meeting_id()
        self.meeting_list.blockSignals(True)
        self.meeting_list.clear()
        for meeting in sorted(self.plan.meetings, key=lambda m: m.date, reverse=True):
            item = QListWidgetItem(self._describe_meeting(meeting))
            item.setData(Qt.ItemDataRole.UserRole, meeting.id)
            self.meeting_list.addItem(item)
            if meeting.id == current:
                self.meeting_list.setCurrentItem(item)
        self.meeting_list.blockSignals(False)
        if self.meeting_list.currentItem() is None and self.meeting_list.count():
            self.meeting_list.setCurrentRow(0)
        self._show_meeting()

    def _describe_meeting(self, meeting: RiskMeeting) -> str:
        review = f", review {fmt_date(meeting.next_review)}" if meeting.next_review else ""
        return f"{fmt_date(meeting.date)}{review}"

    def _current_meeting_id(self) -> str | None:
        item = self.meeting_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _show_meeting(self) -> None:
        self.saver.flush()
        meeting_id = self._current_meeting_id()
        meeting = next((m for m in self.plan.meetings if m.id == meeting_id), None)
        self.meeting_form.setVisible(meeting is not None)
        self.meeting_empty.setVisible(meeting is None)
        self.remove_meeting_button.setEnabled(meeting is not None)
        if meeting is None:
            return
        showing, self._showing = self._showing, True
        try:
            self.meeting_date.setDate(_qdate(meeting.date))
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
        stage = next(
            (t.stage for t in self.plan.tracks if t.kind is TrackKind.RISK_MEETING), FIRST_STAGE
        )
        responsibility = Responsibility(
            self.forms.stage(stage).responsibility if self.forms else "adults"
        )
        meeting = RiskMeeting(new_id(), self._today(), responsibility=responsibility)
        service, case_id = self._service, self.case_id

        def select(_result: object) -> None:
            for row in range(self.meeting_list.count()):
                if self.meeting_list.item(row).data(Qt.ItemDataRole.UserRole) == meeting.id:
                    self.meeting_list.setCurrentRow(row)
            self.meeting_decisions.setFocus()

        self._change(
            lambda: service.save_meeting(case_id, meeting), "adding a risk meeting", select
        )

    def _meeting_edited(self, *_args: object) -> None:
        if self._showing:
            return
        meeting_id = self._current_meeting_id()
        meeting = next((m for m in self.plan.meetings if m.id == meeting_id), None)
        if meeting is None:
            return
        edited = replace(
            meeting,
            date=self.meeting_date.date().toPython(),
            attendees=tuple(
                a.strip() for a in self.meeting_attendees.text().split(",") if a.strip()
            ),
            decisions=self.meeting_decisions.toPlainText(),
            safety_plan_changes=self.meeting_changes.toPlainText(),
            responsibility=Responsibility(self.meeting_responsibility.currentData()),
            next_review=self.meeting_next.value(),
        )
        meetings = tuple(edited if m.id == edited.id else m for m in self.plan.meetings)
        self.plan = replace(self.plan, meetings=meetings)
        self.meeting_list.currentItem().setText(self._describe_meeting(edited))
        service, case_id = self._service, self.case_id
        self.saver.schedule(f"meeting:{edited.id}", lambda: service.save_meeting(case_id, edited))

    def _remove_meeting(self) -> None:
        meeting_id = self._current_meeting_id()
        if meeting_id is None:
            return
        service, case_id = self._service, self.case_id

        def remove() -> None:
            self.saver.discard()
            self._change(
                lambda: service.delete_meeting(case_id, meeting_id), "removing a risk meeting"
            )

        confirm(self, "Remove meeting", "Remove this risk management meeting record?", remove)

    # -- keeping-safe plan --------------------------------------------------------------------
    def _fill_plan_versions(self) -> None:
        self.plan_history.blockSignals(True)
        self.plan_history.clear()
        versions = sorted(self.plan.keeping_safe_plans, key=lambda p: p.version, reverse=True)
        for version in versions:
            agreed = f", agreed with {version.agreed_with}" if version.agreed_with else ""
            current = " (current)" if version is versions[0] else ""
            item = QListWidgetItem(
                f"Version {version.version} of {fmt_date(version.date)}{agreed}{current}"
            )
            item.setData(Qt.ItemDataRole.UserRole, version.version)
            self.plan_history.addItem(item)
        self.plan_history.blockSignals(False)
        if versions:
            self.plan_history.setCurrentRow(0)
            if not self.plan_text.toPlainText().strip():
                self.plan_text.setPlainText(versions[0].text)
                self.plan_agreed.setText(versions[0].agreed_with)
        self._show_plan_version()

    def _show_plan_version(self) -> None:
        item = self.plan_history.currentItem()
        if item is None:
            self.plan_view.setText("No keeping-safe plan yet: write the first version.")
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        version = next(p for p in self.plan.keeping_safe_plans if p.version == number)
        self.plan_view.setText(
            f"<b>Version {version.version}</b> ({fmt_date(version.date)})<br>"
            + html.escape(version.text).replace("\n", "<br>")
        )

    def save_keeping_safe_plan(self) -> None:
        text = self.plan_text.toPlainText()
        if not text.strip():
            self._failed(ValidationError({"text": "Write the keeping-safe plan."}))
            return
        service, case_id, today = self._service, self.case_id, self._today()
        agreed = self.plan_agreed.text().strip()
        self._change(
            lambda: service.new_keeping_safe_plan(case_id, text, agreed, on=today),
            "saving the keeping-safe plan",
        )

    # -- ending summary -----------------------------------------------------------------------
    def _fill_ending(self) -> None:
        ending = self.plan.ending
        at_four = [t.label for t in self.plan.tracks if t.stage == LAST_STAGE]
        if ending is None:
            self.ending_hint.setText(
                "Moving on (stage four) produces the ending summary: progress, risk and "
                "change, and outstanding areas. Draft it from the plan, then edit it; it "
                "saves itself." + (f" At stage four now: {', '.join(at_four)}." if at_four else "")
            )
            return
        self.ending_hint.setText("The ending summary saves itself as you edit it.")
        for edit, text in (
            (self.ending_progress, ending.progress),
            (self.ending_risk, ending.risk_and_change),
            (self.ending_outstanding, ending.outstanding),
        ):
            if edit.toPlainText() != text:
                edit.setPlainText(text)

    def draft_ending(self) -> None:
        """Fill the ending summary with a draft from the plan's records (saved at once)."""
        service, case_id = self._service, self.case_id
        has_text = any(
            e.toPlainText().strip()
            for e in (self.ending_progress, self.ending_risk, self.ending_outstanding)
        )

        def fill(draft: EndingSummary) -> None:
            self._showing = True
            try:
                self.ending_progress.setPlainText(draft.progress)
                self.ending_risk.setPlainText(draft.risk_and_change)
                self.ending_outstanding.setPlainText(draft.outstanding)
            finally:
                self._showing = False
            self._ending_edited()
            self.ending_hint.setText(
                "Drafted from the plan: edit it into your own words. It saves itself."
            )

        def draft() -> None:
            self._runner.run(
                lambda: service.draft_ending(case_id), on_done=fill, what="drafting the ending"
            )

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

    def _ending_edited(self) -> None:
        if self._showing:
            return
        ending = EndingSummary(
            self.ending_progress.toPlainText(),
            self.ending_risk.toPlainText(),
            self.ending_outstanding.toPlainText(),
        )
        self.plan = replace(self.plan, ending=ending)
        service, case_id = self._service, self.case_id
        self.saver.schedule("ending", lambda: service.save_ending(case_id, ending))

    # -- saving and clearing ------------------------------------------------------------------
    def flush(self) -> None:
        self.saver.flush()

    def has_unsaved(self) -> bool:
        return self.saver.has_unsaved()

    def clear_sensitive(self) -> None:
        self._generation += 1
        self.saver.discard()
        if self.active_dialog is not None:
            self.active_dialog.reject()
        self.plan = InterventionPlan()
        self.selected_track = None
        self._showing = True
        for edit in (
            self.meeting_decisions,
            self.meeting_changes,
            self.plan_text,
            self.ending_progress,
            self.ending_risk,
            self.ending_outstanding,
        ):
            edit.setPlainText("")
        self.meeting_attendees.clear()
        self.plan_agreed.clear()
        self.plan_view.clear()
        self.meeting_list.clear()
        self.plan_history.clear()
        self._showing = False
        if self.forms is not None:
            self._fill_board()
            self._fill_goals()
