"""The plan's first tab: the stages board (a track per row, its card in its stage's column)
and, below it, the goals of the chosen track."""

from __future__ import annotations

import html
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import new_id
from aim3desk.domain.intervention import FIRST_STAGE, LAST_STAGE, Goal, Track, TrackKind
from aim3desk.ui.assessment.page_kit import confirm, explanation
from aim3desk.ui.intervention.widgets import (
    CARD_COLOURS,
    STAGE_COLOURS,
    GoalCard,
    GoalDialog,
    ReviewDialog,
    StageItemDialog,
    TrackCard,
)
from aim3desk.ui.operations import intervention as ops

if TYPE_CHECKING:
    from aim3desk.ui.intervention.host import PlanHost

TRACK_KIND_WORDS = {
    TrackKind.YOUNG_PERSON: "Young person",
    TrackKind.PARENT_CARER: "Parent or carer",
    TrackKind.RISK_MEETING: "Multi-agency",
}
# The board's part of the tab's height when it is fitted to its tracks; the goals keep the rest.
_BOARD_SHARE_AT_MOST = 0.7
_BOARD_SHARE_AT_LEAST = 0.25


class StagesTab(QWidget):
    def __init__(self, board: PlanHost) -> None:
        super().__init__()
        self.board = board
        self.selected_track: str | None = None
        self.cards: dict[str, TrackCard] = {}
        self.goal_cards: dict[str, GoalCard] = {}
        self._fitted_tracks: int | None = None  # how many tracks the board was last fitted to
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_board)
        split = self._build()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def _build(self) -> QSplitter:
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
        self.board_buttons = buttons = QHBoxLayout()
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
        self.board_box = board_box
        self.board_scroll = board_scroll = QScrollArea()
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

        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(board_scroll)
        split.addWidget(goals)
        split.setSizes([280, 360])
        split.setChildrenCollapsible(False)
        return split

    def fit_board(self) -> None:
        """Give the board the height its tracks need (up to most of the tab) and the goals the
        rest, so a track just added is not cut off while the goals below stand half empty."""
        sizes = self.split.sizes()
        total = sum(sizes)
        if total <= 0 or not self.isVisible():
            self._fitted_tracks = None  # fit when shown
            return
        self._fitted_tracks = len(self.board.plan.tracks)
        # Measured from the grid itself: the box around it may still hold the sizes it cached
        # before the rows were rebuilt (its layout request waits in the event queue).
        grid, width = self.grid, self.board_scroll.viewport().width()
        rows = grid.heightForWidth(width) if grid.hasHeightForWidth() else -1
        rows = max(rows, grid.minimumSize().height(), grid.sizeHint().height())
        spacing = self.board_box.layout().spacing()
        needed = self.board_buttons.sizeHint().height() + spacing + rows + spacing
        board = min(needed, int(total * _BOARD_SHARE_AT_MOST))
        board = max(board, int(total * _BOARD_SHARE_AT_LEAST))
        if board != sizes[0]:
            self.split.setSizes([board, total - board])

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._fitted_tracks is None and self.board.forms is not None:
            self._fit_timer.start()

    # -- showing --------------------------------------------------------------------------
    def fill(self) -> None:
        plan = self.board.plan
        if self.selected_track not in {t.id for t in plan.tracks}:
            self.selected_track = plan.tracks[0].id if plan.tracks else None
        self._fill_board()
        self._fill_goals()
        if self._fitted_tracks != len(plan.tracks):
            self._fit_timer.start()  # once the new rows are laid out

    def clear(self) -> None:
        self.selected_track = None
        if self.board.forms is not None:
            self._fill_board()
            self._fill_goals()

    def _fill_board(self) -> None:
        focused = next((tid for tid, c in self.cards.items() if c.hasFocus()), None)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.cards = {}
        forms = self.board.forms
        assert forms is not None
        plan = self.board.plan
        self.grid.addWidget(QLabel("<b>Track</b>"), 0, 0)
        for stage in forms.stages:
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
            label = QLabel(TRACK_KIND_WORDS[track.kind])
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
        # Shown now, not when Qt's queued show reaches them, so the board is measured with them.
        for index in range(self.grid.count()):
            widget = self.grid.itemAt(index).widget()
            if widget is not None:
                widget.show()
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

    # -- tracks ---------------------------------------------------------------------------
    def add_track(self, kind: TrackKind, name: str = "") -> None:
        board = self.board

        def chosen(track: Track) -> None:
            self.selected_track = track.id
            board.show_plan(board.plan)

        board.change(
            ops.add_track(board.runner, board.session, board.case_id, kind, name, board.today()),
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
        board = self.board
        track = board.plan.track(track_id)
        confirm(
            self,
            "Remove track",
            f"Remove the track for {track.label} and its goals? This cannot be undone.",
            lambda: board.change(
                ops.delete_track(board.runner, board.session, board.case_id, track_id)
            ),
        )

    def move_track(self, track_id: str, stage: int) -> None:
        """Put a track at another stage (from today); moving on drafts the ending summary."""
        board = self.board
        self.selected_track = track_id

        def moved(track: Track) -> None:
            if track.id in self.cards:
                self.cards[track.id].setFocus()
            if (
                track.stage == LAST_STAGE
                and track.kind is TrackKind.YOUNG_PERSON
                and board.plan.ending is None
            ):
                board.draft_ending()

        board.change(
            ops.move_track(
                board.runner, board.session, board.case_id, track_id, stage, board.today()
            ),
            moved,
        )

    # -- goals ----------------------------------------------------------------------------
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
        forms, plan = self.board.forms, self.board.plan
        assert forms is not None
        track = plan.track(track_id)
        self.goals_title.setText(
            f"<b>Goals for {html.escape(track.label)}</b> (at stage {track.stage}: "
            f"{html.escape(forms.stage(track.stage).title)})"
        )
        goals = plan.goals_of(track_id)
        for goal in goals:
            card = GoalCard(goal, forms)
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
        return next(g for g in self.board.plan.goals if g.id == goal_id)

    def ask_goal_from_stage(self) -> None:
        board = self.board
        if self.selected_track is None or board.forms is None:
            return
        track = board.plan.track(self.selected_track)
        dialog = StageItemDialog(board.forms, track, self)
        today = board.today()

        def add() -> None:
            item_id = dialog.item_id()
            if item_id is not None:
                board.change(
                    ops.add_goal_from_stage(
                        board.runner, board.session, board.case_id, track.id, item_id, today
                    ),
                    self.ask_goal,
                )

        board.open_dialog(dialog, add)

    def ask_goal(self, goal: Goal | None) -> None:
        if self.selected_track is None:
            return
        board = self.board
        track = board.plan.track(self.selected_track)
        dialog = GoalDialog(goal, self)
        today = board.today()

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
            board.change(ops.save_goal(board.runner, board.session, board.case_id, saved))

        board.open_dialog(dialog, save)

    def ask_review(self, goal_id: str) -> None:
        board = self.board
        if board.forms is None:
            return
        goal = self._goal(goal_id)
        dialog = ReviewDialog(board.forms, goal, board.today(), self)

        def save() -> None:
            review = dialog.review()
            board.change(
                ops.review_goal(board.runner, board.session, board.case_id, goal_id, review)
            )

        board.open_dialog(dialog, save)

    def _remove_goal(self, goal_id: str) -> None:
        board = self.board
        goal = self._goal(goal_id)
        confirm(
            self,
            "Remove goal",
            f"Remove the goal \u201c{goal.text[:80]}\u201d and its reviews?",
            lambda: board.change(
                ops.delete_goal(board.runner, board.session, board.case_id, goal_id)
            ),
        )
