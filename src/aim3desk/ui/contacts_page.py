"""Profile > Contacts... (Ctrl+Shift+K): your card, and the colleagues whose cards you hold.

Your card (name, role, fingerprint) is what you give colleagues; their cards, added here,
are trusted only once you have compared the fingerprint with them (the check dialog). Only
confirmed contacts can receive a bundle or be named your supervisor.

Every read and change is an operation on the store worker (ui/operations/identity.py); the
window reads the people again after each of its own changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.domain.identity import CARD_SUFFIX, Contact, PublicIdentity, Role
from aim3desk.ui.assessment.page_kit import ItemTable, RowsTableModel, explanation, fmt_date
from aim3desk.ui.exchange_kit import WARNING_COLOUR, MessageLabel, documents_folder, error_sentence
from aim3desk.ui.fingerprint import FingerprintCheckDialog, FingerprintView, monospace_font
from aim3desk.ui.operations import identity as ops
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.replace_file import SAVE_DIALOG_OPTIONS, agree_to_replace

if TYPE_CHECKING:
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

NOT_CONFIRMED = "Not confirmed"
EMPTY_TEXT = (
    "No contacts yet. Ask each colleague for their card: in AIM3 Desk they choose Profile > "
    "Contacts... > Save your card..., and send you the file (email or a shared folder is "
    "fine: a card holds no secret). Add it here with Add card..., then check the fingerprint "
    "with them before you send them anything."
)


class ContactsModel(RowsTableModel):
    columns = ("Name", "Role", "Fingerprint", "Confirmed", "Supervisor")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Contact] = []
        self._mono = monospace_font()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_contacts(self, contacts: list[Contact]) -> None:
        self.beginResetModel()
        self._rows = sorted(contacts, key=lambda c: (c.identity.name.casefold(), c.fingerprint))
        self.endResetModel()

    def contact(self, row: int) -> Contact:
        return self._rows[row]

    def row_of(self, fingerprint: str) -> int:
        return next((i for i, c in enumerate(self._rows) if c.fingerprint == fingerprint), -1)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        contact, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(contact, column)
        if role == Qt.ItemDataRole.FontRole:
            if column == 2:
                return self._mono
            if column == 3 and not contact.confirmed:
                return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and not contact.confirmed:
            return QColor(WARNING_COLOUR)
        return None

    @staticmethod
    def _text(contact: Contact, column: int) -> str:
        person = contact.identity
        if column == 0:
            return person.name
        if column == 1:
            return person.role.label
        if column == 2:
            return contact.fingerprint
        if column == 3:
            if contact.confirmed_at is None:
                return NOT_CONFIRMED
            return f"Yes, {fmt_date(contact.confirmed_at.date())}"
        return "Yes" if contact.supervisor else ""


def card_file_name(name: str) -> str:
    """A card's suggested file name from the owner's own name (letters and digits only)."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    return ("-".join(words) or "my") + "-card" + CARD_SUFFIX


