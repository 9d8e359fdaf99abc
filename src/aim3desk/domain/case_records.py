"""What a case keeps beside its assessments: supervision sessions, the intervention plan, the
escalation and consultation logs and the sharing decisions. Pure Python.

How these are written to the store and to an export file is domain/case_codec.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aim3desk.domain.case_logs import ConsultationEntry, EscalationEntry
from aim3desk.domain.intervention import InterventionPlan
from aim3desk.domain.sharing import SharingDecision
from aim3desk.domain.supervision import SupervisionSession


@dataclass(frozen=True)
class CaseRecords:
    """Everything a case keeps beside its assessments."""

    sessions: tuple[SupervisionSession, ...] = ()  # by date, oldest first
    plan: InterventionPlan = field(default_factory=InterventionPlan)
    escalations: tuple[EscalationEntry, ...] = ()
    consultations: tuple[ConsultationEntry, ...] = ()
    # Decisions to share or not to share (services/sharing.py): kept in the store, never in
    # a case export.
    sharing_decisions: tuple[SharingDecision, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == CaseRecords()
