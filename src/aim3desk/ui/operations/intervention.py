"""Operations on a case's intervention plan.

A change made from a button returns the plan as it stands afterwards, read in the same job,
so the board shows it and can act on the new item (select it, focus it) in one step. Edits
saved while typing (a meeting's fields, the ending summary) return only whether they wrote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Generic, TypeVar

from aim3desk.ui.operations.base import Change, Changes, Query, Record

if TYPE_CHECKING:
    from aim3desk.domain.forms import InterventionForms
    from aim3desk.domain.intervention import (
        EndingSummary,
        Goal,
        InterventionPlan,
        KeepingSafePlan,
        ProgressReview,
        RiskMeeting,
        Track,
        TrackKind,
    )
    from aim3desk.services.intervention import InterventionService
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

T = TypeVar("T")


@dataclass(frozen=True)
class PlanAfter(Generic[T]):
    """What a change returned, and the plan read just after it."""

    result: T
    plan: InterventionPlan


@dataclass(frozen=True)
class PlanRead:
    forms: InterventionForms
    plan: InterventionPlan


def _changed(case_id: str) -> Changes:
    return Changes(case_id=case_id, records=frozenset({Record.INTERVENTION}))


def _plan_change(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    write: Callable[[InterventionService], T],
    what: str,
) -> Change[PlanAfter[T]]:
    service = session.intervention

    def work() -> PlanAfter[T]:
        result = write(service)
        return PlanAfter(result, service.plan(case_id))

    return Change(runner, work, what, _changed(case_id))


def _save(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    write: Callable[[InterventionService], bool],
) -> Change[bool]:
    service = session.intervention
    return Change(runner, lambda: write(service), "saving the intervention plan", _changed(case_id))


def read_plan(runner: TaskRunner, session: Session, case_id: str) -> Query[PlanRead]:
    service = session.intervention
    return Query(
        runner,
        lambda: PlanRead(service.forms, service.plan(case_id)),
        "reading the intervention plan",
    )


def draft_ending(runner: TaskRunner, session: Session, case_id: str) -> Query[EndingSummary]:
    service = session.intervention
    return Query(runner, lambda: service.draft_ending(case_id), "drafting the ending")


def add_track(
    runner: TaskRunner, session: Session, case_id: str, kind: TrackKind, name: str, on: date
) -> Change[PlanAfter[Track]]:
    return _plan_change(
        runner,
        session,
        case_id,
        lambda s: s.add_track(case_id, kind, name, on=on),
        "adding a track to the plan",
    )


def delete_track(
    runner: TaskRunner, session: Session, case_id: str, track_id: str
) -> Change[PlanAfter[bool]]:
    return _plan_change(
        runner, session, case_id, lambda s: s.delete_track(case_id, track_id), "removing a track"
    )


def move_track(
    runner: TaskRunner, session: Session, case_id: str, track_id: str, stage: int, on: date
) -> Change[PlanAfter[Track]]:
    return _plan_change(
        runner,
        session,
        case_id,
        lambda s: s.move_track(case_id, track_id, stage, on=on),
        "moving a track to another stage",
    )


def add_goal_from_stage(
    runner: TaskRunner, session: Session, case_id: str, track_id: str, item_id: str, on: date
) -> Change[PlanAfter[Goal]]:
    return _plan_change(
        runner,
        session,
        case_id,
        lambda s: s.goal_from_stage_item(case_id, track_id, item_id, on=on),
        "adding a goal",
    )


def save_goal(
    runner: TaskRunner, session: Session, case_id: str, goal: Goal
) -> Change[PlanAfter[bool]]:
    return _plan_change(
        runner, session, case_id, lambda s: s.save_goal(case_id, goal), "saving a goal"
    )


def review_goal(
    runner: TaskRunner, session: Session, case_id: str, goal_id: str, review: ProgressReview
) -> Change[PlanAfter[Goal]]:
    return _plan_change(
        runner,
        session,
        case_id,
        lambda s: s.review_goal(case_id, goal_id, review),
        "saving a progress review",
    )


def delete_goal(
    runner: TaskRunner, session: Session, case_id: str, goal_id: str
) -> Change[PlanAfter[bool]]:
    return _plan_change(
        runner, session, case_id, lambda s: s.delete_goal(case_id, goal_id), "removing a goal"
    )


def add_meeting(
    runner: TaskRunner, session: Session, case_id: str, meeting: RiskMeeting
) -> Change[PlanAfter[bool]]:
    return _plan_change(
        runner,
        session,
        case_id,
        lambda s: s.save_meeting(case_id, meeting),
        "adding a risk meeting",
    )


def delete_meeting(
    runner: TaskRunner, session: Session, case_id: str, meeting_id: str
) -> Change[PlanAfter[bool]]:
    return _plan_change(
        runner,
        session,
        case_id,
        lambda s: s.delete_meeting(case_id, meeting_id),
        "removing a risk meeting",
    )


def new_keeping_safe_plan(
    runner: TaskRunner, session: Session, case_id: str, text: str, agreed_with: str, on: date
) -> Change[PlanAfter[KeepingSafePlan]]:
    return _plan_change(
        runner,
        session,
        case_id,
        lambda s: s.new_keeping_safe_plan(case_id, text, agreed_with, on=on),
        "saving the keeping-safe plan",
    )


def save_meeting(
    runner: TaskRunner, session: Session, case_id: str, meeting: RiskMeeting
) -> Change[bool]:
    """A meeting's fields as typed (saved after a pause)."""
    return _save(runner, session, case_id, lambda s: s.save_meeting(case_id, meeting))


def save_ending(
    runner: TaskRunner, session: Session, case_id: str, ending: EndingSummary
) -> Change[bool]:
    """The ending summary as typed (saved after a pause)."""
    return _save(runner, session, case_id, lambda s: s.save_ending(case_id, ending))
