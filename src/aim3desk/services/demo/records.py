"""The invented records of one demo case beside its assessments: supervision sessions, an
intervention plan for a case in intervention, and escalation and consultation entries."""

from __future__ import annotations

import random
from datetime import date, timedelta

from aim3desk.domain.case_logs import ConsultationEntry, EscalationEntry
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import Case, CaseStatus
from aim3desk.domain.intervention import (
    Goal,
    InterventionPlan,
    KeepingSafePlan,
    ProgressReview,
    Responsibility,
    RiskMeeting,
    StageChange,
    Track,
    TrackKind,
)
from aim3desk.domain.supervision import (
    ASSESSMENT_TYPES,
    AgreedAction,
    PromptResponse,
    SupervisionSession,
    SupervisionType,
)
from aim3desk.services.demo.catalogue import LAST_NAMES, WORKER_NAMES, day_between, demo_id

# Invented supervision content: agenda ids and prompt ids of forms/supervision.toml.
_AGENDAS = {
    SupervisionType.ASSESSMENT_ONE: ("wellbeing", "access_to_information", "unknowns"),
    SupervisionType.ASSESSMENT_TWO: ("wellbeing", "critical_reflection"),
    SupervisionType.ASSESSMENT_THREE: ("quality_assurance", "next_steps", "sign_off"),
    SupervisionType.INTERVENTION: ("wellbeing", "risk_questions", "goal_progress"),
}
SUPERVISORS = ("Rosalind Mockingham", "Percival Samplesby")
ESCALATIONS = (
    ("School records not received after two requests.", "Records received a week later."),
    ("Health appointment cancelled twice by the service.", "New appointment booked."),
)
CONSULTATIONS = (
    ("Action for Children", "Consider a trauma-informed approach to the next sessions."),
    ("Specialist HSB service", "Keep the safety plan under fortnightly review."),
)


