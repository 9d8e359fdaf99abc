"""A case's sharing log: every decision to share or not to share, newest first, with what,
to whom, why, the lawful basis, when and by whom."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import Case
from aim3desk.domain.sharing import SharingDecision
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.reports import read_sharing_log
from aim3desk.ui.table_fit import ColumnShares, Share
from aim3desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from aim3desk.services.session import Session

COLUMNS = ("When", "Decision", "Audience", "Recipient", "Reason", "Lawful basis", "By", "What")
# As COLUMNS: (weight, least width).
SHARING_LOG_SHARES = Share.row(
    (1.1, 110), (0.8, 76), (0.9, 76), (1.8, 110), (2.4, 130), (1.4, 100), (1, 80), (3, 150)
)


class SharingLogView(QWidget):
    def __init__(
        self, session: Session, case: Case, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._case = case
        self._runner = runner
        self._reads = Latest()
        self.decisions: list[SharingDecision] = []
        self.empty_label = QLabel("No decisions to share or not to share have been logged.")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Sharing log")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # What was shared, the reason and the recipient are the long texts: they get the room.
        self.columns = ColumnShares(self.table, SHARING_LOG_SHARES)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table)
        self.refresh()

    def flush(self) -> None:
        """Nothing to save: the log is read-only (the case-window protocol asks)."""

    def clear_sensitive(self) -> None:
        """Locking or closing the case: empty the table."""
        self._reads.drop()
        self.decisions = []
        self.table.setRowCount(0)

    def refresh(self) -> None:
        read_sharing_log(self._runner, self._session, self._case.id).latest(self._reads).on_done(
            self._show
        ).run()

    def _basis(self, decision: SharingDecision) -> str:
        try:
            basis = self._session.sharing.policy.lawful_basis(decision.lawful_basis)
        except KeyError:
            return decision.lawful_basis
        return decision.lawful_basis_text if basis.needs_text else basis.label

    def _audience(self, audience: str) -> str:
        try:
            return self._session.sharing.policy.audience(audience).label
        except KeyError:
            return audience

    def _show(self, decisions: list[SharingDecision]) -> None:
        self.decisions = sorted(decisions, key=lambda d: d.at, reverse=True)
        self.empty_label.setVisible(not self.decisions)
        self.table.setRowCount(len(self.decisions))
        for row, decision in enumerate(self.decisions):
            local = decision.at.astimezone()
            values = (
                local.strftime("%d/%m/%Y %H:%M"),
                "Shared" if decision.shared else "Not shared",
                self._audience(decision.audience),
                decision.recipient,
                decision.reason,
                self._basis(decision),
                decision.by,
                decision.what,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column == 1 and not decision.shared:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
        self.columns.fit_rows()
