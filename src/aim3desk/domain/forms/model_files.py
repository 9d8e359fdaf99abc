"""The model form files, parsed from TOML text: domains.toml, models/<id>.toml and the
organisation's licensed file laid over them. The file format is documented in docs/forms.md.

Pure Python: callers pass file name -> TOML text; this module never touches the file system.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from aim3desk.domain.forms.model import (
    DOMAINS_FILE,
    FACTORS_PER_DOMAIN,
    MODELS_DIR,
    AreaDef,
    Band,
    DomainDef,
    DomainScore,
    FactorSlot,
    FormSet,
    ModelDef,
    RatingOption,
    RatingScale,
)
from aim3desk.domain.forms.reader import (
    FormError,
    Table,
    check_colour,
    check_unique,
    describe,
    load_toml,
    reject_risk_label,
)

_MAX_AGE = 25


# --------------------------------------------------------------------------------------------
# domains.toml


def _read_area(table: Table) -> AreaDef:
    area = AreaDef(
        id=table.identifier("id"), title=table.text("title"), prompts=table.texts("prompts")
    )
    table.done()
    return area


def _read_factor_slots(domain: Table) -> tuple[FactorSlot, ...]:
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


def _read_domain(table: Table) -> DomainDef:
    domain_id = table.identifier("id")
    title = table.text("title")
    summary = table.text("summary")
    strengths = table.text("strengths")
    area_tables = table.tables("areas")
    if not area_tables:
        raise table.error("areas", "must list at least one area")
    areas = [_read_area(t) for t in area_tables]
    check_unique([(t, a.id) for t, a in zip(area_tables, areas, strict=True)], "id", "area id")
    factors = _read_factor_slots(table)
    table.done()
    return DomainDef(domain_id, title, summary, strengths, tuple(areas), factors)


def _read_domains(file: str, text: str) -> tuple[DomainDef, ...]:
    root = load_toml(file, text)
    tables = root.tables("domains")
    if not tables:
        raise root.error("domains", "must list at least one domain")
    domains = [_read_domain(t) for t in tables]
    root.done()
    check_unique([(t, d.id) for t, d in zip(tables, domains, strict=True)], "id", "domain id")
    return tuple(domains)


# --------------------------------------------------------------------------------------------
# Scales, scoring and bands (model files and licensed overrides)


def _read_scale(table: Table) -> RatingScale:
    option_tables = table.tables("options")
    if not option_tables:
        raise table.error("options", "must list at least one rating option")
    options = []
    for option in option_tables:
        value = option.identifier("value")
        label = option.text("label")
        reject_risk_label(option, "label", label)
        score = option.integer("score", None)
        if score is not None and score < 0:
            raise option.error("score", f"must not be negative, got {score}")
        options.append(RatingOption(value, label, score))
        option.done()
    pairs = list(zip(option_tables, options, strict=True))
    check_unique([(t, o.value) for t, o in pairs], "value", "rating value")
    check_unique([(t, o.label) for t, o in pairs], "label", "rating label")
    scale = RatingScale(
        label=table.text("label"),
        options=tuple(options),
        strengths_recorded=table.boolean("strengths_recorded", True),
        note=table.text("note", ""),
    )
    table.done()
    return scale


def _read_domain_score(table: Table) -> DomainScore:
    value = table.text("domain_score")
    if value == "sum":
        return "sum"
    if value == "none":
        return None
    raise table.error("domain_score", f'expected "sum" or "none", got {describe(value)}')


def _read_bands(tables: list[Table]) -> tuple[Band, ...]:
    bands = []
    for table in tables:
        band = Band(
            id=table.identifier("id"),
            label=table.text("label"),
            colour=table.text("colour"),
            min=table.integer("min"),
            max=table.integer("max"),
        )
        reject_risk_label(table, "label", band.label)
        check_colour(table, "colour", band.colour)
        if band.min < 0:
            raise table.error("min", f"must not be negative, got {band.min}")
        if band.max < band.min:
            raise table.error("max", f"must be at least min ({band.min}), got {band.max}")
        table.done()
        bands.append(band)
    check_unique([(t, b.id) for t, b in zip(tables, bands, strict=True)], "id", "band id")
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
    root = load_toml(file, text)
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
                f"domains[{index}]", f"no domain {describe(domain_id)} in {DOMAINS_FILE}"
            )
        if domain_id in model_domains[:index]:
            raise root.error(f"domains[{index}]", f"duplicate domain {describe(domain_id)}")
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


def _overlay_factors(domain: DomainDef, table: Table) -> DomainDef:
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


def _overlay_model(model: ModelDef, table: Table, file: str) -> ModelDef:
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
    root = load_toml(name, text)
    organisation = root.text("organisation", "")
    domains = {d.id: d for d in form_set.domains}
    if root.has("domains"):
        for domain_id, table in root.table("domains").subtables():
            if domain_id not in domains:
                raise table.error(None, f"no domain {describe(domain_id)} in the shipped forms")
            domains[domain_id] = _overlay_factors(domains[domain_id], table)
    models = {m.id: m for m in form_set.models}
    if root.has("models"):
        for model_id, table in root.table("models").subtables():
            if model_id not in models:
                raise table.error(None, f"no model {describe(model_id)} in the shipped forms")
            models[model_id] = _overlay_model(models[model_id], table, name)
    root.done()
    return FormSet(
        domains=tuple(domains[d.id] for d in form_set.domains),
        models=tuple(models[m.id] for m in form_set.models),
        licensed_source=name,
        organisation=organisation,
    )
