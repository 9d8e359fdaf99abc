"""The escalation log (barriers and delays reported to the line manager) and the consultation
log (advice from a specialist service) of a case."""

from __future__ import annotations

from datetime import date

from aim3desk.domain.case_logs import (
    ConsultationEntry,
    EscalationEntry,
    validate_consultation,
    validate_escalation,
)
from aim3desk.services.case_records import CaseRecordService


class CaseLogService(CaseRecordService):
    area = "case_log"
    kinds = ("escalation", "consultation")

    def escalations(self, case_id: str) -> list[EscalationEntry]:
        """Oldest first (one query)."""
        return list(self._records(case_id).escalations)

    def consultations(self, case_id: str) -> list[ConsultationEntry]:
        """Oldest first (one query)."""
        return list(self._records(case_id).consultations)

    def logs(self, case_id: str) -> tuple[list[EscalationEntry], list[ConsultationEntry]]:
        """Both logs in one query."""
        records = self._records(case_id)
        return list(records.escalations), list(records.consultations)

    def save_escalation(
        self, case_id: str, entry: EscalationEntry, today: date | None = None
    ) -> bool:
        validate_escalation(entry, self._today(today))
        return self._write(case_id, [entry])

    def save_consultation(
        self, case_id: str, entry: ConsultationEntry, today: date | None = None
    ) -> bool:
        validate_consultation(entry, self._today(today))
        return self._write(case_id, [entry])

    def delete_escalation(self, case_id: str, entry_id: str) -> bool:
        return self._write(case_id, deletes=[("escalation", entry_id)])

    def delete_consultation(self, case_id: str, entry_id: str) -> bool:
        return self._write(case_id, deletes=[("consultation", entry_id)])
