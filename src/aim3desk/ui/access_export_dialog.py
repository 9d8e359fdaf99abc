"""Case > Records held (subject access)...: everything the profile holds about the case in one
PDF for the person answering a subject access request, internal-only items marked for them
rather than left out. Read on the store worker, laid out beside it (the window stays
responsive, with a busy indicator), then audited; the result is said in place."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.services.reports import AccessRequest, access_filename
from aim3desk.ui.assessment.page_kit import explanation
from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.exchange_kit import (
    DIALOG_TEXT_WIDTH,
    MessageLabel,
    PathField,
    PathMode,
    documents_folder,
    error_sentence,
)
from aim3desk.ui.operations.reports import (
    prepare_access_export,
    render_access_export,
    save_access_export,
)

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

INTRODUCTION = (
    "Everything this profile holds about case {reference}, in one PDF for the person "
    "answering a subject access request: every assessment version, the case records, "
    "reviews, bundles, any legal hold and the case's audit trail. Nothing is redacted: "
    "information normally kept internal is printed with a mark so the reviewer decides. "
    "The file is NOT encrypted and is not for disclosure until it has been reviewed."
)


class AccessExportDialog(QDialog):
    """`written` is the file's path once it is written and recorded."""

    def __init__(
        self, session: Session, case: Case, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.case = case
        self._runner = runner
        self._working = False
        self.written: Path | None = None
        self.setWindowTitle(f"Records held: case {case.reference}")
        self.setAccessibleName("Records held (subject access)")

        intro = explanation(INTRODUCTION.format(reference=case.reference))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setMinimumWidth(DIALOG_TEXT_WIDTH)
        self.path = PathField(
            PathMode.SAVE_FILE,
            "File to write",
            "Save the records held as",
            "PDF files (*.pdf);;All files (*)",
        )
        self.path.set_path(documents_folder() / access_filename(case))
        path_form = QFormLayout()
        path_form.addRow("Save &as:", self.path)

        self.busy = BusyIndicator()
        self.error_label = MessageLabel("errorLabel")
        self.done_label = MessageLabel()
        self.close_button = QPushButton("Cancel")
        self.create_button = QPushButton("&Create PDF")
        self.create_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.addWidget(intro)
        layout.addLayout(path_form)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.close_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self.create)
        self.path.setFocus()

    def create(self) -> None:
        problem = self.path.problem()
        self.error_label.setText(problem)
        path = self.path.path()
        if problem or path is None:
            return
        self.done_label.setText("")
        self._set_working(True, "Reading the case's records...")
        prepare_access_export(self._runner, self._session, self.case.id).on_done(
            lambda request: self._build(request, path)
        ).on_error(self._failed).run()

    def _build(self, request: AccessRequest, path: Path) -> None:
        if not isValid(self.busy):
            return
        self.busy.start("Laying out the PDF...")
        render_access_export(self._runner, self._session, request).on_progress(
            self._progressed
        ).on_done(lambda data: self._save(request, data, path)).on_error(self._failed).run()

    def _progressed(self, _fraction: float, message: str) -> None:
        if isValid(self.busy):
            self.busy.start(f"{message}...")

    def _save(self, request: AccessRequest, data: bytes, path: Path) -> None:
        save_access_export(self._runner, self._session, request, data, path).on_done(
            lambda written: self._done(request, written)
        ).on_error(self._failed).run()

    def _done(self, request: AccessRequest, path: Path) -> None:
        if not isValid(self.done_label):
            return
        self._set_working(False)
        self.written = path
        self.done_label.setText(
            f"Written to {path} ({len(request.versions)} assessment version(s)). Internal "
            "items are marked, nothing is redacted: it is not for disclosure until reviewed."
        )
        self.create_button.hide()
        self.close_button.setText("Close")
        self.close_button.setDefault(True)

    def _set_working(self, working: bool, message: str = "") -> None:
        self._working = working
        for widget in (self.path, self.create_button, self.close_button):
            widget.setEnabled(not working)
        if working:
            self.busy.start(message)
        else:
            self.busy.stop()

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self.error_label):
            return
        self._set_working(False)
        self.error_label.setText(error_sentence(exc, "writing the records held"))

    def reject(self) -> None:
        if self._working:
            return
        super().reject()
