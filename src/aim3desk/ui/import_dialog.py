"""File > Import bundles or case files...: what became of each file chosen.

Bundles and case files may be chosen together. Each file is imported on the store worker
(ui/operations/bundles.py): a bundle that is refused is set aside with its reason and the
rest carry on; a case file protected by a passphrase asks for it here, one file at a time
(and again if the passphrase does not open it). A case that arrives appears in the case list
by itself (the import publishes that the list changed)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.exchange_kit import WARNING_COLOUR, MessageLabel, error_sentence
from aim3desk.ui.operations import bundles as ops
from aim3desk.ui.passphrase import passphrase_field

if TYPE_CHECKING:
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

OUTCOME_WORDS = {
    ops.IMPORTED: "Imported",
    ops.ALREADY_HELD: "Already imported",
    ops.SET_ASIDE: "Set aside",
    ops.NOT_IMPORTED: "Not imported",
    ops.NEEDS_PASSPHRASE: "Needs its passphrase",
}
_PROBLEMS = {ops.SET_ASIDE, ops.NOT_IMPORTED, ops.NEEDS_PASSPHRASE}
IMPORT_FILTER = "Bundles and case files (*.aim3bundle *.age *.json);;All files (*)"


def summary(outcomes: list[ops.FileOutcome]) -> str:
    counts = Counter(o.status for o in outcomes)
    parts = [
        f"{counts[status]} {OUTCOME_WORDS[status].lower()}"
        for status in OUTCOME_WORDS
        if counts[status]
    ]
    text = ", ".join(parts) + "."
    if counts[ops.SET_ASIDE]:
        text += (
            " A bundle set aside was not opened and changed nothing; a copy is kept in your "
            "profile's quarantine folder with the reason."
        )
    return text[0].upper() + text[1:]


class _Arrivals(QObject):
    """Carries each file's outcome from the store worker to the UI thread (a queued signal).
    Unparented and held by the dialog and the running import, so closing the dialog never
    destroys it under the worker."""

    arrived = Signal(object)  # FileOutcome


class ImportDialog(QDialog):
    """Starts importing `paths` as soon as it is made, all in one run on the store worker.
    `outcomes` holds the latest outcome of each file; each row and the count of files done
    show as each file is done (`file_done`); `imported` is emitted after each run."""

    imported = Signal(object)  # list[FileOutcome], the run's own
    file_done = Signal(object)  # FileOutcome: one file done while the others are imported

    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        paths: list[Path],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self.paths = [Path(p) for p in paths]
        self.outcomes: dict[Path, ops.FileOutcome] = {}
        self._asking: Path | None = None
        self._working = False
        self._count = self._finished = 0  # files in the running import, and done so far
        self._arrivals = _Arrivals()
        self._arrivals.arrived.connect(self._arrived)
        self.setWindowTitle("Import bundles and case files")
        self.setAccessibleName("Import bundles and case files")
        self.resize(900, 400)

        self.table = QTableWidget(len(self.paths), 3)
        self.table.setAccessibleName("What became of each file")
        self.table.setHorizontalHeaderLabels(["File", "Outcome", "What happened"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 260)
        for row, path in enumerate(self.paths):
            self._set_row(row, path.name, "Waiting", "")

        self.passphrase_box = QWidget()
        self.passphrase_label = QLabel()
        self.passphrase_label.setWordWrap(True)
        self.passphrase_label.setTextFormat(Qt.TextFormat.PlainText)
        self.passphrase_edit = passphrase_field("Passphrase of the case file")
        self.passphrase_label.setBuddy(self.passphrase_edit)
        self.passphrase_button = QPushButton("&Open with this passphrase")
        self.skip_button = QPushButton("S&kip this file")
        row = QHBoxLayout()
        row.addWidget(self.passphrase_edit, 1)
        row.addWidget(self.passphrase_button)
        row.addWidget(self.skip_button)
        box = QVBoxLayout(self.passphrase_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.passphrase_label)
        box.addLayout(row)
        self.passphrase_box.hide()

        self.busy = BusyIndicator()
        self.summary_label = MessageLabel()
        self.error_label = MessageLabel("errorLabel")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.passphrase_box)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.passphrase_button.clicked.connect(self.use_passphrase)
        self.passphrase_edit.returnPressed.connect(self.use_passphrase)
        self.skip_button.clicked.connect(self.skip_file)
        self.close_button.clicked.connect(self.reject)
        self._run(self.paths, {})

    # -- running ----------------------------------------------------------------------------

    def _run(self, paths: list[Path], passphrases: dict[Path, str]) -> None:
        self._finished = 0
        self._set_working(True, len(paths))
        arrivals = self._arrivals
        ops.import_files(
            self._runner, self._session, paths, passphrases, arrivals.arrived.emit
        ).on_done(self._done).on_error(self._failed).run()

    def _arrived(self, outcome: ops.FileOutcome) -> None:
        """One file done while the rest are still being imported: its row, and the count."""
        if not isValid(self.table) or not self._working:
            return
        self._finished += 1
        self.outcomes[outcome.path] = outcome
        self._show(outcome)
        self.busy.start(f"Checking and importing: {self._finished} of {self._count} files done...")
        self.file_done.emit(outcome)

    def _set_working(self, working: bool, count: int = 0) -> None:
        self._working = working
        self._count = count
        self.close_button.setEnabled(not working)
        self.passphrase_box.setEnabled(not working)
        if working:
            self.busy.start(f"Checking and importing {count} file{'s' if count != 1 else ''}...")
        else:
            self.busy.stop()

    def _done(self, outcomes: list[ops.FileOutcome]) -> None:
        if not isValid(self.table):
            return
        self._set_working(False)
        for outcome in outcomes:
            self.outcomes[outcome.path] = outcome
            self._show(outcome)
        self.summary_label.setText(summary(list(self.outcomes.values())))
        self.imported.emit(outcomes)
        self._ask_next()

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self.table):
            return
        self._set_working(False)
        self.error_label.setText(error_sentence(exc, "importing the files"))
        self._ask_next()

    def _show(self, outcome: ops.FileOutcome) -> None:
        row = self.paths.index(outcome.path)
        self._set_row(row, outcome.path.name, OUTCOME_WORDS[outcome.status], outcome.message)
        if outcome.status in _PROBLEMS:
            self.table.item(row, 1).setForeground(QColor(WARNING_COLOUR))

    def _set_row(self, row: int, name: str, outcome: str, message: str) -> None:
        for column, text in enumerate((name, outcome, message)):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setItem(row, column, item)

    # -- passphrases ------------------------------------------------------------------------

    def _ask_next(self) -> None:
        waiting = [
            p
            for p in self.paths
            if p in self.outcomes and self.outcomes[p].status == ops.NEEDS_PASSPHRASE
        ]
        self._asking = waiting[0] if waiting else None
        self.passphrase_edit.clear()
        if self._asking is None:
            self.passphrase_box.hide()
            self.close_button.setDefault(True)
            self.close_button.setFocus()
            return
        message = self.outcomes[self._asking].message
        self.passphrase_label.setText(f"{self._asking.name}: {message}")
        self.passphrase_box.show()
        self.passphrase_edit.setFocus()

    def use_passphrase(self) -> None:
        passphrase = self.passphrase_edit.text()
        if self._asking is None or self._working or not passphrase:
            return
        path = self._asking
        self.passphrase_edit.clear()
        self._run([path], {path: passphrase})

    def skip_file(self) -> None:
        if self._asking is None or self._working:
            return
        self.outcomes[self._asking] = ops.FileOutcome(
            self._asking, ops.NOT_IMPORTED, "Skipped: no passphrase was given."
        )
        self._show(self.outcomes[self._asking])
        self.summary_label.setText(summary(list(self.outcomes.values())))
        self._ask_next()

    def reject(self) -> None:
        if self._working:
            return  # the files are being imported; the dialog closes after
        self.passphrase_edit.clear()
        super().reject()
