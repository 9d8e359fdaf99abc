"""Preferences > "Your contact details": the phone number and email printed in share reports
where the reader is told to ask the lead worker. They are personal data, so they live in the
encrypted profile (session.identity), never in settings.json with the other preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget
from shiboken6 import isValid

from aim3desk.ui.operations.identity import read_contact_details, set_contact_details
from aim3desk.ui.tasks import report_to_stderr
from aim3desk.ui.text_limit import LimitedPlainTextEdit

if TYPE_CHECKING:
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


class ContactDetailsBox(QGroupBox):
    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__("Your contact details", parent)
        self._session = session
        self._runner = runner
        self._shown: str | None = None  # None until read: nothing is saved before then
        self.edit = LimitedPlainTextEdit("contact_details")
        self.edit.setObjectName("edit_contact_details")
        self.edit.setAccessibleName("Your contact details")
        self.edit.setPlaceholderText("For example: 01234 567890, alex.worker@example.invalid")
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 3 + 14)
        self.edit.setEnabled(False)
        hint = QLabel(
            "Phone and email, printed in share reports where the reader is told to ask the "
            "lead worker. Kept encrypted in your profile."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(hint)
        read_contact_details(runner, session).on_done(self._read).on_error(report_to_stderr).run()

    def _read(self, text: str) -> None:
        if not isValid(self.edit):
            return  # the dialog closed while they were read
        self._shown = text
        self.edit.setPlainText(text)
        self.edit.setEnabled(True)

    def changed(self) -> bool:
        return self._shown is not None and self.edit.toPlainText().strip() != self._shown

    def save(self) -> None:
        """Save them if they changed (on the store worker; the dialog may close meanwhile)."""
        if self.changed():
            set_contact_details(self._runner, self._session, self.edit.toPlainText()).run()
