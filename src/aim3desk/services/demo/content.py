"""The invented content of one demo assessment: ratings with rationales, evidence of several
sources and sharing classes, unknowns, chronology, screening, voices, formulation and a
safety plan. Benchmarks draw their larger assessments from the same sentences."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

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
    Recommendations,
    SafetyAction,
    SafetyPlan,
    ScreeningRecord,
    SpeakerKind,
    TrafficLight,
    Unknown,
    Voice,
)
from aim3desk.domain.codec import check_links
from aim3desk.domain.forms import FACTORS_PER_DOMAIN, EvidenceRules
from aim3desk.services.demo.catalogue import (
    DEMO_SHARING_NOTES,
    LAST_NAMES,
    WORKER_NAMES,
    day_between,
    demo_id,
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

# Written where the demo formulation reaches its conclusion for planning, so other demo
# reports show recommendations "Not yet written".
DEMO_RECOMMENDATIONS = Recommendations(
    intervention=(
        "Invented demo recommendation: twelve weekly sessions on relationships, feelings and "
        "keeping safe with the lead worker, then a review.\n"
        "- Carers join every third session.\n"
        "- School mentor continues the morning check-in."
    ),
    supervision_level="Line-of-sight supervision with younger children until the review.",
    who_does_what=(
        "Lead worker: the sessions and the review.\n"
        "Carers: supervision at home as in the safety plan.\n"
        "School: the morning check-in and telling the lead worker of any concern."
    ),
)


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
                id=demo_id(rng),
                domain_id=domain_id,
                factor_slot=rng.choice((None, rng.randint(1, FACTORS_PER_DOMAIN))),
                text=f"{text}\n{rng.choice(EVIDENCE_SENTENCES[1:])}",
                date=day_between(rng, seen_from, today),
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
            id=demo_id(rng),
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
        id=demo_id(rng),
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
            demo_id(rng), day_between(rng, seen_from - timedelta(days=700), today), w, s
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
                demo_id(rng),
                "Invented demo description of the behaviour that caused concern.",
                rng.choice((HackettPosition.INAPPROPRIATE, HackettPosition.PROBLEMATIC)),
                rng.choice((TrafficLight.AMBER, TrafficLight.RED)),
            ),
        ),
        voices=(
            Voice(
                demo_id(rng),
                SpeakerKind.YOUNG_PERSON,
                "",
                "",
                "I want things to go back to normal at school.",
                day_between(rng, request_date, today),
            ),
            Voice(
                demo_id(rng),
                SpeakerKind.PARENT_CARER,
                rng.choice(WORKER_NAMES).split()[0] + " " + rng.choice(LAST_NAMES),
                "Carer",
                "We just want to understand what happened and how to help.",
                None,
            ),
        ),
        formulation=formulation,
        recommendations=(
            DEMO_RECOMMENDATIONS
            if not formulation.part(FormulationPartId.INTERVENTION_AND_SUPERVISION).is_empty
            else Recommendations()
        ),
        safety_plan=SafetyPlan(
            risks="Unsupervised time with younger children (invented).",
            actions=(
                SafetyAction("Carers", "No unsupervised time with younger cousins", "Home"),
                SafetyAction("School", "Check-in with the mentor each morning", "School"),
            ),
            supervision_level="Line-of-sight supervision with younger children.",
            review_date=request_date + timedelta(weeks=6),
        ),
        sharing_notes=DEMO_SHARING_NOTES,
    )
    check_links(content)
    return content
