"""Unlocking the profile with the passphrase, or with the recovery key and a new passphrase."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.operations.profile import ProfileOf, unlock, unlock_with_recovery_key
from aim3desk.ui.pages import Pages
from aim3desk.ui.passphrase import passphrase_field
from aim3desk.ui.tasks import TaskRunner, describe_unexpected, report_to_stderr

if TYPE_CHECKING:
    from aim3desk.services.session import Session


def unlock_error_text(exc: BaseException, what: str) -> str:
    """The sentence shown under the passphrase. Key file errors are already worded for a
    person, and a wrong passphrase and a damaged file say different things."""
    from aim3desk.services.errors import KeyFileError, StoreError

    if isinstance(exc, KeyFileError | StoreError):  # both are worded for a person
        return str(exc)
    if isinstance(exc, OSError):
        return (
            "AIM3 Desk could not read your profile folder. Check the disk is connected and "
            "that you may read it, then try again."
        )
    report_to_stderr(exc)
    return describe_unexpected(what, exc)


class UnlockDialog(QDialog):
    """After exec() returns Accepted, `session` is the open session. `unlocking` is emitted
    when the key derivation has been queued: the UI thread is free while the worker derives
    the key, so the main window can be built meanwhile."""

    unlocking = Signal()

    def __init__(
        self,
        profile: ProfileOf,
        runner: TaskRunner,
        message: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._runner = runner
        self._busy = False
        self.session: Session | None = None
        self.setWindowTitle("Unlock AIM3 Desk")
        self.setMinimumWidth(520)
        self.pages = Pages()
        self.pages.addWidget(self._build_passphrase_page(message))
        self._recovery_page: QWidget | None = None  # built when first asked for (start-up)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.busy = BusyIndicator()
        layout.addWidget(self.busy)
        self._update_buttons()
        self._show_page(0)
        self.passphrase_edit.setFocus()

    # -- passphrase ---------------------------------------------------------------------------
    def _build_passphrase_page(self, message: str) -> QWidget:
        page = QWidget()
        heading = QLabel("<h2>AIM3 Desk is locked</h2>")
        self.message_label = QLabel(message or "Enter your passphrase to open your records.")
        self.message_label.setWordWrap(True)
        self.passphrase_edit = passphrase_field("Passphrase")
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Unlock problem")
        self.recovery_link = QPushButton("Use recovery key instead...")
        self.recovery_link.setAccessibleName("Use recovery key instead")
        self.recovery_link.setFlat(True)
        self.quit_button = QPushButton("Quit")
        self.quit_button.setAccessibleName("Quit AIM3 Desk")
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)

        form = QFormLayout()
        form.addRow("Passphrase:", self.passphrase_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.recovery_link)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(self.message_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.passphrase_edit.textChanged.connect(self._update_buttons)
        self.passphrase_edit.returnPressed.connect(self._unlock)
        self.unlock_button.clicked.connect(self._unlock)
        self.quit_button.clicked.connect(self.reject)
        self.recovery_link.clicked.connect(self.show_recovery)
        return page

    def _unlock(self) -> None:
        if self._busy or not self.passphrase_edit.text():
            return
        passphrase = self.passphrase_edit.text()
        self.error_label.clear()
        self._set_busy(True, "Unlocking...")
        unlock(self._runner, self._profile, passphrase).on_done(self._unlocked).on_error(
            self._unlock_failed
        ).run()
        self.unlocking.emit()

    def _unlock_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error_label.setText(unlock_error_text(exc, "unlocking your profile"))
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    # -- recovery key -------------------------------------------------------------------------
    def _build_recovery_page(self) -> QWidget:
        from PySide6.QtCore import Qt  # here, not at import: Qt's enums cost start-up time

        from aim3desk.ui.passphrase import NewPassphraseWidget
        from aim3desk.ui.recovery_key import key_font

        page = QWidget()
        heading = QLabel("<h2>Unlock with your recovery key</h2>")
        explanation = QLabel(
            "Type the recovery key you stored when you set up AIM3 Desk, then choose a new "
            "passphrase. Your old passphrase will stop working."
        )
        explanation.setWordWrap(True)
        self.recovery_edit = QLineEdit()
        self.recovery_edit.setAccessibleName("Recovery key")
        self.recovery_edit.setFont(key_font(12))
        self.recovery_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData
        )
        self.new_passphrase = NewPassphraseWidget("New passphrase:")
        self.recovery_error = QLabel()
        self.recovery_error.setObjectName("errorLabel")
        self.recovery_error.setWordWrap(True)
        self.recovery_error.setAccessibleName("Recovery problem")
        self.back_button = QPushButton("Back to passphrase")
        self.back_button.setAccessibleName("Back to passphrase")
        self.recover_button = QPushButton("Unlock and set new passphrase")
        self.recover_button.setAccessibleName("Unlock and set new passphrase")

        self.new_passphrase.add_leading_row("Recovery key:", self.recovery_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.recover_button)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.recovery_error)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.recovery_edit.textChanged.connect(self._update_buttons)
        self.new_passphrase.changed.connect(self._update_buttons)
        self.back_button.clicked.connect(self.show_passphrase)
        self.recover_button.clicked.connect(self._recover)
        return page

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)

    def show_recovery(self) -> None:
        if self._recovery_page is None:
            self._recovery_page = self._build_recovery_page()
            self.pages.addWidget(self._recovery_page)
        self.passphrase_edit.clear()
        self._show_page(1)
        self.recover_button.setDefault(True)
        self.recovery_edit.setFocus()

    def show_passphrase(self) -> None:
        self._clear_recovery()
        self._show_page(0)
        self.unlock_button.setDefault(True)
        self.passphrase_edit.setFocus()

    def _recover(self) -> None:
        if self._busy or not self.recover_button.isEnabled():
            return
        key = self.recovery_edit.text()
        new_passphrase = self.new_passphrase.passphrase()
        self.recovery_error.clear()
        self._set_busy(True, "Checking the recovery key and setting your new passphrase...")
        unlock_with_recovery_key(self._runner, self._profile, key, new_passphrase).on_done(
            self._unlocked
        ).on_error(self._recovery_failed).run()
        self.unlocking.emit()

    def _recovery_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.recovery_error.setText(unlock_error_text(exc, "unlocking with the recovery key"))
        self.recovery_edit.setFocus()

    # -- shared -------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        self.unlock_button.setEnabled(not self._busy and bool(self.passphrase_edit.text()))
        if self._recovery_page is None:
            return
        self.recover_button.setEnabled(
            not self._busy
            and bool(self.recovery_edit.text().strip())
            and self.new_passphrase.is_acceptable()
        )

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        self.pages.setEnabled(not busy)
        if busy:
            self.busy.start(message)
        else:
            self.busy.stop()
        self._update_buttons()

    def _unlocked(self, session: Session) -> None:
        self.session = session
        self._set_busy(False)
        self.passphrase_edit.clear()
        self._clear_recovery()
        self.accept()

    def _clear_recovery(self) -> None:
        if self._recovery_page is not None:
            self.recovery_edit.clear()
            self.new_passphrase.clear()

    def reject(self) -> None:
        if self._busy:  # the attempt finishes first; its session must not be left open
            return
        super().reject()
