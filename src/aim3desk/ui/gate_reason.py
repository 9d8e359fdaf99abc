"""The readiness result and, where a gate needs one, the written reason, shown in place in
the dialog that does the gated thing ("Finish version", the status "Assessment completed", a
share report of an unsigned version): never a second dialog after a refusal."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from aim3desk.domain.cases import Case, CaseStatus
from aim3desk.domain.gates import Gate, reason_problem
from aim3desk.domain.sign_off import SignOffRecords, override_lines
from aim3desk.ui.operations.gates import GateFacts
from aim3desk.ui.text_limit import LimitedPlainTextEdit

SHOWN_MISSING = 4  # the first few things missing; the readiness check lists them all

_WHY = {
    Gate.FINISH: "To finish it anyway, write why (kept with the version and shown in its report):",
    Gate.COMPLETE: "To mark the case completed anyway, write why (kept, shown in the case's "
    "status and counted apart in the annual return):",
    Gate.SHARE: "To share it anyway, write why (kept and printed in the share report):",
}


def readiness_words(facts: GateFacts) -> tuple[str, str]:
    """The readiness result: a short sentence for the dialog and the first few things to do
    for its tooltip (the readiness check lists them all)."""
    if facts.ready:
        return "This version passes the readiness check.", ""
    count = len(facts.missing)
    first = " ".join(m.message for m in facts.missing[:SHOWN_MISSING])
    more = f" And {count - SHOWN_MISSING} more." if count > SHOWN_MISSING else ""
    short = (
        f"This version does not pass the readiness check ({count} to do, first: "
        f"{facts.missing[0].message})"
    )
    return short, first + more


def status_words(case: Case, records: SignOffRecords) -> tuple[str, str]:
    """The case's status line with the current version's sign-off or the overrides kept for
    it: (short words for the header, the full words for its tooltip and screen readers)."""
    current = case.current_assessment
    words = case.status.label
    state = records.state(current)
    if state.signed_off:
        words += f", signed off by {state.supervisor}"
    elif case.status is CaseStatus.COMPLETED:
        words += ", not signed off"
    lines = override_lines(records.overrides_of(current.id)) if current else []
    if not lines:
        return words, words
    short = (
        f"{words} (override recorded)" if len(lines) == 1 else f"{words} ({len(lines)} overrides)"
    )
    return short, f"{words}. " + " ".join(f"{line}." for line in lines)


class GateReasonBox(QWidget):
    """Hidden until `show_facts` says the gate needs a reason; `reason()` is what was written
    and `problem()` says why it is not enough yet (None when it is, or none is needed)."""

    def __init__(self, gate: Gate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = gate
        self.needed = False
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.why_label = QLabel(_WHY[gate])
        self.why_label.setWordWrap(True)
        self.reason_edit = LimitedPlainTextEdit("reason")
        self.reason_edit.setAccessibleName("Reason for going ahead without the check")
        self.reason_edit.setPlaceholderText("For example: the court hearing is tomorrow")
        self.reason_edit.setFixedHeight(52)
        self.why_label.setBuddy(self.reason_edit)
        self.earlier_label = QLabel()
        self.earlier_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result_label)
        layout.addWidget(self.why_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.earlier_label)
        self.setVisible(False)

    def show_facts(self, facts: GateFacts) -> None:
        self.needed = facts.needs_reason(self.gate)
        details = ""
        if self.gate is Gate.COMPLETE:
            result = (
                "This version is signed off."
                if facts.sign_off.signed_off
                else "This version has not been signed off by a supervisor."
            )
        else:
            result, details = readiness_words(facts)
            if self.gate is Gate.SHARE and not facts.sign_off.signed_off:
                result = "This version is not signed off. " + result
        self.result_label.setText(result)
        self.result_label.setToolTip(details)
        self.result_label.setAccessibleName(f"{result} {details}".strip())
        # A share report's recipient needs no list of earlier overrides: the report has it.
        earlier = [] if self.gate is Gate.SHARE else override_lines(facts.overrides)
        self.earlier_label.setText("Recorded before: " + " ".join(earlier) if earlier else "")
        self.earlier_label.setVisible(bool(earlier))
        self.why_label.setVisible(self.needed)
        self.reason_edit.setVisible(self.needed)
        readiness_matters = self.gate is not Gate.COMPLETE and not facts.ready
        self.setVisible(self.needed or readiness_matters or bool(earlier))

    def hide_gate(self) -> None:
        """Not this gate's business now (another status or report chosen)."""
        self.needed = False
        self.setVisible(False)

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip() if self.needed else ""

    def problem(self) -> str | None:
        return reason_problem(self.reason()) if self.needed else None
