"""A real signed-off version for the tests: a supervisor profile, a real assessment bundle
sent to it (so the practitioner's profile records the file's hash), a real review decided by
domain/review.py's rules, and that review received by the practitioner.

TODO(review import): the received review is written through the store repository
(tx.reviews.save, direction "received"), as services/review would after checking the review
bundle's signature. Once the review service's import is on main, build a real review bundle
at the supervisor and import it at the practitioner here instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
)
from aim3desk.domain.review import (
    CHECKLIST_SESSION_TYPE,
    Decision,
    Review,
    ReviewedVersion,
    Supervisor,
    checklist_from_agenda,
    decide,
)
from aim3desk.services.forms_loader import load_supervision
from aim3desk.services.session import Session
from aim3desk.store.review_log import RECEIVED
from bundle_people import introduce

UNREADY_REASON = "Finished for the test with an empty assessment"


def supervised_by(practitioner: Session, supervisor: Session) -> str:
    """Both have confirmed each other's cards; the supervisor is named as such. Their
    fingerprint."""
    me = supervisor.identity.me().fingerprint
    if me not in {c.fingerprint for c in practitioner.identity.contacts()}:
        introduce(practitioner, supervisor)
        introduce(supervisor, practitioner)
    practitioner.identity.set_supervisor(me)
    return me


def send_current_version(practitioner: Session, supervisor: Session, case_id: str, out: Path):
    """The current version, finished (with an override reason if it is not ready), sent to
    the supervisor as a real bundle and imported there. The ExportedBundle."""
    to = supervised_by(practitioner, supervisor)
    current = practitioner.cases.get_case(case_id).current_assessment
    assert current is not None
    if not current.finished:
        practitioner.assessments.finish(current.id, override_reason=UNREADY_REASON)
    out.mkdir(parents=True, exist_ok=True)
    sent = practitioner.bundles.export_assessment(case_id, [to], out)
    assert supervisor.bundles.import_files([sent.path])[0].status == "imported"
    return sent


def decided_review(
    practitioner: Session,
    supervisor: Session,
    sent,
    decision: Decision = Decision.SIGN_OFF,
    at: datetime | None = None,
) -> Review:
    """The supervisor's review of the sent bundle, its checklist worked through, decided."""
    manifest = sent.manifest
    agenda = load_supervision().session_type(CHECKLIST_SESSION_TYPE).agenda
    checklist = tuple(
        replace(item, done=True) for item in checklist_from_agenda([(p.id, p.text) for p in agenda])
    )
    review = Review(
        review_id=new_id(),
        reviewed=ReviewedVersion(
            case_id=manifest.case_id,
            case_reference=manifest.case_reference,
            assessment_id=manifest.assessment_id,
            assessment_version=manifest.assessment_version,
            bundle_id=manifest.bundle_id,
            bundle_sha256=hashlib.sha256(sent.path.read_bytes()).hexdigest(),
            practitioner_fingerprint=practitioner.identity.me().fingerprint,
        ),
        supervisor=Supervisor(supervisor.practitioner, supervisor.identity.me().fingerprint),
        checklist=checklist,
    )
    reasons = "" if decision is Decision.SIGN_OFF else "Please add the strengths."
    return decide(review, decision, reasons, at or datetime.now(UTC))


def receive_review(practitioner: Session, review: Review) -> None:
    """The practitioner's profile holds the review as received (see the module's TODO)."""
    with practitioner._uow.write() as tx:
        tx.reviews.save(review, RECEIVED, tx.now_text())


def sign_off_current_version(
    practitioner: Session,
    supervisor: Session,
    case_id: str,
    out: Path,
    at: datetime | None = None,
) -> Review:
    """Send, review, sign off and receive: the case's current version is signed off."""
    sent = send_current_version(practitioner, supervisor, case_id, out)
    review = decided_review(practitioner, supervisor, sent, Decision.SIGN_OFF, at)
    receive_review(practitioner, review)
    return review


def ready_items(session: Session, assessment_id: str) -> list[object]:
    """Items that make the version pass the readiness check: every factor rated with a
    rationale, strengths in every domain, every formulation part written."""
    from aim3desk.domain.assessment_items import (
        DomainNotes,
        FactorRating,
        Formulation,
        FormulationPart,
        FormulationPartId,
    )

    form_set = session.assessments.form_set
    model = session.assessments.assessment(assessment_id).model.value
    items: list[object] = []
    for domain in form_set.domains_for(model):
        items += [
            FactorRating(domain.id, f.slot, "some_concern", "Seen in the invented notes.")
            for f in domain.factors
        ]
        items.append(DomainNotes(domain.id, "", "Invented strengths."))
    formulation = Formulation()
    for part in FormulationPartId:
        formulation = formulation.with_part(part, FormulationPart("Invented formulation."))
    return [*items, formulation]


def new_case(
    session: Session,
    reference: str,
    *,
    requested: date | None = None,
    status: CaseStatus = CaseStatus.IN_ASSESSMENT,
) -> Case:
    """An invented case with its first version (AIM3), requested today unless said."""
    requested = requested or date.today()
    case = Case(
        id=new_id(),
        reference=reference,
        young_person_name="Fennimore Madeupson",
        date_of_birth=date(2010, 3, 4),
        lead_agency=LeadAgency.YOS,
        lead_worker=session.practitioner,
        requested_by=Requester.CASE_WORKER,
        request_date=requested,
        status=status,
    )
    return session.cases.add_case(case, model=AssessmentModel.AIM3, today=date.today())
