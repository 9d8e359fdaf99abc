"""The deadlines dashboard across all cases: assessments due (six weeks from request by
default), supervision due, reviews due (risk management meetings and goal reviews) and
unknowns to answer. Overdue first, then soonest. Pure Python.

Due on a day means not overdue that day; overdue from the day after.

A case can have a deadline only in DEADLINE_STATUSES; the store reads only those cases, and
of them only what the rule reads (CaseDeadlineData's protocols), for the dashboard.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from aim3desk.domain.cases import Assessment, Case, CaseStatus
from aim3desk.domain.dates import date_after
from aim3desk.domain.intervention import InterventionPlan
from aim3desk.domain.supervision import (
    ASSESSMENT_PHASE,
    HeldSession,
    SupervisionSession,
    supervision_due,
)

# The statuses in which a case can have any deadline: an assessment, its unknowns and its
# supervision while being assessed; supervision and reviews in intervention. case_deadlines
# gives nothing in any other, and the dashboard's store query reads only these.
DEADLINE_STATUSES = frozenset((*ASSESSMENT_PHASE, CaseStatus.IN_INTERVENTION))


class DeadlineKind(enum.StrEnum):
    ASSESSMENT = "assessment"
    SUPERVISION = "supervision"
    REVIEW = "review"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            DeadlineKind.ASSESSMENT: "Assessment due",
            DeadlineKind.SUPERVISION: "Supervision due",
            DeadlineKind.REVIEW: "Review due",
            DeadlineKind.UNKNOWN: "Unknown to answer",
        }[self]


class DeadlineSettings(Protocol):
    """What the dashboard needs from config.Settings."""

    @property
    def assessment_supervision_sessions(self) -> int: ...

    @property
    def intervention_supervision_weeks(self) -> int: ...

    @property
    def goal_review_weeks(self) -> int: ...


class DeadlineCase(Protocol):
    """What the rule reads of a case: a Case, or the store's slim read of one."""

    @property
    def id(self) -> str: ...

    @property
    def reference(self) -> str: ...

    @property
    def young_person_name(self) -> str: ...

    @property
    def status(self) -> CaseStatus: ...

    @property
    def current_assessment(self) -> Assessment | None: ...


class PlanDates(Protocol):
    """What the rule reads of an intervention plan (an InterventionPlan, or the store's
    read of these dates alone)."""

    @property
    def next_meeting_review(self) -> date | None: ...

    @property
    def goal_progress_days(self) -> tuple[date | None, ...]: ...


class OpenQuestion(Protocol):
    """What the rule reads of an unknown (an Unknown, or the store's read of these)."""

    @property
    def id(self) -> str: ...

    @property
    def question(self) -> str: ...

    @property
    def by_when(self) -> date | None: ...

    @property
    def answered_by_evidence_id(self) -> str | None: ...


@dataclass(frozen=True)
class CaseDeadlineData:
    """One case with what its deadlines come from."""

    case: Case | DeadlineCase
    sessions: Sequence[SupervisionSession | HeldSession] = ()
    plan: InterventionPlan | PlanDates = field(default_factory=InterventionPlan)
    unknowns: Sequence[OpenQuestion] = ()  # of the current assessment


@dataclass(frozen=True)
class Deadline:
    case_id: str
    case_reference: str
    kind: DeadlineKind
    what: str
    due: date
    overdue: bool
    young_person: str = ""  # the name beside the reference (shown inside the unlocked app)
    item_id: str = ""  # what is due, where it has an id of its own (an unknown's)


_WHAT_LIMIT = 80


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _WHAT_LIMIT else line[: _WHAT_LIMIT - 1] + "…"


