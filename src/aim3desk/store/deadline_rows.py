"""What the deadlines dashboard reads: only the cases that can have a deadline
(domain/deadlines.py DEADLINE_STATUSES), only their current assessment, and of their records
and unknowns only the fields the rule reads, picked out of the JSON by SQLite (json_extract)
rather than decoding every record of every case. Four queries in all, never one per case.

The rule itself stays in the domain (case_deadlines, supervision_due); the rows here satisfy
its protocols (DeadlineCase, HeldSession, PlanDates, OpenQuestion).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from aim3desk.domain.cases import Assessment, CaseStatus
from aim3desk.domain.deadlines import DEADLINE_STATUSES, CaseDeadlineData
from aim3desk.domain.intervention import progress_looked_at
from aim3desk.domain.supervision import SupervisionType
from aim3desk.store.repository import assessment_from_row, cases_with_current_assessment
from aim3desk.store.schema import assessment_items, assessments, case_items, cases


@dataclass(frozen=True)
class DueCaseRow:
    id: str
    reference: str
    young_person_name: str
    status: CaseStatus
    current_assessment: Assessment | None


@dataclass(frozen=True)
class HeldSessionRow:
    date: date
    type: SupervisionType


@dataclass(frozen=True)
class PlanDatesRow:
    next_meeting_review: date | None = None
    goal_progress_days: tuple[date | None, ...] = ()


@dataclass(frozen=True)
class OpenUnknownRow:
    id: str
    question: str
    by_when: date | None
    answered_by_evidence_id: str | None


_STATUSES = {status.value: status for status in CaseStatus}  # faster than calling the enum
_SESSION_TYPES = {kind.value: kind for kind in SupervisionType}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _field(path: str) -> ColumnElement[str]:
    return func.json_extract(case_items.c.data, path)


def _can_have_deadlines() -> ColumnElement[bool]:
    return cases.c.status.in_(sorted(s.value for s in DEADLINE_STATUSES))


def _due_cases(conn: Connection) -> list[DueCaseRow]:
    """The cases that can have deadlines, each with its current assessment only."""
    rows = conn.execute(
        select(
            cases.c.id.label("case_key"),
            cases.c.reference,
            cases.c.young_person_name,
            cases.c.status,
            *assessments.c,
        )
        .select_from(cases_with_current_assessment())
        .where(_can_have_deadlines())
    ).all()  # in no order: the dashboard sorts the deadlines
    return [
        DueCaseRow(
            row.case_key,
            row.reference,
            row.young_person_name,
            _STATUSES[row.status],
            assessment_from_row(row) if row.id is not None else None,
        )
        for row in rows
    ]


def _sessions_and_goals(
    conn: Connection,
) -> tuple[dict[str, list[HeldSessionRow]], dict[str, list[date | None]]]:
    """case id -> (date, type) of each supervision session; -> each goal's progress day."""
    rows = conn.execute(
        select(
            case_items.c.case_id,
            case_items.c.kind,
            _field("$.date"),
            _field("$.type"),
            _field("$.reviews[#-1].date"),
            _field("$.created"),
        )
        .join(cases, cases.c.id == case_items.c.case_id)
        .where(case_items.c.kind.in_(("supervision", "goal")), _can_have_deadlines())
    ).all()  # in no order: the rule counts sessions, takes the latest and the first goal due
    sessions: dict[str, list[HeldSessionRow]] = {}
    goals: dict[str, list[date | None]] = {}
    for case_id, kind, day, session_type, last_review, created in rows:
        if kind == "supervision":
            held = HeldSessionRow(date.fromisoformat(day), _SESSION_TYPES[session_type])
            sessions.setdefault(case_id, []).append(held)
        else:
            goals.setdefault(case_id, []).append(
                progress_looked_at(_day(last_review), _day(created))
            )
    return sessions, goals


def _next_meeting_reviews(conn: Connection) -> dict[str, date | None]:
    """case id -> the next review its latest risk management meeting set: the meeting of the
    latest date, of several that day the first recorded (InterventionPlan.latest_meeting)."""
    rank = (
        func.row_number()
        .over(
            partition_by=case_items.c.case_id,
            order_by=(_field("$.date").desc(), literal_column("case_items.rowid")),
        )
        .label("rank")
    )
    meetings = (
        select(case_items.c.case_id, _field("$.next_review").label("next_review"), rank)
        .join(cases, cases.c.id == case_items.c.case_id)
        .where(case_items.c.kind == "risk_meeting", _can_have_deadlines())
        .subquery()
    )
    rows = conn.execute(
        select(meetings.c.case_id, meetings.c.next_review).where(meetings.c.rank == 1)
    ).all()
    return {case_id: _day(next_review) for case_id, next_review in rows}


def _open_unknowns(conn: Connection) -> dict[str, list[OpenUnknownRow]]:
    """assessment id -> the unknowns of each unfinished current assessment of those cases."""
    current = (
        select(assessments.c.id)
        .select_from(cases_with_current_assessment())
        .where(_can_have_deadlines(), assessments.c.finished.is_(False))
    )

    def item(path: str) -> ColumnElement[str]:
        return func.json_extract(assessment_items.c.data, path)

    rows = conn.execute(
        select(
            assessment_items.c.assessment_id,
            item("$.id"),
            item("$.question"),
            item("$.by_when"),
            item("$.answered_by_evidence_id"),
        )
        .where(assessment_items.c.kind == "unknown", assessment_items.c.assessment_id.in_(current))
        .order_by(literal_column("assessment_items.rowid"))
    ).all()
    found: dict[str, list[OpenUnknownRow]] = {}
    for assessment_id, item_id, question, by_when, answered_by in rows:
        unknown = OpenUnknownRow(item_id, question, _day(by_when), answered_by)
        found.setdefault(assessment_id, []).append(unknown)
    return found


def deadline_data(conn: Connection) -> list[CaseDeadlineData]:
    """What the deadlines dashboard needs of each case that can have a deadline."""
    due_cases = _due_cases(conn)
    sessions, goals = _sessions_and_goals(conn)
    reviews = _next_meeting_reviews(conn)
    unknowns = _open_unknowns(conn)
    result = []
    for case in due_cases:
        current = case.current_assessment
        plan = PlanDatesRow(reviews.get(case.id), tuple(goals.get(case.id, ())))
        result.append(
            CaseDeadlineData(
                case=case,
                sessions=tuple(sessions.get(case.id, ())),
                plan=plan,
                unknowns=tuple(unknowns.get(current.id, ())) if current else (),
            )
        )
    return result
