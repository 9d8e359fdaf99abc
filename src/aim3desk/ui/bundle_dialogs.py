"""Case > Send bundle... and Case > Hand over case...: a signed, encrypted file addressed to
confirmed contacts, written to a folder the person then sends it from (email, a shared
drive). Only the people it is addressed to, and its author, can open it.

Both dialogs read your contacts first; with no confirmed contact they say so and offer the
Contacts page instead. The bundle is written on the store worker (it reads the case, lays
out the reports and records the export in the audit trail) behind a busy indicator; the
dialog then shows the file written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.services.reports import SHARE_KINDS
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
from aim3desk.ui.operations import bundles as ops
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.identity import People, read_people

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.domain.identity import Contact
    from aim3desk.services.bundles import ExportedBundle
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

NO_CONFIRMED_CONTACTS = (
    "You have no confirmed contacts yet. A bundle can be addressed only to a colleague whose "
    "card you hold and whose fingerprint you have checked with them. Add their card and "
    "check it on the Contacts page."
)


def describe_contact(contact: Contact) -> str:
    role = contact.identity.role.label.lower()
    mark = ", your supervisor" if contact.supervisor else ""
    return f"{contact.identity.name} ({role}{mark})"


class AddressedBundleDialog(QDialog):
    """What both dialogs share: your contacts read first, the folder, the busy indicator,
    the error line and the result. A subclass fills `self.form` in `_build`, shows the
    confirmed contacts in `_show_recipients` and makes its operation in `_operation`.

    Signals: `people_read(people)` once the contacts are shown (tests wait for it),
    `written(exported)`, `contacts_requested()` (the person asked for the Contacts page)."""

    people_read = Signal(object)  # People
    written = Signal(object)  # ExportedBundle
    contacts_requested = Signal()
    action_text = ""
    working_text = ""
    what = ""  # plain words for an unexpected error: "writing the bundle"

    def __init__(
        self,
        session: Session,
        case: Case,
        runner: TaskRunner,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.case = case
        self._runner = runner
        self._reads = Latest()
        self._working = False
        self.exported: ExportedBundle | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)

        self.intro = explanation("")
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setMinimumWidth(DIALOG_TEXT_WIDTH)  # the dialog's width (it fits its content)
        self.content = QWidget()
        self.form = QFormLayout(self.content)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.folder = PathField(
            PathMode.FOLDER, "Folder to write the bundle to", "Write the bundle to"
        )
        self.folder.set_path(documents_folder())
        self._build()
        self.form.addRow("&Folder:", self.folder)

        self.no_contacts = explanation(NO_CONFIRMED_CONTACTS)
        self.no_contacts.hide()
        self.busy = BusyIndicator()
        self.error_label = MessageLabel("errorLabel")
        self.result_label = explanation("")
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setAccessibleName("The file written")
        self.result_label.hide()

        self.contacts_button = QPushButton("Open &Contacts...")
        self.contacts_button.hide()
        self.show_folder_button = QPushButton("Show in &folder")
        self.show_folder_button.hide()
        self.cancel_button = QPushButton("Cancel")
        self.action_button = QPushButton(self.action_text)
        self.action_button.setDefault(True)
        self.action_button.setEnabled(False)  # until the contacts are read
        buttons = QHBoxLayout()
        buttons.addWidget(self.contacts_button)
        buttons.addWidget(self.show_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.action_button)

        layout = QVBoxLayout(self)
        # As tall as the content at every step (wrapped text, hidden parts), never a gap.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.addWidget(self.intro)
        layout.addWidget(self.content)
        layout.addWidget(self.no_contacts)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.contacts_button.clicked.connect(self._open_contacts)
        self.show_folder_button.clicked.connect(self._show_folder)
        self.cancel_button.clicked.connect(self.reject)
        self.action_button.clicked.connect(self.start)
        self.content.setEnabled(False)
        read_people(runner, session).latest(self._reads).on_done(self._people_read).on_error(
            self._failed
        ).run()

    # -- for the subclasses -----------------------------------------------------------------

    def _build(self) -> None:
        raise NotImplementedError

    def _show_recipients(self, people: People) -> None:
        raise NotImplementedError

    def _operation(self, folder: Path) -> ops.WriteBundle | str:
        """The change to run, or why it cannot run yet (a sentence)."""
        raise NotImplementedError

    # -- flow -------------------------------------------------------------------------------

    def _people_read(self, people: People) -> None:
        if not isValid(self.content):
            return
        if not people.confirmed:
            self.content.hide()
            self.no_contacts.show()
            self.contacts_button.show()
            self.action_button.hide()
            self.contacts_button.setDefault(True)
            self.contacts_button.setFocus()
        else:
            self._show_recipients(people)
            self.content.setEnabled(True)
            self.action_button.setEnabled(True)
        self.people_read.emit(people)

    def start(self) -> None:
        self.error_label.setText("")
        problem = self.folder.problem()
        folder = self.folder.path()
        operation = problem or self._operation(folder)
        if isinstance(operation, str):
            self.error_label.setText(operation)
            return
        self._set_working(True)
        operation.on_done(self._written).on_error(self._failed).run()

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.content.setEnabled(not working)
        self.action_button.setEnabled(not working)
        self.cancel_button.setEnabled(not working)  # the file is written in one go
        if working:
            self.busy.start(self.working_text)
        else:
            self.busy.stop()

    def _written(self, exported: ExportedBundle) -> None:
        self._set_working(False)
        self.exported = exported
        names = ", ".join(c.identity.name for c in exported.recipients)
        self.result_label.setText(
            f"The bundle was written:\n{exported.path}\n\nIt is signed by you and encrypted "
            f"to {names} and you. Send the file to them by email or a shared folder: nobody "
            "else can open it."
        )
        self.result_label.show()
        self.content.hide()
        self.intro.hide()
        self.action_button.hide()
        self.show_folder_button.show()
        self.cancel_button.setText("Close")
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        self.written.emit(exported)

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self.error_label):
            return
        self._set_working(False)
        self.error_label.setText(error_sentence(exc, self.what))

    def _open_contacts(self) -> None:
        self.contacts_requested.emit()
        self.reject()

    def _show_folder(self) -> None:
        if self.exported is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.exported.path.parent)))

    def reject(self) -> None:
        if self._working:
            return  # the bundle is being written; the dialog closes after
        self._reads.drop()
        super().reject()


class SendBundleDialog(AddressedBundleDialog):
    """The case's current assessment version to the contacts ticked (your supervisors are
    ticked to begin with), with any share reports ticked."""

    action_text = "&Send"
    working_text = "Writing the bundle: laying out the reports and encrypting them..."
    what = "writing the bundle"

    def __init__(
        self, session: Session, case: Case, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case, runner, f"Send a bundle: case {case.reference}", parent)
        assessment = case.current_assessment
        version = f"assessment version {assessment.version}" if assessment else "its assessment"
        self.intro.setText(
            f"Case {case.reference}, {version}, as one file signed by you and encrypted to "
            "the people you tick: the full report, the case's structured data and any share "
            "reports you tick. Only they and you can open it."
        )

    def _build(self) -> None:
        self.recipients = QListWidget()
        self.recipients.setAccessibleName("Send to")
        self.recipients.setMinimumHeight(90)
        self.audience_checks: dict[str, QCheckBox] = {}
        audiences = QWidget()
        grid = QGridLayout(audiences)
        grid.setContentsMargins(0, 0, 0, 0)
        for number, kind in enumerate(SHARE_KINDS):
            check = QCheckBox(kind.label.removeprefix("Share report: ").capitalize())
            check.setAccessibleName(kind.label)
            self.audience_checks[kind.value] = check
            grid.addWidget(check, number // 3, number % 3)
        shares_help = QLabel(
            "For your supervisor to read: sending a share report here is not a decision to "
            "share it."
        )
        grid.addWidget(shares_help, grid.rowCount(), 0, 1, 3)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("Note for the recipients")
        self.note_edit.setPlaceholderText("Optional: a short note for the people you send it to")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(64)
        self.form.addRow("Send &to:", self.recipients)
        self.form.addRow("Share reports:", audiences)
        self.form.addRow("&Note:", self.note_edit)

    def _show_recipients(self, people: People) -> None:
        self.recipients.clear()
        for contact in people.confirmed:
            item = QListWidgetItem(describe_contact(contact))
            item.setData(Qt.ItemDataRole.UserRole, contact.fingerprint)
            item.setToolTip(f"Fingerprint {contact.fingerprint}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = Qt.CheckState.Checked if contact.supervisor else Qt.CheckState.Unchecked
            item.setCheckState(ticked)
            self.recipients.addItem(item)
        # The first row current (for the keyboard) but not highlighted: a tick is the choice.
        self.recipients.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        rows = min(max(self.recipients.count(), 3), 6)
        frame = 2 * self.recipients.frameWidth()
        self.recipients.setFixedHeight(rows * (self.recipients.sizeHintForRow(0) + 2) + frame + 4)
        self.recipients.setFocus()

    def recipient_fingerprints(self, ticked_only: bool = True) -> list[str]:
        items = [self.recipients.item(i) for i in range(self.recipients.count())]
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if not ticked_only or item.checkState() == Qt.CheckState.Checked
        ]

    def set_ticked(self, fingerprints: set[str]) -> None:
        for i in range(self.recipients.count()):
            item = self.recipients.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in fingerprints
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def chosen_audiences(self) -> list[str]:
        return [value for value, check in self.audience_checks.items() if check.isChecked()]

    def _operation(self, folder: Path) -> ops.WriteBundle | str:
        chosen = self.recipient_fingerprints()
        if not chosen:
            return "Tick at least one person to send the bundle to."
        return ops.send_bundle(
            self._runner,
            self._session,
            self.case.id,
            chosen,
            folder,
            self.chosen_audiences(),
            self.note_edit.toPlainText(),
        )


class HandOverDialog(AddressedBundleDialog):
    """The whole case to one confirmed contact, who imports it into their profile."""

    action_text = "&Hand over"
    working_text = "Writing the handover bundle..."
    what = "writing the handover bundle"

    def __init__(
        self, session: Session, case: Case, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case, runner, f"Hand over case {case.reference}", parent)
        self.intro.setText(
            f"The whole of case {case.reference} goes to one colleague in a single file "
            "signed by you and encrypted to them: every assessment version, the plan, the "
            "logs and the supervision records (your private well-being notes stay here). "
            "They import it and the case appears in their profile. Your copy stays in your "
            "profile until you close it; the handover is recorded in your audit trail and "
            "theirs."
        )

    def _build(self) -> None:
        self.recipient_combo = QComboBox()
        self.recipient_combo.setAccessibleName("Hand the case over to")
        self.form.addRow("Hand &over to:", self.recipient_combo)

    def _show_recipients(self, people: People) -> None:
        self.recipient_combo.clear()
        self.recipient_combo.addItem("Choose a colleague...", None)
        for contact in people.confirmed:
            self.recipient_combo.addItem(describe_contact(contact), contact.fingerprint)
        self.recipient_combo.setFocus()

    def choose_recipient(self, fingerprint: str) -> None:
        self.recipient_combo.setCurrentIndex(self.recipient_combo.findData(fingerprint))

    def _operation(self, folder: Path) -> ops.WriteBundle | str:
        fingerprint = self.recipient_combo.currentData()
        if not fingerprint:
            return "Choose the colleague who takes over the case."
        return ops.hand_over(self._runner, self._session, self.case.id, fingerprint, folder)
