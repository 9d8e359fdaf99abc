"""The adults' immediate safety plan: the risks, who does what and where (a table edited in
place), the level of supervision and when the plan is reviewed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QWidget,
)

from aim3desk.domain.assessment import AssessmentContent, SafetyAction
from aim3desk.ui.assessment.page_kit import (
    ItemTable,
    apply_read_only,
    button,
    confirm,
    explanation,
    heading,
    scrolling_body,
)
from aim3desk.ui.assessment.pages import AssessmentPage
from aim3desk.ui.assessment.text import GrowingTextEdit
from aim3desk.ui.date_field import DateField

_Index = QModelIndex | QPersistentModelIndex
ACTION_COLUMNS = ("Who", "What they do", "Where")
_FIELDS = ("who", "what", "where")


class SafetyActionsModel(QAbstractTableModel):
    """The plan's actions; an edit in a cell calls on_change(new actions)."""

    def __init__(self, on_change, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[SafetyAction, ...] = ()
        self._on_change = on_change
        self.read_only = False

    def set_rows(self, rows: tuple[SafetyAction, ...]) -> None:
        if rows == self._rows:
            return
        if len(rows) == len(self._rows):  # an edit in place: keep the current cell
            old, self._rows = self._rows, rows
            for row, (before, after) in enumerate(zip(old, rows, strict=True)):
                if before != after:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, 2))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> tuple[SafetyAction, ...]:
        return self._rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(ACTION_COLUMNS)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ACTION_COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = getattr(self._rows[index.row()], _FIELDS[index.column()])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{ACTION_COLUMNS[index.column()]}: {value or 'empty'}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags if self.read_only else flags | Qt.ItemFlag.ItemIsEditable

    def setData(  # noqa: N802 - Qt API
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        row = self._rows[index.row()]
        updated = replace(row, **{_FIELDS[index.column()]: str(value).strip()})
        if updated == row:
            return False
        rows = list(self._rows)
        rows[index.row()] = updated
        self._on_change(tuple(rows))
        return True


class SafetyPlanPage(AssessmentPage):
    title = "Safety plan"
    nav_key = "safety_plan"

    def __init__(self, editor, context, parent: QWidget | None = None) -> None:
        super().__init__(editor, context, parent)
        layout = scrolling_body(self)
        layout.addWidget(heading("Immediate safety plan", level=1))
        layout.addWidget(
            explanation(
                "What the adults around the young person do now to keep everyone safe, until "
                "the plan is reviewed."
            )
        )
        layout.addWidget(heading("Risks the plan responds to"))
        self.risks_edit = GrowingTextEdit(
            "Risks the plan responds to", "The situations and people the plan protects"
        )
        self.risks_edit.bind(
            lambda text: self._edit_plan("Edit the safety plan risks", "risks", risks=text)
        )
        layout.addWidget(self.risks_edit)

        layout.addWidget(heading("Who does what, where"))
        layout.addWidget(
            explanation(
                "Enter or F2 edits a cell, Tab moves to the next; Delete removes an action."
            )
        )
        self.actions_model = SafetyActionsModel(self._set_actions, self)
        self.actions_table = ItemTable("Safety plan actions: who does what, where")
        self.actions_table.setModel(self.actions_model)
        self.actions_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.actions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.actions_table.setTabKeyNavigation(True)  # a spreadsheet: Tab walks the cells
        header = self.actions_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 180)
        header.resizeSection(2, 180)
        self.actions_table.setMinimumHeight(200)
        self.actions_table.delete_requested.connect(self._ask_remove)
        layout.addWidget(self.actions_table)
        buttons = QHBoxLayout()
        self.add_button = button("Add action", "Add an action to the safety plan")
        self.add_button.clicked.connect(self.add_action)
        self.remove_button = button("Remove action...", "Remove the selected action")
        self.remove_button.clicked.connect(
            lambda: self._ask_remove(self.actions_table.currentIndex())
        )
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        layout.addWidget(heading("Supervision and review"))
        form = QFormLayout()
        self.supervision_edit = GrowingTextEdit(
            "Level of supervision", "For example: line-of-sight supervision with younger children"
        )
        self.supervision_edit.bind(
            lambda text: self._edit_plan(
                "Edit the level of supervision", "supervision", supervision_level=text
            )
        )
        self.review_edit = DateField("Review date")
        self.review_edit.dateChanged.connect(
            lambda _d: self._edit_plan(
                "Change the review date", "review", review_date=self.review_edit.value()
            )
        )
        form.addRow("Level of &supervision:", self.supervision_edit)
        form.addRow("&Review date:", self.review_edit)
        layout.addLayout(form)
        layout.addStretch(1)
        self.set_read_only(editor.read_only)

    # -- edits ---------------------------------------------------------------------------
    def _edit_plan(self, description: str, field_key: str, **changes: Any) -> None:
        self.editor.edit(
            description,
            lambda c: c.set_safety_plan(replace(c.safety_plan, **changes)),
            merge_key=f"safety_plan:{field_key}",
        )

    def _set_actions(self, actions: tuple[SafetyAction, ...]) -> None:
        self.editor.edit(
            "Edit a safety plan action",
            lambda c: c.set_safety_plan(replace(c.safety_plan, actions=actions)),
        )

    def add_action(self) -> None:
        actions = (*self.editor.content.safety_plan.actions, SafetyAction("", ""))
        self.editor.edit(
            "Add a safety plan action",
            lambda c: c.set_safety_plan(replace(c.safety_plan, actions=actions)),
        )
        self.actions_model.set_rows(self.editor.content.safety_plan.actions)
        index = self.actions_model.index(len(actions) - 1, 0)
        self.actions_table.setCurrentIndex(index)
        self.actions_table.setFocus()
        self.actions_table.edit(index)

    def _ask_remove(self, index: QModelIndex) -> None:
        if self.editor.read_only or not index.isValid():
            return
        row = index.row()
        action = self.actions_model.rows()[row]
        what = f'"{action.what}"' if action.what else "this action"
        confirm(
            self,
            "Remove action",
            f"Remove {what} from the safety plan? Undo (Ctrl+Z) brings it back.",
            lambda: self.remove_action(row),
        )

    def remove_action(self, row: int) -> None:
        actions = self.editor.content.safety_plan.actions
        if not 0 <= row < len(actions):
            return
        kept = actions[:row] + actions[row + 1 :]
        self.editor.edit(
            "Remove a safety plan action",
            lambda c: c.set_safety_plan(replace(c.safety_plan, actions=kept)),
        )

    # -- showing -------------------------------------------------------------------------
    def refresh(self, content: AssessmentContent) -> None:
        plan = content.safety_plan
        self.risks_edit.show_text(plan.risks)
        self.actions_model.set_rows(plan.actions)
        self.supervision_edit.show_text(plan.supervision_level)
        self.review_edit.set_value(plan.review_date)

    def set_read_only(self, read_only: bool) -> None:
        apply_read_only(self, read_only)
        self.actions_model.read_only = read_only

    def clear_sensitive(self) -> None:
        self.risks_edit.show_text("")
        self.supervision_edit.show_text("")
        self.actions_model.set_rows(())
        self.review_edit.set_value(None)
        self._stale = True
