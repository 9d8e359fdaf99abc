"""Invented demo cases for trying the app, screenshots and benchmarks.

Every name is made up from short lists of obviously invented names; references are DEMO-nnnn.
The same seed and day give the same cases.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from aim3desk.domain.cases import (
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
    start_assessment,
)

if TYPE_CHECKING:
    from aim3desk.services.profile import Session

DEMO_PREFIX = "DEMO-"
_DEMO_REFERENCE = re.compile(r"^DEMO-(\d+)$", re.IGNORECASE)

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
EVIDENCE_SENTENCES = (
    "Invented demo text: this is not about any real child or family.",
    "The young person attended two sessions and talked openly about school and friendships.",
    "Carers report settled behaviour at home over the last month, with clear routines.",
    "School notes improved attendance since the start of term and a trusted mentor.",
    "The young person named two adults they would turn to if they felt worried.",
    "Information from the referral is still to be checked with the lead agency.",
    "A safety plan is in place and the carers describe how they keep to it.",
    "The young person found it hard to talk about feelings and preferred drawing.",
    "Further information is awaited from health before this area can be completed.",
    "Strengths noted: enjoys football, helpful to younger cousins, keen to learn.",
)
DOMAIN_IDS = (
    "sexual_behaviour",
    "non_sexual_behaviour",
    "developmental",
    "family_environment",
    "self_regulation",
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


def _next_demo_number(session: Session) -> int:
    numbers = [
        int(match.group(1))
        for summary in session.cases.list_cases(search=DEMO_PREFIX)
        if (match := _DEMO_REFERENCE.match(summary.reference))
    ]
    return max(numbers, default=0) + 1


def _birth_date(rng: random.Random, request_date: date, age: int) -> date:
    """A birthday that makes the child exactly `age` on the request date."""
    latest = date(request_date.year - age, request_date.month, min(request_date.day, 28))
    return latest - timedelta(days=rng.randrange(0, 360))


def _evidence_text(rng: random.Random) -> str:
    lines = rng.sample(EVIDENCE_SENTENCES[1:], k=rng.randint(1, 4))
    return "\n".join([EVIDENCE_SENTENCES[0], *lines])


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
    )
    assessment = start_assessment(case, None, deadline_weeks)
    if status is not CaseStatus.REQUESTED:
        for domain_id in rng.sample(DOMAIN_IDS, k=rng.randint(1, len(DOMAIN_IDS))):
            assessment = assessment.with_evidence(domain_id, _evidence_text(rng))
    assessment = replace(assessment, finished=status in _FINISHED)
    return replace(case, assessments=(assessment,))


def add_demo_cases(
    session: Session, count: int = 8, seed: int = 0, today: date | None = None
) -> list[Case]:
    """Add `count` invented cases, numbered after any demo cases already in the profile."""
    if count < 0:
        raise ValueError("count must not be negative")
    today = today or date.today()
    rng = random.Random(seed)  # noqa: S311 - invented demo data, repeatable on purpose
    deadline_weeks = session.settings.values.assessment_deadline_weeks
    first = _next_demo_number(session)
    added: list[Case] = []
    for number in range(first, first + count):
        case = make_demo_case(rng, number, today, deadline_weeks)
        added.append(session.cases.add_case(case, today=today))
    return added
