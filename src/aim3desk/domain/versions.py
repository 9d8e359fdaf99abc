"""Assessment versions: a new version starts from the last finished one, and two versions are
compared side by side. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from aim3desk.domain.assessment import (
    AssessmentContent,
    EvidenceEntry,
    FormulationPartId,
    Recommendations,
    SafetyPlan,
    SharingNotes,
)
from aim3desk.domain.cases import Assessment, new_id
from aim3desk.domain.forms import FormSet, ModelDef


def new_version(
    previous: Assessment,
    previous_content: AssessmentContent,
    *,
    request_date: date | None = None,
    due_date: date | None = None,
) -> tuple[Assessment, AssessmentContent]:
    """The next version (number + 1, not finished) starting from a finished one's content.

    The content is carried over unchanged, item ids included, so compare() can match items
    across versions. The content is immutable, so sharing it is a deep copy in effect.
    """
    if not previous.finished:
        raise ValueError(
            f"version {previous.version} is still open: finish it before starting a new one"
        )
    assessment = replace(
        previous,
        id=new_id(),
        version=previous.version + 1,
        finished=False,
        request_date=request_date or previous.request_date,
        due_date=due_date or previous.due_date,
    )
    return assessment, previous_content


def latest_finished(assessments: tuple[Assessment, ...]) -> Assessment | None:
    return max((a for a in assessments if a.finished), key=lambda a: a.version, default=None)


@dataclass(frozen=True)
class Change:
    """One difference between two versions; old or new is "" when the item was added or
    removed. key names the thing in plain words (factor label and domain title)."""

    area: str  # rating, rationale, strength_note, concerns, strengths, evidence,
    # formulation, safety_plan, recommendations, sharing_notes
    key: str
    old: str
    new: str
    ref: str = ""  # domain:slot, evidence id or part id, for the UI to jump to


def _rating_text(model: ModelDef | None, value: str | None) -> str:
    if value is None:
        return ""
    if model is not None and value in model.scale.values:
        return model.scale.option(value).label
    return value


def _factor_name(form_set: FormSet, domain_id: str, slot: int) -> str:
    try:
        domain = form_set.domain(domain_id)
        return f"{domain.factor(slot).label} ({domain.title})"
    except KeyError:
        return f"{domain_id} factor {slot}"


def _domain_title(form_set: FormSet, domain_id: str) -> str:
    try:
        return form_set.domain(domain_id).title
    except KeyError:
        return domain_id


def _safety_plan_lines(plan: SafetyPlan) -> dict[str, str]:
    actions = "\n".join(
        f"{a.who}: {a.what}" + (f" ({a.where})" if a.where else "") for a in plan.actions
    )
    return {
        "Risks": plan.risks,
        "Who does what, where": actions,
        "Level of supervision": plan.supervision_level,
        "Review date": plan.review_date.isoformat() if plan.review_date else "",
    }


def _recommendation_lines(recommendations: Recommendations) -> dict[str, str]:
    return {
        "Intervention": recommendations.intervention,
        "Level of supervision": recommendations.supervision_level,
        "Who does what": recommendations.who_does_what,
    }


def _sharing_lines(notes: SharingNotes) -> dict[str, str]:
    """The partner summary, then each audience's recommendations (by id: the policy's labels
    are not needed to see what changed)."""
    lines = {"Summary for partner agencies": notes.partner_summary}
    for audience_id, text in notes.by_audience:
        lines[f"Recommendations for {audience_id.replace('-', ' ')}"] = text
    return lines


def _line_changes(area: str, before: dict[str, str], after: dict[str, str]) -> list[Change]:
    labels = [*before, *(label for label in after if label not in before)]
    return [
        Change(area, label, before.get(label, ""), after.get(label, ""), label)
        for label in labels
        if before.get(label, "") != after.get(label, "")
    ]


def _evidence_text(entry: EvidenceEntry | None) -> str:
    return entry.text if entry is not None else ""


def compare(
    old: AssessmentContent,
    new: AssessmentContent,
    form_set: FormSet,
    model: ModelDef | None = None,
) -> list[Change]:
    """What changed from old to new: ratings (shown by scale label when model is given),
    rationales, strength notes, domain concerns and strengths, evidence text, formulation
    parts, the safety plan, the recommendations and the notes for partner agencies. Items
    are matched by id (or domain and slot)."""
    changes: list[Change] = []
    domain_order = [d.id for d in form_set.domains]
    keys = {r.key for r in old.ratings} | {r.key for r in new.ratings}

    def order(key: tuple[str, int]) -> tuple[int, str, int]:
        domain_id, slot = key
        index = domain_order.index(domain_id) if domain_id in domain_order else len(domain_order)
        return (index, domain_id, slot)

    for domain_id, slot in sorted(keys, key=order):
        before, after = old.rating(domain_id, slot), new.rating(domain_id, slot)
        name = _factor_name(form_set, domain_id, slot)
        ref = f"{domain_id}:{slot}"
        if before.rating != after.rating:
            changes.append(
                Change(
                    "rating",
                    name,
                    _rating_text(model, before.rating),
                    _rating_text(model, after.rating),
                    ref,
                )
            )
        if before.rationale != after.rationale:
            changes.append(Change("rationale", name, before.rationale, after.rationale, ref))
        if before.strength_note != after.strength_note:
            changes.append(
                Change("strength_note", name, before.strength_note, after.strength_note, ref)
            )

    note_ids = {n.domain_id for n in old.domain_notes} | {n.domain_id for n in new.domain_notes}
    for domain_id in sorted(note_ids, key=lambda d: order((d, 0))):
        before_notes, after_notes = old.notes(domain_id), new.notes(domain_id)
        title = _domain_title(form_set, domain_id)
        if before_notes.concerns != after_notes.concerns:
            changes.append(
                Change("concerns", title, before_notes.concerns, after_notes.concerns, domain_id)
            )
        if before_notes.strengths != after_notes.strengths:
            changes.append(
                Change("strengths", title, before_notes.strengths, after_notes.strengths, domain_id)
            )

    old_evidence = {e.id: e for e in old.evidence}
    new_evidence = {e.id: e for e in new.evidence}
    evidence_ids = [e.id for e in old.evidence] + [
        e.id for e in new.evidence if e.id not in old_evidence
    ]
    for evidence_id in evidence_ids:
        before_text = _evidence_text(old_evidence.get(evidence_id))
        after_text = _evidence_text(new_evidence.get(evidence_id))
        if before_text != after_text or (evidence_id in old_evidence) != (
            evidence_id in new_evidence
        ):
            entry = new_evidence.get(evidence_id) or old_evidence[evidence_id]
            where = (
                _factor_name(form_set, entry.domain_id, entry.factor_slot)
                if entry.domain_id and entry.factor_slot
                else _domain_title(form_set, entry.domain_id)
                if entry.domain_id
                else "General"
            )
            dated = f", {entry.date.isoformat()}" if entry.date else ""
            changes.append(
                Change(
                    "evidence", f"Evidence: {where}{dated}", before_text, after_text, evidence_id
                )
            )

    for part_id in FormulationPartId:
        before_part, after_part = old.formulation.part(part_id), new.formulation.part(part_id)
        if before_part.text != after_part.text:
            changes.append(
                Change(
                    "formulation", part_id.label, before_part.text, after_part.text, part_id.value
                )
            )

    changes += _line_changes(
        "safety_plan", _safety_plan_lines(old.safety_plan), _safety_plan_lines(new.safety_plan)
    )
    changes += _line_changes(
        "recommendations",
        _recommendation_lines(old.recommendations),
        _recommendation_lines(new.recommendations),
    )
    changes += _line_changes(
        "sharing_notes", _sharing_lines(old.sharing_notes), _sharing_lines(new.sharing_notes)
    )
    return changes
