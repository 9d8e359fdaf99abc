"""Invented demo cases for trying the app, screenshots and benchmarks (the builders only
benchmarks use are in benchmarks/large_assessment.py).

Every name is made up from short lists of obviously invented names; references are DEMO-nnnn.
The same seed and day give the same cases.

`catalogue` invents the people and the cases, `content` an assessment's content and `records`
the supervision, intervention and case-log records; this module adds them to a profile.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from aim3desk.domain.cases import NOT_COMPLETED_REASONS, Case, CaseStatus
from aim3desk.services.demo.catalogue import (
    DEMO_PREFIX,
    FIRST_NAMES,
    LAST_NAMES,
    STATUSES,
    WORKER_NAMES,
    day_between,
    make_demo_case,
)
from aim3desk.services.demo.content import (
    CHRONOLOGY_ITEMS,
    CONCERN_RATINGS,
    DOMAIN_IDS,
    EVIDENCE_ITEMS,
    EVIDENCE_SENTENCES,
    FORMULATION_TEXTS,
    RATIONALES,
    STRENGTH_NOTES,
    UNKNOWN_QUESTIONS,
    make_demo_content,
)
from aim3desk.services.demo.records import (
    CONSULTATIONS,
    ESCALATIONS,
    SUPERVISORS,
    make_demo_records,
)

if TYPE_CHECKING:
    from aim3desk.services.profile import Session

__all__ = [
    "CHRONOLOGY_ITEMS",
    "CONCERN_RATINGS",
    "CONSULTATIONS",
    "DEMO_PREFIX",
    "DOMAIN_IDS",
    "ESCALATIONS",
    "EVIDENCE_ITEMS",
    "EVIDENCE_SENTENCES",
    "FIRST_NAMES",
    "FORMULATION_TEXTS",
    "LAST_NAMES",
    "NOT_COMPLETED_REASONS",
    "RATIONALES",
    "STATUSES",
    "STRENGTH_NOTES",
    "SUPERVISORS",
    "UNKNOWN_QUESTIONS",
    "WORKER_NAMES",
    "add_demo_cases",
    "make_demo_case",
    "make_demo_content",
    "make_demo_records",
]

_DEMO_REFERENCE = re.compile(r"^DEMO-(\d+)$", re.IGNORECASE)


def _next_demo_number(session: Session) -> int:
    numbers = [
        int(match.group(1))
        for summary in session.cases.list_cases(search=DEMO_PREFIX)
        if (match := _DEMO_REFERENCE.match(summary.reference))
    ]
    return max(numbers, default=0) + 1


def add_demo_cases(
    session: Session, count: int = 8, seed: int = 0, today: date | None = None
) -> list[Case]:
    """Add `count` invented cases, numbered after any demo cases already in the profile;
    every case past "requested" has invented assessment content."""
    from aim3desk.services.forms_loader import load_evidence_rules

    if count < 0:
        raise ValueError("count must not be negative")
    today = today or date.today()
    rng = random.Random(seed)  # noqa: S311 - invented demo data, repeatable on purpose
    rules = load_evidence_rules()  # the shipped rules: the demo uses their source ids
    deadline_weeks = session.settings.values.assessment_deadline_weeks
    first = _next_demo_number(session)
    added: list[Case] = []
    for number in range(first, first + count):
        case = make_demo_case(rng, number, today, deadline_weeks)
        contents = {}
        if case.status is not CaseStatus.REQUESTED:
            assessment = case.assessments[0]
            contents[assessment.id] = make_demo_content(rng, rules, case.request_date, today)
        # A generator of its own for what later issues added, so the cases and contents
        # above stay what they were for a given seed.
        extra = random.Random(f"{seed}-{number}")  # noqa: S311 - invented demo data
        if case.status is CaseStatus.NOT_COMPLETED:
            case = replace(
                case,
                not_completed_reason=extra.choice(NOT_COMPLETED_REASONS),
                not_completed_on=day_between(extra, case.request_date, today),
            )
        records = make_demo_records(extra, case, today)
        added.append(session.cases.add_case(case, today=today, contents=contents, records=records))
    return added
