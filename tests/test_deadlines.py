"""The deadlines dashboard: boundaries (exactly six weeks, exactly four weeks, across a leap
day), ordering as a property, and the dashboard across a real profile's demo cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aim3desk.config import Settings
from aim3desk.domain.assessment import Unknown
from aim3desk.domain.cases import CaseStatus
from aim3desk.domain.deadlines import CaseDeadlineData, Deadline, DeadlineKind, deadlines
from aim3desk.domain.intervention import Goal, InterventionPlan, ProgressReview, RiskMeeting
from aim3desk.domain.supervision import SupervisionType
from aim3desk.security.kdf import KdfParams
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService
from test_supervision import make_case, session_on

SETTINGS = Settings()


def kinds(found: list[Deadline]) -> dict[DeadlineKind, Deadline]:
    return {d.kind: d for d in found}


def test_assessment_due_exactly_six_weeks_after_request() -> None:
    case = make_case(request=date(2025, 1, 6))
    due_day = date(2025, 2, 17)
    on_the_day = kinds(deadlines([CaseDeadlineData(case)], SETTINGS, due_day))
    assert on_the_day[DeadlineKind.ASSESSMENT].due == due_day
    assert not on_the_day[DeadlineKind.ASSESSMENT].overdue
    after = kinds(deadlines([CaseDeadlineData(case)], SETTINGS, due_day + timedelta(days=1)))
    assert after[DeadlineKind.ASSESSMENT].overdue


def test_assessment_due_across_a_leap_day() -> None:
    case = make_case(request=date(2024, 1, 25))  # six weeks on: 7 March 2024, via 29 February
    found = kinds(deadlines([CaseDeadlineData(case)], SETTINGS, date(2024, 3, 7)))
    assert found[DeadlineKind.ASSESSMENT].due == date(2024, 3, 7)
    assert not found[DeadlineKind.ASSESSMENT].overdue


def test_unknowns_and_reviews_and_supervision_in_intervention() -> None:
    case = make_case()
    unknown = Unknown(
        "u1", None, None, "Were there earlier incidents?", "Ask", "Lead", date(2025, 1, 30)
    )
    answered = replace(unknown, id="u2", answered_by_evidence_id="e1")
    found = deadlines(
        [CaseDeadlineData(case, unknowns=(unknown, answered))], SETTINGS, date(2025, 1, 31)
    )
    unknowns = [d for d in found if d.kind is DeadlineKind.UNKNOWN]
    assert len(unknowns) == 1 and unknowns[0].overdue
    assert [d.kind for d in found] == [
        DeadlineKind.SUPERVISION,
        DeadlineKind.UNKNOWN,
        DeadlineKind.ASSESSMENT,
    ]

    finished = replace(
        case.current_assessment, finished=True, finished_at=datetime(2024, 1, 4, 9, tzinfo=UTC)
    )
    working = replace(case, status=CaseStatus.IN_INTERVENTION, assessments=(finished,))
    goal = Goal(
        "g",
        "t",
        2,
        "Goal",
        created=date(2024, 1, 4),
        reviews=(ProgressReview(date(2024, 1, 18), 4),),
    )
    plan = InterventionPlan(
        goals=(goal,),
        meetings=(RiskMeeting("m", date(2024, 1, 10), next_review=date(2024, 2, 29)),),
    )
    sessions = (session_on(date(2024, 2, 1), SupervisionType.INTERVENTION),)
    data = CaseDeadlineData(working, sessions=sessions, plan=plan)
    on_leap_day = deadlines([data], SETTINGS, date(2024, 2, 29))
    by_what = {(d.kind, d.due, d.overdue) for d in on_leap_day}
    assert (DeadlineKind.SUPERVISION, date(2024, 2, 29), False) in by_what  # exactly four weeks
    assert (DeadlineKind.REVIEW, date(2024, 2, 29), False) in by_what  # meeting review
    assert (DeadlineKind.REVIEW, date(2024, 2, 29), False) in by_what
    goal_review = [d for d in on_leap_day if d.what.startswith("Goal")]
    assert goal_review[0].due == date(2024, 2, 29)  # six weeks after 18 January 2024
    next_day = deadlines([data], SETTINGS, date(2024, 3, 1))
    assert all(d.overdue for d in next_day)
    assert not any(d.kind is DeadlineKind.ASSESSMENT for d in next_day)


@settings(deadline=None)  # no time limit per example: a busy machine must not fail it
@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.sampled_from(list(CaseStatus))), min_size=1, max_size=12
    ),
    st.integers(0, 250),
)
def test_overdue_first_then_soonest(requests: list[tuple[int, CaseStatus]], offset: int) -> None:
    start = date(2024, 1, 1)
    data = [
        CaseDeadlineData(
            replace(
                make_case(request=start + timedelta(days=days)),
                reference=f"P-{n:03d}",
                status=status,
            )
        )
        for n, (days, status) in enumerate(requests)
    ]
    today = start + timedelta(days=offset)
    found = deadlines(data, SETTINGS, today)
    assert all(d.overdue == (today > d.due) for d in found)
    keys = [(not d.overdue, d.due) for d in found]
    assert keys == sorted(keys)


def test_dashboard_over_demo_cases_uses_few_queries(tmp_path: Path) -> None:
    session, _ = ProfileService(tmp_path / "p").create(
        "quill lantern orchard seventeen", "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    with session:
        today = date(2025, 3, 20)
        add_demo_cases(session, count=20, seed=5, today=today)
        statements: list[str] = []
        from sqlalchemy import event

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(session.store.engine, "before_cursor_execute", count)
        found = session.deadlines.dashboard(today)
        event.remove(session.store.engine, "before_cursor_execute", count)
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 4
        assert {d.kind for d in found} >= {DeadlineKind.ASSESSMENT, DeadlineKind.SUPERVISION}
        assert any(d.kind is DeadlineKind.REVIEW for d in found)
        assert [d for d in found if d.overdue] == found[: sum(d.overdue for d in found)]


@pytest.mark.parametrize("weeks", [4, 6])
def test_goal_review_weeks_setting(weeks: int) -> None:
    case = replace(make_case(), status=CaseStatus.IN_INTERVENTION)
    plan = InterventionPlan(goals=(Goal("g", "t", 1, "Goal", created=date(2025, 1, 1)),))
    found = deadlines(
        [CaseDeadlineData(case, plan=plan)],
        replace(SETTINGS, goal_review_weeks=weeks),
        date(2025, 1, 1),
    )
    assert [d.due for d in found if d.kind is DeadlineKind.REVIEW] == [
        date(2025, 1, 1) + timedelta(weeks=weeks)
    ]
