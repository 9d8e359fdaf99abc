"""The supervisor's inbox: the "Reviews" tab beside the case list (Ctrl+Shift+R).

The assessment bundles addressed to you, by case and newest first: the version, who sent it
and when, its state (new, in review, signed off, returned, superseded, conflict), how much is
new since the last version of the case you received, and the practitioner's reason when it
was sent before it passed the readiness check. Two versions built on the same base are both
shown, marked "conflict" with each other, until you choose the one to review.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from aim3desk.domain.cases import local_day
from aim3desk.ui.assessment.page_kit import ItemTable, RowsTableModel, button, fmt_date, heading
from aim3desk.ui.operations import review as ops
from aim3desk.ui.operations.base import Changes, Latest, Record

if TYPE_CHECKING:
    from aim3desk.services.review import InboxEntry
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

_Index = QModelIndex | QPersistentModelIndex
BUNDLE_ROLE = Qt.ItemDataRole.UserRole
CONFLICT = "conflict"
EMPTY_TEXT = (
    "No assessment has been sent to you for review yet. When a practitioner sends one, it "
    "arrives through the shared folder and appears here."
)
STATE_COLOURS = {"new": "#1565c0", CONFLICT: "#b71c1c", "signed off": "#1b5e20"}


def when(at: datetime | str | None) -> datetime | None:
    """The service's UTC ISO-8601 text (or a datetime) as a datetime."""
    if isinstance(at, str):
        try:
            return datetime.fromisoformat(at)
        except ValueError:
            return None
    return at


def day_of(at: datetime | str | None) -> str:
    moment = when(at)
    return fmt_date(local_day(moment)) if moment else ""


def changes_text(entry: InboxEntry) -> str:
    if entry.changes is None:
        return "First version received"
    if entry.changes == 0:
        return "No changes"
    return f"{entry.changes} change{'s' if entry.changes != 1 else ''}"


class InboxModel(RowsTableModel):
    columns = ("Case", "Version", "From", "Sent", "State", "New since last", "Reason sent early")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[InboxEntry] = []

    def set_entries(self, entries: list[InboxEntry]) -> None:
        self.beginResetModel()
        self._rows = sorted(entries, key=lambda e: (e.case_reference, -_stamp(e.created)))
        self.endResetModel()

    def entry(self, row: int) -> InboxEntry:
        return self._rows[row]

    def row_of(self, bundle_id: str) -> int:
        return next((i for i, e in enumerate(self._rows) if e.bundle_id == bundle_id), -1)

    def cells(self, entry: InboxEntry) -> list[str]:
        state = entry.state
        if state == CONFLICT and entry.conflict_with:
            count = len(entry.conflict_with)
            state = (
                f"conflict with another version {entry.version}"
                if count == 1
                else f"conflict with {count} other versions {entry.version}"
            )
        return [
            entry.case_reference,
            f"Version {entry.version}",
            entry.author_name,
            day_of(entry.created),
            state,
            changes_text(entry),
            entry.sent_with_reason,
        ]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        text = self.cells(entry)[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.columns[index.column()]}: {text or 'none'}"
        if role == BUNDLE_ROLE:
            return entry.bundle_id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4:
            colour = STATE_COLOURS.get(entry.state)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.FontRole and entry.state in ("new", CONFLICT):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None


def _stamp(at: datetime | str | None) -> float:
    moment = when(at)
    return moment.timestamp() if moment else 0.0


class InboxPage(QWidget):
    """Signals: `open_requested(bundle_id)`, `shown(count)` after each read (tests wait)."""

    open_requested = Signal(str)
    shown = Signal(int)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session: Session | None = None
        self._reads = Latest()
        self.model = InboxModel(self)
        self.table = ItemTable("Assessments sent to you for review")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.edit_requested.connect(lambda _i: self.open_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName(EMPTY_TEXT)
        self.empty_label.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.open_button = button("&Open review", "Open the review", edits=False)
        self.open_button.clicked.connect(self.open_current)
        self.choose_button = button(
            "&Compare and choose…", "Compare the two versions and choose one", edits=False
        )
        self.choose_button.clicked.connect(self.choose_current)
        self.conflict_dialog: QDialog | None = None
        self.choose_button.hide()
        self.delete_button = button(
            "&Delete copies…",
            "Delete everything this profile holds of the selected case (when its practitioner "
            "asks, or under your retention schedule)",
            edits=False,
        )
        self.delete_button.clicked.connect(self.delete_current)
        self.delete_dialog: QDialog | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reviews", level=1))
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        runner.changes.changed.connect(self._store_changed)
        self._update_buttons()

    # -- reading ------------------------------------------------------------------------------
    def attach(self, session: Session) -> None:
        self.session = session
        self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            return
        ops.read_inbox(self._runner, self.session).latest(self._reads).on_done(
            self.show_entries
        ).run()

    def show_entries(self, entries: list[InboxEntry]) -> None:
        current = self.current_entry()
        self.model.set_entries(list(entries))
        count = len(entries)
        self.empty_label.setVisible(count == 0)
        self.table.setVisible(count > 0)
        new = sum(1 for e in entries if e.state == "new")
        conflicts = sum(1 for e in entries if e.state == CONFLICT)
        parts = [f"{count} version{'s' if count != 1 else ''} sent to you", f"{new} new"]
        if conflicts:
            parts.append(f"{conflicts} in conflict: choose the version to review")
        self.summary.setText(", ".join(parts) + "." if count else "")
        row = self.model.row_of(current.bundle_id) if current else -1
        self.table.selectRow(max(row, 0))
        self._update_buttons()
        self.shown.emit(count)

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        if Record.REVIEWS in changes.records or changes.case_list:
            self.refresh()

    # -- acting -------------------------------------------------------------------------------
    def current_entry(self) -> InboxEntry | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.entry(index.row())

    def select(self, bundle_id: str) -> None:
        row = self.model.row_of(bundle_id)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        self.open_button.setEnabled(entry is not None)
        self.delete_button.setEnabled(entry is not None)
        self.choose_button.setVisible(entry is not None and entry.state == CONFLICT)

    def open_current(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.open_requested.emit(entry.bundle_id)

    def choose_current(self) -> QDialog | None:
        """Two versions built on the same base, side by side, to choose the one to review."""
        from aim3desk.ui.review.conflict_dialog import ConflictDialog

        entry = self.current_entry()
        if entry is None or self.session is None or not entry.conflict_with:
            return None
        row = self.model.row_of(entry.conflict_with[0])
        if row < 0:
            return None
        dialog = ConflictDialog(self._runner, self.session, entry, self.model.entry(row), self)
        dialog.finished.connect(dialog.deleteLater)
        self.conflict_dialog = dialog
        dialog.open()
        return dialog

    def delete_current(self) -> QDialog | None:
        """Delete every bundle and review of the selected entry's case held here: what a
        practitioner asks of those holding copies once they deleted the case."""
        from aim3desk.ui.delete_case_dialog import CaseName, DeleteCaseDialog

        entry = self.current_entry()
        if entry is None or self.session is None:
            return None
        case = CaseName(entry.case_id, entry.case_reference)
        dialog = DeleteCaseDialog(case, self.session, self._runner, lambda: None, self)
        dialog.finished.connect(dialog.deleteLater)
        self.delete_dialog = dialog
        dialog.open()
        return dialog

    def clear(self) -> None:
        """Locking: forget every row."""
        self._reads.drop()
        self.model.set_entries([])
        self.summary.clear()
        self.session = None
