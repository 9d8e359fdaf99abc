"""Finish this version: the question, the readiness result and, when the version does not
pass the readiness check, the written reason to finish it anyway, all in one dialog (the
service refuses without it, so the reason is asked for here, before, never after)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from aim3desk.domain.gates import Gate, GateOverride
from aim3desk.domain.profile import Missing
from aim3desk.domain.sign_off import NOT_STARTED
from aim3desk.ui.assessment.page_kit import explanation, ok_cancel
from aim3desk.ui.gate_reason import GateReasonBox
from aim3desk.ui.operations.gates import GateFacts


class FinishDialog(QDialog):
    """Accepted only with a reason when one is needed; `reason()` is the reason to record."""

    def __init__(
        self,
        version: int,
        missing: list[Missing],
        overrides: list[GateOverride],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Finish this version")
        self.setAccessibleName("Finish this version")
        self.resize(560, 0)
        self.question = explanation(
            f"Finish version {version}? It becomes read-only: later changes go into a new "
            "version started from it."
        )
        self.gate_box = GateReasonBox(Gate.FINISH)
        self.gate_box.show_facts(GateFacts(NOT_STARTED, tuple(missing), tuple(overrides)))
        self.error_label = QLabel("")
        self.error_label.setWordWrap(True)
        self.error_label.setObjectName("errorLabel")
        self.buttons = ok_cancel(self, "Finish version")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self._finish)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.gate_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    @property
    def finish_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def reason(self) -> str:
        return self.gate_box.reason()

    def _finish(self) -> None:
        problem = self.gate_box.problem()
        if problem:
            self.error_label.setText("Why finish it without the readiness check? " + problem)
            self.gate_box.reason_edit.setFocus()
            return
        self.accept()
