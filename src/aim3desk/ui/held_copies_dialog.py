"""Copies of deleted cases (File menu): the people holding copies of a deleted case's bundles
(sent to them, or received from them), and whether they have been asked to delete them. A
person marks a holder as asked once they have asked; the list itself holds no case content."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.ui.assessment.page_kit import explanation
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.deletion import mark_asked, read_held_copies
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.deletion import HeldCopy
    from aim3desk.services.session import Session

HEADINGS = ("Deleted case", "Held by", "How", "Bundle", "Listed", "Asked to delete")


class HeldCopiesDialog(QDialog):
    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self._reads = Latest()
        self.copies: list[HeldCopy] = []
        self.setWindowTitle("Copies of deleted cases")
        self.setAccessibleName("Copies of deleted cases")
        self.resize(820, 420)
        self.note = explanation(
            "When a case is deleted, people you sent its bundles to (or who sent them to you) "
            "may still hold copies. Ask each of them to delete theirs, then mark them here."
        )
        self.table = QTableWidget(0, len(HEADINGS))
        self.table.setHorizontalHeaderLabels(HEADINGS)
        self.table.setAccessibleName("Copies held by others")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = explanation("No copies of deleted cases are held by others.")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.asked_button = self.buttons.addButton(
            "Mark as asked", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.asked_button.setAccessibleName("Mark as asked to delete")
        self.asked_button.clicked.connect(self.mark_selected)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addStretch(0)  # with no table, the note and the empty line stay at the top
        layout.addWidget(self.buttons)
        self.table.itemSelectionChanged.connect(self._update)
        self.refresh()

    def refresh(self) -> None:
        read_held_copies(self._runner, self._session).latest(self._reads).on_done(
            self.show_copies
        ).run()

    def show_copies(self, copies: list[HeldCopy]) -> None:
        self.copies = copies
        self.table.setRowCount(len(copies))
        for row, copy in enumerate(copies):
            cells = (
                copy.deleted_case_id[:8],
                copy.holder_name,
                "sent to them" if copy.how == "sent" else "sent by them",
                copy.bundle_id[:8],
                copy.listed_at[:10],
                (copy.asked_at or "")[:10] or "Not yet",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setVisible(bool(copies))
        self.empty.setVisible(not copies)
        # the stretch takes the room only while the table (which otherwise takes it) is hidden
        self.layout().setStretch(3, 0 if copies else 1)
        self._update()

    def selected(self) -> HeldCopy | None:
        rows = self.table.selectionModel().selectedRows()
        return self.copies[rows[0].row()] if rows else None

    def _update(self) -> None:
        chosen = self.selected()
        self.asked_button.setEnabled(chosen is not None and chosen.asked_at is None)

    def mark_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        mark_asked(
            self._runner, self._session, chosen.deleted_case_id, chosen.holder_fingerprint
        ).on_done(lambda _n: self.refresh()).run()
