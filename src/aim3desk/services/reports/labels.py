"""Labels a report prints for ids: model, domain, factor, rating, source, category and
sharing class, each falling back to a readable form of the id when the forms no longer know
it (a report never fails on an old entry)."""

from __future__ import annotations

from collections.abc import Callable

from aim3desk.domain.forms import ModelDef
from aim3desk.domain.profile import Profile, profile
from aim3desk.services.reports.request import ReportRequest


def model_def(req: ReportRequest) -> ModelDef | None:
    assessment = req.assessment
    model_id = assessment.model.value if assessment else None
    if model_id is None:
        from aim3desk.domain.cases import propose_model

        model_id = propose_model(req.case.date_of_birth, req.case.request_date).value
    try:
        return req.form_set.model(model_id)
    except KeyError:
        return None


def model_name(req: ReportRequest) -> str:
    model = model_def(req)
    if model is None:
        return req.assessment.model.label if req.assessment else "Not chosen"
    return f"{model.name} ({model.min_age}-{model.max_age})"


def factor_label(req: ReportRequest, domain_id: str, slot: int) -> str:
    try:
        return req.form_set.domain(domain_id).factor(slot).label
    except KeyError:
        return f"Factor {slot}"


def domain_title(req: ReportRequest, domain_id: str | None) -> str:
    if domain_id is None:
        return "General"
    try:
        return req.form_set.domain(domain_id).title
    except KeyError:
        return domain_id.replace("_", " ").capitalize()


def rating_label(model: ModelDef | None, value: str | None) -> str:
    if value is None:
        return "Not rated"
    if model is not None:
        try:
            return model.scale.option(value).label
        except KeyError:
            pass
    return value.replace("_", " ").capitalize()


def _vocab(lookup: Callable[[str], object], value: str) -> str:
    try:
        return str(getattr(lookup(value), "label"))  # noqa: B009 - any labelled item
    except KeyError:
        return value.replace("_", " ").capitalize()


def source_label(req: ReportRequest, source: str) -> str:
    return _vocab(req.rules.source, source)


def category_label(req: ReportRequest, category: str) -> str:
    return _vocab(req.rules.category, category)


def sharing_label(req: ReportRequest, sharing: str) -> str:
    return _vocab(req.rules.sharing_class, sharing)


def the_profile(req: ReportRequest) -> Profile | None:
    model = model_def(req)
    if model is None:
        return None
    try:
        return profile(req.content, model, req.form_set)
    except KeyError:
        return None
