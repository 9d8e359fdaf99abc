"""Profile > Change passphrase: the current one, then the new one twice with a strength meter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from aim3desk.ui.busy import BusyIndicator
from aim3desk.ui.operations.profile import change_passphrase
from aim3desk.ui.passphrase import NewPassphraseWidget, passphrase_field
from aim3desk.ui.tasks import TaskRunner
from aim3desk.ui.unlock import unlock_error_text

if TYPE_CHECKING:
    from aim3desk.services.session import Session


class ChangePassphraseDialog(QDialog):
    def __init__(
        self,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self._busy = False
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(520)

        explanation = QLabel(
            "Your records stay as they are; only the passphrase that opens them changes. "
            "Your recovery key keeps working."
        )
        explanation.setWordWrap(True)
        self.current_edit = passphrase_field("Current passphrase")
        self.new_passphrase = NewPassphraseWidget(
            "New passphrase:", user_inputs=lambda: [getattr(session, "practitioner", "") or ""]
        )
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem")
        self.busy = BusyIndicator()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change passphrase")
        self.ok_button.setAccessibleName("Change passphrase")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")

        self.new_passphrase.add_leading_row("Current passphrase:", self.current_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.error_label)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

        self.current_edit.textChanged.connect(self._update_ok)
        self.new_passphrase.changed.connect(self._update_ok)
        self.buttons.accepted.connect(self._change)
        self.buttons.rejected.connect(self.reject)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(
            not self._busy
            and bool(self.current_edit.text())
            and self.new_passphrase.is_acceptable()
        )

    def _change(self) -> None:
        if not self.ok_button.isEnabled():
            return
        current = self.current_edit.text()
        new = self.new_passphrase.passphrase()
        if current == new:
            self.error_label.setText("The new passphrase is the same as the current one.")
            return
        self._busy = True
        self.error_label.clear()
        self.current_edit.setEnabled(False)
        self.new_passphrase.setEnabled(False)
        self.busy.start("Changing your passphrase...")
        self._update_ok()
        change_passphrase(self._runner, self._session, current, new).on_done(
            self._changed
        ).on_error(self._failed).run()

    def _changed(self, _result: object) -> None:
        self._busy = False
        self.busy.stop()
        self.current_edit.clear()
        self.new_passphrase.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.stop()
        self.current_edit.setEnabled(True)
        self.new_passphrase.setEnabled(True)
        self.error_label.setText(unlock_error_text(exc, "changing your passphrase"))
        self.current_edit.selectAll()
        self.current_edit.setFocus()
        self._update_ok()

    def reject(self) -> None:
        if not self._busy:
            super().reject()
