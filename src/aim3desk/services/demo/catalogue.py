"""The invented people and cases of the demo: obviously made-up names, DEMO-nnnn references,
a caseload weighted towards open work, and the repeatable ids and days the other demo
builders draw from the same generator."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from aim3desk.domain.assessment_items import SharingNotes
from aim3desk.domain.cases import (
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    lead_departs_from_rule,
    new_id,
    start_assessment,
)

DEMO_PREFIX = "DEMO-"

FIRST_NAMES = (
    "Zorblina",
    "Quentavius",
    "Mirellow",
    "Tobbert",
    "Fizzaleen",
    "Ostrander",
    "Plumeria",
    "Jaxtonby",
    "Wrenlowe",
    "Dabrielle",
    "Kestrin",
    "Ollibert",
    "Sprocketta",
    "Vanterley",
    "Glimmera",
    "Rufflin",
)
LAST_NAMES = (
    "Madeupson",
    "Fictionby",
    "Testwood",
    "Inventsworth",
    "Sampleton",
    "Notarealle",
    "Pretendhurst",
    "Placeholdt",
    "Imaginario",
    "Demoford",
    "Mockridge",
    "Fakenham-Lye",
)
WORKER_NAMES = (
    "Alberta Examplewright",
    "Corwin Specimenly",
    "Delphine Trialbury",
    "Egbert Mockwell",
    "Harriet Dummerston",
    "Ignatius Proxley",
)
SOCIAL_WORKER_NAMES = ("Marigold Placeholdt-Ames", "Rupert Notarealle", "Isolde Samplewick")
REQUEST_REASONS = (
    "Invented demo reason: a younger cousin described being touched during a sleepover; "
    "children's social care asked for an assessment to plan safety at home.",
    "Invented demo reason: school reported sexualised messages sent to a classmate; the "
    "strategy discussion asked for an assessment of what happened and what help is needed.",
    "Invented demo reason: the youth court asked for an assessment before sentencing for a "
    "sexually harmful offence.",
)
# Several statuses, weighted towards open work as a real caseload is.
STATUSES = (
    CaseStatus.REQUESTED,
    CaseStatus.IN_ASSESSMENT,
    CaseStatus.IN_ASSESSMENT,
    CaseStatus.AWAITING_SIGN_OFF,
    CaseStatus.IN_ASSESSMENT,
    CaseStatus.COMPLETED,
    CaseStatus.IN_INTERVENTION,
    CaseStatus.NOT_COMPLETED,
    CaseStatus.CLOSED,
)
_FINISHED = {CaseStatus.COMPLETED, CaseStatus.IN_INTERVENTION, CaseStatus.CLOSED}


def demo_id(rng: random.Random) -> str:
    """An item id that the seed repeats (item ids are unique per assessment only)."""
    return f"{rng.getrandbits(128):032x}"


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def _birth_date(rng: random.Random, request_date: date, age: int) -> date:
    """A birthday that makes the child exactly `age` on the request date."""
    latest = date(request_date.year - age, request_date.month, min(request_date.day, 28))
    return latest - timedelta(days=rng.randrange(0, 360))


def make_demo_case(rng: random.Random, number: int, today: date, deadline_weeks: int = 6) -> Case:
    """One invented case with its first assessment (model proposed from age)."""
    # Requests from today back to 10 weeks ago: with a 6-week deadline some are overdue,
    # some due within days, some weeks away.
    request_date = today - timedelta(days=rng.randrange(0, 71))
    age = rng.randint(8, 17)
    status = STATUSES[rng.randrange(len(STATUSES))]
    case = Case(
        id=new_id(),
        reference=f"{DEMO_PREFIX}{number:04d}",
        young_person_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        date_of_birth=_birth_date(rng, request_date, age),
        lead_agency=rng.choice(list(LeadAgency)),
        lead_worker=rng.choice(WORKER_NAMES),
        requested_by=rng.choice(list(Requester)),
        request_date=request_date,
        co_workers=tuple(rng.sample(WORKER_NAMES, k=rng.randint(0, 2))),
        joint_with_social_worker=rng.random() < 0.4,
        status=status,
        closed_on=today if status is CaseStatus.CLOSED else None,
    )
    case = replace(case, **_front_sheet_fields(number, case))
    departed = lead_departs_from_rule(case)
    if departed is not None:  # demo cases follow the lead-agency rule (seeds 001 and 003)
        case = replace(
            case,
            lead_agency=departed.lead_agency,
            joint_with_social_worker=case.joint_with_social_worker
            or departed.joint_with_social_worker,
        )
    assessment = start_assessment(case, None, deadline_weeks)
    if status in _FINISHED:
        finished_on = min(today, assessment.due_date)
        assessment = replace(
            assessment,
            finished=True,
            finished_at=datetime.combine(finished_on, time(16, 30), tzinfo=UTC),
        )
    return replace(case, assessments=(assessment,))


def _front_sheet_fields(number: int, case: Case) -> dict[str, str]:
    """The social worker and why the assessment was requested, from a generator of their own
    so the rest of the demo (drawn from `rng`) stays as it was."""
    own = random.Random(f"{DEMO_PREFIX}{number}")  # noqa: S311 - invented demo text, not security
    social_worker = own.choice(SOCIAL_WORKER_NAMES)
    if not case.joint_with_social_worker and own.random() < 0.5:
        social_worker = ""  # "None recorded" on some front sheets
    reason = REQUEST_REASONS[
        2 if case.requested_by is Requester.CRIMINAL_COURT else own.randrange(2)
    ]
    return {"social_worker": social_worker, "request_reason": reason}


# Invented notes for partner agencies (seed 004: what the information means, its limits and
# how it should inform decisions), the same in every demo assessment so the demo share
# reports and their preview show them. The voluntary sector is left without recommendations,
# so the demo also shows what a share report says when none are written.
DEMO_SHARING_NOTES = SharingNotes(
    partner_summary=(
        "Invented demo summary: the concerns centre on one incident at home when adults were "
        "not nearby, after a period of change in the family. The young person has a settled "
        "school place, a trusted mentor and carers who keep to the safety plan.\n"
        "The assessment is not a risk label: the degree of concern is about supervision and "
        "support now, and it will be reviewed as the work goes on."
    ),
    by_audience=(
        (
            "education",
            "Invented: keep the morning check-in with the mentor; no unsupervised time with "
            "younger pupils at break; tell the lead worker of any change in behaviour.",
        ),
        (
            "health",
            "Invented: consider a CAMHS appointment for low mood; share any health "
            "information that bears on the safety plan with the lead worker.",
        ),
        (
            "police",
            "Invented: no action beyond the agreed safeguarding plan; contact the lead worker "
            "before any visit to the family home.",
        ),
        (
            "social-care",
            "Invented: continue the child in need plan; review the family's support at the "
            "next core group with the lead worker.",
        ),
    ),
)