def _demo_sessions(rng: random.Random, case: Case, today: date) -> tuple[SupervisionSession, ...]:
    """Assessment sessions spread over the assessment (all three once it is finished), then
    intervention sessions every three or four weeks for a case in intervention."""
    assessment = case.assessments[0]
    end = min(today, assessment.due_date)
    span = max(1, (end - assessment.request_date).days)
    held = 3 if assessment.finished else min(3, (today - assessment.request_date).days // 14)
    kinds = list(ASSESSMENT_TYPES[:held])
    dates = [assessment.request_date + timedelta(days=(k + 1) * span // 3) for k in range(held)]
    if case.status is CaseStatus.IN_INTERVENTION:
        day = end + timedelta(days=rng.randint(20, 27))
        while day <= today:
            kinds.append(SupervisionType.INTERVENTION)
            dates.append(day)
            day += timedelta(days=rng.randint(21, 28))
    sessions = []
    for number, (kind, day) in enumerate(zip(kinds, dates, strict=True)):
        session_id, supervisor = demo_id(rng), rng.choice(SUPERVISORS)
        ticked = _AGENDAS[kind][: rng.randint(1, len(_AGENDAS[kind]))]
        if kind is SupervisionType.ASSESSMENT_THREE and assessment.finished:
            ticked = _AGENDAS[kind]  # a finished demo assessment was signed off
        sessions.append(
            SupervisionSession(
                id=session_id,
                date=day,
                supervisor=supervisor,
                type=kind,
                agenda_done=ticked,
                notes="Invented demo supervision notes: reflected on the evidence so far.",
                wellbeing=(
                    PromptResponse("feelings_evoked", "Invented: tired after a long week."),
                    PromptResponse("resilience", "Invented: walking the dog helps."),
                ),
                risk_questions=(
                    (PromptResponse("rule_of_optimism", "Invented: checked with school."),)
                    if kind is SupervisionType.INTERVENTION
                    else ()
                ),
                actions=(
                    AgreedAction(
                        demo_id(rng), "Chase the school records", "Lead", day + timedelta(days=7)
                    ),
                ),
                # The first session's well-being goes into the supervision record, to show it.
                include_for_supervisor=number == 0,
            )
        )
    return tuple(sessions)


def _demo_plan(rng: random.Random, case: Case, today: date) -> InterventionPlan:
    """The young person and a parent at different stages, the meeting's track, goals with two
    progress reviews each, a risk management meeting and a keeping-safe plan."""
    finished = case.assessments[0].finished_at
    start = finished.date() if finished else case.request_date
    young_stage, parent_stage = rng.choice(((2, 1), (3, 2), (2, 1)))
    moved = min(today, start + timedelta(days=14))
    young = Track(
        demo_id(rng),
        TrackKind.YOUNG_PERSON,
        "",
        young_stage,
        (StageChange(1, start), StageChange(young_stage, moved)),
    )
    parent = Track(
        demo_id(rng),
        TrackKind.PARENT_CARER,
        f"{rng.choice(WORKER_NAMES).split()[0]} {rng.choice(LAST_NAMES)}",
        parent_stage,
        tuple(StageChange(s, start if s == 1 else moved) for s in range(1, parent_stage + 1)),
    )
    meeting_track = Track(
        demo_id(rng), TrackKind.RISK_MEETING, "", 2, (StageChange(1, start), StageChange(2, moved))
    )
    first_review = min(today, start + timedelta(days=21))
    second_review = min(today, start + timedelta(days=42))
    goals = []
    for track, item_id, text, plain in (
        (
            young,
            "s2-yp-emotional-literacy",
            "Name and manage strong feelings",
            "Know when I'm getting cross and what helps",
        ),
        (parent, "s1-adults-safety-plan", "Keep to the safety plan at home", ""),
    ):
        low = rng.randint(2, 4)
        goals.append(
            Goal(
                id=demo_id(rng),
                track_id=track.id,
                stage=min(track.stage, 2),
                text=text,
                plain_words=plain,
                who_can_help="My mentor at school" if plain else "",
                from_stage_item=item_id,
                created=start,
                reviews=(
                    ProgressReview(first_review, low, "Invented: early days."),
                    ProgressReview(second_review, low + rng.randint(1, 4), "Invented: better."),
                ),
            )
        )
    meeting = RiskMeeting(
        id=demo_id(rng),
        date=min(today, start + timedelta(days=28)),
        attendees=("Lead worker", "School", "Police"),
        decisions="Invented: continue stage two work; review the safety plan in six weeks.",
        safety_plan_changes="Invented: supervision at the youth club can be relaxed.",
        responsibility=Responsibility.ADULTS,
        next_review=start + timedelta(days=70),
    )
    keeping_safe = KeepingSafePlan(
        1, min(today, start + timedelta(days=30)), "Invented: who I talk to when worried.", "Carer"
    )
    return InterventionPlan(
        tracks=(young, parent, meeting_track),
        goals=tuple(goals),
        meetings=(meeting,),
        keeping_safe_plans=(keeping_safe,),
    )


def make_demo_records(rng: random.Random, case: Case, today: date) -> CaseRecords:
    """Invented supervision sessions, an intervention plan (cases in intervention) and
    escalation and consultation entries (some cases) for one demo case."""
    if case.status is CaseStatus.REQUESTED:
        return CaseRecords()
    plan = _demo_plan(rng, case, today) if case.status is CaseStatus.IN_INTERVENTION else None
    escalations = ()
    if rng.random() < 0.5:
        barrier, outcome = rng.choice(ESCALATIONS)
        arose = day_between(rng, case.request_date, today)
        escalations = (
            EscalationEntry(
                demo_id(rng),
                arose,
                barrier,
                rng.choice(WORKER_NAMES),
                min(today, arose + timedelta(days=1)),
                outcome,
            ),
        )
    consultations = ()
    if rng.random() < 0.5:
        service, advice = rng.choice(CONSULTATIONS)
        consultations = (
            ConsultationEntry(
                demo_id(rng), day_between(rng, case.request_date, today), service, advice
            ),
        )
    return CaseRecords(
        sessions=_demo_sessions(rng, case, today),
        plan=plan or InterventionPlan(),
        escalations=escalations,
        consultations=consultations,
    )
