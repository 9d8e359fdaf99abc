"""Form definitions: domains, factor slots, rating scales and bands, parsed from TOML text.

Pure Python: callers pass file name -> TOML text; this module never touches the file system.
The shipped files hold the structure and our own practice prompts; the licensed AIM3 factor
names and descriptors arrive in an organisation-supplied file laid over them (apply_licensed).
The file format is documented in docs/forms.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

FORMAT_VERSION = 1
FACTORS_PER_DOMAIN = 5
DOMAINS_FILE = "domains.toml"
MODELS_DIR = "models"

DomainScore = Literal["sum"] | None

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
# AIM3 builds a profile, never a risk level (domain.md): refuse such labels outright.
_RISK_LABEL_PATTERN = re.compile(r"\b(low|medium|moderate|high)[\s-]+risk\b", re.IGNORECASE)
_SYNTAX_POSITION = re.compile(
    r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$"
)
_MAX_AGE = 25


class FormError(ValueError):
    """A form file is wrong; names the file and the key path (or line and column) at fault."""

    def __init__(
        self,
        file: str,
        key_path: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
    ):
        self.file = file
        self.key_path = key_path
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is not None:
            where = f"line {self.line}, column {self.column}"
        else:
            where = self.key_path or "(top level)"
        return f"{self.file}: {where}: {self.message}"


# --------------------------------------------------------------------------------------------
# Definitions


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


# --------------------------------------------------------------------------------------------
# Reading TOML with the key path kept for every error

_MISSING: Any = object()


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}"'
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _Table:
    """A TOML table being read: typed getters that name the key path, then done() rejects
    any key nobody asked for."""

    def __init__(self, file: str, data: Mapping[str, Any], path: str = ""):
        self.file = file
        self.data = data
        self.path = path
        self._seen: set[str] = set()

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | None, message: str) -> FormError:
        return FormError(self.file, self.key_path(key) if key else self.path, message)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, default: Any) -> Any:
        self._seen.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise self.error(key, "required key is missing")
        return default

    def _typed(self, key: str, default: Any, check: Callable[[Any], bool], expected: str) -> Any:
        value = self._get(key, default)
        if value is default and key not in self.data:
            return value
        if not check(value):
            raise self.error(key, f"expected {expected}, got {_describe(value)}")
        return value

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self._typed(key, default, lambda v: isinstance(v, str), "a string")
        if key in self.data and not value.strip():
            raise self.error(key, "must not be empty")
        return value.strip() if isinstance(value, str) else value

    def identifier(self, key: str) -> str:
        value = self.text(key)
        if not _ID_PATTERN.match(value):
            raise self.error(
                key,
                f"expected an id of lower-case letters, digits, _ or - (at most 40), "
                f"got {_describe(value)}",
            )
        return value

    def integer(self, key: str, default: Any = _MISSING) -> int:
        return self._typed(
            key, default, lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"
        )

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        return self._typed(key, default, lambda v: isinstance(v, bool), "true or false")

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._typed(key, _MISSING, lambda v: isinstance(v, list), "an array of strings")
        if not values:
            raise self.error(key, "must list at least one entry")
        result = []
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise self.error(f"{key}[{index}]", f"expected a string, got {_describe(value)}")
            if not value.strip():
                raise self.error(f"{key}[{index}]", "must not be empty")
            result.append(value.strip())
        return tuple(result)

    def table(self, key: str) -> _Table:
        value = self._typed(key, _MISSING, lambda v: isinstance(v, dict), "a table")
        return _Table(self.file, value, self.key_path(key))

    def tables(self, key: str, default: Any = _MISSING) -> list[_Table]:
        value = self._typed(key, default, lambda v: isinstance(v, list), "an array of tables")
        result = []
        for index, item in enumerate(value):
            item_path = f"{self.key_path(key)}[{index}]"
            if not isinstance(item, dict):
                raise FormError(self.file, item_path, f"expected a table, got {_describe(item)}")
            result.append(_Table(self.file, item, item_path))
        return result

    def subtables(self) -> Iterator[tuple[str, _Table]]:
        """Every key of a table whose keys are ids (such as [domains.<id>]) as a table."""
        for key in self.data:
            yield key, self.table(key)

    def done(self) -> None:
        unknown = [k for k in self.data if k not in self._seen]
        if unknown:
            allowed = ", ".join(sorted(self._seen)) or "none"
            raise self.error(unknown[0], f"unknown key (allowed here: {allowed})")


def _load_toml(file: str, text: str) -> _Table:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raw = str(exc)
        match = _SYNTAX_POSITION.match(raw)
        if match:
            raise FormError(
                file,
                "",
                f"TOML syntax error: {match['message']}",
                line=int(match["line"]),
                column=int(match["column"]),
            ) from None
        raise FormError(file, "", f"TOML syntax error: {raw}") from None
    table = _Table(file, data)
    version = table.integer("format")
    if version != FORMAT_VERSION:
        raise table.error("format", f"unsupported format {version} (this version reads 1)")
    return table


def _check_unique(items: list[tuple[_Table, str]], key: str, what: str) -> None:
    seen: set[str] = set()
    for table, value in items:
        if value in seen:
            raise table.error(key, f"duplicate {what} {_describe(value)}")
        seen.add(value)


# --------------------------------------------------------------------------------------------
# domains.toml


def _read_area(table: _Table) -> AreaDef:
    area = AreaDef(
        id=table.identifier("id"), title=table.text("title"), prompts=table.texts("prompts")
    )
    table.done()
    return area


def _read_factor_slots(domain: _Table) -> tuple[FactorSlot, ...]:
    tables = domain.tables("factors")
    if len(tables) != FACTORS_PER_DOMAIN:
        raise domain.error(
            "factors", f"expected exactly {FACTORS_PER_DOMAIN} factor slots, got {len(tables)}"
        )
    slots: dict[int, FactorSlot] = {}
    for table in tables:
        slot = table.integer("slot")
        if not 1 <= slot <= FACTORS_PER_DOMAIN:
            raise table.error("slot", f"expected a slot from 1 to {FACTORS_PER_DOMAIN}, got {slot}")
        if slot in slots:
            raise table.error("slot", f"duplicate slot {slot}")
        slots[slot] = FactorSlot(
            slot=slot, label=table.text("label"), descriptor=table.text("descriptor", "")
        )
        table.done()
    return tuple(slots[s] for s in sorted(slots))


def _read_domain(table: _Table) -> DomainDef:
    domain_id = table.identifier("id")
    title = table.text("title")
    summary = table.text("summary")
    strengths = table.text("strengths")
    area_tables = table.tables("areas")
    if not area_tables:
        raise table.error("areas", "must list at least one area")
    areas = [_read_area(t) for t in area_tables]
    _check_unique([(t, a.id) for t, a in zip(area_tables, areas, strict=True)], "id", "area id")
    factors = _read_factor_slots(table)
    table.done()
    return DomainDef(domain_id, title, summary, strengths, tuple(areas), factors)


def _read_domains(file: str, text: str) -> tuple[DomainDef, ...]:
    root = _load_toml(file, text)
    tables = root.tables("domains")
    if not tables:
        raise root.error("domains", "must list at least one domain")
    domains = [_read_domain(t) for t in tables]
    root.done()
    _check_unique([(t, d.id) for t, d in zip(tables, domains, strict=True)], "id", "domain id")
    return tuple(domains)


# --------------------------------------------------------------------------------------------
# Scales, scoring and bands (model files and licensed overrides)


def _reject_risk_label(table: _Table, key: str, label: str) -> None:
    if _RISK_LABEL_PATTERN.search(label):
        raise table.error(
            key, "AIM3 Desk does not label risk as low, medium or high: reword this label"
        )


def _read_scale(table: _Table) -> RatingScale:
    option_tables = table.tables("options")
    if not option_tables:
        raise table.error("options", "must list at least one rating option")
    options = []
    for option in option_tables:
        value = option.identifier("value")
        label = option.text("label")
        _reject_risk_label(option, "label", label)
        score = option.integer("score", None)
        if score is not None and score < 0:
            raise option.error("score", f"must not be negative, got {score}")
        options.append(RatingOption(value, label, score))
        option.done()
    pairs = list(zip(option_tables, options, strict=True))
    _check_unique([(t, o.value) for t, o in pairs], "value", "rating value")
    _check_unique([(t, o.label) for t, o in pairs], "label", "rating label")
    scale = RatingScale(
        label=table.text("label"),
        options=tuple(options),
        strengths_recorded=table.boolean("strengths_recorded", True),
        note=table.text("note", ""),
    )
    table.done()
    return scale


def _read_domain_score(table: _Table) -> DomainScore:
    value = table.text("domain_score")
    if value == "sum":
        return "sum"
    if value == "none":
        return None
    raise table.error("domain_score", f'expected "sum" or "none", got {_describe(value)}')


def _read_bands(tables: list[_Table]) -> tuple[Band, ...]:
    bands = []
    for table in tables:
        band = Band(
            id=table.identifier("id"),
            label=table.text("label"),
            colour=table.text("colour"),
            min=table.integer("min"),
            max=table.integer("max"),
        )
        _reject_risk_label(table, "label", band.label)
        if not _COLOUR_PATTERN.match(band.colour):
            raise table.error(
                "colour", f'expected a colour like "#2e7d32", got {_describe(band.colour)}'
            )
        if band.min < 0:
            raise table.error("min", f"must not be negative, got {band.min}")
        if band.max < band.min:
            raise table.error("max", f"must be at least min ({band.min}), got {band.max}")
        table.done()
        bands.append(band)
    _check_unique([(t, b.id) for t, b in zip(tables, bands, strict=True)], "id", "band id")
    for index, band in enumerate(bands):
        for earlier in bands[:index]:
            if band.min <= earlier.max and earlier.min <= band.max:
                raise tables[index].error(
                    "min",
                    f"band {band.id!r} ({band.min}-{band.max}) overlaps band "
                    f"{earlier.id!r} ({earlier.min}-{earlier.max})",
                )
    return tuple(bands)


def _check_scoring(file: str, path: str, model: ModelDef) -> None:
    """Bands only with a domain score, and then every reachable total in exactly one band."""
    bands_path = f"{path}.bands" if path else "bands"
    if model.domain_score is None:
        if model.bands:
            raise FormError(file, bands_path, 'bands need domain_score = "sum"')
        return
    totals = model.reachable_totals()
    if not totals:
        raise FormError(
            file,
            f"{path}.scale.options" if path else "scale.options",
            'domain_score = "sum" needs at least one rating option with a score',
        )
    if not model.bands:
        return
    for total in sorted(totals):
        if model.band_for(total) is None:
            raise FormError(
                file,
                bands_path,
                f"domain total {total} is reachable but falls in no band "
                f"(totals run {min(totals)}-{max(totals)})",
            )


# --------------------------------------------------------------------------------------------
# models/<id>.toml


def _read_model(file: str, text: str, expected_id: str, domain_ids: set[str]) -> ModelDef:
    root = _load_toml(file, text)
    model_id = root.identifier("id")
    if model_id != expected_id:
        raise root.error("id", f"must match the file name ({expected_id!r}), got {model_id!r}")
    min_age = root.integer("min_age")
    max_age = root.integer("max_age")
    if not 0 <= min_age <= _MAX_AGE:
        raise root.error("min_age", f"expected an age from 0 to {_MAX_AGE}, got {min_age}")
    if not min_age <= max_age <= _MAX_AGE:
        raise root.error("max_age", f"expected an age from min_age to {_MAX_AGE}, got {max_age}")
    model_domains = root.texts("domains")
    for index, domain_id in enumerate(model_domains):
        if domain_id not in domain_ids:
            raise root.error(
                f"domains[{index}]", f"no domain {_describe(domain_id)} in {DOMAINS_FILE}"
            )
        if domain_id in model_domains[:index]:
            raise root.error(f"domains[{index}]", f"duplicate domain {_describe(domain_id)}")
    model = ModelDef(
        id=model_id,
        name=root.text("name"),
        min_age=min_age,
        max_age=max_age,
        domain_ids=model_domains,
        scale=_read_scale(root.table("scale")),
        domain_score=_read_domain_score(root),
        bands=_read_bands(root.tables("bands", [])),
        age_note=root.text("age_note", ""),
        note=root.text("note", ""),
    )
    root.done()
    _check_scoring(file, "", model)
    return model


# --------------------------------------------------------------------------------------------
# Public entry points


def _role(name: str) -> tuple[str, str]:
    """('domains', '') or ('model', <stem>) from a file name such as forms/models/aim3.toml."""
    parts = name.replace("\\", "/").split("/")
    if parts[-1] == DOMAINS_FILE:
        return "domains", ""
    if len(parts) >= 2 and parts[-2] == MODELS_DIR and parts[-1].endswith(".toml"):
        return "model", parts[-1].removesuffix(".toml")
    raise FormError(name, "", f"not a form file: expected {DOMAINS_FILE} or {MODELS_DIR}/<id>.toml")


def parse_form_set(sources: Mapping[str, str]) -> FormSet:
    """Parse and validate the shipped form files (file name -> TOML text).

    Raises FormError naming the file and key path of the first problem found.
    """
    domain_sources = []
    model_sources = []
    for name, text in sources.items():
        role, stem = _role(name)
        if role == "domains":
            domain_sources.append((name, text))
        else:
            model_sources.append((name, stem, text))
    if len(domain_sources) != 1:
        names = ", ".join(n for n, _ in domain_sources) or "none given"
        raise FormError(DOMAINS_FILE, "", f"expected exactly one {DOMAINS_FILE} ({names})")
    if not model_sources:
        raise FormError(f"{MODELS_DIR}/", "", "no model files given")
    domains = _read_domains(*domain_sources[0])
    domain_ids = {d.id for d in domains}
    models = []
    seen: dict[str, str] = {}
    for name, stem, text in sorted(model_sources, key=lambda s: s[1]):
        if stem in seen:
            raise FormError(name, "id", f"duplicate model id {stem!r} (also in {seen[stem]})")
        seen[stem] = name
        models.append(_read_model(name, text, stem, domain_ids))
    return FormSet(domains=domains, models=tuple(models))


def _overlay_factors(domain: DomainDef, table: _Table) -> DomainDef:
    factor_tables = table.tables("factors")
    table.done()
    if not factor_tables:
        raise table.error("factors", "must list at least one factor")
    named: dict[int, FactorSlot] = {}
    for factor in factor_tables:
        slot = factor.integer("slot")
        if not 1 <= slot <= FACTORS_PER_DOMAIN:
            raise factor.error(
                "slot", f"expected a slot from 1 to {FACTORS_PER_DOMAIN}, got {slot}"
            )
        if slot in named:
            raise factor.error("slot", f"duplicate slot {slot}")
        named[slot] = FactorSlot(
            slot=slot,
            label=factor.text("name"),
            descriptor=factor.text("descriptor", ""),
            licensed=True,
        )
        factor.done()
    factors = tuple(named.get(f.slot, f) for f in domain.factors)
    return replace(domain, factors=factors)


def _overlay_model(model: ModelDef, table: _Table, file: str) -> ModelDef:
    changes: dict[str, Any] = {}
    if table.has("scale"):
        changes["scale"] = _read_scale(table.table("scale"))
    if table.has("domain_score"):
        changes["domain_score"] = _read_domain_score(table)
        if changes["domain_score"] is None and not table.has("bands"):
            changes["bands"] = ()
    if table.has("bands"):
        changes["bands"] = _read_bands(table.tables("bands"))
    table.done()
    if not changes:
        raise table.error(None, "expected at least one of scale, domain_score, bands")
    updated = replace(model, **changes)
    _check_scoring(file, table.path, updated)
    return updated


def apply_licensed(form_set: FormSet, name: str, text: str) -> FormSet:
    """Lay an organisation's licensed form file over the shipped forms.

    It names factors (per domain and slot) and may replace a model's scale, scoring and bands.
    Raises FormError naming `name` and the key path at fault.
    """
    root = _load_toml(name, text)
    organisation = root.text("organisation", "")
    domains = {d.id: d for d in form_set.domains}
    if root.has("domains"):
        for domain_id, table in root.table("domains").subtables():
            if domain_id not in domains:
                raise table.error(None, f"no domain {_describe(domain_id)} in the shipped forms")
            domains[domain_id] = _overlay_factors(domains[domain_id], table)
    models = {m.id: m for m in form_set.models}
    if root.has("models"):
        for model_id, table in root.table("models").subtables():
            if model_id not in models:
                raise table.error(None, f"no model {_describe(model_id)} in the shipped forms")
            models[model_id] = _overlay_model(models[model_id], table, name)
    root.done()
    return FormSet(
        domains=tuple(domains[d.id] for d in form_set.domains),
        models=tuple(models[m.id] for m in form_set.models),
        licensed_source=name,
        organisation=organisation,
    )


# --------------------------------------------------------------------------------------------
# evidence.toml: where evidence comes from, what it is, and who may see it (seed 004)

EVIDENCE_FILE = "evidence.toml"
SCREENING_FILE = "screening.toml"
ANY = "*"  # in a sharing rule: matches every source or every category


@dataclass(frozen=True)
class EvidenceSource:
    id: str
    label: str


@dataclass(frozen=True)
class EvidenceCategory:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class SharingClass:
    """How far a piece of evidence may travel: internal-only classes stay within the
    practitioner network completing or overseeing the assessment (seed 004)."""

    id: str
    label: str
    internal_only: bool
    description: str = ""


@dataclass(frozen=True)
class SharingRule:
    """A default sharing class for evidence of these sources and categories (None: any)."""

    sources: tuple[str, ...] | None
    categories: tuple[str, ...] | None
    sharing: str
    why: str

    def matches(self, source: str, category: str) -> bool:
        return (self.sources is None or source in self.sources) and (
            self.categories is None or category in self.categories
        )


@dataclass(frozen=True)
class EvidenceRules:
    sources: tuple[EvidenceSource, ...]
    categories: tuple[EvidenceCategory, ...]
    sharing_classes: tuple[SharingClass, ...]
    rules: tuple[SharingRule, ...]
    fallback_sharing: str
    fallback_why: str

    def source(self, source_id: str) -> EvidenceSource:
        return _by_id(self.sources, source_id, "evidence source")

    def category(self, category_id: str) -> EvidenceCategory:
        return _by_id(self.categories, category_id, "information category")

    def sharing_class(self, sharing_id: str) -> SharingClass:
        return _by_id(self.sharing_classes, sharing_id, "sharing class")

    def is_internal_only(self, sharing_id: str) -> bool:
        return self.sharing_class(sharing_id).internal_only

    def _rule_for(self, source: str, category: str) -> SharingRule | None:
        self.source(source)
        self.category(category)
        return next((r for r in self.rules if r.matches(source, category)), None)

    def default_sharing(self, source: str, category: str) -> str:
        """The sharing class a new entry starts with; the practitioner may change it.
        Raises KeyError for an unknown source or category."""
        rule = self._rule_for(source, category)
        return rule.sharing if rule else self.fallback_sharing

    def default_why(self, source: str, category: str) -> str:
        """Why the default is what it is, in plain words, for showing beside the choice."""
        rule = self._rule_for(source, category)
        return rule.why if rule else self.fallback_why


def _by_id(items: tuple[Any, ...], item_id: str, what: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {what} {item_id!r}")


def _read_labelled(tables: list[_Table], key: str, what: str, root: _Table) -> list[_Table]:
    if not tables:
        raise root.error(key, f"must list at least one {what}")
    return tables


def _read_rule_ids(table: _Table, key: str, known: set[str], what: str) -> tuple[str, ...] | None:
    values = table.texts(key)
    if values == (ANY,):
        return None
    for index, value in enumerate(values):
        if value not in known:
            raise table.error(f"{key}[{index}]", f"no {what} {_describe(value)}")
        if value in values[:index]:
            raise table.error(f"{key}[{index}]", f"duplicate {what} {_describe(value)}")
    return values


def parse_evidence_rules(name: str, text: str) -> EvidenceRules:
    """Parse forms/evidence.toml. Raises FormError naming `name` and the key path at fault."""
    root = _load_toml(name, text)
    source_tables = _read_labelled(root.tables("sources"), "sources", "source", root)
    sources = []
    for table in source_tables:
        sources.append(EvidenceSource(table.identifier("id"), table.text("label")))
        table.done()
    _check_unique([(t, s.id) for t, s in zip(source_tables, sources, strict=True)], "id", "id")
    category_tables = _read_labelled(root.tables("categories"), "categories", "category", root)
    categories = []
    for table in category_tables:
        categories.append(
            EvidenceCategory(
                table.identifier("id"), table.text("label"), table.text("description", "")
            )
        )
        table.done()
    _check_unique([(t, c.id) for t, c in zip(category_tables, categories, strict=True)], "id", "id")
    sharing_tables = _read_labelled(root.tables("sharing"), "sharing", "sharing class", root)
    classes = []
    for table in sharing_tables:
        classes.append(
            SharingClass(
                id=table.identifier("id"),
                label=table.text("label"),
                internal_only=table.boolean("internal_only"),
                description=table.text("description", ""),
            )
        )
        table.done()
    _check_unique([(t, c.id) for t, c in zip(sharing_tables, classes, strict=True)], "id", "id")
    if all(c.internal_only for c in classes):
        raise root.error("sharing", "at least one sharing class must not be internal_only")
    class_ids = {c.id for c in classes}

    defaults = root.table("defaults")
    fallback = defaults.identifier("sharing")
    if fallback not in class_ids:
        raise defaults.error("sharing", f"no sharing class {_describe(fallback)}")
    fallback_why = defaults.text("why")
    rules = []
    rule_tables = defaults.tables("rules", [])
    source_ids = {s.id for s in sources}
    category_ids = {c.id for c in categories}
    covered: set[tuple[str, str]] = set()
    for table in rule_tables:
        rule = SharingRule(
            sources=_read_rule_ids(table, "sources", source_ids, "source"),
            categories=_read_rule_ids(table, "categories", category_ids, "category"),
            sharing=table.identifier("sharing"),
            why=table.text("why"),
        )
        if rule.sharing not in class_ids:
            raise table.error("sharing", f"no sharing class {_describe(rule.sharing)}")
        table.done()
        # First match wins, so a rule that earlier rules already cover is a mistake.
        reached = {(s, c) for s in source_ids for c in category_ids if rule.matches(s, c)} - covered
        if not reached:
            raise table.error(None, "never applies: earlier rules already cover all it matches")
        covered |= reached
        rules.append(rule)
    defaults.done()
    root.done()
    return EvidenceRules(
        sources=tuple(sources),
        categories=tuple(categories),
        sharing_classes=tuple(classes),
        rules=tuple(rules),
        fallback_sharing=fallback,
        fallback_why=fallback_why,
    )


# --------------------------------------------------------------------------------------------
# screening.toml: the Hackett continuum and traffic-light colours, kept apart from the profile

# The fixed structure; the file supplies the wording. Order matters (least to most concerning).
HACKETT_IDS = ("normal", "inappropriate", "problematic", "abusive", "violent")
TRAFFIC_LIGHT_IDS = ("green", "amber", "red")


@dataclass(frozen=True)
class ScreeningOption:
    id: str
    label: str
    description: str = ""
    colour: str = ""


@dataclass(frozen=True)
class ScreeningScale:
    """Screening wording: never a risk label and never part of the AIM3 profile."""

    note: str
    hackett: tuple[ScreeningOption, ...]
    traffic_lights: tuple[ScreeningOption, ...]

    def hackett_option(self, option_id: str) -> ScreeningOption:
        return _by_id(self.hackett, option_id, "Hackett continuum position")

    def traffic_light(self, option_id: str) -> ScreeningOption:
        return _by_id(self.traffic_lights, option_id, "traffic-light colour")


def _read_screening_options(
    root: _Table, key: str, expected: tuple[str, ...], colours: bool
) -> tuple[ScreeningOption, ...]:
    tables = root.tables(key)
    if len(tables) != len(expected):
        raise root.error(
            key,
            f"expected exactly {len(expected)} entries ({', '.join(expected)}), got {len(tables)}",
        )
    options = []
    for table, expected_id in zip(tables, expected, strict=True):
        option_id = table.identifier("id")
        if option_id != expected_id:
            raise table.error("id", f"expected {expected_id!r} here, got {option_id!r}")
        label = table.text("label")
        _reject_risk_label(table, "label", label)
        description = table.text("description", "")
        _reject_risk_label(table, "description", description)
        colour = table.text("colour") if colours else ""
        if colours and not _COLOUR_PATTERN.match(colour):
            raise table.error(
                "colour", f'expected a colour like "#2e7d32", got {_describe(colour)}'
            )
        table.done()
        options.append(ScreeningOption(option_id, label, description, colour))
    return tuple(options)


def parse_screening(name: str, text: str) -> ScreeningScale:
    """Parse forms/screening.toml. Raises FormError naming `name` and the key path at fault."""
    root = _load_toml(name, text)
    note = root.text("note")
    _reject_risk_label(root, "note", note)
    scale = ScreeningScale(
        note=note,
        hackett=_read_screening_options(root, "hackett", HACKETT_IDS, colours=False),
        traffic_lights=_read_screening_options(root, "traffic_lights", TRAFFIC_LIGHT_IDS, True),
    )
    root.done()
    return scale


# --------------------------------------------------------------------------------------------
# supervision.toml: session types with their agendas, well-being prompts, risk questions

SUPERVISION_FILE = "supervision.toml"
INTERVENTION_FILE = "intervention.toml"
# Fixed ids the app relies on (domain/supervision.py SupervisionType); the file gives wording.
SESSION_TYPE_IDS = ("assessment_one", "assessment_two", "assessment_three", "intervention")
SESSION_PHASES = ("assessment", "intervention")
WELLBEING_GROUP_IDS = ("practice_environment", "life_experiences", "coping_strategies")


@dataclass(frozen=True)
class Prompt:
    """A checklist item, prompt or question with an id a record can refer to."""

    id: str
    text: str


@dataclass(frozen=True)
class SessionTypeDef:
    id: str
    label: str
    phase: str  # "assessment" or "intervention"
    agenda: tuple[Prompt, ...]


@dataclass(frozen=True)
class PromptGroup:
    id: str
    title: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class SupervisionForms:
    note: str
    session_types: tuple[SessionTypeDef, ...]
    wellbeing: tuple[PromptGroup, ...]
    risk_note: str
    risk_questions: tuple[Prompt, ...]

    def session_type(self, type_id: str) -> SessionTypeDef:
        return _by_id(self.session_types, type_id, "session type")

    @property
    def wellbeing_prompt_ids(self) -> frozenset[str]:
        return frozenset(p.id for g in self.wellbeing for p in g.prompts)

    @property
    def risk_question_ids(self) -> frozenset[str]:
        return frozenset(q.id for q in self.risk_questions)


def _read_prompts(table: _Table, key: str, seen: set[str], what: str) -> tuple[Prompt, ...]:
    tables = table.tables(key)
    if not tables:
        raise table.error(key, f"must list at least one {what}")
    prompts = []
    for item in tables:
        prompt = Prompt(item.identifier("id"), item.text("text"))
        if prompt.id in seen:
            raise item.error("id", f"duplicate {what} id {_describe(prompt.id)}")
        seen.add(prompt.id)
        item.done()
        prompts.append(prompt)
    return tuple(prompts)


def _read_fixed_ids(
    tables: list[_Table], root: _Table, key: str, expected: tuple[str, ...]
) -> None:
    ids = [t.data.get("id") for t in tables]
    if ids != list(expected):
        raise root.error(key, f"expected exactly the ids {', '.join(expected)} in this order")


def parse_supervision(name: str, text: str) -> SupervisionForms:
    """Parse forms/supervision.toml. Raises FormError naming `name` and the key path at fault."""
    root = _load_toml(name, text)
    note = root.text("note", "")
    type_tables = root.tables("session_types")
    for table in type_tables:
        table.identifier("id")  # a clear message for a bad id before the order check
    _read_fixed_ids(type_tables, root, "session_types", SESSION_TYPE_IDS)
    types = []
    for table in type_tables:
        phase = table.text("phase")
        if phase not in SESSION_PHASES:
            raise table.error("phase", f"expected one of {', '.join(SESSION_PHASES)}")
        types.append(
            SessionTypeDef(
                id=table.identifier("id"),
                label=table.text("label"),
                phase=phase,
                agenda=_read_prompts(table, "agenda", set(), "agenda item"),
            )
        )
        table.done()
    group_tables = root.tables("wellbeing")
    for table in group_tables:
        table.identifier("id")
    _read_fixed_ids(group_tables, root, "wellbeing", WELLBEING_GROUP_IDS)
    prompt_ids: set[str] = set()
    groups = []
    for table in group_tables:
        groups.append(
            PromptGroup(
                table.identifier("id"),
                table.text("title"),
                _read_prompts(table, "prompts", prompt_ids, "prompt"),
            )
        )
        table.done()
    risk = root.table("risk_questions")
    risk_note = risk.text("note", "")
    questions = _read_prompts(risk, "questions", set(), "question")
    risk.done()
    root.done()
    return SupervisionForms(note, tuple(types), tuple(groups), risk_note, questions)


# --------------------------------------------------------------------------------------------
# intervention.toml: the four stages of the AIM intervention framework

STAGE_COUNT = 4
CONTENT_TRACKS = ("adults", "young_person", "risk_meeting")
RESPONSIBILITY_IDS = ("adults", "shared", "young_person")


@dataclass(frozen=True)
class StageItem:
    """One piece of stage content; `part` is 1 or 2 in stage three, else None."""

    id: str
    text: str
    part: int | None = None


@dataclass(frozen=True)
class StageDef:
    number: int
    id: str
    title: str
    summary: str
    adults: tuple[StageItem, ...]
    young_person: tuple[StageItem, ...]
    risk_meeting: tuple[StageItem, ...]
    responsibility: str  # where responsibility for risk management usually lies

    def items_for(self, content_track: str) -> tuple[StageItem, ...]:
        if content_track not in CONTENT_TRACKS:
            raise KeyError(f"no content track {content_track!r}")
        return getattr(self, content_track)


@dataclass(frozen=True)
class ProgressScale:
    min: int
    max: int
    low_label: str
    high_label: str

    def check(self, rating: int) -> bool:
        return self.min <= rating <= self.max


@dataclass(frozen=True)
class InterventionForms:
    stages: tuple[StageDef, ...]
    responsibility: tuple[Prompt, ...]  # id and label
    progress: ProgressScale

    def stage(self, number: int) -> StageDef:
        for stage in self.stages:
            if stage.number == number:
                return stage
        raise KeyError(f"no stage {number}")

    def item(self, item_id: str) -> tuple[StageDef, str, StageItem]:
        """The stage, content track and item of a stage item id."""
        for stage in self.stages:
            for track in CONTENT_TRACKS:
                for item in stage.items_for(track):
                    if item.id == item_id:
                        return stage, track, item
        raise KeyError(f"no stage item {item_id!r}")

    def responsibility_label(self, responsibility_id: str) -> str:
        return _by_id(self.responsibility, responsibility_id, "responsibility").text


def _read_stage_items(
    table: _Table, key: str, number: int, seen: set[str]
) -> tuple[StageItem, ...]:
    tables = table.tables(key)
    if not tables:
        raise table.error(key, "must list at least one item")
    items = []
    for item in tables:
        part = item.integer("part", None)
        # Stage three's work with the adults and the young person comes in two parts.
        if number == 3 and key != "risk_meeting":
            if part not in (1, 2):
                raise item.error("part", "stage three items need part = 1 or part = 2")
        elif part is not None:
            raise item.error("part", "only stage three work with adults or young person has parts")
        stage_item = StageItem(item.identifier("id"), item.text("text"), part)
        if stage_item.id in seen:
            raise item.error("id", f"duplicate item id {_describe(stage_item.id)}")
        seen.add(stage_item.id)
        item.done()
        items.append(stage_item)
    return tuple(items)


def parse_intervention(name: str, text: str) -> InterventionForms:
    """Parse forms/intervention.toml. Raises FormError naming `name` and the key path at fault."""
    root = _load_toml(name, text)
    stage_tables = root.tables("stages")
    if len(stage_tables) != STAGE_COUNT:
        raise root.error(
            "stages", f"expected exactly {STAGE_COUNT} stages, got {len(stage_tables)}"
        )
    seen: set[str] = set()
    stages = []
    for expected, table in enumerate(stage_tables, start=1):
        number = table.integer("number")
        if number != expected:
            raise table.error("number", f"expected {expected} here, got {number}")
        responsibility = table.text("responsibility")
        if responsibility not in RESPONSIBILITY_IDS:
            raise table.error("responsibility", f"expected one of {', '.join(RESPONSIBILITY_IDS)}")
        stages.append(
            StageDef(
                number=number,
                id=table.identifier("id"),
                title=table.text("title"),
                summary=table.text("summary"),
                adults=_read_stage_items(table, "adults", number, seen),
                young_person=_read_stage_items(table, "young_person", number, seen),
                risk_meeting=_read_stage_items(table, "risk_meeting", number, seen),
                responsibility=responsibility,
            )
        )
        table.done()
    _check_unique([(t, s.id) for t, s in zip(stage_tables, stages, strict=True)], "id", "stage id")
    responsibility_tables = root.tables("responsibility")
    _read_fixed_ids(responsibility_tables, root, "responsibility", RESPONSIBILITY_IDS)
    options = []
    for table in responsibility_tables:
        options.append(Prompt(table.identifier("id"), table.text("label")))
        table.done()
    progress_table = root.table("progress")
    progress = ProgressScale(
        progress_table.integer("min"),
        progress_table.integer("max"),
        progress_table.text("low_label"),
        progress_table.text("high_label"),
    )
    if not 0 <= progress.min < progress.max <= 100:
        raise progress_table.error("max", "expected 0 <= min < max <= 100")
    progress_table.done()
    root.done()
    return InterventionForms(tuple(stages), tuple(options), progress)
