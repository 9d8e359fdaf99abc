"""Supervision of a practitioner's AIM3 work: sessions, their prompts and the cadence rule.

At least N sessions during an assessment, spread over the time to its due date, then at least
one every M weeks during intervention (seed 000; N and M are settings). Well-being responses
are private to the practitioner and the supervisor: see `record_for_supervisor`.
Pure Python: no Qt, no SQL, no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Protocol

from aim3desk.domain.cases import Assessment, Case, CaseStatus, ValidationError, local_day
from aim3desk.domain.dates import date_after
from aim3desk.domain.forms import SupervisionForms
from aim3desk.domain.record_limits import limit_problems


class SupervisionType(enum.StrEnum):
    """Ids of forms/supervision.toml's session types."""

    ASSESSMENT_ONE = "assessment_one"
    ASSESSMENT_TWO = "assessment_two"
    ASSESSMENT_THREE = "assessment_three"
    INTERVENTION = "intervention"

    @property
    def is_assessment(self) -> bool:
        return self is not SupervisionType.INTERVENTION


ASSESSMENT_TYPES = (
    SupervisionType.ASSESSMENT_ONE,
    SupervisionType.ASSESSMENT_TWO,
    SupervisionType.ASSESSMENT_THREE,
)


@dataclass(frozen=True)
class PromptResponse:
    prompt_id: str
    response: str


@dataclass(frozen=True)
class AgreedAction:
    id: str
    what: str
    owner: str
    due: date | None = None
    done: bool = False


@dataclass(frozen=True)
class SupervisionSession:
    id: str
    date: date
    supervisor: str
    type: SupervisionType
    agenda_done: tuple[str, ...] = ()  # agenda item ids of the session type
    notes: str = ""
    wellbeing: tuple[PromptResponse, ...] = ()  # PRIVATE: never in a report or export
    risk_questions: tuple[PromptResponse, ...] = ()
    actions: tuple[AgreedAction, ...] = ()
    # The practitioner's explicit choice to include this session's well-being responses in
    # the supervision record given to the supervisor (and nowhere else).
    include_for_supervisor: bool = False

    def without_wellbeing(self) -> SupervisionSession:
        return replace(self, wellbeing=())


def record_for_supervisor(session: SupervisionSession) -> SupervisionSession:
    """The session as it may go into a supervision record for the supervisor: with its
    well-being responses only when the practitioner set include_for_supervisor."""
    return session if session.include_for_supervisor else session.without_wellbeing()


def validate_session(session: SupervisionSession, forms: SupervisionForms, today: date) -> None:
    """Raise ValidationError naming each field that is wrong (ids checked against the forms)."""
    problems: dict[str, str] = {}
    if session.date > today:
        problems["date"] = "The session date is in the future."
    if not session.supervisor.strip():
        problems["supervisor"] = "Enter the supervisor's name."
    agenda = {item.id for item in forms.session_type(session.type.value).agenda}
    if any(item_id not in agenda for item_id in session.agenda_done):
        problems["agenda_done"] = "An agenda item is not on this session type's agenda."
    if len(set(session.agenda_done)) != len(session.agenda_done):
        problems["agenda_done"] = "An agenda item is ticked twice."
    for name, known in (
        ("wellbeing", forms.wellbeing_prompt_ids),
        ("risk_questions", forms.risk_question_ids),
    ):
        ids = [r.prompt_id for r in getattr(session, name)]
        if any(i not in known for i in ids) or len(set(ids)) != len(ids):
            problems[name] = "A response is for an unknown or repeated prompt."
    action_ids = [a.id for a in session.actions]
    if len(set(action_ids)) != len(action_ids):
        problems["actions"] = "Two agreed actions share an id."
    elif any(not a.what.strip() or not a.owner.strip() for a in session.actions):
        problems["actions"] = "Each agreed action needs what is to be done and who owns it."
    for name, problem in limit_problems(session).items():
        problems.setdefault(name, problem)
    if problems:
        raise ValidationError(problems)


# ---------------------------------------------------------------------------------------------
# Cadence


class CadenceSettings(Protocol):
    """What the cadence needs from config.Settings (any object with these attributes)."""

    @property
    def assessment_supervision_sessions(self) -> int: ...

    @property
    def intervention_supervision_weeks(self) -> int: ...


@dataclass(frozen=True)
class SupervisionDue:
    next_due: date | None
    overdue: bool
    reason: str


ASSESSMENT_PHASE = (CaseStatus.REQUESTED, CaseStatus.IN_ASSESSMENT, CaseStatus.AWAITING_SIGN_OFF)


class HeldSession(Protocol):
    """What the cadence reads of a session held: a SupervisionSession, or the store's slim
    read of one for the deadlines dashboard (its date and type only)."""

    @property
    def date(self) -> date: ...

    @property
    def type(self) -> SupervisionType: ...


class CaseInPhase(Protocol):
    """What the cadence reads of a case: its status (a Case, or the dashboard's slim read)."""

    @property
    def status(self) -> CaseStatus: ...


def assessment_session_due(assessment: Assessment, k: int, sessions_needed: int) -> date:
    """Session k (1..N) is due by request + k/N of the time to the assessment's due date,
    so the last one is due on the due date itself."""
    span = (assessment.due_date - assessment.request_date).days
    return date_after(assessment.request_date, timedelta(days=k * span // sessions_needed))


def supervision_due(
    case: Case | CaseInPhase,
    assessment: Assessment | None,
    sessions: Sequence[HeldSession],
    settings: CadenceSettings,
    today: date,
) -> SupervisionDue:
    """When the next supervision session is due for this case, and whether it is overdue.
    A session due on a day is not overdue that day; it is overdue the day after."""
    if case.status in ASSESSMENT_PHASE and assessment is not None and not assessment.finished:
        needed = max(1, settings.assessment_supervision_sessions)
        held = sum(
            1 for s in sessions if s.type.is_assessment and s.date >= assessment.request_date
        )
        if held >= needed:
            return SupervisionDue(
                None, False, f"All {needed} assessment supervision sessions held."
            )
        k = held + 1
        due = assessment_session_due(assessment, k, needed)
        return SupervisionDue(due, today > due, f"Assessment supervision session {k} of {needed}.")
    if case.status is CaseStatus.IN_INTERVENTION:
        weeks = settings.intervention_supervision_weeks
        starts = [s.date for s in sessions]
        if assessment is not None and assessment.finished_at is not None:
            starts.append(local_day(assessment.finished_at))
        if not starts:
            return SupervisionDue(today, False, "Intervention supervision: none held yet.")
        due = date_after(max(starts), timedelta(weeks=weeks))
        return SupervisionDue(
            due, today > due, f"Intervention supervision at least every {weeks} weeks."
        )
    return SupervisionDue(None, False, f"No supervision due: {case.status.label.lower()}.")
