"""Form definitions: domains, factor slots, rating scales and bands of the assessment models.

The shipped files hold the structure and our own practice prompts; the licensed AIM3 factor
names and descriptors arrive in an organisation-supplied file laid over them
(model_files.apply_licensed). Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

FACTORS_PER_DOMAIN = 5
DOMAINS_FILE = "domains.toml"
MODELS_DIR = "models"

DomainScore = Literal["sum"] | None


@dataclass(frozen=True)
class AreaDef:
    """An area of evidence gathering inside a domain, with our own practice prompts."""

    id: str
    title: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class FactorSlot:
    """One of the five factors of a domain: generic until a licensed file names it."""

    slot: int
    label: str
    descriptor: str
    licensed: bool = False


@dataclass(frozen=True)
class DomainDef:
    id: str
    title: str
    summary: str
    strengths: str
    areas: tuple[AreaDef, ...]
    factors: tuple[FactorSlot, ...]

    def factor(self, slot: int) -> FactorSlot:
        for factor in self.factors:
            if factor.slot == slot:
                return factor
        raise KeyError(f"{self.id} has no factor slot {slot}")


@dataclass(frozen=True)
class RatingOption:
    """A rating a practitioner can give a factor; score None means it carries no score."""

    value: str
    label: str
    score: int | None = None


@dataclass(frozen=True)
class RatingScale:
    label: str
    options: tuple[RatingOption, ...]
    strengths_recorded: bool = True
    note: str = ""

    def option(self, value: str) -> RatingOption:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(f"rating {value!r} is not on the scale")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class Band:
    """A band of domain totals, min and max inclusive."""

    id: str
    label: str
    colour: str
    min: int
    max: int

    def contains(self, total: int) -> bool:
        return self.min <= total <= self.max


@dataclass(frozen=True)
class ModelDef:
    id: str
    name: str
    min_age: int
    max_age: int
    domain_ids: tuple[str, ...]
    scale: RatingScale
    domain_score: DomainScore = None
    bands: tuple[Band, ...] = ()
    age_note: str = ""
    note: str = ""

    def domain_total(self, ratings: Mapping[int, str | None]) -> int | None:
        """Sum of the five factor scores, or None if the model does not score domains or any
        factor is unrated or has a rating without a score (such as unknown).

        Raises KeyError for a rating value that is not on the scale: that is a caller bug.
        """
        if self.domain_score != "sum":
            return None
        total = 0
        for slot in range(1, FACTORS_PER_DOMAIN + 1):
            value = ratings.get(slot)
            if value is None:
                return None
            score = self.scale.option(value).score
            if score is None:
                return None
            total += score
        return total

    def band_for(self, total: int | None) -> Band | None:
        if total is None:
            return None
        return next((band for band in self.bands if band.contains(total)), None)

    def reachable_totals(self) -> frozenset[int]:
        """Every domain total that five scored ratings can add up to (empty if not scored)."""
        if self.domain_score != "sum":
            return frozenset()
        scores = {o.score for o in self.scale.options if o.score is not None}
        totals = {0}
        for _ in range(FACTORS_PER_DOMAIN):
            totals = {t + s for t in totals for s in scores}
        return frozenset(totals) if scores else frozenset()


@dataclass(frozen=True)
class FormSet:
    domains: tuple[DomainDef, ...]
    models: tuple[ModelDef, ...]
    licensed_source: str | None = None
    organisation: str = ""

    def domain(self, domain_id: str) -> DomainDef:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(f"no domain {domain_id!r}")

    def model(self, model_id: str) -> ModelDef:
        for model in self.models:
            if model.id == model_id:
                return model
        raise KeyError(f"no assessment model {model_id!r}")

    def domains_for(self, model_id: str) -> tuple[DomainDef, ...]:
        return tuple(self.domain(d) for d in self.model(model_id).domain_ids)

    @property
    def is_licensed(self) -> bool:
        return self.licensed_source is not None

    def has_placeholder_factors(self, model_id: str | None = None) -> bool:
        """Whether any factor (of the model's domains, or of every domain) still has its
        generic placeholder label ("Sexual behaviour factor 2"): the organisation's licensed
        form file is not installed, or does not name every factor."""
        domains = self.domains_for(model_id) if model_id is not None else self.domains
        return any(not factor.licensed for domain in domains for factor in domain.factors)
