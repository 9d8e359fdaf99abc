"""The content of one assessment version: ratings, evidence, unknowns, chronology, screening,
voices, case formulation and immediate safety plan. Pure Python, no Qt, no SQL, no I/O.

Every type is frozen and every operation returns a new AssessmentContent, so the UI can keep
the previous content for undo and the store can diff. Rules a practitioner meets while typing
(a rating without its rationale yet) are not exceptions: readiness() lists them. Exceptions are
for caller bugs (a rating not on the scale, an id that does not exist) and for edits to a
finished version (ReadOnlyVersion, raised by AssessmentVersion). The item types are in
assessment_items.py and are importable from here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol, TypeVar

from aim3desk.domain.assessment_items import (
    ChronologyEvent,
    DomainNotes,
    EvidenceEntry,
    FactorRating,
    FactorRef,
    Formulation,
    FormulationPart,
    FormulationPartId,
    HackettPosition,
    Recommendations,
    SafetyAction,
    SafetyPlan,
    ScreeningRecord,
    SharingNotes,
    SpeakerKind,
    TrafficLight,
    Unknown,
    Voice,
)
from aim3desk.domain.cases import Assessment, new_id
from aim3desk.domain.forms import FACTORS_PER_DOMAIN, EvidenceRules, ModelDef
from aim3desk.domain.share_rule import may_leave_network

# The scale value that means "not enough information yet" (shipped scales and the documented
# licensed example both use it). A factor rated so is an unknown until someone finds out.
UNKNOWN_RATING = "unknown"


class ReadOnlyVersion(Exception):  # noqa: N818 (the name the services and UI use)
    """An edit was attempted on a finished assessment version: start a new version instead."""


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_HasId)


def _upsert(items: tuple[_Item, ...], item: _Item) -> tuple[_Item, ...]:
    """Replace the item with the same id in place, or append it."""
    if any(i.id == item.id for i in items):
        return tuple(item if i.id == item.id else i for i in items)
    return (*items, item)


def _require(items: Iterable[_HasId], item_id: str, what: str) -> None:
    if not any(i.id == item_id for i in items):
        raise KeyError(f"no {what} {item_id!r}")


def _check_factor(model: ModelDef, domain_id: str, slot: int) -> None:
    if domain_id not in model.domain_ids:
        raise KeyError(f"{model.name} has no domain {domain_id!r}")
    if not 1 <= slot <= FACTORS_PER_DOMAIN:
        raise KeyError(f"no factor slot {slot}: slots run 1 to {FACTORS_PER_DOMAIN}")


# --------------------------------------------------------------------------------------------
# The aggregate


@dataclass(frozen=True)
class AssessmentContent:
    ratings: tuple[FactorRating, ...] = ()
    domain_notes: tuple[DomainNotes, ...] = ()
    evidence: tuple[EvidenceEntry, ...] = ()
    unknowns: tuple[Unknown, ...] = ()
    chronology: tuple[ChronologyEvent, ...] = ()
    screenings: tuple[ScreeningRecord, ...] = ()
    voices: tuple[Voice, ...] = ()
    formulation: Formulation = field(default_factory=Formulation)
    safety_plan: SafetyPlan = field(default_factory=SafetyPlan)
    recommendations: Recommendations = field(default_factory=Recommendations)
    sharing_notes: SharingNotes = field(default_factory=SharingNotes)

    # ---- ratings

    def rating(self, domain_id: str, slot: int) -> FactorRating:
        """The factor's rating, or an empty one if nothing is recorded yet."""
        return next(
            (r for r in self.ratings if r.key == (domain_id, slot)),
            FactorRating(domain_id, slot),
        )

    def _put_rating(self, rating: FactorRating) -> AssessmentContent:
        others = tuple(r for r in self.ratings if r.key != rating.key)
        if rating.is_empty:
            return replace(self, ratings=others)
        if len(others) == len(self.ratings):
            return replace(self, ratings=(*self.ratings, rating))
        return replace(
            self, ratings=tuple(rating if r.key == rating.key else r for r in self.ratings)
        )

    def set_rating(
        self, model: ModelDef, domain_id: str, slot: int, rating: str | None
    ) -> AssessmentContent:
        """Rate a factor on the model's scale (None clears it). The rationale may come later:
        readiness() lists a rating without one."""
        _check_factor(model, domain_id, slot)
        if rating is not None:
            model.scale.option(rating)  # KeyError: not on this model's scale
        return self._put_rating(replace(self.rating(domain_id, slot), rating=rating))

    def set_rationale(
        self, model: ModelDef, domain_id: str, slot: int, rationale: str
    ) -> AssessmentContent:
        _check_factor(model, domain_id, slot)
        return self._put_rating(replace(self.rating(domain_id, slot), rationale=rationale))

    def set_strength_note(
        self, model: ModelDef, domain_id: str, slot: int, note: str
    ) -> AssessmentContent:
        _check_factor(model, domain_id, slot)
        return self._put_rating(replace(self.rating(domain_id, slot), strength_note=note))

    def domain_ratings(self, domain_id: str) -> dict[int, str | None]:
        """slot -> rating value for all five slots, as ModelDef.domain_total wants them."""
        return {s: self.rating(domain_id, s).rating for s in range(1, FACTORS_PER_DOMAIN + 1)}

    # ---- domain notes

    def notes(self, domain_id: str) -> DomainNotes:
        return next(
            (n for n in self.domain_notes if n.domain_id == domain_id), DomainNotes(domain_id)
        )

    def set_domain_notes(
        self, domain_id: str, *, concerns: str | None = None, strengths: str | None = None
    ) -> AssessmentContent:
        current = self.notes(domain_id)
        updated = replace(
            current,
            concerns=current.concerns if concerns is None else concerns,
            strengths=current.strengths if strengths is None else strengths,
        )
        others = tuple(n for n in self.domain_notes if n.domain_id != domain_id)
        if not updated.concerns and not updated.strengths:
            return replace(self, domain_notes=others)
        if len(others) == len(self.domain_notes):
            return replace(self, domain_notes=(*self.domain_notes, updated))
        return replace(
            self,
            domain_notes=tuple(
                updated if n.domain_id == domain_id else n for n in self.domain_notes
            ),
        )

    # ---- evidence

    def evidence_entry(self, evidence_id: str) -> EvidenceEntry:
        found = next((e for e in self.evidence if e.id == evidence_id), None)
        if found is None:
            raise KeyError(f"no evidence entry {evidence_id!r}")
        return found

    def evidence_for(self, domain_id: str, slot: int | None = None) -> tuple[EvidenceEntry, ...]:
        return tuple(
            e
            for e in self.evidence
            if e.domain_id == domain_id and (slot is None or e.factor_slot == slot)
        )

    def add_evidence(self, entry: EvidenceEntry) -> AssessmentContent:
        if any(e.id == entry.id for e in self.evidence):
            raise ValueError(f"evidence entry {entry.id!r} already exists")
        if entry.unknown_id is not None:
            _require(self.unknowns, entry.unknown_id, "unknown")
        return replace(self, evidence=(*self.evidence, entry))

    def update_evidence(self, entry: EvidenceEntry) -> AssessmentContent:
        old = self.evidence_entry(entry.id)
        if entry.unknown_id != old.unknown_id:
            raise ValueError("an answer's link to its unknown changes through answer_unknown")
        return replace(self, evidence=_upsert(self.evidence, entry))

    def remove_evidence(self, evidence_id: str) -> AssessmentContent:
        """Remove an entry; citations of it go, and an unknown it answered opens again."""
        self.evidence_entry(evidence_id)
        unknowns = tuple(
            replace(u, answered_by_evidence_id=None, answered_on=None)
            if u.answered_by_evidence_id == evidence_id
            else u
            for u in self.unknowns
        )
        formulation = self.formulation
        for part_id, part in formulation.parts():
            if evidence_id in part.cites_evidence:
                cites = tuple(c for c in part.cites_evidence if c != evidence_id)
                formulation = formulation.with_part(part_id, replace(part, cites_evidence=cites))
        return replace(
            self,
            evidence=tuple(e for e in self.evidence if e.id != evidence_id),
            unknowns=unknowns,
            formulation=formulation,
        )

    # ---- unknowns

    def unknown(self, unknown_id: str) -> Unknown:
        found = next((u for u in self.unknowns if u.id == unknown_id), None)
        if found is None:
            raise KeyError(f"no unknown {unknown_id!r}")
        return found

    def mark_unknown(self, unknown: Unknown) -> AssessmentContent:
        if any(u.id == unknown.id for u in self.unknowns):
            raise ValueError(f"unknown {unknown.id!r} already exists")
        if not unknown.question.strip():
            raise ValueError("say what is not known")
        if unknown.about_slot is not None and unknown.about_domain is None:
            raise ValueError("an unknown about a factor needs its domain")
        if unknown.answered_by_evidence_id is not None:
            raise ValueError("a new unknown is open: answer it with answer_unknown")
        return replace(self, unknowns=(*self.unknowns, unknown))

    def mark_factor_unknown(self, model: ModelDef, unknown: Unknown) -> AssessmentContent:
        """The practitioner marks a factor unknown: the unknown is recorded and the factor is
        rated the scale's unknown value (a rating given before goes; undo brings it back).
        A scale without that value keeps the rating as it is."""
        if unknown.about_domain is None or unknown.about_slot is None:
            raise ValueError("marking a factor unknown needs the factor")
        _check_factor(model, unknown.about_domain, unknown.about_slot)
        marked = self.mark_unknown(unknown)
        if UNKNOWN_RATING not in model.scale.values:
            return marked
        rating = marked.rating(unknown.about_domain, unknown.about_slot)
        return marked._put_rating(replace(rating, rating=UNKNOWN_RATING))

    def update_unknown(self, unknown: Unknown) -> AssessmentContent:
        old = self.unknown(unknown.id)
        if (unknown.answered_by_evidence_id, unknown.answered_on) != (
            old.answered_by_evidence_id,
            old.answered_on,
        ):
            raise ValueError("answer an unknown through answer_unknown")
        return replace(self, unknowns=_upsert(self.unknowns, unknown))

    def remove_unknown(self, unknown_id: str) -> AssessmentContent:
        """Remove an unknown recorded by mistake; an answer keeps its evidence, unlinked.
        Removing a factor's last open unknown takes back the mark: a factor rated unknown goes
        back to not rated (its rationale and strength note stay)."""
        removed = self.unknown(unknown_id)
        content = replace(
            self,
            unknowns=tuple(u for u in self.unknowns if u.id != unknown_id),
            evidence=tuple(
                replace(e, unknown_id=None) if e.unknown_id == unknown_id else e
                for e in self.evidence
            ),
        )
        domain_id, slot = removed.about_domain, removed.about_slot
        if not removed.is_open or domain_id is None or slot is None:
            return content
        rating = content.rating(domain_id, slot)
        still_open = any(
            u.about_domain == domain_id and u.about_slot == slot for u in content.open_unknowns()
        )
        if rating.rating != UNKNOWN_RATING or still_open:
            return content
        return content._put_rating(replace(rating, rating=None))

    def answer_unknown(
        self, unknown_id: str, entry: EvidenceEntry, answered_on: date
    ) -> AssessmentContent:
        """Record the evidence that answers an open unknown and link the two both ways."""
        unknown = self.unknown(unknown_id)
        if not unknown.is_open:
            raise ValueError("this unknown has already been answered")
        if any(e.id == entry.id for e in self.evidence):
            raise ValueError(f"evidence entry {entry.id!r} already exists")
        linked = replace(
            entry,
            unknown_id=unknown_id,
            domain_id=entry.domain_id if entry.domain_id is not None else unknown.about_domain,
            factor_slot=entry.factor_slot if entry.factor_slot is not None else unknown.about_slot,
        )
        answered = replace(unknown, answered_by_evidence_id=entry.id, answered_on=answered_on)
        return replace(
            self, evidence=(*self.evidence, linked), unknowns=_upsert(self.unknowns, answered)
        )

    def open_unknowns(self) -> tuple[Unknown, ...]:
        """Every open unknown, soonest due first (undated last), for the one list view."""
        return tuple(
            sorted(
                (u for u in self.unknowns if u.is_open),
                key=lambda u: (u.by_when is None, u.by_when or date.min),
            )
        )

    # ---- chronology, screening, voices

    def put_event(self, event: ChronologyEvent) -> AssessmentContent:
        return replace(self, chronology=_upsert(self.chronology, event))

    def remove_event(self, event_id: str) -> AssessmentContent:
        _require(self.chronology, event_id, "chronology event")
        return replace(self, chronology=tuple(e for e in self.chronology if e.id != event_id))

    def chronology_sorted(self, newest_first: bool = False) -> tuple[ChronologyEvent, ...]:
        """Events by date; events on the same day keep the order they were recorded in."""
        return tuple(sorted(self.chronology, key=lambda e: e.date, reverse=newest_first))

    def put_screening(self, record: ScreeningRecord) -> AssessmentContent:
        return replace(self, screenings=_upsert(self.screenings, record))

    def remove_screening(self, record_id: str) -> AssessmentContent:
        _require(self.screenings, record_id, "screening record")
        return replace(self, screenings=tuple(s for s in self.screenings if s.id != record_id))

    def put_voice(self, voice: Voice) -> AssessmentContent:
        return replace(self, voices=_upsert(self.voices, voice))

    def remove_voice(self, voice_id: str) -> AssessmentContent:
        _require(self.voices, voice_id, "voice")
        return replace(self, voices=tuple(v for v in self.voices if v.id != voice_id))

    # ---- formulation and safety plan

    def set_formulation_part(
        self, part_id: FormulationPartId, part: FormulationPart
    ) -> AssessmentContent:
        """Replace one part; it may cite only evidence that exists and factors 1-5."""
        for evidence_id in part.cites_evidence:
            self.evidence_entry(evidence_id)
        for domain_id, slot in part.cites_factors:
            if not 1 <= slot <= FACTORS_PER_DOMAIN:
                raise KeyError(f"no factor slot {slot} in {domain_id!r}")
        return replace(self, formulation=self.formulation.with_part(part_id, part))

    def set_safety_plan(self, plan: SafetyPlan) -> AssessmentContent:
        return replace(self, safety_plan=plan)

    def set_recommendations(self, recommendations: Recommendations) -> AssessmentContent:
        return replace(self, recommendations=recommendations)

    def set_sharing_notes(self, notes: SharingNotes) -> AssessmentContent:
        return replace(self, sharing_notes=notes)