class ContactsWindow(QDialog):
    """Not modal: the rest of the app stays usable. Emits `people_read(people)` whenever it
    has read you and your contacts (tests and screenshots wait for it)."""

    people_read = Signal(object)  # ops.People

    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self._reads = Latest()
        self.people: ops.People | None = None
        self.setWindowTitle("Contacts")
        self.setAccessibleName("Contacts")
        self.setModal(False)
        self.resize(1000, 660)

        # -- your card --
        self.name_label = QLabel()
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setAccessibleName("Your name")
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName("Your role")
        for role in Role:
            self.role_combo.addItem(role.label, role.value)
        self.fingerprint = FingerprintView(scale=1.8)
        self.save_card_button = QPushButton("&Save your card...")
        self.save_card_button.setAccessibleName("Save your card to a file")
        card_help = explanation(
            "Give your card to colleagues; it holds no secret. Before trusting it they read "
            "this fingerprint with you, in person or on the phone."
        )
        card_box = QGroupBox("Your card")
        card_form = QFormLayout(card_box)
        card_form.addRow("Name:", self.name_label)
        role_label = QLabel("&Role:")
        role_label.setBuddy(self.role_combo)
        role_row = QHBoxLayout()
        role_row.addWidget(self.role_combo)
        role_row.addStretch(1)
        card_form.addRow(role_label, role_row)
        card_form.addRow("Fingerprint:", self.fingerprint)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_card_button)
        save_row.addWidget(card_help, 1)
        card_form.addRow("", save_row)

        # -- contacts --
        self.model = ContactsModel(self)
        self.table = ItemTable("Your contacts")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (3, 150), (4, 95)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = explanation(EMPTY_TEXT)
        self.empty_label.setObjectName("contactsEmpty")
        self.empty_label.setContentsMargins(12, 12, 12, 12)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.add_button = QPushButton("&Add card...")
        self.add_button.setAccessibleName("Add a colleague's card")
        self.check_button = QPushButton("&Check fingerprint...")
        self.supervisor_button = QPushButton("Make my &supervisor")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.check_button, self.supervisor_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        self.status = MessageLabel()
        self.error_label = MessageLabel("errorLabel")

        contacts_box = QGroupBox("Colleagues' cards")
        contacts_layout = QVBoxLayout(contacts_box)
        contacts_layout.addWidget(self.table, 1)
        contacts_layout.addWidget(self.empty_label, 1)
        contacts_layout.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(card_box)
        layout.addWidget(contacts_box, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.error_label)

        self.role_combo.activated.connect(self._role_chosen)
        self.save_card_button.clicked.connect(self._choose_card_file)
        self.add_button.clicked.connect(self._choose_cards)
        self.check_button.clicked.connect(self.check_fingerprint)
        self.supervisor_button.clicked.connect(self._toggle_supervisor)
        self.close_button.clicked.connect(self.reject)
        self.table.edit_requested.connect(lambda _index: self.check_fingerprint())
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self._show_contacts([])
        self.refresh()

    # -- reading ----------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read you and your contacts again; `select` a contact's row when it arrives."""
        current = self.current_contact()
        keep = select or (current.fingerprint if current else None)
        ops.read_people(self._runner, self._session).latest(self._reads).on_done(
            lambda people: self._people_read(people, keep)
        ).on_error(self._failed("reading your contacts")).run()

    def _people_read(self, people: ops.People, select: str | None) -> None:
        if not isValid(self.table):
            return
        self.people = people
        self._show_me(people.me)
        self._show_contacts(people.contacts)
        if select:
            self.select_contact(select)
        self._update_buttons()
        self.people_read.emit(people)

    def _show_me(self, me: PublicIdentity) -> None:
        self.name_label.setText(me.name)
        self.role_combo.setCurrentIndex(self.role_combo.findData(me.role.value))
        self.fingerprint.set_fingerprint(me.fingerprint)

    def _show_contacts(self, contacts: list[Contact]) -> None:
        self.model.set_contacts(contacts)
        self.table.setVisible(bool(contacts))
        self.empty_label.setVisible(not contacts)

    def current_contact(self) -> Contact | None:
        index = self.table.currentIndex()
        return self.model.contact(index.row()) if index.isValid() else None

    def select_contact(self, fingerprint: str) -> None:
        row = self.model.row_of(fingerprint)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _update_buttons(self, *_args: QModelIndex) -> None:
        contact = self.current_contact()
        self.check_button.setEnabled(contact is not None)
        self.supervisor_button.setEnabled(contact is not None and contact.confirmed)
        supervisor = contact is not None and contact.supervisor
        self.supervisor_button.setText(
            "Not my &supervisor" if supervisor else "Make my &supervisor"
        )
        self.supervisor_button.setToolTip(
            "" if contact is None or contact.confirmed else "Check their fingerprint first."
        )

    # -- your card --------------------------------------------------------------------------

    def _role_chosen(self) -> None:
        role = Role(self.role_combo.currentData())
        self._clear_messages()
        ops.set_role(self._runner, self._session, role).on_done(self._role_set).on_error(
            self._failed("changing your role", refresh=True)
        ).run()

    def _role_set(self, me: PublicIdentity) -> None:
        self._show_me(me)
        self.status.setText(
            f"Your role is now {me.role.label.lower()}. Save your card again and give "
            "colleagues the new one, so their contacts show it."
        )

    def _choose_card_file(self) -> None:
        name = self.people.me.name if self.people else ""
        suggested = documents_folder() / card_file_name(name)
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Save your card as",
            str(suggested),
            f"AIM3 Desk cards (*{CARD_SUFFIX})",
            options=SAVE_DIALOG_OPTIONS,  # asked once, as the file is written
        )
        if chosen:
            path = Path(chosen)
            self.save_card_to(path if path.suffix else path.with_suffix(CARD_SUFFIX))

    def save_card_to(self, path: Path) -> None:
        self._clear_messages()
        replace = agree_to_replace(self, path, self._session.profile_dir)
        if replace is None:
            self.status.setText(f"Nothing was written: {path} was kept as it was.")
            return
        ops.save_card(self._runner, self._session, path, replace).on_done(
            lambda written: self.status.setText(
                f"Your card was saved to {written}. Give it to your colleagues, then read "
                "your fingerprint with each of them."
            )
        ).on_error(self._failed("saving your card")).run()

    # -- contacts ---------------------------------------------------------------------------

    def _choose_cards(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self,
            "Add colleagues' cards",
            str(documents_folder()),
            f"AIM3 Desk cards (*{CARD_SUFFIX});;All files (*)",
        )
        if chosen:
            self.add_card_files([Path(p) for p in chosen])

    def add_card_files(self, paths: list[Path]) -> None:
        self._clear_messages()
        ops.add_cards(self._runner, self._session, paths).on_done(self._cards_added).on_error(
            self._failed("adding the cards")
        ).run()

    def _cards_added(self, results: list[ops.CardAdded]) -> None:
        added = [r.contact for r in results if r.contact is not None]
        lines = [
            f"Added {r.contact.identity.name}'s card: check the fingerprint with them before "
            "you send them anything."
            if r.new
            else f"{r.contact.identity.name}'s card was already here; name and role updated."
            for r in results
            if r.contact is not None
        ]
        self.status.setText("\n".join(lines))
        self.error_label.setText(
            "\n".join(f"{r.path.name}: {r.problem}" for r in results if r.problem)
        )
        self.refresh(select=added[-1].fingerprint if added else None)

    def check_fingerprint(self) -> FingerprintCheckDialog | None:
        """Open the check dialog for the selected contact (window-modal); it is returned so
        tests can answer it."""
        contact = self.current_contact()
        if contact is None or self.people is None:
            return None
        dialog = FingerprintCheckDialog(contact, self.people.me, self._session, self._runner, self)
        dialog.confirmed.connect(self._contact_confirmed)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def _contact_confirmed(self, contact: Contact) -> None:
        self.status.setText(
            f"{contact.identity.name}'s card is confirmed: you can send them bundles and "
            "open bundles they send you."
        )
        self.refresh(select=contact.fingerprint)

    def _toggle_supervisor(self) -> None:
        contact = self.current_contact()
        if contact is None:
            return
        self._clear_messages()
        wanted = not contact.supervisor
        ops.set_supervisor(self._runner, self._session, contact.fingerprint, wanted).on_done(
            self._supervisor_set
        ).on_error(self._failed("naming your supervisor")).run()

    def _supervisor_set(self, contact: Contact) -> None:
        name = contact.identity.name
        self.status.setText(
            f"{name} is now one of your supervisors: bundles you send are addressed to them "
            "unless you untick them."
            if contact.supervisor
            else f"{name} is no longer one of your supervisors."
        )
        self.refresh(select=contact.fingerprint)

    # -- messages ---------------------------------------------------------------------------

    def _clear_messages(self) -> None:
        self.status.setText("")
        self.error_label.setText("")

    def _failed(self, what: str, refresh: bool = False) -> Callable[[BaseException], None]:
        def show(exc: BaseException) -> None:
            if not isValid(self.error_label):
                return
            self.error_label.setText(error_sentence(exc, what))
            if refresh:
                self.refresh()

        return show

    def reject(self) -> None:
        self._reads.drop()
        super().reject()
