"""The plan's keeping-safe plan: every version kept, a new one saved as the next version."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import ValidationError
from aim3desk.ui.assessment.page_kit import explanation, fmt_date
from aim3desk.ui.operations import intervention as ops
from aim3desk.ui.record_widgets import NoteEdit
from aim3desk.ui.text_limit import limit_line

if TYPE_CHECKING:
    from aim3desk.ui.intervention.host import PlanHost


class KeepingSafeTab(QWidget):
    def __init__(self, board: PlanHost) -> None:
        super().__init__()
        self.board = board
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
        self.plan_agreed = limit_line(QLineEdit(), "agreed_with")
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def fill(self) -> None:
        self.plan_history.blockSignals(True)
        self.plan_history.clear()
        plans = self.board.plan.keeping_safe_plans
        versions = sorted(plans, key=lambda p: p.version, reverse=True)
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

    def clear(self) -> None:
        self.plan_text.setPlainText("")
        self.plan_agreed.clear()
        self.plan_view.clear()
        self.plan_history.clear()

    def _show_plan_version(self) -> None:
        item = self.plan_history.currentItem()
        if item is None:
            self.plan_view.setText("No keeping-safe plan yet: write the first version.")
            return
        number = item.data(Qt.ItemDataRole.UserRole)
        version = next(p for p in self.board.plan.keeping_safe_plans if p.version == number)
        self.plan_view.setText(
            f"<b>Version {version.version}</b> ({fmt_date(version.date)})<br>"
            + html.escape(version.text).replace("\n", "<br>")
        )

    def save_keeping_safe_plan(self) -> None:
        board = self.board
        text = self.plan_text.toPlainText()
        if not text.strip():
            board.failed(ValidationError({"text": "Write the keeping-safe plan."}))
            return
        agreed = self.plan_agreed.text().strip()
        board.change(
            ops.new_keeping_safe_plan(
                board.runner, board.session, board.case_id, text, agreed, board.today()
            )
        )
