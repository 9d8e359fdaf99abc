"""A practitioner and a supervisor who know each other, a version made ready for review, and
the one small transport the review tests use: a shared-folder round at each end."""

from __future__ import annotations

from pathlib import Path

from aim3desk.domain.assessment import UNKNOWN_RATING
from aim3desk.domain.assessment_items import (
    DomainNotes,
    FactorRating,
    Formulation,
    Recommendations,
)
from aim3desk.domain.assessment_items import FormulationPart as Part
from aim3desk.domain.assessment_items import FormulationPartId as PartId
from aim3desk.services.bundles import ImportOutcome
from aim3desk.services.session import Session
from bundle_people import introduce


def acquaint(practitioner: Session, supervisor: Session) -> tuple[str, str]:
    """Both confirm each other's cards; the practitioner names the supervisor as theirs.
    (practitioner's fingerprint, supervisor's fingerprint)"""
    supervisor_fp = introduce(practitioner, supervisor)
    practitioner.identity.set_supervisor(supervisor_fp)
    practitioner_fp = introduce(supervisor, practitioner)
    return practitioner_fp, supervisor_fp


def make_ready(session: Session, assessment_id: str) -> None:
    """Fill the version so it passes the readiness check: every factor rated with a reason,
    strengths in every domain, no open unknown, every formulation part and recommendations
    written."""
    assessment = session.assessments.assessment(assessment_id)
    content = session.assessments.load(assessment_id)
    form_set = session.assessments.form_set
    model = form_set.model(assessment.model.value)
    rating = next(v for v in model.scale.values if v != UNKNOWN_RATING)
    items: list[object] = []
    for domain in form_set.domains_for(model.id):
        for factor in domain.factors:
            items.append(FactorRating(domain.id, factor.slot, rating, "Invented reason."))
        notes = content.notes(domain.id)
        items.append(DomainNotes(domain.id, notes.concerns, notes.strengths or "Invented."))
    formulation = Formulation()
    for part_id in PartId:
        old = content.formulation.part(part_id)
        formulation = formulation.with_part(part_id, Part(old.text or "Written (invented)."))
    items.append(formulation)
    if content.recommendations.is_empty:
        items.append(Recommendations("Invented intervention.", "Invented level.", "Invented."))
    session.assessments.save_items(
        assessment_id, items, [("unknown", u.id) for u in content.open_unknowns()]
    )


def deliver(sender: Session, receiver: Session, share: Path) -> list[ImportOutcome]:
    """One shared-folder round at the sender (delivers its outbox) and one at the receiver
    (collects what is addressed to it): what the receiver took in or set aside."""
    if not share.exists():
        share.mkdir(parents=True)
        sender.sync.init_share(share)
    sent = sender.sync.round(share)
    assert not sent.offline and not sent.failures, sent.message
    taken = receiver.sync.round(share)
    assert not taken.offline, taken.message
    return taken.collected
