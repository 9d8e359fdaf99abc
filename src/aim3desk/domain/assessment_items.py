"""The items an assessment version holds: factor ratings, domain notes, evidence, unknowns,
chronology events, screening records, voices, the case formulation and the immediate safety
plan, with the vocabularies they use. Frozen values, pure Python.

The aggregate that holds and edits them is AssessmentContent (domain/assessment.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date


class HackettPosition(enum.StrEnum):
    """Hackett continuum (domain/forms HACKETT_IDS; wording in forms/screening.toml)."""

    NORMAL = "normal"
    INAPPROPRIATE = "inappropriate"
    PROBLEMATIC = "problematic"
    ABUSIVE = "abusive"
    VIOLENT = "violent"


class TrafficLight(enum.StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class SpeakerKind(enum.StrEnum):
    YOUNG_PERSON = "young_person"
    PARENT_CARER = "parent_carer"

    @property
    def label(self) -> str:
        return "The young person" if self is SpeakerKind.YOUNG_PERSON else "Parent or carer"


class FormulationPartId(enum.StrEnum):
    """The parts of the case formulation, in report order."""

    WHAT_HAPPENED = "what_happened"
    PATHWAYS_AND_NEEDS = "pathways_and_needs"
    TRIGGERS_AND_MAINTAINING = "triggers_and_maintaining"
    PROTECTIVE_FACTORS = "protective_factors"
    INTERVENTION_AND_SUPERVISION = "intervention_and_supervision"

    @property
    def label(self) -> str:
        return _PART_LABELS[self]


_PART_LABELS = {
    FormulationPartId.WHAT_HAPPENED: "What happened",
    FormulationPartId.PATHWAYS_AND_NEEDS: "Pathways into the behaviour and the needs it met",
    FormulationPartId.TRIGGERS_AND_MAINTAINING: "Triggers and maintaining factors",
    FormulationPartId.PROTECTIVE_FACTORS: "Protective factors",
    FormulationPartId.INTERVENTION_AND_SUPERVISION: (
        "What this means for intervention and the level of supervision"
    ),
}

FactorRef = tuple[str, int]  # (domain id, slot)


# --------------------------------------------------------------------------------------------
# Items


@dataclass(frozen=True)
class FactorRating:
    domain_id: str
    slot: int
    rating: str | None = None
    rationale: str = ""
    strength_note: str = ""

    @property
    def key(self) -> FactorRef:
        return (self.domain_id, self.slot)

    @property
    def is_empty(self) -> bool:
        return self.rating is None and not self.rationale.strip() and not self.strength_note.strip()


@dataclass(frozen=True)
class DomainNotes:
    """Concerns and strengths in the practitioner's words: strengths belong in every domain."""

    domain_id: str
    concerns: str = ""
    strengths: str = ""


@dataclass(frozen=True)
class EvidenceEntry:
    id: str
    domain_id: str | None
    factor_slot: int | None
    text: str
    date: date | None
    source: str
    category: str
    sharing: str
    unknown_id: str | None = None  # set when this entry answered an unknown


@dataclass(frozen=True)
class Unknown:
    """Something not known yet, and how, by whom and by when it will be found out."""

    id: str
    about_domain: str | None
    about_slot: int | None
    question: str
    how: str = ""
    who: str = ""
    by_when: date | None = None
    answered_by_evidence_id: str | None = None
    answered_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.answered_by_evidence_id is None


@dataclass(frozen=True)
class ChronologyEvent:
    id: str
    date: date
    what: str
    source: str = ""


@dataclass(frozen=True)
class ScreeningRecord:
    """One described sexual behaviour screened on the Hackett continuum and traffic light.
    Screening only: never read by profile() and never a label for the young person."""

    id: str
    behaviour: str
    hackett: HackettPosition
    traffic_light: TrafficLight
    note: str = ""


@dataclass(frozen=True)
class Voice:
    """The young person's or a parent's or carer's views, in their own words."""

    id: str
    speaker_kind: SpeakerKind
    speaker_name: str
    relationship: str
    words: str
    date: date | None = None


@dataclass(frozen=True)
class FormulationPart:
    text: str = ""
    cites_factors: tuple[FactorRef, ...] = ()
    cites_evidence: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Formulation:
    what_happened: FormulationPart = field(default_factory=FormulationPart)
    pathways_and_needs: FormulationPart = field(default_factory=FormulationPart)
    triggers_and_maintaining: FormulationPart = field(default_factory=FormulationPart)
    protective_factors: FormulationPart = field(default_factory=FormulationPart)
    intervention_and_supervision: FormulationPart = field(default_factory=FormulationPart)

    def part(self, part_id: FormulationPartId) -> FormulationPart:
        return getattr(self, FormulationPartId(part_id).value)

    def with_part(self, part_id: FormulationPartId, part: FormulationPart) -> Formulation:
        return replace(self, **{FormulationPartId(part_id).value: part})

    def parts(self) -> tuple[tuple[FormulationPartId, FormulationPart], ...]:
        return tuple((p, self.part(p)) for p in FormulationPartId)


@dataclass(frozen=True)
class SafetyAction:
    who: str
    what: str
    where: str = ""


@dataclass(frozen=True)
class SafetyPlan:
    """The adults' immediate safety plan (stage one priority, seed 002)."""

    risks: str = ""
    actions: tuple[SafetyAction, ...] = ()
    supervision_level: str = ""
    review_date: date | None = None


@dataclass(frozen=True)
class Recommendations:
    """What the assessor recommends, in a field of its own (not inferred from the
    formulation): the intervention, the level of supervision, and who does what."""

    intervention: str = ""
    supervision_level: str = ""
    who_does_what: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.intervention.strip()
            or self.supervision_level.strip()
            or self.who_does_what.strip()
        )


@dataclass(frozen=True)
class SharingNotes:
    """The practitioner's analysis for partner agencies (seed 004: shared information comes
    with what it means, its limits and how it should inform decisions): one summary for every
    partner agency, and recommendations written for each audience (its id in sharing.toml)."""

    partner_summary: str = ""
    by_audience: tuple[tuple[str, str], ...] = ()  # (audience id, recommendations), sorted

    def for_audience(self, audience_id: str) -> str:
        return next((text for aid, text in self.by_audience if aid == audience_id), "")

    def with_audience(self, audience_id: str, text: str) -> SharingNotes:
        others = tuple((aid, t) for aid, t in self.by_audience if aid != audience_id)
        kept = (*others, (audience_id, text)) if text.strip() else others
        return replace(self, by_audience=tuple(sorted(kept)))

    @property
    def is_empty(self) -> bool:
        return not self.partner_summary.strip() and not any(t.strip() for _, t in self.by_audience)
