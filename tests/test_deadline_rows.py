"""The deadlines read in the store (store/deadline_rows.py): only the cases that can have a
deadline, only the fields the rule reads, and exactly the deadlines the rule gives over every
case loaded whole, case by case (a real profile of demo cases of every status)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from aim3desk.config import Settings
from aim3desk.domain.cases import CaseStatus
from aim3desk.domain.deadlines import (
    DEADLINE_STATUSES,
    CaseDeadlineData,
    Deadline,
    case_deadlines,
    deadlines,
)
from aim3desk.domain.intervention import Goal, ProgressReview, RiskMeeting, TrackKind
from aim3desk.security.kdf import KdfParams
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService
from aim3desk.services.session import Session
from test_supervision import make_case

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo_session(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("deadline-rows") / "profile"
    session, _recovery = ProfileService(folder).create(
        "quill lantern orchard seventeen", "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    add_demo_cases(session, count=45, seed=7, today=TODAY)
    _add_plan_edges(session)
    yield session
    session.close()


def _add_plan_edges(session: Session) -> None:
    """What the demo does not make: two meetings on the latest day (the first recorded is
    the latest), a goal reviewed after it was set, and one with neither date."""
    case = next(c for c in session.cases.list_cases() if c.status is CaseStatus.IN_INTERVENTION)
    plan = session.intervention.plan(case.id)
    latest = max((m.date for m in plan.meetings), default=TODAY - timedelta(days=10))
    for n, review in enumerate((TODAY + timedelta(days=9), TODAY + timedelta(days=2))):
        meeting = RiskMeeting(f"tie{n}", latest, next_review=review)
        session.intervention.save_meeting(case.id, meeting)
    track = (plan.tracks or (session.intervention.add_track(case.id, TrackKind.YOUNG_PERSON),))[0]
    reviewed = Goal(
        "edge-reviewed", track.id, 1, "Invented goal", created=TODAY - timedelta(days=90)
    )
    session.intervention.save_goal(case.id, reviewed)
    session.intervention.review_goal(
        case.id, reviewed.id, ProgressReview(TODAY - timedelta(days=20), 6)
    )
    session.intervention.save_goal(case.id, Goal("edge-undated", track.id, 1, "Invented goal"))


def whole_case_deadlines(session: Session, today: date) -> list[Deadline]:
    """The rule over every case, each loaded whole the way a case is opened."""
    data = []
    for summary in session.cases.list_cases():
        case = session.cases.get_case(summary.id)
        records = session.case_records.load(case.id)
        current = case.current_assessment
        unknowns = session.assessments.load(current.id).unknowns if current else ()
        data.append(CaseDeadlineData(case, records.sessions, records.plan, unknowns))
    return deadlines(data, session.settings.values, today)


def test_the_demo_has_cases_of_every_status(demo_session: Session) -> None:
    assert {c.status for c in demo_session.cases.list_cases()} == set(CaseStatus)


@pytest.mark.parametrize("days_on", [0, 30, 120])
def test_the_store_read_gives_exactly_the_deadlines_of_the_whole_cases(
    demo_session: Session, days_on: int
) -> None:
    today = TODAY + timedelta(days=days_on)
    found = demo_session.deadlines.dashboard(today)
    assert found == whole_case_deadlines(demo_session, today)
    assert len({d.kind for d in found}) == 4  # every kind of deadline is there


def test_only_the_cases_that_can_have_deadlines_are_read(demo_session: Session) -> None:
    with demo_session._uow.read() as tx:  # the store read itself, as the service makes it
        read = tx.deadline_data()
    statuses = {s.id: s.status for s in demo_session.cases.list_cases()}
    assert {data.case.id for data in read} == {
        case_id for case_id, status in statuses.items() if status in DEADLINE_STATUSES
    }
    assert all(data.case.current_assessment is not None for data in read)


@pytest.mark.parametrize("status", sorted(set(CaseStatus) - DEADLINE_STATUSES))
def test_a_case_in_another_status_has_no_deadline_whatever_its_records(
    status: CaseStatus,
) -> None:
    case = replace(make_case(), status=status)
    goal = Goal("g", "t", 1, "Invented goal", created=date(2025, 1, 1))
    meeting = RiskMeeting("m", date(2025, 1, 1), next_review=date(2025, 2, 1))
    plan = replace(CaseDeadlineData(case).plan, goals=(goal,), meetings=(meeting,))
    found = case_deadlines(CaseDeadlineData(case, plan=plan), Settings(), date(2025, 3, 1))
    assert found == []
