"""Cases for the open profile: the read API and the write API, kept apart (as calibre's
db.cache does) so a reader can see at a glance what changes the store.

Every write runs in one transaction together with its audit entry. Calls are serialised by a
lock: the GUI makes them from one worker thread, the CLI from the main thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, select

from aim3desk.config import EffectiveSettings
from aim3desk.domain.assessment import AssessmentContent, ensure_editable
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    ValidationError,
    start_assessment,
    validate_case,
)
from aim3desk.store.audit import AuditTrail
from aim3desk.store.case_items import CaseItemRepository
from aim3desk.store.repository import CaseRepository, CaseSummary, utc_now_text
from aim3desk.store.schema import assessments, cases

__all__ = ["CaseNotFound", "CaseService", "CaseSummary"]

# Autosave writes evidence every second or so while typing; one audit entry per domain per
# quarter hour says "edited" without flooding the trail.


class CaseNotFound(LookupError):  # noqa: N818 - agreed public name
    """No case (or assessment) with that reference or id."""


class CaseService:
    def __init__(
        self,
        engine: Engine,
        audit: AuditTrail,
        settings: EffectiveSettings,
        actor: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._engine = engine
        self._audit = audit
        self._settings = settings
        self.actor = actor
        self._clock = clock
        self._lock = threading.RLock()

    @contextmanager
    def _reading(self) -> Iterator[CaseRepository]:
        with self._lock, self._engine.connect() as conn:
            yield CaseRepository(conn)

    @contextmanager
    def _writing(self) -> Iterator[tuple[CaseRepository, Connection]]:
        with self._lock, self._engine.begin() as conn:
            yield CaseRepository(conn), conn

    # -- read API ----------------------------------------------------------------------

    def list_cases(
        self,
        search: str = "",
        status: CaseStatus | list[CaseStatus] | None = None,
        due_before: date | None = None,
        overdue_only: bool = False,
        today: date | None = None,
    ) -> list[CaseSummary]:
        overdue_on = (today or date.today()) if overdue_only else None
        with self._reading() as repo:
            return repo.summaries(search, status, due_before, overdue_on)

    def get_case(self, case_id: str) -> Case:
        with self._reading() as repo:
            case = repo.get(case_id)
        if case is None:
            raise CaseNotFound("That case is not in this profile (it may have been removed).")
        return case

    def find_case(self, ref_or_id: str) -> Case:
        """By case reference (ignoring case) or by id."""
        with self._reading() as repo:
            case = repo.by_reference(ref_or_id) or repo.get(ref_or_id)
        if case is None:
            raise CaseNotFound(f"No case with the reference or id '{ref_or_id}' in this profile.")
        return case

    # -- write API ---------------------------------------------------------------------

    def add_case(
        self,
        case: Case,
        model: AssessmentModel | None = None,
        today: date | None = None,
        contents: Mapping[str, AssessmentContent] | None = None,
        records: CaseRecords | None = None,
    ) -> Case:
        """Validate, start the first assessment (model from age unless chosen) and save,
        with the content of each assessment found in `contents` (by assessment id) and the
        case's other records (supervision, intervention plan, logs), all in one transaction."""
        validate_case(case, today or date.today())
        if not case.assessments:
            first = start_assessment(case, model, self._settings.values.assessment_deadline_weeks)
            case = replace(case, assessments=(first,))
        with self._writing() as (repo, conn):
            if repo.reference_taken(case.reference):
                raise ValidationError({"reference": "A case with this reference already exists."})
            repo.add(case, contents)
            if records is not None:
                CaseItemRepository(conn).insert_records(case.id, records, utc_now_text())
            current = case.current_assessment
            self._audit.append(
                self.actor,
                "case.create",
                case.reference,
                {"case_id": case.id, "model": current.model.value if current else None},
                conn=conn,
            )
            stored = repo.get(case.id)
        assert stored is not None
        return stored

    def update_case(self, case: Case, today: date | None = None) -> Case:
        """Save the case's own fields; the audit entry names the fields that changed."""
        validate_case(case, today or date.today())
        with self._writing() as (repo, conn):
            if repo.get(case.id) is None:
                raise CaseNotFound("That case is not in this profile (it may have been removed).")
            if repo.reference_taken(case.reference, except_case_id=case.id):
                raise ValidationError({"reference": "A case with this reference already exists."})
            changed = repo.update(case)
            if changed:
                self._audit.append(
                    self.actor,
                    "case.edit",
                    case.reference,
                    {"case_id": case.id, "fields": changed},
                    conn=conn,
                )
            stored = repo.get(case.id)
        assert stored is not None
        return stored

    def set_status(
        self,
        case_id: str,
        status: CaseStatus,
        reason: str = "",
        on: date | None = None,
    ) -> Case:
        """Change the status. NOT_COMPLETED needs the reason (counted in the annual return,
        so it must not name the young person); `on` is the day it was marked, today by
        default. ValidationError names not_completed_reason if it is missing."""
        with self._writing() as (repo, conn):
            case = repo.get(case_id)
            if case is None:
                raise CaseNotFound("That case is not in this profile (it may have been removed).")
            today = self._clock().date()
            if status is CaseStatus.NOT_COMPLETED:
                validate_case(
                    replace(
                        case,
                        status=status,
                        not_completed_reason=reason.strip(),
                        not_completed_on=on or today,
                    ),
                    max(today, on or today),
                )
            if repo.set_status(case_id, status, reason.strip(), on or today):
                self._audit.append(
                    self.actor,
                    "case.edit",
                    case.reference,
                    {"case_id": case_id, "fields": ["status"], "status": status.value},
                    conn=conn,
                )
            stored = repo.get(case_id)
        assert stored is not None
        return stored

    def change_model(self, assessment_id: str, model: AssessmentModel) -> None:
        with self._writing() as (repo, conn):
            reference = self._reference_of(conn, assessment_id)
            current = repo.get_assessment(assessment_id)
            assert current is not None
            ensure_editable(current)  # ReadOnlyVersion
            if repo.set_model(assessment_id, model):
                self._audit.append(
                    self.actor,
                    "assessment.edit",
                    reference,
                    {"assessment_id": assessment_id, "fields": ["model"], "model": model.value},
                    conn=conn,
                )

    @staticmethod
    def _reference_of(conn: Connection, assessment_id: str) -> str:
        reference = conn.execute(
            select(cases.c.reference)
            .join(assessments, assessments.c.case_id == cases.c.id)
            .where(assessments.c.id == assessment_id)
        ).scalar()
        if reference is None:
            raise CaseNotFound("That assessment is not in this profile.")
        return reference
