"""The profile, completeness and the "ready for supervision" check of an assessment's content.

AIM3 builds a profile, never a risk level: nothing here produces a low/medium/high label, and
screening records (Hackett continuum, traffic light) are never read. Pure Python.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from aim3desk.domain.assessment import UNKNOWN_RATING, AssessmentContent
from aim3desk.domain.forms import FACTORS_PER_DOMAIN, Band, FormSet, ModelDef

# ---------------------------------------------------------------------------------------------
# Profile


@dataclass(frozen=True)
class ProfileRating:
    slot: int
    factor_label: str
    licensed: bool
    rating: str | None  # the scale value, None if unrated
    rating_label: str  # "" if unrated
    score: int | None
    is_concern: bool
    rationale: str
    strength_note: str


@dataclass(frozen=True)
class DomainProfile:
    domain_id: str
    title: str
    ratings: tuple[ProfileRating, ...]
    total: int | None  # None: the model has no domain score, or a factor is unrated/unknown
    max_total: int | None
    band: Band | None
    concern_count: int
    concerns: str
    strengths: str


@dataclass(frozen=True)
class Profile:
    model_id: str
    model_name: str
    scale_label: str
    scored: bool
    note: str
    domains: tuple[DomainProfile, ...]


def _on_scale(model: ModelDef, value: str | None) -> bool:
    return value is not None and value in model.scale.values


def is_concern(model: ModelDef, value: str | None) -> bool:
    """A rating that records concern: a positive score where the option has one, otherwise
    any option but the scale's first (by convention "no concern") and unknown."""
    if not _on_scale(model, value):
        return False
    option = model.scale.option(value)  # type: ignore[arg-type]
    if option.score is not None:
        return option.score > 0
    return option.value not in (model.scale.options[0].value, UNKNOWN_RATING)


def profile(content: AssessmentContent, model: ModelDef, form_set: FormSet) -> Profile:
    """Per domain: factor ratings with their labels, the domain total and band where the model
    scores domains, the number of factors of concern, and the concerns and strengths text."""
    domains = []
    scored_max = max((o.score for o in model.scale.options if o.score is not None), default=None)
    for domain in form_set.domains_for(model.id):
        rows = []
        values: dict[int, str | None] = {}
        for factor in domain.factors:
            rating = content.rating(domain.id, factor.slot)
            value = rating.rating if _on_scale(model, rating.rating) else None
            values[factor.slot] = value
            option = model.scale.option(value) if value is not None else None
            rows.append(
                ProfileRating(
                    slot=factor.slot,
                    factor_label=factor.label,
                    licensed=factor.licensed,
                    rating=value,
                    rating_label=option.label if option else "",
                    score=option.score if option else None,
                    is_concern=is_concern(model, value),
                    rationale=rating.rationale,
                    strength_note=rating.strength_note,
                )
            )
        total = model.domain_total(values)
        notes = content.notes(domain.id)
        domains.append(
            DomainProfile(
                domain_id=domain.id,
                title=domain.title,
                ratings=tuple(rows),
                total=total,
                max_total=(
                    scored_max * FACTORS_PER_DOMAIN
                    if model.domain_score == "sum" and scored_max is not None
                    else None
                ),
                band=model.band_for(total),
                concern_count=sum(r.is_concern for r in rows),
                concerns=notes.concerns,
                strengths=notes.strengths,
            )
        )
    return Profile(
        model_id=model.id,
        model_name=model.name,
        scale_label=model.scale.label,
        scored=model.domain_score == "sum",
        note=model.note,
        domains=tuple(domains),
    )


# ---------------------------------------------------------------------------------------------
# Completeness


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class Completeness:
    per_domain: tuple[tuple[str, Progress], ...]
    formulation: Progress
    overall: Progress

    def domain(self, domain_id: str) -> Progress:
        return dict(self.per_domain)[domain_id]


def _factor_complete(
    content: AssessmentContent, model: ModelDef, domain_id: str, slot: int
) -> bool:
    rating = content.rating(domain_id, slot)
    return (
        _on_scale(model, rating.rating)
        and rating.rating != UNKNOWN_RATING
        and bool(rating.rationale.strip())
    )


def completeness(content: AssessmentContent, model: ModelDef) -> Completeness:
    """Per domain, six items: each of the five factors rated (not unknown) with a rationale,
    and strengths recorded. Overall adds the five formulation parts."""
    per_domain = []
    for domain_id in model.domain_ids:
        done = sum(
            _factor_complete(content, model, domain_id, slot)
            for slot in range(1, FACTORS_PER_DOMAIN + 1)
        )
        done += bool(content.notes(domain_id).strengths.strip())
        per_domain.append((domain_id, Progress(done, FACTORS_PER_DOMAIN + 1)))
    parts = content.formulation.parts()
    formulation = Progress(sum(not p.is_empty for _, p in parts), len(parts))
    overall = Progress(
        sum(p.done for _, p in per_domain) + formulation.done,
        sum(p.total for _, p in per_domain) + formulation.total,
    )
    return Completeness(tuple(per_domain), formulation, overall)


