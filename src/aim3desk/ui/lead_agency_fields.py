"""The lead-agency part of the case form: the social worker, why the assessment was requested,
whether the young person is open to the YOS for a sexually harmful offence, and the lead the
procedure proposes (domain/cases.propose_lead), applied as the inputs change until the
practitioner chooses otherwise; then they are asked why."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from aim3desk.domain.cases import Case, LeadAgency, Requester, departs_from, propose_lead
from aim3desk.ui.text_limit import LimitedPlainTextEdit, limit_line

NO_RULE_NOTE = (
    "The lead agency in the case undertakes the assessment (not a court request, and not "
    "open to the YOS for a sexually harmful offence)."
)


def text_box(accessible_name: str, placeholder: str, lines: int, parent: QWidget) -> QPlainTextEdit:
    box = LimitedPlainTextEdit("request_reason")  # both reasons are long texts
    box.setAccessibleName(accessible_name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(parent.fontMetrics().lineSpacing() * lines + 14)
    return box


class LeadAgencyFields(QObject):
    """Owns the new fields and follows the dialog's lead agency, requested-by and joint
    controls. `changed` is emitted whenever what the case would hold changes."""

    changed = Signal()

    def __init__(
        self,
        agency_combo: QComboBox,
        requester_combo: QComboBox,
        joint_check: QCheckBox,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.agency_combo, self.requester_combo, self.joint_check = (
            agency_combo,
            requester_combo,
            joint_check,
        )
        self.social_worker_edit = limit_line(QLineEdit(), "social_worker")
        self.social_worker_edit.setAccessibleName("Social worker")
        self.social_worker_edit.setPlaceholderText("Leave empty if the young person has none")
        self.request_reason_edit = text_box(
            "Why was it requested",
            "What happened, and what the requester needs the assessment for",
            3,
            parent,
        )
        self.yos_open_check = QCheckBox("Open to the YOS for a sexually harmful offence")
        self.yos_open_check.setAccessibleName("Open to the YOS for a sexually harmful offence")
        self.proposal_note = QLabel()
        self.proposal_note.setWordWrap(True)
        self.proposal_note.setAccessibleName("Lead agency proposed")
        self.reason_label = QLabel("Why not as &proposed?")
        self.reason_edit = text_box(
            "Why not as proposed",
            "Why the procedure's proposal is not followed for this case",
            2,
            parent,
        )
        self.reason_label.setBuddy(self.reason_edit)
        self._lead_by_hand = False
        self._joint_by_hand = False
        self._asking = False

        self.agency_combo.activated.connect(self._lead_chosen)
        self.joint_check.clicked.connect(self._joint_chosen)
        self.requester_combo.currentIndexChanged.connect(self.follow)
        self.yos_open_check.toggled.connect(self.follow)
        self.social_worker_edit.textChanged.connect(self.follow)
        self.reason_edit.textChanged.connect(self.changed)
        self.request_reason_edit.textChanged.connect(self.changed)

    # -- loading and reading --------------------------------------------------------------------
    def load(self, case: Case) -> None:
        """An existing case: its choices count as the practitioner's own."""
        self._lead_by_hand = self._joint_by_hand = True  # first: loading must not apply one
        self.social_worker_edit.setText(case.social_worker)
        self.request_reason_edit.setPlainText(case.request_reason)
        self.yos_open_check.setChecked(case.open_to_yos_for_sexual_offence)
        self.reason_edit.setPlainText(case.lead_agency_reason)
        self.follow()

    def values(self) -> dict[str, object]:
        """The case fields these controls hold (the reason only while it is asked for)."""
        return {
            "social_worker": self.social_worker_edit.text().strip(),
            "request_reason": self.request_reason_edit.toPlainText().strip(),
            "open_to_yos_for_sexual_offence": self.yos_open_check.isChecked(),
            "lead_agency_reason": (self.reason_edit.toPlainText().strip() if self._asking else ""),
        }

    # -- following the rule ---------------------------------------------------------------------
    def _lead_chosen(self) -> None:
        self._lead_by_hand = True
        self.follow()

    def _joint_chosen(self) -> None:
        self._joint_by_hand = True
        self.follow()

    def follow(self) -> None:
        """Apply the proposal to what the practitioner has not chosen, word it, and ask why
        when the choice departs from it (the domain decides what departs)."""
        proposal = propose_lead(
            Requester(self.requester_combo.currentData()),
            self.yos_open_check.isChecked(),
            self.social_worker_edit.text(),
        )
        if proposal is None:
            self.proposal_note.setText(NO_RULE_NOTE)
        else:
            if not self._lead_by_hand:
                index = self.agency_combo.findData(proposal.lead_agency.value)
                self.agency_combo.setCurrentIndex(index)
            if not self._joint_by_hand:
                self.joint_check.setChecked(proposal.joint_with_social_worker)
            self.proposal_note.setText(f"Proposed by the procedure: {proposal.why}")
        lead = LeadAgency(self.agency_combo.currentData())
        asking = departs_from(proposal, lead, self.joint_check.isChecked())
        self._asking = asking
        self.reason_label.setVisible(asking)
        self.reason_edit.setVisible(asking)
        self.changed.emit()
