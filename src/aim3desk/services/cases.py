"""Cases for the open profile: the read API and the write API, kept apart (as calibre's
db.cache does) so a reader can see at a glance what changes the store.

Every write runs in one transaction together with its audit entry, through the store's unit
of work (its one read/write lock serialises writers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime

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
from aim3desk.domain.gates import Gate, GateClosed
from aim3desk.domain.sign_off import SignOff, SignOffRecords
from aim3desk.services.errors import CaseNotFound
from aim3desk.services.gates import pass_gate
from aim3desk.store.repository import CaseSummary
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

__all__ = ["CaseNotFound", "CaseService", "CaseSummary"]

# Autosave writes evidence every second or so while typing; one audit entry per domain per
# quarter hour says "edited" without flooding the trail.


class CaseService:
    def __init__(
        self,
        uow: UnitOfWork,
        settings: EffectiveSettings,
        actor: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._uow = uow
        self._settings = settings
        self.actor = actor
        self._clock = clock

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
        with self._uow.read() as tx:
            return tx.cases.summaries(search, status, due_before, overdue_on)

    def get_case(self, case_id: str) -> Case:
        with self._uow.read() as tx:
            case = tx.cases.get(case_id)
        if case is None:
            raise CaseNotFound("That case is not in this profile (it may have been removed).")
        return case

    def find_case(self, ref_or_id: str) -> Case:
        """By case reference (ignoring case) or by id."""
        with self._uow.read() as tx:
            case = tx.cases.by_reference(ref_or_id) or tx.cases.get(ref_or_id)
        if case is None:
            raise CaseNotFound(f"No case with the reference or id '{ref_or_id}' in this profile.")
        return case

    def sign_off_records(self, case_id: str) -> SignOffRecords:
        """The reviews received, bundles sent and gate overrides of the case (one loader,
        store/queries.py: sign_off_records, for every caller of the sign-off rule)."""
        with self._uow.read() as tx:
            return tx.sign_off_records(case_id)

    def sign_off(self, case: Case) -> SignOff:
        """Whether the case's current version is signed off (domain/sign_off.py decides)."""
        return self.sign_off_records(case.id).state(case.current_assessment)

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
        with self._uow.write() as tx:
            if tx.cases.reference_taken(case.reference):
                raise ValidationError({"reference": "A case with this reference already exists."})
            tx.cases.add(case, contents)
            if records is not None:
                tx.case_items.insert_records(case.id, records, tx.now_text())
            current = case.current_assessment
            tx.audit(
                self.actor,
                "case.create",
                case.reference,
                {"case_id": case.id, "model": current.model.value if current else None},
            )
            stored = tx.cases.get(case.id)
        assert stored is not None
        return stored

    def update_case(self, case: Case, today: date | None = None) -> Case:
        """Save the case's own fields; the audit entry names the fields that changed."""
        validate_case(case, today or date.today())
        with self._uow.write() as tx:
            if tx.cases.get(case.id) is None:
                raise CaseNotFound("That case is not in this profile (it may have been removed).")
            if tx.cases.reference_taken(case.reference, except_case_id=case.id):
                raise ValidationError({"reference": "A case with this reference already exists."})
            changed = tx.cases.update(case)
            if changed:
                tx.audit(
                    self.actor, "case.edit", case.reference, {"case_id": case.id, "fields": changed}
                )
            stored = tx.cases.get(case.id)
        assert stored is not None
        return stored

    def set_status(
        self,
        case_id: str,
        status: CaseStatus,
        reason: str = "",
        on: date | None = None,
        override_reason: str = "",
    ) -> Case:
        """Change the status. NOT_COMPLETED needs the reason (counted in the annual return,
        so it must not name the young person); `on` is the day it was marked, today by
        default. ValidationError names not_completed_reason if it is missing. COMPLETED
        when the current version is not signed off needs `override_reason`, recorded and
        audited with the change (GateClosed without one: nothing changes)."""
        with self._uow.write() as tx:
            case = tx.cases.get(case_id)
            if case is None:
                raise CaseNotFound("That case is not in this profile (it may have been removed).")
            today = self._clock().date()
            if status is CaseStatus.COMPLETED and case.status is not CaseStatus.COMPLETED:
                self._pass_complete_gate(tx, case, override_reason)
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
            if tx.cases.set_status(case_id, status, reason.strip(), on or today):
                tx.audit(
                    self.actor,
                    "case.edit",
                    case.reference,
                    {"case_id": case_id, "fields": ["status"], "status": status.value},
                )
            stored = tx.cases.get(case_id)
        assert stored is not None
        return stored

    def _pass_complete_gate(self, tx: StoreWriter, case: Case, override_reason: str) -> None:
        current = case.current_assessment
        if current is None:
            raise GateClosed("Marked completed: this case has no assessment yet.")
        pass_gate(
            tx,
            self.actor,
            Gate.COMPLETE,
            current,
            case.reference,
            ready=True,  # the status asks only for the sign-off (domain/gates.py)
            signed_off=tx.sign_off_records(case.id).state(current).signed_off,
            reason=override_reason,
            at=self._clock(),
        )

    def change_model(self, assessment_id: str, model: AssessmentModel) -> None:
        with self._uow.write() as tx:
            found = tx.assessment_with_reference(assessment_id)
            if found is None:
                raise CaseNotFound("That assessment is not in this profile.")
            current, reference = found
            ensure_editable(current)  # ReadOnlyVersion
            if tx.cases.set_model(assessment_id, model):
                tx.audit(
                    self.actor,
                    "assessment.edit",
                    reference,
                    {"assessment_id": assessment_id, "fields": ["model"], "model": model.value},
                )
