"""A case's legal hold (Case > Legal hold..., and from the retention review): whether it is
held, by whom and why, every earlier hold and its lifting, and a reason to place or lift the
hold. A held case cannot be deleted or fall due for review, by anyone, until lifted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from aim3desk.ui.assessment.page_kit import explanation
from aim3desk.ui.exchange_kit import MessageLabel, error_sentence
from aim3desk.ui.operations.base import Latest
from aim3desk.ui.operations.retention import HoldView, change_hold, read_holds
from aim3desk.ui.tasks import TaskRunner
from aim3desk.ui.text_limit import LimitedPlainTextEdit

if TYPE_CHECKING:
    from aim3desk.domain.retention import LegalHold
    from aim3desk.services.session import Session


def hold_history(holds: list[LegalHold]) -> str:
    """Every hold, newest first, with who set and lifted it and why."""
    lines = []
    for hold in reversed(holds):
        lines.append(f"Set {hold.set_at:%d/%m/%Y %H:%M} UTC by {hold.set_by}: {hold.reason}")
        if hold.lifted_at is not None:
            lines.append(
                f"    Lifted {hold.lifted_at:%d/%m/%Y %H:%M} UTC by {hold.lifted_by}: "
                f"{hold.lift_reason}"
            )
    return "\n".join(lines) or "This case has never been on legal hold."


class LegalHoldDialog(QDialog):
    """Stays open after a change and shows the case as it now is (`held` says which)."""

    def __init__(
        self,
        case_id: str,
        reference: str,
        session: Session,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.case_id = case_id
        self._session = session
        self._runner = runner
        self._reads = Latest()
        self.held: bool | None = None  # None until read
        self.setWindowTitle(f"Legal hold: {reference}")
        self.setAccessibleName("Legal hold")
        self.resize(600, 460)
        self.state_label = QLabel("Reading the case's holds...")
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleName("Legal hold state")
        self.history = QPlainTextEdit()
        self.history.setReadOnly(True)
        self.history.setAccessibleName("Legal hold history")
        self.reason_edit = LimitedPlainTextEdit("reason")
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(72)
        self.reason_label = QLabel("&Reason:")
        self.reason_label.setBuddy(self.reason_edit)
        self.error_label = MessageLabel("errorLabel")
        self.action_button = QPushButton("Place on legal hold")
        self.action_button.setAutoDefault(False)
        self.action_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.action_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            explanation(
                "A case on legal hold cannot be deleted, by anyone or by any rule, and never "
                "falls due for retention review, until the hold is lifted with a reason. Use "
                "it when the records may be needed for a claim, an inquiry or proceedings."
            )
        )
        layout.addWidget(self.state_label)
        layout.addWidget(QLabel("History:"))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.reason_edit.textChanged.connect(self._update)
        self.action_button.clicked.connect(self.apply)
        self.refresh()

    def refresh(self) -> None:
        read_holds(self._runner, self._session, self.case_id).latest(self._reads).on_done(
            self._show
        ).on_error(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        if isValid(self.error_label):
            self.error_label.setText(error_sentence(exc, "reading the legal holds"))

    def _show(self, view: HoldView) -> None:
        if not isValid(self.history):
            return  # closed while reading
        current = next((hold for hold in view.holds if hold.active), None)
        self.held = current is not None
        if current is not None:
            self.state_label.setText(
                f"On legal hold since {current.set_at:%d/%m/%Y}, set by {current.set_by}: "
                f"{current.reason}"
            )
            self.action_button.setText("&Lift the hold")
            self.reason_edit.setPlaceholderText("Why the hold is lifted (required)")
        else:
            self.state_label.setText(f"Not on legal hold. {view.status.explanation}")
            self.action_button.setText("&Place on legal hold")
            self.reason_edit.setPlaceholderText("Why the case is held (required)")
        self.action_button.setAccessibleName(self.action_button.text().replace("&", ""))
        self.history.setPlainText(hold_history(view.holds))
        self._update()

    def _update(self) -> None:
        self.action_button.setEnabled(
            self.held is not None and bool(self.reason_edit.toPlainText().strip())
        )

    def apply(self) -> None:
        """Place the hold, or lift it, with the reason typed."""
        if self.held is None:
            return
        reason = self.reason_edit.toPlainText()

        def done(_hold: LegalHold) -> None:
            if isValid(self.reason_edit):
                self.reason_edit.clear()
                self.refresh()

        def failed(exc: BaseException) -> None:
            if isValid(self.error_label):
                self.action_button.setEnabled(True)
                self.error_label.setText(error_sentence(exc, "changing the legal hold"))

        self.action_button.setEnabled(False)
        self.error_label.setText("")
        change_hold(self._runner, self._session, self.case_id, reason, lift=self.held).on_done(
            done
        ).on_error(failed).run()

    def clear_sensitive(self) -> None:
        self._reads.drop()
        self.history.clear()
        self.reason_edit.clear()
        self.state_label.clear()
