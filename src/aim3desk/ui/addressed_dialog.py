"""The shell every "send this to people" dialog shares (Send bundle, Hand over case, Send for
review): an introduction, the subclass's form, what to do when there is nobody to send to
(the Contacts page), a busy indicator while the file is built, the error line, and the
result in place of the form once it is done. Also the checkable list of recipients two of
them use.

The subclass builds its rows in `self.form`, starts its first read, and calls
`_show_no_recipients()`, `_set_working(...)`, `_show_done(text)` and `_failed(exc)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.ui.assessment.page_kit import explanation
from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.exchange_kit import DIALOG_TEXT_WIDTH, MessageLabel, error_sentence
from aim3desk.ui.operations.base import Latest

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.domain.identity import Contact
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


class RecipientList(QListWidget):
    """Confirmed contacts with a tick each; the tick is the choice, not the highlight."""

    def __init__(self, accessible_name: str, rows: tuple[int, int]) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self._rows = rows  # the fewest and most rows shown before it scrolls

    def show_contacts(
        self,
        contacts: Iterable[Contact],
        label: Callable[[Contact], str],
        ticked: Callable[[Contact], bool],
    ) -> None:
        self.blockSignals(True)
        self.clear()
        for contact in contacts:
            item = QListWidgetItem(label(contact))
            item.setData(Qt.ItemDataRole.UserRole, contact.fingerprint)
            item.setToolTip(f"Fingerprint {contact.fingerprint}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if ticked(contact) else Qt.CheckState.Unchecked
            )
            self.addItem(item)
        self.blockSignals(False)
        # The first row current (for the keyboard) but not highlighted.
        self.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
        fewest, most = self._rows
        rows = min(max(self.count(), fewest), most)
        self.setFixedHeight(rows * (self.sizeHintForRow(0) + 2) + 2 * self.frameWidth() + 4)

    def fingerprints(self, ticked_only: bool = True) -> list[str]:
        items = [self.item(i) for i in range(self.count())]
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if not ticked_only or item.checkState() == Qt.CheckState.Checked
        ]

    def set_ticked(self, fingerprints: set[str]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in fingerprints
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


class AddressedDialog(QDialog):
    """See the module's note. Signal `contacts_requested()`: the person asked for the
    Contacts page (the dialog closes)."""

    contacts_requested = Signal()
    working_text = ""  # beside the busy indicator: "Writing the bundle..."
    what = ""  # plain words for an unexpected error: "writing the bundle"

    def __init__(
        self,
        session: Session,
        case: Case,
        runner: TaskRunner,
        title: str,
        no_recipients_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.case = case
        self._runner = runner
        self._reads = Latest()
        self._working = False
        self.setWindowTitle(title)
        self.setAccessibleName(title)

        self.intro = explanation("")
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setMinimumWidth(DIALOG_TEXT_WIDTH)  # the dialog's width (it fits its content)
        self.content = QWidget()
        self.form = QFormLayout(self.content)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.no_recipients = explanation(no_recipients_text)
        self.no_recipients.hide()
        self.busy = BusyIndicator()
        self.error_label = MessageLabel("errorLabel")
        self.result_label = explanation("")
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setAccessibleName("What happened")
        self.result_label.hide()

        self.contacts_button = QPushButton("Open &Contacts...")
        self.contacts_button.hide()
        self.cancel_button = QPushButton("Cancel")
        self.action_button = QPushButton()
        self.action_button.setDefault(True)
        self.action_button.setEnabled(False)  # until the first read is shown
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.contacts_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addWidget(self.action_button)

        layout = QVBoxLayout(self)
        # As tall as the content at every step (wrapped text, hidden parts), never a gap.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        for widget in (
            self.intro,
            self.content,
            self.no_recipients,
            self.busy,
            self.error_label,
            self.result_label,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(self.buttons)

        self.contacts_button.clicked.connect(self._open_contacts)
        self.cancel_button.clicked.connect(self.reject)
        self.action_button.clicked.connect(self.start)
        self.content.setEnabled(False)

    def start(self) -> None:
        raise NotImplementedError

    # -- states ---------------------------------------------------------------------------

    def _show_no_recipients(self) -> None:
        """Nobody to send to: say so and offer the Contacts page instead of the form."""
        self.content.hide()
        self.no_recipients.show()
        self.contacts_button.show()
        self.action_button.hide()
        self.contacts_button.setDefault(True)
        self.contacts_button.setFocus()

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.content.setEnabled(not working)
        self.cancel_button.setEnabled(not working)  # the file is built in one go
        self._update_action()
        if working:
            self.busy.start(self.working_text)
        else:
            self.busy.stop()

    def _update_action(self) -> None:
        """The action button's state; a subclass may also change its words."""
        self.action_button.setEnabled(not self._working)

    def _show_done(self, text: str) -> None:
        """The result in place of the form; Cancel becomes Close."""
        self._set_working(False)
        self.result_label.setText(text)
        self.result_label.show()
        self.content.hide()
        self.intro.hide()
        self.action_button.hide()
        self.cancel_button.setText("Close")
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self.error_label):
            return
        self._set_working(False)
        self.error_label.setText(error_sentence(exc, self.what))

    def _open_contacts(self) -> None:
        self.contacts_requested.emit()
        self.reject()

    def reject(self) -> None:
        if self._working:
            return  # the file is being built; the dialog closes after
        self._reads.drop()
        super().reject()
