"""Rows of the store <-> domain dataclasses. Works on a caller's Connection so a service can
put a change and its audit entry in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Join, Row, func, insert, select, update

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.cases import (
    Assessment,
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    case_search_key,
    matches_case_search,
    search_fold,
)
from aim3desk.store.items import ItemRepository
from aim3desk.store.schema import assessments, cases, legal_holds

# Case fields kept in the cases table, in the order an audit entry lists them.
CASE_FIELDS = (
    "reference",
    "young_person_name",
    "date_of_birth",
    "lead_agency",
    "lead_worker",
    "co_workers",
    "requested_by",
    "request_date",
    "joint_with_social_worker",
    "status",
    "not_completed_reason",
    "not_completed_on",
    "social_worker",
    "request_reason",
    "open_to_yos_for_sexual_offence",
    "lead_agency_reason",
)


@dataclass(frozen=True)
class CaseSummary:
    """One line of the case list."""

    id: str
    reference: str
    young_person_name: str
    status: CaseStatus
    model: AssessmentModel | None
    due_date: date | None
    lead_worker: str
    finished: bool = False
    on_hold: bool = False  # a legal hold is in force (shown with the status)

    def is_overdue(self, today: date) -> bool:
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status.is_open
            and not self.finished
        )


def utc_now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _case_values(case: Case) -> dict[str, object]:
    return {
        "reference": case.reference,
        "young_person_name": case.young_person_name,
        "date_of_birth": case.date_of_birth,
        "lead_agency": case.lead_agency.value,
        "lead_worker": case.lead_worker,
        "co_workers": list(case.co_workers),
        "requested_by": case.requested_by.value,
        "request_date": case.request_date,
        "joint_with_social_worker": case.joint_with_social_worker,
        "status": case.status.value,
        "not_completed_reason": case.not_completed_reason,
        "not_completed_on": case.not_completed_on,
        "closed_on": case.closed_on,  # set through set_status, or by an import
        "social_worker": case.social_worker,
        "request_reason": case.request_reason,
        "open_to_yos_for_sexual_offence": case.open_to_yos_for_sexual_offence,
        "lead_agency_reason": case.lead_agency_reason,
    }


def case_from_row(row: Row, found: tuple[Assessment, ...]) -> Case:
    return Case(
        id=row.id,
        reference=row.reference,
        young_person_name=row.young_person_name,
        date_of_birth=row.date_of_birth,
        lead_agency=LeadAgency(row.lead_agency),
        lead_worker=row.lead_worker,
        requested_by=Requester(row.requested_by),
        request_date=row.request_date,
        co_workers=tuple(row.co_workers or ()),
        joint_with_social_worker=bool(row.joint_with_social_worker),
        status=CaseStatus(row.status),
        assessments=found,
        not_completed_reason=row.not_completed_reason,
        not_completed_on=row.not_completed_on,
        closed_on=row.closed_on,
        social_worker=row.social_worker,
        request_reason=row.request_reason,
        open_to_yos_for_sexual_offence=bool(row.open_to_yos_for_sexual_offence),
        lead_agency_reason=row.lead_agency_reason,
    )


def cases_with_current_assessment() -> Join:
    """Each case joined to its current (newest) assessment version, or to nothing when it has
    none: the inner max per case is answered by the unique (case_id, version) index."""
    versions = assessments.alias("versions")
    newest = (
        select(func.max(versions.c.version))
        .where(versions.c.case_id == cases.c.id)
        .correlate(cases)
        .scalar_subquery()
    )
    return cases.outerjoin(
        assessments, (assessments.c.case_id == cases.c.id) & (assessments.c.version == newest)
    )


class CaseRepository:
    def __init__(self, conn: Connection, clock: Callable[[], str] = utc_now_text):
        self._conn = conn
        self._now = clock

    # -- reads -------------------------------------------------------------------------

    def get(self, case_id: str) -> Case | None:
        row = self._conn.execute(select(cases).where(cases.c.id == case_id)).first()
        return None if row is None else case_from_row(row, self._assessments_of(row.id))

    def by_reference(self, reference: str) -> Case | None:
        """Exact match first, then ignoring case (references are typed by hand)."""
        row = self._conn.execute(select(cases).where(cases.c.reference == reference)).first()
        if row is None:
            row = self._conn.execute(
                select(cases).where(func.lower(cases.c.reference) == reference.lower())
            ).first()
        return None if row is None else case_from_row(row, self._assessments_of(row.id))

    def reference_taken(self, reference: str, except_case_id: str | None = None) -> bool:
        query = select(cases.c.id).where(func.lower(cases.c.reference) == reference.lower())
        if except_case_id is not None:
            query = query.where(cases.c.id != except_case_id)
        return self._conn.execute(query.limit(1)).first() is not None

    def held_as(self, reference: str, case_id: str) -> str | None:
        """The reference of a case already held under `reference` (ignoring case) or with
        the id `case_id`, in one query that reads no case whole (an import's check)."""
        query = select(cases.c.reference).where(
            (func.lower(cases.c.reference) == reference.lower()) | (cases.c.id == case_id)
        )
        return self._conn.execute(query.limit(1)).scalar()

    def get_assessment(self, assessment_id: str) -> Assessment | None:
        row = self._conn.execute(
            select(assessments).where(assessments.c.id == assessment_id)
        ).first()
        return None if row is None else assessment_from_row(row)

    def assessments_of(self, case_id: str) -> tuple[Assessment, ...]:
        """Every version of the case's assessment, oldest first."""
        return self._assessments_of(case_id)

    def summaries(
        self,
        search: str = "",
        status: CaseStatus | Iterable[CaseStatus] | None = None,
        due_before: date | None = None,
        overdue_on: date | None = None,
    ) -> list[CaseSummary]:
        """The case list. `search` matches reference, name or lead worker by the domain's one
        rule (matches_case_search, in Python: SQLite's LIKE folds ASCII only, names do not);
        `due_before` keeps cases whose current assessment is due on or before that day;
        `overdue_on` keeps open, unfinished cases past their due date on that day."""
        query = (
            select(
                cases.c.id,
                cases.c.reference,
                cases.c.young_person_name,
                cases.c.status,
                cases.c.lead_worker,
                assessments.c.model,
                assessments.c.due_date,
                assessments.c.finished,
            )
            .select_from(cases_with_current_assessment())  # one query, not one per case
            .order_by(cases.c.reference)
        )
        if status is not None:
            wanted = [status] if isinstance(status, CaseStatus) else list(status)
            query = query.where(cases.c.status.in_([s.value for s in wanted]))
        rows = self._conn.execute(query).all()
        held = self._held_case_ids()
        folded_search = search_fold(search)
        found: list[CaseSummary] = []
        for row in rows:
            if folded_search and not matches_case_search(
                case_search_key(row.reference, row.young_person_name, row.lead_worker),
                folded_search,
            ):
                continue
            summary = CaseSummary(
                id=row.id,
                reference=row.reference,
                young_person_name=row.young_person_name,
                status=CaseStatus(row.status),
                model=AssessmentModel(row.model) if row.model else None,
                due_date=row.due_date,
                lead_worker=row.lead_worker,
                finished=bool(row.finished),
                on_hold=row.id in held,
            )
            if due_before is not None and (
                summary.due_date is None or summary.due_date > due_before
            ):
                continue
            if overdue_on is not None and not summary.is_overdue(overdue_on):
                continue
            found.append(summary)
        return found

    def _held_case_ids(self) -> set[str]:
        query = select(legal_holds.c.case_id).where(legal_holds.c.lifted_at.is_(None))
        return set(self._conn.execute(query).scalars())

    def _assessments_of(self, case_id: str) -> tuple[Assessment, ...]:
        rows = self._conn.execute(
            select(assessments)
            .where(assessments.c.case_id == case_id)
            .order_by(assessments.c.version)
        ).all()
        return tuple(assessment_from_row(r) for r in rows)

    # -- writes ------------------------------------------------------------------------

    def add(self, case: Case, contents: Mapping[str, AssessmentContent] | None = None) -> None:
        """Insert a case with its assessments, oldest version first, and the content of
        each assessment found in `contents` (by assessment id)."""
        now = self._now()
        self._conn.execute(
            insert(cases).values(id=case.id, created_at=now, updated_at=now, **_case_values(case))
        )
        for assessment in sorted(case.assessments, key=lambda a: a.version):
            self.add_assessment(assessment, (contents or {}).get(assessment.id))

    def add_assessment(
        self, assessment: Assessment, content: AssessmentContent | None = None
    ) -> None:
        """Insert one assessment with its content. A finished one is inserted open, given its
        content, then finished: the read-only triggers refuse items of a finished version."""
        now = self._now()
        self._conn.execute(
            insert(assessments).values(
                id=assessment.id,
                case_id=assessment.case_id,
                model=assessment.model.value,
                request_date=assessment.request_date,
                due_date=assessment.due_date,
                version=assessment.version,
                finished=False,
                based_on_id=assessment.based_on_id,
                finished_at=_timestamp_text(assessment.finished_at),
                created_at=now,
                updated_at=now,
            )
        )
        if content is not None:
            ItemRepository(self._conn).insert_content(assessment.id, content, now)
        if assessment.finished:
            self._conn.execute(
                update(assessments).where(assessments.c.id == assessment.id).values(finished=True)
            )

    def update(self, case: Case) -> list[str]:
        """Write the case's own fields (not its assessments); return the names that changed."""
        row = self._conn.execute(select(cases).where(cases.c.id == case.id)).first()
        if row is None:
            raise KeyError(case.id)
        new = _case_values(case)
        changed = [name for name in CASE_FIELDS if getattr(row, name) != new[name]]
        if changed:
            self._conn.execute(
                update(cases)
                .where(cases.c.id == case.id)
                .values(updated_at=self._now(), **{name: new[name] for name in changed})
            )
        return changed

    def set_status(
        self,
        case_id: str,
        status: CaseStatus,
        reason: str = "",
        on: date | None = None,
    ) -> bool:
        """Set the status. `on` is the day it happened: kept as the not-completed day with
        NOT_COMPLETED (with the reason) and as the closure day with CLOSED."""
        closed_on = on if status is CaseStatus.CLOSED else None
        if status is not CaseStatus.NOT_COMPLETED:
            reason, on = "", None
        result = self._conn.execute(
            update(cases)
            .where(
                cases.c.id == case_id,
                (cases.c.status != status.value)
                | (cases.c.not_completed_reason != reason)
                | (cases.c.not_completed_on.is_distinct_from(on)),
            )
            .values(
                status=status.value,
                not_completed_reason=reason,
                not_completed_on=on,
                closed_on=closed_on,
                updated_at=self._now(),
            )
        )
        return result.rowcount > 0

    def set_model(self, assessment_id: str, model: AssessmentModel) -> bool:
        result = self._conn.execute(
            update(assessments)
            .where(assessments.c.id == assessment_id, assessments.c.model != model.value)
            .values(model=model.value, updated_at=self._now())
        )
        return result.rowcount > 0

    def touch_assessment(self, assessment_id: str, now: str | None = None) -> None:
        self._conn.execute(
            update(assessments)
            .where(assessments.c.id == assessment_id)
            .values(updated_at=now or self._now())
        )

    def finish_assessment(self, assessment_id: str, at: datetime) -> bool:
        result = self._conn.execute(
            update(assessments)
            .where(assessments.c.id == assessment_id, assessments.c.finished.is_(False))
            .values(finished=True, finished_at=_timestamp_text(at), updated_at=self._now())
        )
        return result.rowcount > 0


def _timestamp_text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


def assessment_from_row(row: Row) -> Assessment:
    return Assessment(
        id=row.id,
        case_id=row.case_id,
        model=AssessmentModel(row.model),
        request_date=row.request_date,
        due_date=row.due_date,
        version=row.version,
        finished=bool(row.finished),
        based_on_id=row.based_on_id,
        finished_at=datetime.fromisoformat(row.finished_at) if row.finished_at else None,
    )
