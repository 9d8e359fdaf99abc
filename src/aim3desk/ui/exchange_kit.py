"""Small parts the contacts page and the bundle, export and import dialogs share: where files
go by default, a path field with its Choose... button, and an error worded for a person."""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from aim3desk.atomic_file import failure_sentence
from aim3desk.domain.cases import ValidationError
from aim3desk.services.errors import is_worded_for_a_person
from aim3desk.ui.replace_file import SAVE_DIALOG_OPTIONS
from aim3desk.ui.tasks import describe_unexpected, report_to_stderr

DIALOG_TEXT_WIDTH = 620  # the bundle and export dialogs: lines of text a person reads easily
WARNING_COLOUR = "#9a3412"  # dark orange: reads on white and on the alternate row colour


def documents_folder() -> Path:
    """The user's Documents folder (or home): where files go unless they choose otherwise."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def error_sentence(exc: BaseException, what: str) -> str:
    """What to show when `what` failed: the error's own sentence when it is one (a refused
    bundle, a card, a case file), the system's reason for a file problem, else a plain
    description (the details go to stderr for support, never the message)."""
    if is_worded_for_a_person(exc):
        return str(exc)
    if isinstance(exc, ValidationError):
        return " ".join(exc.problems.values())
    if isinstance(exc, OSError):
        return failure_sentence(exc)
    report_to_stderr(exc)
    return describe_unexpected(what, exc)


class MessageLabel(QLabel):
    """A wrapped line of feedback that takes no room while it says nothing."""

    def __init__(self, object_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # file and people's names as they are
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if object_name:
            self.setObjectName(object_name)  # "errorLabel": the style sheet colours it
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))


class PathMode(enum.Enum):
    FOLDER = "folder"
    SAVE_FILE = "save-file"


class PathField(QWidget):
    """A path typed or chosen with Choose...: a folder, or a file to write. `set_path`
    is also how tests choose one without the file dialog."""

    changed = Signal()

    def __init__(
        self,
        mode: PathMode,
        accessible_name: str,
        caption: str,
        file_filter: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mode = mode
        self._caption = caption
        self._filter = file_filter
        self.edit = QLineEdit()
        self.edit.setAccessibleName(accessible_name)
        self.choose_button = QPushButton("Choose...")
        self.choose_button.setAccessibleName(f"Choose: {accessible_name}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.choose_button)
        self.setFocusProxy(self.edit)
        self.choose_button.clicked.connect(self.choose)
        self.edit.textChanged.connect(self.changed)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path) -> None:
        self.edit.setText(str(path))

    def choose(self) -> None:
        current = self.edit.text()
        if self.mode is PathMode.FOLDER:
            chosen = QFileDialog.getExistingDirectory(self, self._caption, current)
        else:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self._caption, current, self._filter, options=SAVE_DIALOG_OPTIONS
            )
        if chosen:
            self.set_path(Path(chosen))

    def problem(self) -> str:
        """Why the path cannot be used as it stands, or ""."""
        path = self.path()
        if path is None:
            return "Choose a folder." if self.mode is PathMode.FOLDER else "Choose a file."
        folder = path if self.mode is PathMode.FOLDER else path.parent
        if not folder.is_dir():
            return f"The folder {folder} does not exist."
        if self.mode is PathMode.SAVE_FILE and path.is_dir():
            return f"{path} is a folder; choose a file name."
        return ""
