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

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.limits import MAX_NOTE_CHARS
from aim3desk.services.reports import SHARE_KINDS
from aim3desk.ui.addressed_dialog import AddressedDialog, RecipientList
from aim3desk.ui.exchange_kit import (
    PathField,
    PathMode,
    documents_folder,
)
from aim3desk.ui.operations import bundles as ops
from aim3desk.ui.operations.identity import People, read_people
from aim3desk.ui.text_limit import LimitedPlainTextEdit

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


class AddressedBundleDialog(AddressedDialog):
    """What both dialogs share beyond the shell (ui/addressed_dialog.py): your contacts read
    first, the folder, and the file written. A subclass fills `self.form` in `_build`, shows
    the confirmed contacts in `_show_recipients` and makes its operation in `_operation`.

    Signals: `people_read(people)` once the contacts are shown (tests wait for it),
    `written(exported)`, `contacts_requested()` (the person asked for the Contacts page)."""

    people_read = Signal(object)  # People
    written = Signal(object)  # ExportedBundle
    action_text = ""

    def __init__(
        self,
        session: Session,
        case: Case,
        runner: TaskRunner,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, case, runner, title, NO_CONFIRMED_CONTACTS, parent)
        self.exported: ExportedBundle | None = None
        self.result_label.setAccessibleName("The file written")
        self.action_button.setText(self.action_text)
        self.folder = PathField(
            PathMode.FOLDER, "Folder to write the bundle to", "Write the bundle to"
        )
        self.folder.set_path(documents_folder())
        self._build()
        self.form.addRow("&Folder:", self.folder)
        self.show_folder_button = QPushButton("Show in &folder")
        self.show_folder_button.hide()
        self.show_folder_button.clicked.connect(self._show_folder)
        self.buttons.insertWidget(1, self.show_folder_button)
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
            self._show_no_recipients()
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

    def _written(self, exported: ExportedBundle) -> None:
        self.exported = exported
        names = ", ".join(c.identity.name for c in exported.recipients)
        self._show_done(
            f"The bundle was written:\n{exported.path}\n\nIt is signed by you and encrypted "
            f"to {names} and you. Send the file to them by email or a shared folder: nobody "
            "else can open it."
        )
        self.show_folder_button.show()
        self.written.emit(exported)

    def _show_folder(self) -> None:
        if self.exported is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.exported.path.parent)))


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
        self.recipients = RecipientList("Send to", rows=(3, 6))
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
        self.note_edit = LimitedPlainTextEdit("note", most=MAX_NOTE_CHARS)
        self.note_edit.setAccessibleName("Note for the recipients")
        self.note_edit.setPlaceholderText("Optional: a short note for the people you send it to")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(64)
        self.form.addRow("Send &to:", self.recipients)
        self.form.addRow("Share reports:", audiences)
        self.form.addRow("&Note:", self.note_edit)

    def _show_recipients(self, people: People) -> None:
        # your supervisors are ticked to begin with
        self.recipients.show_contacts(people.confirmed, describe_contact, lambda c: c.supervisor)
        self.recipients.setFocus()

    def chosen_audiences(self) -> list[str]:
        return [value for value, check in self.audience_checks.items() if check.isChecked()]

    def _operation(self, folder: Path) -> ops.WriteBundle | str:
        chosen = self.recipients.fingerprints()
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