# ---------------------------------------------------------------------------------------------
# Ready for supervision


class MissingKind(enum.StrEnum):
    UNRATED_FACTOR = "unrated_factor"
    RATING_WITHOUT_RATIONALE = "rating_without_rationale"
    OPEN_UNKNOWN = "open_unknown"
    STRENGTHS_NOT_RECORDED = "strengths_not_recorded"
    EMPTY_FORMULATION_PART = "empty_formulation_part"
    RECOMMENDATIONS_NOT_WRITTEN = "recommendations_not_written"


@dataclass(frozen=True)
class Missing:
    kind: MissingKind
    domain_id: str | None
    slot: int | None
    message: str
    ref: str = ""  # the unknown's id or the formulation part's id, where there is one


RuleProblem = Missing  # a broken rule (rating without rationale) is listed, never raised


def readiness(content: AssessmentContent, model: ModelDef, form_set: FormSet) -> list[Missing]:
    """Exactly what stands between this content and a supervision discussion, in form order:
    per domain its unrated factors, ratings without a rationale, factors rated unknown with
    no open unknown saying how it will be found out, and missing strengths; then every open
    unknown; then every empty formulation part; then the recommendations, which the report's
    reader acts on, if none is written. Empty list: ready."""
    missing: list[Missing] = []
    open_unknowns = content.open_unknowns()
    tracked = {(u.about_domain, u.about_slot) for u in open_unknowns}
    for domain in form_set.domains_for(model.id):
        for factor in domain.factors:
            where = f"{factor.label} ({domain.title})"
            rating = content.rating(domain.id, factor.slot)
            if rating.rating is None:
                missing.append(
                    Missing(
                        MissingKind.UNRATED_FACTOR,
                        domain.id,
                        factor.slot,
                        f"{where} has not been rated.",
                    )
                )
                continue
            if not _on_scale(model, rating.rating):
                missing.append(
                    Missing(
                        MissingKind.UNRATED_FACTOR,
                        domain.id,
                        factor.slot,
                        f"{where} needs rating again: its rating {rating.rating!r} is not on "
                        f"the {model.name} scale in use.",
                    )
                )
                continue
            if not rating.rationale.strip():
                missing.append(
                    Missing(
                        MissingKind.RATING_WITHOUT_RATIONALE,
                        domain.id,
                        factor.slot,
                        f"{where} is rated but has no rationale: say why.",
                    )
                )
            if rating.rating == UNKNOWN_RATING and (domain.id, factor.slot) not in tracked:
                missing.append(
                    Missing(
                        MissingKind.OPEN_UNKNOWN,
                        domain.id,
                        factor.slot,
                        f"{where} is rated unknown: record how, by whom and by when it will "
                        "be found out.",
                    )
                )
        if not content.notes(domain.id).strengths.strip():
            missing.append(
                Missing(
                    MissingKind.STRENGTHS_NOT_RECORDED,
                    domain.id,
                    None,
                    f"No strengths are recorded in {domain.title}.",
                )
            )
    for unknown in open_unknowns:
        missing.append(
            Missing(
                MissingKind.OPEN_UNKNOWN,
                unknown.about_domain,
                unknown.about_slot,
                _unknown_message(
                    unknown.question, unknown.about_domain, unknown.about_slot, form_set
                ),
                ref=unknown.id,
            )
        )
    for part_id, part in content.formulation.parts():
        if part.is_empty:
            missing.append(
                Missing(
                    MissingKind.EMPTY_FORMULATION_PART,
                    None,
                    None,
                    f'The case formulation part "{part_id.label}" is empty.',
                    ref=part_id.value,
                )
            )
    if content.recommendations.is_empty:
        missing.append(
            Missing(
                MissingKind.RECOMMENDATIONS_NOT_WRITTEN,
                None,
                None,
                "No recommendations are written (the intervention, the level of supervision, "
                "who does what).",
            )
        )
    return missing


def _unknown_message(
    question: str, domain_id: str | None, slot: int | None, form_set: FormSet
) -> str:
    about = ""
    if domain_id is not None:
        try:
            domain = form_set.domain(domain_id)
            about = (
                f" ({domain.factor(slot).label}, {domain.title})"
                if slot is not None
                else f" ({domain.title})"
            )
        except KeyError:
            about = ""
    return f"Still unknown{about}: {question.strip()}"


def ready_for_supervision(content: AssessmentContent, model: ModelDef, form_set: FormSet) -> bool:
    return not readiness(content, model, form_set)


__all__ = [
    "Completeness",
    "DomainProfile",
    "Missing",
    "MissingKind",
    "Profile",
    "ProfileRating",
    "Progress",
    "RuleProblem",
    "completeness",
    "is_concern",
    "profile",
    "readiness",
    "ready_for_supervision",
]
