"""Supervision sessions of a case: read, save, delete, and when the next one is due.

Well-being responses are kept in the encrypted store for the practitioner and supervisor only:
no report, case export or annual return ever reads them. `record_for_supervisor` gives a
session for a supervision record, with well-being only if the practitioner included it.
"""

from __future__ import annotations

from datetime import date

from aim3desk.domain.forms import SupervisionForms
from aim3desk.domain.supervision import (
    SupervisionDue,
    SupervisionSession,
    record_for_supervisor,
    supervision_due,
    validate_session,
)
from aim3desk.services.case_records import CaseRecordService
from aim3desk.services.errors import CaseNotFound

__all__ = ["SupervisionService", "record_for_supervisor"]


class SupervisionService(CaseRecordService):
    area = "supervision"
    kinds = ("supervision",)
    _forms: SupervisionForms | None = None

    @property
    def forms(self) -> SupervisionForms:
        """forms/supervision.toml, loaded when first needed (FormError if broken)."""
        if self._forms is None:
            from aim3desk.services.forms_loader import load_supervision

            self._forms = load_supervision()
        return self._forms

    # -- read API ----------------------------------------------------------------------

    def sessions(self, case_id: str) -> list[SupervisionSession]:
        """The case's sessions, oldest first (one query), well-being responses included:
        for the practitioner's own pane only."""
        return list(self._records(case_id).sessions)

    def due(self, case_id: str, today: date | None = None) -> SupervisionDue:
        """When the next session is due for this case (settings' cadence)."""
        with self._uow.read() as tx:
            case = tx.cases.get(case_id)
            if case is None:
                raise CaseNotFound("That case is not in this profile (it may have been removed).")
            sessions = self._records_in(tx, case_id).sessions
        return supervision_due(
            case, case.current_assessment, sessions, self._settings.values, self._today(today)
        )

    def record_for_supervisor(self, case_id: str, session_id: str) -> SupervisionSession:
        """One session as it may go into a record for the supervisor (a later issue's
        bundles): well-being responses only if the practitioner set include_for_supervisor."""
        for session in self.sessions(case_id):
            if session.id == session_id:
                return record_for_supervisor(session)
        raise KeyError(f"no supervision session {session_id!r}")

    # -- write API ---------------------------------------------------------------------

    def save_session(
        self, case_id: str, session: SupervisionSession, today: date | None = None
    ) -> bool:
        """Insert or replace one session (validated against forms/supervision.toml);
        False if nothing changed. Raises ValidationError naming the wrong fields."""
        validate_session(session, self.forms, self._today(today))
        return self._write(case_id, [session])

    def delete_session(self, case_id: str, session_id: str) -> bool:
        return self._write(case_id, deletes=[("supervision", session_id)])
