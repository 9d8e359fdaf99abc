"""A real signed-off version for the tests, through the review service end to end: the
practitioner sends the version for review (finishing it, with a reason when it is not
ready), a shared-folder round delivers the bundle, the supervisor works through the
session-three checklist and signs it off, and a round brings the signed review back, where
the practitioner's profile checks and takes it in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
)
from aim3desk.domain.review import SIGN_OFF_ITEM, Decision, Review
from aim3desk.services.session import Session
from bundle_people import introduce
from review_people import deliver

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


def send_for_review(practitioner: Session, supervisor: Session, case_id: str, share: Path):
    """The current version sent for review (finished on the way, with UNREADY_REASON where
    the readiness check does not pass) and delivered to the supervisor. The bundle's id."""
    to = supervised_by(practitioner, supervisor)
    sent = practitioner.review.send_for_review(case_id, [to], reason=UNREADY_REASON)
    deliver(practitioner, supervisor, share)
    return sent.bundle_id


def decide_and_return(
    practitioner: Session,
    supervisor: Session,
    bundle_id: str,
    share: Path,
    decision: Decision = Decision.SIGN_OFF,
) -> Review:
    """The supervisor's review of that bundle, checklist worked through, decided and
    delivered back to the practitioner, who takes it in."""
    review = supervisor.review.draft(bundle_id)
    for item in review.checklist:
        if item.id != SIGN_OFF_ITEM:
            review = supervisor.review.check_item(review.review_id, item.id)
    reasons = "" if decision is Decision.SIGN_OFF else "Please add the strengths (invented)."
    decided = supervisor.review.decide(review.review_id, decision, reasons)
    [outcome] = deliver(supervisor, practitioner, share)
    assert outcome.status == "imported", outcome.message
    return decided.review


def sign_off_current_version(
    practitioner: Session, supervisor: Session, case_id: str, share: Path
) -> Review:
    """Send, review, sign off and take back: the case's current version is signed off."""
    bundle_id = send_for_review(practitioner, supervisor, case_id, share)
    return decide_and_return(practitioner, supervisor, bundle_id, share)


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
