"""Where a review comment belongs, both ways.

In the review window: the anchor of the item the supervisor last had in hand on a workspace
page (a factor card, an evidence entry, a formulation part, else the domain or the page) -
"Comment on this" uses it - and every item that can be picked by hand.

At the practitioner: whether a comment's item is still in the version on screen; one whose
item changed shape or went is orphaned and shown with the words it quoted, never dropped.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from aim3desk.domain.assessment import AssessmentContent, FormulationPartId
from aim3desk.domain.forms import FormSet, ModelDef
from aim3desk.domain.review import Anchor, AnchorKind, ReviewProblem
from aim3desk.domain.review_anchors import anchor_for
from aim3desk.ui.assessment.domain_page import DomainPage
from aim3desk.ui.assessment.factor_card import FactorCard
from aim3desk.ui.assessment.formulation_page import FormulationPage
from aim3desk.ui.assessment.pages import AssessmentPage

GENERAL = Anchor(AnchorKind.GENERAL, "", AnchorKind.GENERAL.label)


def present_anchor(
    form_set: FormSet, content: AssessmentContent, kind: AnchorKind, ref: str = ""
) -> Anchor | None:
    """The anchor on this version's item, or None when the version has no such item."""
    try:
        return anchor_for(content, form_set, kind, ref)
    except ReviewProblem:
        return None


def section_anchor(title: str) -> Anchor:
    return Anchor(AnchorKind.REPORT_SECTION, title, title, "")


def anchor_in_page(page: AssessmentPage, widget: QWidget | None) -> Anchor:
    """The anchor for `widget` (the last widget in hand) on `page`."""
    content = page.editor.content
    form_set = page.context.form_set
    found: Anchor | None = None
    if isinstance(page, DomainPage):
        inside = widget
        while found is None and inside is not None and inside is not page:
            if isinstance(inside, FactorCard):
                ref = factor_ref(page.domain.id, inside.slot)
                found = present_anchor(form_set, content, AnchorKind.FACTOR, ref)
            elif inside is page.evidence_list:
                entry = page.evidence_list.current_entry()
                if entry is not None:
                    found = present_anchor(form_set, content, AnchorKind.EVIDENCE, entry.id)
            inside = inside.parentWidget()
        return (
            found or present_anchor(form_set, content, AnchorKind.DOMAIN, page.domain.id) or GENERAL
        )
    if isinstance(page, FormulationPage):
        editors = {id(editor): part_id for part_id, editor in page.parts.items()}
        inside = widget
        while inside is not None and inside is not page:
            if id(inside) in editors:
                part = editors[id(inside)].value
                return present_anchor(form_set, content, AnchorKind.FORMULATION, part) or GENERAL
            inside = inside.parentWidget()
    return GENERAL


def pickable_anchors(
    form_set: FormSet,
    model: ModelDef,
    content: AssessmentContent,
    sections: list[str],
) -> list[Anchor]:
    """Every item a comment can be attached to, in the order a reader meets them."""
    wanted: list[tuple[AnchorKind, str]] = []
    for domain in form_set.domains_for(model.id):
        wanted.append((AnchorKind.DOMAIN, domain.id))
        wanted += [(AnchorKind.FACTOR, factor_ref(domain.id, f.slot)) for f in domain.factors]
        wanted += [(AnchorKind.EVIDENCE, e.id) for e in content.evidence_for(domain.id)]
    wanted += [(AnchorKind.FORMULATION, part_id.value) for part_id in FormulationPartId]
    found = (present_anchor(form_set, content, kind, ref) for kind, ref in wanted)
    return [GENERAL, *(a for a in found if a is not None)] + [section_anchor(t) for t in sections]


def factor_ref(domain_id: str, slot: int) -> str:
    return f"{domain_id}:{slot}"
