"""First run: the practitioner's name and a passphrase, then the recovery key, shown once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aim3desk.domain.limits import MAX_NAME_CHARS
from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.clipboard import copy_sensitive
from aim3desk.ui.operations.profile import ProfileOf, create_profile
from aim3desk.ui.pages import Pages
from aim3desk.ui.passphrase import NewPassphraseWidget
from aim3desk.ui.recovery_key import key_font, key_lines, print_recovery_key
from aim3desk.ui.tasks import TaskRunner, describe_unexpected, report_to_stderr

if TYPE_CHECKING:
    from aim3desk.services.profile import KdfParams
    from aim3desk.services.session import Session


class FirstRunDialog(QDialog):
    """Creates the profile. `profile` returns the ProfileService and is called on the worker
    thread, so its heavy imports never hold up the first window. After exec() returns
    Accepted, `session` is the open session."""

    def __init__(
        self,
        profile: ProfileOf,
        runner: TaskRunner,
        kdf: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._runner = runner
        self._kdf = kdf  # tests pass cheap KDF parameters; the real app leaves None (calibrate)
        self._recovery_key = ""
        self._busy = False
        self.session: Session | None = None
        self.setWindowTitle("Welcome to AIM3 Desk")
        self.setMinimumWidth(620)

        self.pages = Pages()
        self.pages.addWidget(self._build_details_page())
        self.pages.addWidget(self._build_key_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._update_create_button()
        self.name_edit.setFocus()

    # -- page 1: who you are and your passphrase ----------------------------------------------
    def _build_details_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "<h2>Set up AIM3 Desk</h2>"
            "<p>Your case records are kept encrypted on this computer. You open them with a "
            "passphrase that only you know. Nobody, including IT support, can open them "
            "without it or the recovery key you will see next.</p>"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(MAX_NAME_CHARS)  # the name on your card
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("As it should appear on reports")
        self.passphrase = NewPassphraseWidget(
            "Passphrase:", user_inputs=lambda: self.name_edit.text().split()
        )
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setAccessibleName("Problem")
        self.busy = BusyIndicator()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel set-up")
        self.create_button = QPushButton("Create profile")
        self.create_button.setAccessibleName("Create profile")
        self.create_button.setDefault(True)

        self.passphrase.add_leading_row("Your name:", self.name_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.busy, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.name_edit.textChanged.connect(self._update_create_button)
        self.passphrase.changed.connect(self._update_create_button)
        self.create_button.clicked.connect(self._create)
        self.cancel_button.clicked.connect(self.reject)
        return page

    def _update_create_button(self) -> None:
        self.create_button.setEnabled(
            not self._busy
            and bool(self.name_edit.text().strip())
            and self.passphrase.is_acceptable()
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.name_edit, self.passphrase, self.cancel_button):
            widget.setEnabled(not busy)
        if busy:
            self.busy.start(
                "Creating your profile. AIM3 Desk is measuring this computer so your "
                "passphrase is slow to guess; this takes a few seconds."
            )
        else:
            self.busy.stop()
        self._update_create_button()

    def _create(self) -> None:
        if not self.create_button.isEnabled():
            return
        passphrase = self.passphrase.passphrase()
        name = self.name_edit.text().strip()
        self.error_label.clear()
        self._set_busy(True)
        create_profile(self._runner, self._profile, passphrase, name, self._kdf).on_done(
            self._created
        ).on_error(self._failed).run()

    def _created(self, result: tuple[Session, str]) -> None:
        self.session, self._recovery_key = result
        self._set_busy(False)
        self.passphrase.clear()
        self.key_label.setText("\n".join(key_lines(self._recovery_key)))
        self.pages.setCurrentIndex(1)
        self.stored_check.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, FileExistsError | ValueError):  # "a profile is already here"
            self.error_label.setText(str(exc))
        elif isinstance(exc, OSError):
            self.error_label.setText(
                "AIM3 Desk could not write your profile folder. Check there is free disk "
                "space and that you may write to it, then try again."
            )
        else:
            report_to_stderr(exc)
            self.error_label.setText(describe_unexpected("creating your profile", exc))

    # -- page 2: the recovery key -------------------------------------------------------------
    def _build_key_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "<h2>Your recovery key</h2>"
            "<p>If you forget your passphrase, this key is the only way back into your "
            "records. It is shown <b>only once</b>. Write it down or print it, and keep it "
            "somewhere safe and private, away from this computer.</p>"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.key_label = QLabel()
        self.key_label.setFont(key_font())
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setAccessibleName("Recovery key")
        self.key_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setMargin(16)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.print_button = QPushButton("Print...")
        self.print_button.setAccessibleName("Print recovery key")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setAccessibleName("Copy recovery key")
        self.copy_note = QLabel()
        self.copy_note.setWordWrap(True)
        self.stored_check = QCheckBox("I have stored it somewhere safe")
        self.stored_check.setAccessibleName("I have stored the recovery key somewhere safe")
        self.finish_button = QPushButton("Finish")
        self.finish_button.setAccessibleName("Finish set-up")
        self.finish_button.setEnabled(False)

        actions = QHBoxLayout()
        actions.addWidget(self.print_button)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.copy_note, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.stored_check, 1)
        bottom.addWidget(self.finish_button)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addLayout(actions)
        layout.addStretch(1)
        layout.addLayout(bottom)

        self.print_button.clicked.connect(lambda: print_recovery_key(self._recovery_key, self))
        self.copy_button.clicked.connect(self._copy_key)
        self.stored_check.toggled.connect(self.finish_button.setEnabled)
        self.finish_button.clicked.connect(self._finish)
        return page

    def _copy_key(self) -> None:
        copy_sensitive(self._recovery_key)
        self.copy_note.setText(
            "Copied. Paste it somewhere safe now: AIM3 Desk clears the clipboard when it locks."
        )

    def _finish(self) -> None:
        if not self.stored_check.isChecked():
            return
        self._recovery_key = ""
        self.key_label.clear()
        self.accept()

    # -- closing ------------------------------------------------------------------------------
    def reject(self) -> None:
        # Never while the profile is being written; after it exists, only through Finish.
        if self._busy or self.pages.currentIndex() == 1:
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self._busy or self.pages.currentIndex() == 1:
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape and (self._busy or self.pages.currentIndex() == 1):
            event.ignore()
            return
        super().keyPressEvent(event)
