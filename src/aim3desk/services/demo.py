"""Invented demo cases for trying the app, screenshots and benchmarks (the builders only
benchmarks use are in benchmarks/large_assessment.py).

Every name is made up from short lists of obviously invented names; references are DEMO-nnnn.
The same seed and day give the same cases.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from aim3desk.domain.assessment import (
    UNKNOWN_RATING,
    AssessmentContent,
    ChronologyEvent,
    DomainNotes,
    EvidenceEntry,
    FactorRating,
    Formulation,
    FormulationPart,
    FormulationPartId,
    HackettPosition,
    SafetyAction,
    SafetyPlan,
    ScreeningRecord,
    SpeakerKind,
    TrafficLight,
    Unknown,
    Voice,
)
from aim3desk.domain.case_logs import ConsultationEntry, EscalationEntry
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import (
    NOT_COMPLETED_REASONS,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
    start_assessment,
)
from aim3desk.domain.codec import check_links
from aim3desk.domain.forms import FACTORS_PER_DOMAIN, EvidenceRules
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


# Values of the shipped rating scale (forms/models/*.toml); both models share them.
CONCERN_RATINGS = ("no_concern", "some_concern", "significant_concern")
RATIONALES = (
    "Invented demo rationale: seen across several sessions and confirmed by the carers.",
    "School and home describe the same pattern, so the rating rests on two sources.",
    "Only the referral describes this; the rating is provisional until school replies.",
    "The young person talked about this openly and the account matched the records.",
    "Concern is lower than at referral because routines at home are now consistent.",
)
STRENGTH_NOTES = (
    "A trusted adult at school checks in every morning.",
    "Keen footballer; the coach describes good teamwork.",
    "Asks for help when worried, which is new this term.",
)
# (source, category, text) of invented evidence: sources and categories of forms/evidence.toml
EVIDENCE_ITEMS = (
    ("education", "protective_factor", "School notes improved attendance and a trusted mentor."),
    ("family", "background", "Carers describe a house move last year and a new baby sibling."),
    ("young_person", "risk_factor", "Said they did not think it was a big deal at the time."),
    ("police", "multi_agency", "Police confirm no further reports since the first referral."),
    ("health", "background", "The school nurse notes disturbed sleep over the winter."),
    (
        "childrens_social_care",
        "intervention_outcome",
        "A safety plan has run for 6 weeks.",
    ),
    ("practitioner_observation", "risk_factor", "Became restless and changed the subject twice."),
    ("practitioner_observation", "protective_factor", "Named two adults to turn to if worried."),
    ("voluntary_community", "protective_factor", "Attends a youth club weekly with a key worker."),
    ("practitioner_observation", "background", "Session held at home; carers present throughout."),
)
UNKNOWN_QUESTIONS = (
    ("Were there earlier incidents at the previous school?", "Ask the previous school", "Lead"),
    ("Has the young person seen sexual material online?", "Ask in the next session", "Lead"),
    ("What did health record after the first disclosure?", "Request the health notes", "Lead"),
)
CHRONOLOGY_ITEMS = (
    ("Family moved to the current address (invented).", "Family"),
    ("Started at the current secondary school.", "Education"),
    ("First concern raised by school (invented).", "Education"),
    ("Referral to the assessment service.", "Children's social care"),
    ("Strategy discussion held; safety plan agreed.", "Children's social care"),
)
FORMULATION_TEXTS = {
    FormulationPartId.WHAT_HAPPENED: (
        "Invented demo formulation: the behaviour happened when adults were not nearby, "
        "after a period of change at home."
    ),
    FormulationPartId.PROTECTIVE_FACTORS: (
        "Settled school place, a trusted mentor and carers who keep to the safety plan."
    ),
    FormulationPartId.INTERVENTION_AND_SUPERVISION: (
        "Weekly sessions on relationships and feelings; supervision at home as agreed."
    ),
}


def _demo_id(rng: random.Random) -> str:
    """An item id that the seed repeats (item ids are unique per assessment only)."""
    return f"{rng.getrandbits(128):032x}"


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def make_demo_content(
    rng: random.Random, rules: EvidenceRules, request_date: date, today: date
) -> AssessmentContent:
    """Invented content of one assessment: some ratings with rationales (one unknown),
    evidence of several sources, categories and sharing classes, unknowns (one answered),
    chronology events, a screening record, voices, formulation parts and a safety plan."""
    seen_from = request_date - timedelta(days=60)
    evidence: list[EvidenceEntry] = []
    for source, category, text in rng.sample(EVIDENCE_ITEMS, k=rng.randint(4, 7)):
        domain_id = rng.choice(DOMAIN_IDS)
        evidence.append(
            EvidenceEntry(
                id=_demo_id(rng),
                domain_id=domain_id,
                factor_slot=rng.choice((None, rng.randint(1, FACTORS_PER_DOMAIN))),
                text=f"{text}\n{rng.choice(EVIDENCE_SENTENCES[1:])}",
                date=_day_between(rng, seen_from, today),
                source=source,
                category=category,
                sharing=rules.default_sharing(source, category),
            )
        )
    ratings: list[FactorRating] = []
    for domain_id in rng.sample(DOMAIN_IDS, k=rng.randint(2, 4)):
        for slot in sorted(rng.sample(range(1, FACTORS_PER_DOMAIN + 1), k=rng.randint(2, 5))):
            ratings.append(
                FactorRating(
                    domain_id,
                    slot,
                    rng.choice(CONCERN_RATINGS),
                    rng.choice(RATIONALES),
                    rng.choice(("", *STRENGTH_NOTES)),
                )
            )
    unknown_factor = ratings[0]
    ratings[0] = replace(unknown_factor, rating=UNKNOWN_RATING, rationale="Not enough known yet.")
    unknowns = [
        Unknown(
            id=_demo_id(rng),
            about_domain=unknown_factor.domain_id if n == 0 else None,
            about_slot=unknown_factor.slot if n == 0 else None,
            question=question,
            how=how,
            who=who,
            by_when=request_date + timedelta(weeks=rng.randint(2, 5)),
        )
        for n, (question, how, who) in enumerate(rng.sample(UNKNOWN_QUESTIONS, k=2))
    ]
    # The second unknown has been answered by a new evidence entry.
    answer = EvidenceEntry(
        id=_demo_id(rng),
        domain_id="sexual_behaviour",
        factor_slot=None,
        text="The previous school reports no earlier incidents (invented).",
        date=min(today, request_date + timedelta(days=10)),
        source="education",
        category="multi_agency",
        sharing=rules.default_sharing("education", "multi_agency"),
        unknown_id=unknowns[1].id,
    )
    evidence.append(answer)
    unknowns[1] = replace(unknowns[1], answered_by_evidence_id=answer.id, answered_on=answer.date)
    chronology = tuple(
        ChronologyEvent(
            _demo_id(rng), _day_between(rng, seen_from - timedelta(days=700), today), w, s
        )
        for w, s in rng.sample(CHRONOLOGY_ITEMS, k=rng.randint(3, len(CHRONOLOGY_ITEMS)))
    )
    formulation = Formulation()
    for part_id in rng.sample(sorted(FORMULATION_TEXTS), k=rng.randint(1, 2)):
        formulation = formulation.with_part(
            part_id,
            FormulationPart(
                FORMULATION_TEXTS[part_id],
                cites_factors=(ratings[-1].key,),
                cites_evidence=(evidence[0].id,),
            ),
        )
    content = AssessmentContent(
        ratings=tuple(ratings),
        domain_notes=(
            DomainNotes(
                rng.choice(DOMAIN_IDS),
                concerns="Invented demo concern: finds it hard to accept a no.",
                strengths=rng.choice(STRENGTH_NOTES),
            ),
        ),
        evidence=tuple(evidence),
        unknowns=tuple(unknowns),
        chronology=chronology,
        screenings=(
            ScreeningRecord(
                _demo_id(rng),
                "Invented demo description of the behaviour that caused concern.",
                rng.choice((HackettPosition.INAPPROPRIATE, HackettPosition.PROBLEMATIC)),
                rng.choice((TrafficLight.AMBER, TrafficLight.RED)),
            ),
        ),
        voices=(
            Voice(
                _demo_id(rng),
                SpeakerKind.YOUNG_PERSON,
                "",
                "",
                "I want things to go back to normal at school.",
                _day_between(rng, request_date, today),
            ),
            Voice(
                _demo_id(rng),
                SpeakerKind.PARENT_CARER,
                rng.choice(WORKER_NAMES).split()[0] + " " + rng.choice(LAST_NAMES),
                "Carer",
                "We just want to understand what happened and how to help.",
                None,
            ),
        ),
        formulation=formulation,
        safety_plan=SafetyPlan(
            risks="Unsupervised time with younger children (invented).",
            actions=(
                SafetyAction("Carers", "No unsupervised time with younger cousins", "Home"),
                SafetyAction("School", "Check-in with the mentor each morning", "School"),
            ),
            supervision_level="Line-of-sight supervision with younger children.",
            review_date=request_date + timedelta(weeks=6),
        ),
    )
    check_links(content)
    return content


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
    if status in _FINISHED:
        finished_on = min(today, assessment.due_date)
        assessment = replace(
            assessment,
            finished=True,
            finished_at=datetime.combine(finished_on, time(16, 30), tzinfo=UTC),
        )
    return replace(case, assessments=(assessment,))


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
    for kind, day in zip(kinds, dates, strict=True):
        session_id, supervisor = _demo_id(rng), rng.choice(SUPERVISORS)
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
                        _demo_id(rng), "Chase the school records", "Lead", day + timedelta(days=7)
                    ),
                ),
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
        _demo_id(rng),
        TrackKind.YOUNG_PERSON,
        "",
        young_stage,
        (StageChange(1, start), StageChange(young_stage, moved)),
    )
    parent = Track(
        _demo_id(rng),
        TrackKind.PARENT_CARER,
        f"{rng.choice(WORKER_NAMES).split()[0]} {rng.choice(LAST_NAMES)}",
        parent_stage,
        tuple(StageChange(s, start if s == 1 else moved) for s in range(1, parent_stage + 1)),
    )
    meeting_track = Track(
        _demo_id(rng), TrackKind.RISK_MEETING, "", 2, (StageChange(1, start), StageChange(2, moved))
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
                id=_demo_id(rng),
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
        id=_demo_id(rng),
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
        arose = _day_between(rng, case.request_date, today)
        escalations = (
            EscalationEntry(
                _demo_id(rng),
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
                _demo_id(rng), _day_between(rng, case.request_date, today), service, advice
            ),
        )
    return CaseRecords(
        sessions=_demo_sessions(rng, case, today),
        plan=plan or InterventionPlan(),
        escalations=escalations,
        consultations=consultations,
    )


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
                not_completed_on=_day_between(extra, case.request_date, today),
            )
        records = make_demo_records(extra, case, today)
        added.append(session.cases.add_case(case, today=today, contents=contents, records=records))
    return added