# --------------------------------------------------------------------------------------------
# Creating items with fresh ids and checked vocabularies


def new_evidence(
    rules: EvidenceRules,
    *,
    text: str,
    source: str,
    category: str,
    when: date | None = None,
    domain_id: str | None = None,
    factor_slot: int | None = None,
    sharing: str | None = None,
) -> EvidenceEntry:
    """A new entry; its sharing class defaults from forms/evidence.toml (seed 004) unless
    given. Raises KeyError for a source, category or sharing class the rules do not know."""
    if not text.strip():
        raise ValueError("evidence text is empty")
    if factor_slot is not None and domain_id is None:
        raise ValueError("evidence about a factor needs its domain")
    default = rules.default_sharing(source, category)
    if sharing is not None:
        rules.sharing_class(sharing)
    return EvidenceEntry(
        id=new_id(),
        domain_id=domain_id,
        factor_slot=factor_slot,
        text=text,
        date=when,
        source=source,
        category=category,
        sharing=sharing if sharing is not None else default,
    )


def new_unknown(
    question: str,
    *,
    how: str = "",
    who: str = "",
    by_when: date | None = None,
    about_domain: str | None = None,
    about_slot: int | None = None,
) -> Unknown:
    return Unknown(new_id(), about_domain, about_slot, question, how, who, by_when)


