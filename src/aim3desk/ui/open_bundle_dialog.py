"""File > Open bundle...: check one bundle and say what it is before anything is written.

The bundle is decrypted and checked in memory on the store worker (ui/operations/bundles.py),
the app's side of `aim3desk bundle verify` and `bundle open`. When it passes, the dialog says
what it is, who signed it and for whom, and lists its files, each checked against its signed
SHA-256; the files can then be saved to a folder (NOT encrypted, after the warning) or the
bundle imported. When it is refused, the refusal's own sentence is shown with what to do, no
file is listed and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.services.bundles import MEMBERS_NOT_ENCRYPTED_WARNING
from aim3desk.services.errors import BundleRefused, UnconfirmedSigner
from aim3desk.ui.assessment.page_kit import explanation, heading
from aim3desk.ui.bundle_words import (
    ADVICE,
    DEFAULT_ADVICE,
    NOT_OPENED,
    NOTHING_WRITTEN,
    OWN_BUNDLE,
    SHA_CHECKED,
    local_time,
    member_description,
    recipients_text,
    signer_text,
    version_text,
)
from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.exchange_kit import (
    DIALOG_TEXT_WIDTH,
    WARNING_COLOUR,
    MessageLabel,
    PathField,
    PathMode,
    documents_folder,
    error_sentence,
)
from aim3desk.ui.operations import bundles as ops
from aim3desk.ui.operations.base import Latest

if TYPE_CHECKING:
    from aim3desk.domain.bundle import Member
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

BUNDLE_FILTER = "Bundles (*.aim3bundle);;All files (*)"


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names and notes exactly as written
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class OpenBundleDialog(QDialog):
    """Starts checking `path` as soon as it is made.

    Signals (tests wait for them): `checked(result)` with the CheckedBundle or the refusal,
    `saved(paths)` after the files were written, `imported(outcome)` (a FileOutcome), and
    `contacts_requested()` when the person asks for the Contacts page."""

    checked = Signal(object)
    saved = Signal(object)  # list[Path]
    imported = Signal(object)  # ops.FileOutcome
    contacts_requested = Signal()

    def __init__(
        self, session: Session, runner: TaskRunner, path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self.path = Path(path)
        self._reads = Latest()
        self._working = False
        self._can_import = False  # a bundle from someone else, not imported from here yet
        self.bundle: ops.CheckedBundle | None = None  # its files are in memory while shown
        self.refusal: BaseException | None = None
        self.saved_folder: Path | None = None
        self.setWindowTitle(f"Open bundle: {self.path.name}")
        self.setAccessibleName("Open bundle")

        self.title = heading("Checking the bundle...", level=1)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setMinimumWidth(DIALOG_TEXT_WIDTH)  # the dialog's width (it fits content)
        self.file_label = explanation(f"File: {self.path}")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = BusyIndicator()
        policy = self.busy.sizePolicy()
        policy.setRetainSizeWhenHidden(False)  # the dialog fits what it shows at each step
        self.busy.setSizePolicy(policy)
        self._build_refusal()
        self._build_details()
        self._build_save_panel()
        self.error_label = MessageLabel("errorLabel")
        self.result_label = MessageLabel()
        self.import_note = MessageLabel()

        self.contacts_button = QPushButton("Open &Contacts...")
        self.show_folder_button = QPushButton("Show in &folder")
        self.save_files_button = QPushButton("&Save files to folder...")
        self.import_button = QPushButton("&Import")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.contacts_button)
        buttons.addWidget(self.show_folder_button)
        buttons.addStretch(1)
        for button in (self.save_files_button, self.import_button, self.close_button):
            buttons.addWidget(button)
        for button in (self.contacts_button, self.show_folder_button):
            button.hide()
        for button in (self.save_files_button, self.import_button):
            button.setEnabled(False)  # until the bundle passed its checks
        self.close_button.setDefault(True)

        layout = QVBoxLayout(self)
        # As tall as the content at every step (wrapped text, hidden parts), never a gap.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        for widget in (
            self.title,
            self.file_label,
            self.busy,
            self.refusal_box,
            self.details,
            self.save_panel,
            self.error_label,
            self.result_label,
            self.import_note,
        ):
            layout.addWidget(widget)
        layout.addLayout(buttons)

        self.contacts_button.clicked.connect(self._open_contacts)
        self.show_folder_button.clicked.connect(self._show_folder)
        self.save_files_button.clicked.connect(self.offer_save)
        self.save_button.clicked.connect(self.save)
        self.import_button.clicked.connect(self.import_bundle)
        self.close_button.clicked.connect(self.reject)
        self._set_working(True, "Checking the bundle: decrypting it and checking its signature...")
        ops.check_bundle(runner, session, self.path).latest(self._reads).on_done(
            self._passed
        ).on_error(self._refused).run()

    # -- parts ------------------------------------------------------------------------------

    def _build_refusal(self) -> None:
        self.refusal_box = QFrame()
        self.refusal_box.setObjectName("refusalBox")
        self.refusal_box.setStyleSheet(
            f"QFrame#refusalBox {{ border: 2px solid {WARNING_COLOUR}; border-radius: 4px; }}"
        )
        self.refusal_label = _value_label()
        font = self.refusal_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.refusal_label.setFont(font)
        self.refusal_label.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.advice_label = _value_label()
        self.nothing_written = _value_label()
        box = QVBoxLayout(self.refusal_box)
        box.setContentsMargins(12, 10, 12, 10)
        for label in (self.refusal_label, self.advice_label, self.nothing_written):
            box.addWidget(label)
        self.refusal_box.hide()

    def _build_details(self) -> None:
        self.details = QWidget()
        self.form = QFormLayout(self.details)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.signed_by = _value_label()
        self.recipients = _value_label()
        self.case_label = _value_label()
        self.version_label = _value_label()
        self.created_label = _value_label()
        self.escrow_label = _value_label()
        self.supersedes_label = _value_label()
        self.note_label = _value_label()
        for text, label in (
            ("Signed by:", self.signed_by),
            ("For:", self.recipients),
            ("Case:", self.case_label),
            ("Version:", self.version_label),
            ("Created:", self.created_label),
            ("Escrow:", self.escrow_label),
            ("Replaces:", self.supersedes_label),
            ("Note:", self.note_label),
        ):
            label.setAccessibleName(text.rstrip(":"))
            self.form.addRow(text, label)
        self.members = QTableWidget(0, 4)
        self.members.setAccessibleName("Files in the bundle")
        self.members.setHorizontalHeaderLabels(["File", "What it is", "Size", "Check"])
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setTabKeyNavigation(False)
        self.members.verticalHeader().setVisible(False)
        header = self.members.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for number in (2, 3):
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.ResizeToContents)
        self.form.addRow("Files:", self.members)
        self.details.hide()

    def _build_save_panel(self) -> None:
        self.save_panel = QFrame()
        self.save_panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.save_warning = _value_label()
        self.save_warning.setText(MEMBERS_NOT_ENCRYPTED_WARNING)
        self.save_warning.setStyleSheet(f"color: {WARNING_COLOUR}; font-weight: bold;")
        self.folder = PathField(
            PathMode.FOLDER, "Folder to save the files to", "Save the bundle's files to"
        )
        self.folder.set_path(documents_folder())
        self.save_button = QPushButton("Save &here, not encrypted")
        row = QHBoxLayout()
        row.addWidget(QLabel("Folder:"))
        row.addWidget(self.folder, 1)
        row.addWidget(self.save_button)
        panel = QVBoxLayout(self.save_panel)
        panel.addWidget(self.save_warning)
        panel.addLayout(row)
        self.save_panel.hide()

    # -- checking ---------------------------------------------------------------------------

    def _passed(self, checked: ops.CheckedBundle) -> None:
        if not isValid(self.details):
            return
        self._set_working(False)
        self.bundle = checked
        manifest = checked.opened.manifest
        self.title.setText(manifest.title)
        self.title.setAccessibleName(manifest.title)
        self.signed_by.setText(signer_text(checked))
        self.recipients.setText(recipients_text(checked))
        self.case_label.setText(manifest.case_reference)
        self.version_label.setText(version_text(manifest))
        self.created_label.setText(local_time(manifest.created))
        self.escrow_label.setText(
            "Yes: also encrypted to your organisation's escrow key"
            if manifest.escrow_recipient
            else "No"
        )
        self._show_row(self.supersedes_label, manifest.supersedes, "An earlier bundle ({})")
        self._show_row(self.note_label, manifest.note, "{}")
        self._show_members(manifest.members)
        self.details.show()
        self.save_files_button.setEnabled(True)
        self._can_import = not checked.opened.from_me
        self.import_button.setEnabled(self._can_import)
        if checked.opened.from_me:
            self.import_button.setToolTip(OWN_BUNDLE)
            self.import_note.setText(OWN_BUNDLE)
        self.checked.emit(checked)

    def _show_row(self, label: QLabel, value: str | None, wording: str) -> None:
        label.setText(wording.format(value) if value else "")
        self.form.setRowVisible(label, bool(value))

    def _show_members(self, members: tuple[Member, ...]) -> None:
        locale = QLocale()
        self.members.setRowCount(len(members))
        for row, member in enumerate(members):
            size = locale.formattedDataSize(
                member.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
            )
            cells = (member.name, member_description(member), size, SHA_CHECKED)
            tips = (member.name, cells[1], f"{member.size:,} bytes", f"SHA-256 {member.sha256}")
            for column, (text, tip) in enumerate(zip(cells, tips, strict=True)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.members.setItem(row, column, item)
        rows = self.members.rowCount()
        height = self.members.horizontalHeader().height() + 2 * self.members.frameWidth()
        height += sum(self.members.rowHeight(r) for r in range(rows))
        self.members.setFixedHeight(height + 2)

    def _refused(self, exc: BaseException) -> None:
        if not isValid(self.refusal_box):
            return
        self._set_working(False)
        self.refusal = exc
        self.title.setText(NOT_OPENED)
        self.title.setAccessibleName(NOT_OPENED)
        self.refusal_label.setText(error_sentence(exc, "checking the bundle"))
        reason = exc.reason if isinstance(exc, BundleRefused) else ""
        self.advice_label.setText(ADVICE.get(reason, DEFAULT_ADVICE))
        self.nothing_written.setText(NOTHING_WRITTEN)
        self.refusal_box.show()
        self.save_files_button.hide()
        self.import_button.hide()
        if isinstance(exc, UnconfirmedSigner):
            self.contacts_button.show()
        self.close_button.setFocus()
        self.checked.emit(exc)

    # -- saving the files -------------------------------------------------------------------

    def offer_save(self) -> None:
        """The warning and the folder first; nothing is written until "Save here"."""
        self.save_panel.show()
        self.folder.setFocus()
        self.save_button.setDefault(True)

    def save(self) -> None:
        """Write the files into the folder chosen (the store worker records it)."""
        if self.bundle is None or self._working:
            return
        self.error_label.setText("")
        problem = self.folder.problem()
        folder = self.folder.path()
        if problem or folder is None:
            self.error_label.setText(problem)
            return
        self._set_working(True, "Saving the files...")
        ops.save_bundle_files(self._runner, self._session, self.bundle.opened, folder).on_done(
            lambda paths: self._saved(folder, paths)
        ).on_error(self._failed).run()

    def _saved(self, folder: Path, paths: list[Path]) -> None:
        if not isValid(self.result_label):
            return
        self._set_working(False)
        self.saved_folder = folder
        self.save_panel.hide()
        names = "\n".join(f"  {p.name}" for p in paths)
        self.result_label.setText(
            f"{len(paths)} files saved, NOT encrypted, to {folder}:\n{names}\n"
            "Delete them when they are no longer needed."
        )
        self.show_folder_button.show()
        self.close_button.setDefault(True)
        self.saved.emit(paths)

    def _show_folder(self) -> None:
        if self.saved_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_folder)))

    # -- importing --------------------------------------------------------------------------

    def import_bundle(self) -> None:
        if not self._can_import or self._working:
            return
        self.error_label.setText("")
        self._set_working(True, "Importing the bundle...")
        ops.import_files(self._runner, self._session, [self.path]).on_done(self._imported).on_error(
            self._failed
        ).run()

    def _imported(self, outcomes: list[ops.FileOutcome]) -> None:
        if not isValid(self.result_label):
            return
        self._set_working(False)
        outcome = outcomes[0]
        self._can_import = False  # imported, held already, or set aside: once is enough
        self.import_button.setEnabled(False)
        if outcome.status == ops.SET_ASIDE:
            self.error_label.setText(
                f"Not imported: {outcome.message} A copy is kept in your profile's "
                "quarantine folder with the reason."
            )
        else:
            self.result_label.setText(outcome.message)
        self.imported.emit(outcome)

    # -- both -------------------------------------------------------------------------------

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self.error_label):
            return
        self._set_working(False)
        self.error_label.setText(error_sentence(exc, "finishing"))

    def _set_working(self, working: bool, message: str = "") -> None:
        self._working = working
        self.close_button.setEnabled(not working)  # a file is written in one go
        self.save_panel.setEnabled(not working)
        self.save_files_button.setEnabled(self.bundle is not None and not working)
        self.import_button.setEnabled(self._can_import and not working)
        if working:
            self.busy.start(message)
        else:
            self.busy.stop()

    def _open_contacts(self) -> None:
        self.contacts_requested.emit()
        self.reject()

    def reject(self) -> None:
        if self._working:
            return  # the files are being written; the dialog closes after
        super().reject()

    def done(self, result: int) -> None:
        """Also how locking closes it, even mid-work (a late result finds it gone)."""
        self._reads.drop()
        self.bundle = None  # let the decrypted files go
        super().done(result)
