"""Two versions of a case built on the same base (a conflict): shown side by side, item by
item, so the supervisor can choose the one to review. The other is kept, marked superseded;
nothing is deleted (docs/share-folder.md, "Conflicts")."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.cases import local_day
from aim3desk.ui.assessment.page_kit import ItemTable, fmt_date
from aim3desk.ui.assessment.versions_page import TextRowsModel, change_row
from aim3desk.ui.operations import review as ops

if TYPE_CHECKING:
    from aim3desk.domain.versions import Change
    from aim3desk.services.review import InboxEntry
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


def sent_words(entry: InboxEntry, seconds: bool = False) -> str:
    sent = datetime.fromisoformat(entry.created)
    clock = f"{sent.astimezone():%H:%M:%S}" if seconds else f"{sent.astimezone():%H:%M}"
    return f"sent {fmt_date(local_day(sent))} at {clock}"


class ConflictDialog(QDialog):
    """Compare `entry` with the version it conflicts with and choose one."""

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        entry: InboxEntry,
        other: InboxEntry,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner, self._session = runner, session
        self.entry, self.other = entry, other
        self.setWindowTitle(f"Two versions of case {entry.case_reference}")
        self.resize(900, 520)
        # two made within one minute are told apart by the second
        seconds = entry.created[:16] == other.created[:16]
        this_sent, other_sent = sent_words(entry, seconds), sent_words(other, seconds)
        this_name, other_name = f"This one ({this_sent})", f"The other ({other_sent})"
        intro = QLabel(
            f"Version {entry.version} of case {entry.case_reference} reached you twice, built on "
            "the same earlier version: the practitioner may have worked on two computers. Both "
            "are kept. Compare them, then choose the one to review; the other is set aside as "
            "superseded (never deleted), and you can tell the practitioner which you chose."
        )
        intro.setWordWrap(True)
        self.summary = QLabel("Comparing…")
        self.summary.setWordWrap(True)
        self.model = TextRowsModel(["Area", "Item", this_name, other_name], self)
        self.table = ItemTable("Differences between the two versions")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 220)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox()
        self.choose_this = QPushButton(f"Review this one ({this_sent})")
        self.choose_other = QPushButton(f"Review the other ({other_sent})")
        for chosen, push in ((entry, self.choose_this), (other, self.choose_other)):
            push.setAutoDefault(False)
            push.clicked.connect(lambda _c=False, e=chosen: self.choose(e))
            buttons.addButton(push, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        ops.compare_conflict(runner, session, entry.bundle_id, other.bundle_id).on_done(
            self._show
        ).run()

    def _show(self, changes: tuple[Change, ...]) -> None:
        self.model.set_rows([change_row(c) for c in changes])
        self.table.resizeRowsToContents()
        count = len(changes)
        text = (
            "The two versions hold the same assessment content."
            if not count
            else f"{count} difference{'s' if count != 1 else ''} between the two versions."
        )
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    def choose(self, entry: InboxEntry) -> None:
        for push in (self.choose_this, self.choose_other):
            push.setEnabled(False)
        ops.choose_version(self._runner, self._session, entry.bundle_id).on_done(
            lambda _e: self.accept()
        ).run()