def new_event(when: date, what: str, source: str = "") -> ChronologyEvent:
    return ChronologyEvent(new_id(), when, what, source)


def new_screening(
    behaviour: str, hackett: HackettPosition, traffic_light: TrafficLight, note: str = ""
) -> ScreeningRecord:
    return ScreeningRecord(
        new_id(), behaviour, HackettPosition(hackett), TrafficLight(traffic_light), note
    )


def new_voice(
    speaker_kind: SpeakerKind,
    words: str,
    *,
    speaker_name: str = "",
    relationship: str = "",
    when: date | None = None,
) -> Voice:
    return Voice(new_id(), SpeakerKind(speaker_kind), speaker_name, relationship, words, when)


def shareable_evidence(
    content: AssessmentContent, rules: EvidenceRules
) -> tuple[EvidenceEntry, ...]:
    """Entries that may leave the immediate practitioner network (domain/share_rule.py)."""
    return tuple(e for e in content.evidence if may_leave_network(rules, e.sharing))


# --------------------------------------------------------------------------------------------
# A version and its content, with the read-only rule


@dataclass(frozen=True)
class AssessmentVersion:
    """An assessment version with its content; edits to a finished version raise
    ReadOnlyVersion. Services apply every change through edit()."""

    assessment: Assessment
    content: AssessmentContent = field(default_factory=AssessmentContent)

    @property
    def read_only(self) -> bool:
        return self.assessment.finished

    def edit(self, change: Callable[[AssessmentContent], AssessmentContent]) -> AssessmentVersion:
        ensure_editable(self.assessment)
        return replace(self, content=change(self.content))

    def finish(self) -> AssessmentVersion:
        ensure_editable(self.assessment)
        return replace(self, assessment=replace(self.assessment, finished=True))


def ensure_editable(assessment: Assessment) -> None:
    if assessment.finished:
        raise ReadOnlyVersion(
            f"version {assessment.version} is finished and read-only: start a new version "
            "to record changes"
        )


# The items live in assessment_items.py; callers may import them from here with the aggregate.
__all__ = [
    "UNKNOWN_RATING",
    "AssessmentContent",
    "AssessmentVersion",
    "ChronologyEvent",
    "DomainNotes",
    "EvidenceEntry",
    "FactorRating",
    "FactorRef",
    "Formulation",
    "FormulationPart",
    "FormulationPartId",
    "HackettPosition",
    "ReadOnlyVersion",
    "Recommendations",
    "SafetyAction",
    "SafetyPlan",
    "ScreeningRecord",
    "SharingNotes",
    "SpeakerKind",
    "TrafficLight",
    "Unknown",
    "Voice",
    "ensure_editable",
    "new_event",
    "new_evidence",
    "new_screening",
    "new_unknown",
    "new_voice",
    "shareable_evidence",
]