def case_deadlines(
    data: CaseDeadlineData, settings: DeadlineSettings, today: date
) -> list[Deadline]:
    case = data.case
    found: list[Deadline] = []
    if case.status not in DEADLINE_STATUSES:
        return found

    def add(kind: DeadlineKind, what: str, due: date, item_id: str = "") -> None:
        found.append(
            Deadline(
                case.id,
                case.reference,
                kind,
                what,
                due,
                today > due,
                young_person=case.young_person_name,
                item_id=item_id,
            )
        )

    assessment = case.current_assessment
    in_assessment = (
        case.status in ASSESSMENT_PHASE and assessment is not None and not assessment.finished
    )
    if in_assessment:
        assert assessment is not None
        add(
            DeadlineKind.ASSESSMENT, f"Assessment version {assessment.version}", assessment.due_date
        )
        for unknown in data.unknowns:
            if unknown.by_when is not None and unknown.answered_by_evidence_id is None:
                add(DeadlineKind.UNKNOWN, _short(unknown.question), unknown.by_when, unknown.id)
    supervision = supervision_due(case, assessment, data.sessions, settings, today)
    if supervision.next_due is not None:
        add(DeadlineKind.SUPERVISION, supervision.reason, supervision.next_due)
    if case.status is CaseStatus.IN_INTERVENTION:
        review = data.plan.next_meeting_review
        if review is not None:
            add(DeadlineKind.REVIEW, "Risk management meeting review", review)
        weeks = timedelta(weeks=settings.goal_review_weeks)
        goal_dues = [
            date_after(day, weeks) for day in data.plan.goal_progress_days if day is not None
        ]
        if goal_dues:
            due = min(goal_dues)
            waiting = sum(1 for d in goal_dues if d <= max(due, today))
            add(DeadlineKind.REVIEW, f"Goal progress review ({waiting} goal(s))", due)
    return found


def sort_key(deadline: Deadline) -> tuple[bool, date, str, str]:
    return (not deadline.overdue, deadline.due, deadline.case_reference, deadline.kind.value)


def deadlines(
    cases_with_data: Iterable[CaseDeadlineData], settings: DeadlineSettings, today: date
) -> list[Deadline]:
    """Every deadline of every case: overdue first, then soonest."""
    found = [d for data in cases_with_data for d in case_deadlines(data, settings, today)]
    return sorted(found, key=sort_key)


# -- a supervisor's view: supervision due across the supervisees' cases ----------------------


@dataclass(frozen=True)
class SuperviseeCase:
    """One supervisee's case as the supervisor sees it: the phase, the sessions held in it
    and when the next one is due (supervision_due's cadence, the same as the practitioner's
    dashboard)."""

    case_reference: str
    practitioner: str
    phase: str  # "Assessment", "Intervention" or the status when no supervision is due
    sessions_held: int
    next_due: date | None
    overdue: bool
    what: str


def supervisee_case(
    case: Case,
    sessions: Iterable[SupervisionSession],
    practitioner: str,
    settings: DeadlineSettings,
    today: date,
) -> SuperviseeCase:
    held = tuple(sessions)
    assessment = case.current_assessment
    due = supervision_due(case, assessment, held, settings, today)
    if case.status in ASSESSMENT_PHASE and assessment is not None and not assessment.finished:
        phase = "Assessment"
        count = sum(1 for s in held if s.type.is_assessment and s.date >= assessment.request_date)
    elif case.status is CaseStatus.IN_INTERVENTION:
        phase = "Intervention"
        count = sum(1 for s in held if not s.type.is_assessment)
    else:
        phase, count = case.status.label, len(held)
    return SuperviseeCase(
        case.reference, practitioner, phase, count, due.next_due, due.overdue, due.reason
    )


def supervisee_sort_key(row: SuperviseeCase) -> tuple[bool, bool, date, str]:
    """Overdue first, then soonest; cases with nothing due last."""
    return (
        not row.overdue,
        row.next_due is None,
        row.next_due or date.max,
        row.case_reference,
    )


# Seed 003: "The lead worker escalates concerns around delays and barriers to their immediate
# Service Manager who will address these with priority" and "completes an AIM 3 Assessment
# within 6 weeks". The offer comes in the last week: early enough for the line manager to
# act before the due date, late enough not to nag through the first five weeks.
ESCALATION_NEAR_DAYS = 7


@dataclass(frozen=True)
class EscalationOffer:
    """The current assessment's due date is near or passed: offer escalation."""

    due: date
    days_left: int  # negative once overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def escalation_offer(
    case: Case, today: date, near_days: int = ESCALATION_NEAR_DAYS
) -> EscalationOffer | None:
    """An offer while the case is in its assessment phase with an unfinished current version
    due within `near_days` (or overdue); None otherwise."""
    assessment = case.current_assessment
    if case.status not in ASSESSMENT_PHASE or assessment is None or assessment.finished:
        return None
    days_left = (assessment.due_date - today).days
    return EscalationOffer(assessment.due_date, days_left) if days_left <= near_days else None
