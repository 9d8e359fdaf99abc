"""The shared folder's row in Preferences: the folder (typed or chosen), "Test the folder",
which says what it finds (a marked share, no marker, unreachable), and "Set up this folder
as a share", which writes the marker only when a person asks for it.

Looking at a folder on a network drive can hang for a while, so with a task runner both
buttons run beside the store worker and the answer arrives when it is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.services.sync import ShareProbe, ShareState, init_share, probe_share

if TYPE_CHECKING:
    from aim3desk.ui.tasks import TaskRunner

_VERDICTS = {
    ShareState.READY: "A marked share: bundles can be delivered and collected here.",
    ShareState.UNMARKED: "No share marker: this folder is not set up as a share (or the "
    "share is not mounted here). Nothing is sent or taken in until it is.",
    ShareState.UNREACHABLE: "Unreachable: the folder is missing or the drive is not mounted.",
    ShareState.DAMAGED_MARKER: "The share marker is damaged or from a newer version.",
    ShareState.NOT_SET: "No folder chosen: nothing is synced.",
}


class ShareFolderRow(QWidget):
    """The folder field with its buttons and a line saying what the last test found."""

    def __init__(self, value: str, runner: TaskRunner | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner = runner
        self.edit = QLineEdit(value)
        self.edit.setObjectName("edit_share_folder")
        self.edit.setPlaceholderText("None: no sync")
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._browse)
        self.test_button = QPushButton("Test the folder")
        self.test_button.setObjectName("testShareFolder")
        self.test_button.clicked.connect(self.test_folder)
        self.setup_button = QPushButton("Set up this folder as a share…")
        self.setup_button.setObjectName("setUpShare")
        self.setup_button.clicked.connect(self.set_up)
        self.verdict = QLabel()
        self.verdict.setObjectName("shareVerdict")
        self.verdict.setWordWrap(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.edit, 1)
        top.addWidget(self.browse)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.setup_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.verdict)

    def value(self) -> str:
        return self.edit.text().strip()

    def lock(self) -> None:
        """Set by policy: the folder cannot change here, but it can still be tested."""
        for widget in (self.edit, self.browse, self.setup_button):
            widget.setEnabled(False)

    def _browse(self) -> None:
        start = self.value() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Choose the shared folder", start)
        if chosen:
            self.edit.setText(chosen)
            self.test_folder()

    def test_folder(self) -> None:
        folder = self.value()
        self._run(lambda: probe_share(folder or None), "testing the shared folder")

    def set_up(self) -> None:
        folder = self.value()
        if not folder:
            self.verdict.setText(_VERDICTS[ShareState.NOT_SET])
            return
        answer = QMessageBox.question(
            self,
            "Set up a share",
            f"Mark {folder} as the shared folder for AIM3 Desk? Do this once, for the folder "
            "everyone in your team uses; a folder that is already a share keeps its marker.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda: init_share(folder), "setting up the shared folder")

    def _run(self, work: Callable[[], ShareProbe], what: str) -> None:
        self.verdict.setText("Looking at the folder…")
        self.test_button.setEnabled(False)
        if self._runner is None:
            try:
                self._show(work())
            except OSError as exc:
                self._failed(exc)
            return
        self._runner.run_beside_store(work, self._show, self._failed, what=what)

    def _show(self, probe: ShareProbe) -> None:
        self.test_button.setEnabled(True)
        self.verdict.setText(_VERDICTS[probe.state])
        self.verdict.setProperty("problem", not probe.ready)

    def _failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "an error"
        self.verdict.setText(f"The folder could not be set up ({reason}).")
