"""Anchors of review comments: made from an item of the reviewed version (its name and the
words it holds, quoted), and placed again on a later version, where a comment whose item has
gone or whose quoted words have changed is orphaned (shown with its quote, never dropped).
Pure Python.

Refs: a domain's id; "domain:slot" for a factor; an evidence entry's id; a formulation part's
id; a report section's title. The general anchor needs none.
"""

from __future__ import annotations

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.assessment_items import FormulationPartId
from aim3desk.domain.forms import FormSet
from aim3desk.domain.review import Anchor, AnchorKind, ReviewProblem

QUOTE_CHARS = 300


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def _factor_ref(ref: str) -> tuple[str, int]:
    domain_id, _, slot = ref.rpartition(":")
    if not domain_id or not slot.isdigit():
        raise ReviewProblem(f"A factor is named as domain:slot (such as 'domain1:2'), not '{ref}'.")
    return domain_id, int(slot)


def _item(content: AssessmentContent, form_set: FormSet, kind: AnchorKind, ref: str):
    """(label, text quoted) of the item, or None when the version has no such item."""
    try:
        if kind is AnchorKind.GENERAL:
            return kind.label, ""
        if kind is AnchorKind.DOMAIN:
            notes = content.notes(ref)
            return form_set.domain(ref).title, notes.concerns or notes.strengths
        if kind is AnchorKind.FACTOR:
            domain_id, slot = _factor_ref(ref)
            domain = form_set.domain(domain_id)
            factor = domain.factor(slot)
            return f"{factor.label} ({domain.title})", content.rating(domain_id, slot).rationale
        if kind is AnchorKind.EVIDENCE:
            entry = content.evidence_entry(ref)
            when = f" of {entry.date.isoformat()}" if entry.date else ""
            return f"Evidence entry{when}", entry.text
        if kind is AnchorKind.FORMULATION:
            part_id = FormulationPartId(ref)
            return part_id.label, content.formulation.part(part_id).text
        if kind is AnchorKind.REPORT_SECTION:
            return ref, ""
    except (KeyError, ValueError, IndexError):
        return None
    return None


def anchor_for(
    content: AssessmentContent, form_set: FormSet, kind: AnchorKind, ref: str = ""
) -> Anchor:
    """An anchor on an item of this version; ReviewProblem when there is no such item."""
    kind = AnchorKind(kind)
    ref = ref.strip()
    if kind is not AnchorKind.GENERAL and not ref:
        raise ReviewProblem(f"Say which {kind.label.lower()} the comment is about.")
    found = _item(content, form_set, kind, ref)
    if found is None:
        raise ReviewProblem(f"This version has no {kind.label.lower()} '{ref}'.")
    label, text = found
    return Anchor(kind, ref if kind is not AnchorKind.GENERAL else "", label, _quote(text))


def is_orphaned(anchor: Anchor, content: AssessmentContent, form_set: FormSet) -> bool:
    """Whether the comment can no longer be placed on this version: its item has gone, or
    the words it quoted are no longer there."""
    found = _item(content, form_set, anchor.kind, anchor.ref)
    if found is None:
        return True
    return bool(anchor.quote) and _quote(found[1]) != anchor.quote
