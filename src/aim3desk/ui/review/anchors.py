"""Where a review comment belongs, both ways.

In the review window: the anchor of the item the supervisor last had in hand on a workspace
page (a factor card, an evidence entry, a formulation part, else the domain or the page) -
"Comment on this" uses it - and every item that can be picked by hand.

At the practitioner: whether a comment's item is still in the version on screen; one whose
item changed shape or went is orphaned and shown with the words it quoted, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from aim3desk.domain.assessment import AssessmentContent, FormulationPartId
from aim3desk.domain.forms import FormSet, ModelDef
from aim3desk.domain.review import Anchor, AnchorKind, Comment
from aim3desk.ui.assessment.domain_page import DomainPage
from aim3desk.ui.assessment.factor_card import FactorCard
from aim3desk.ui.assessment.formulation_page import FormulationPage
from aim3desk.ui.assessment.pages import AssessmentPage

QUOTE_CHARS = 240
GENERAL = Anchor(AnchorKind.GENERAL, "", AnchorKind.GENERAL.label)


def quote_of(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 3].rstrip() + "..."


def factor_ref(domain_id: str, slot: int) -> str:
    return f"{domain_id}:{slot}"


def split_factor_ref(ref: str) -> tuple[str, int] | None:
    domain_id, _, slot = ref.rpartition(":")
    return (domain_id, int(slot)) if domain_id and slot.isdigit() else None


# -- building anchors -----------------------------------------------------------------------


def domain_anchor(form_set: FormSet, content: AssessmentContent, domain_id: str) -> Anchor:
    notes = content.notes(domain_id)
    return Anchor(
        AnchorKind.DOMAIN,
        domain_id,
        form_set.domain(domain_id).title,
        quote_of(notes.concerns or notes.strengths),
    )


def factor_anchor(
    form_set: FormSet, content: AssessmentContent, domain_id: str, slot: int
) -> Anchor:
    domain = form_set.domain(domain_id)
    factor = next((f for f in domain.factors if f.slot == slot), None)
    name = f"{domain.title}, factor {slot}" + (f": {factor.label}" if factor else "")
    rating = content.rating(domain_id, slot)
    return Anchor(AnchorKind.FACTOR, factor_ref(domain_id, slot), name, quote_of(rating.rationale))


def evidence_anchor(content: AssessmentContent, evidence_id: str) -> Anchor:
    entry = content.evidence_entry(evidence_id)
    return Anchor(
        AnchorKind.EVIDENCE,
        evidence_id,
        f"Evidence: {quote_of(entry.text)[:60]}",
        quote_of(entry.text),
    )


def formulation_anchor(content: AssessmentContent, part_id: FormulationPartId) -> Anchor:
    part = content.formulation.part(part_id)
    return Anchor(
        AnchorKind.FORMULATION, part_id.value, f"Formulation: {part_id.label}", quote_of(part.text)
    )


def section_anchor(title: str) -> Anchor:
    return Anchor(AnchorKind.REPORT_SECTION, title, f"Report: {title}", "")


def anchor_in_page(page: AssessmentPage, widget: QWidget | None) -> Anchor:
    """The anchor for `widget` (the last widget in hand) on `page`."""
    content = page.editor.content
    form_set = page.context.form_set
    if isinstance(page, DomainPage):
        inside = widget
        while inside is not None and inside is not page:
            if isinstance(inside, FactorCard):
                return factor_anchor(form_set, content, page.domain.id, inside.slot)
            if inside is page.evidence_list:
                entry = page.evidence_list.current_entry()
                if entry is not None:
                    return evidence_anchor(content, entry.id)
            inside = inside.parentWidget()
        return domain_anchor(form_set, content, page.domain.id)
    if isinstance(page, FormulationPage):
        editors = {id(editor): part_id for part_id, editor in page.parts.items()}
        inside = widget
        while inside is not None and inside is not page:
            if id(inside) in editors:
                return formulation_anchor(content, editors[id(inside)])
            inside = inside.parentWidget()
        return Anchor(AnchorKind.FORMULATION, "", "Formulation as a whole", "")
    return Anchor(AnchorKind.GENERAL, page.nav_key, page.title, "")


def pickable_anchors(
    form_set: FormSet,
    model: ModelDef,
    content: AssessmentContent,
    sections: list[str],
) -> list[Anchor]:
    """Every item a comment can be attached to, in the order a reader meets them."""
    anchors = [GENERAL]
    for domain in form_set.domains_for(model.id):
        anchors.append(domain_anchor(form_set, content, domain.id))
        anchors += [factor_anchor(form_set, content, domain.id, f.slot) for f in domain.factors]
        anchors += [evidence_anchor(content, e.id) for e in content.evidence_for(domain.id)]
    anchors += [formulation_anchor(content, part_id) for part_id in FormulationPartId]
    anchors += [section_anchor(title) for title in sections]
    return anchors


# -- finding a comment's item at the practitioner --------------------------------------------


@dataclass(frozen=True)
class PlacedComment:
    """A comment received, with who wrote it, and whether its item is still there."""

    comment: Comment
    supervisor: str
    review_id: str
    orphaned: bool


def is_present(anchor: Anchor, content: AssessmentContent, form_set: FormSet) -> bool:
    kind, ref = anchor.kind, anchor.ref
    if kind in (AnchorKind.GENERAL, AnchorKind.REPORT_SECTION):
        return True
    if kind is AnchorKind.DOMAIN:
        return any(d.id == ref for d in form_set.domains)
    if kind is AnchorKind.FACTOR:
        split = split_factor_ref(ref)
        if split is None:
            return False
        domain = next((d for d in form_set.domains if d.id == split[0]), None)
        return domain is not None and any(f.slot == split[1] for f in domain.factors)
    if kind is AnchorKind.EVIDENCE:
        return any(e.id == ref for e in content.evidence)
    if kind is AnchorKind.FORMULATION:
        return ref == "" or ref in {p.value for p in FormulationPartId}
    return False
