"""The intervention plan's small parts: the progress chart of a goal, the dialogs that add
a goal or rate progress, and the cards of a track and a goal."""

from __future__ import annotations

import html
import itertools
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.forms import InterventionForms
from aim3desk.domain.intervention import (
    FIRST_STAGE,
    LAST_STAGE,
    Goal,
    ProgressReview,
    Track,
)
from aim3desk.ui.assessment.page_kit import explanation, fmt_date, ok_cancel
from aim3desk.ui.record_widgets import NoteEdit, date_edit
from aim3desk.ui.text_limit import limit_line

STAGE_COLOURS = ("#e8f1fb", "#eaf6ec", "#fdf3e3", "#f1ebf8")
CARD_COLOURS = ("#2f6fb3", "#2e7d4f", "#b36b00", "#6a4a9c")


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
        self.help_edit = limit_line(QLineEdit(), "who_can_help")
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
        earliest = goal.reviews[-1].date if goal.reviews else None
        self.date_edit.set_range(earliest, today)
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
        when = self.date_edit.value()
        assert when is not None  # OK is refused until the date field holds a date
        return ProgressReview(
            when,
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
        # Never squeezed below what it needs: a crowded board scrolls instead of clipping a row.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
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
