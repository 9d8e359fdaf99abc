"""A supervisor's review arriving at the practitioner's profile (through
`session.bundles.import_bundle`, so manual import, quarantine and the shared-folder round all
take it in the same way).

After the bundle checks, domain/review_checks.py decides whether the review counts. Then, in
one transaction with the bundle's record: the review is stored as received; a sign-off is
audited with the supervisor's name, date and fingerprint (the version, finished when it was
sent, is now signed off by domain.review.signing_review); a return opens a new version based
on the reviewed one (or uses a newer open version) and lists each comment as a thing to do.
Only finished versions are reviewed, so what a sign-off covers cannot change after it was
sent.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from aim3desk.domain.bundle import DamagedBundle, document_to_manifest
from aim3desk.domain.review import (
    REVIEW_MEMBER_NAME,
    DamagedReview,
    Decision,
    Review,
    review_from_bytes,
)
from aim3desk.domain.review_checks import SentBundleFacts, check_review
from aim3desk.services.assessments import AssessmentService
from aim3desk.services.bundles import ImportOutcome, OpenedBundle
from aim3desk.services.identity import IdentityService
from aim3desk.store.bundle_log import SENT, BundleRecord
from aim3desk.store.review_log import RECEIVED
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

AUDIT_SIGNED_OFF = "review.signed-off"
AUDIT_RETURNED = "review.returned"


class ReviewReceiver:
    def __init__(
        self,
        uow: UnitOfWork,
        actor: str,
        identity: IdentityService,
        assessments: AssessmentService,
    ):
        self._uow = uow
        self.actor = actor
        self._identity = identity
        self._assessments = assessments

    def __call__(self, opened: OpenedBundle, record: BundleRecord) -> ImportOutcome:
        manifest = opened.manifest
        data = opened.members.get(REVIEW_MEMBER_NAME)
        if data is None:
            raise DamagedBundle("This review bundle holds no review, so it was not imported.")
        try:
            review = review_from_bytes(data)
        except DamagedReview as exc:
            raise DamagedBundle(f"{exc} It was not imported.") from None
        me = self._identity.me().fingerprint
        with self._uow.read() as tx:
            contact = tx.people.contact(manifest.author.fingerprint)
            sent = tx.bundles.get(review.reviewed.bundle_id)
            earlier = tx.reviews.of_reviewed_bundle(review.reviewed.bundle_id)
        check_review(
            review,
            manifest,
            me=me,
            signer_is_supervisor=bool(contact and contact.confirmed and contact.supervisor),
            sent=sent_bundle_facts(sent),
            already_decided=any(
                s.direction == RECEIVED
                and s.review.supervisor.fingerprint == review.supervisor.fingerprint
                for s in earlier
            ),
        )
        with self._uow.write() as tx:
            tx.bundles.add(record, opened.members)
            tx.reviews.save(review, RECEIVED, tx.now_text(), bundle_id=manifest.bundle_id)
            if review.decision is Decision.SIGN_OFF:
                note = self._signed_off(tx, review)
            else:
                note = self._returned(tx, review)
        return ImportOutcome(None, "imported", manifest, note=note)

    def _signed_off(self, tx: StoreWriter, review: Review) -> str:
        reviewed = review.reviewed  # finished when sent (review_checks), so read-only
        when = (review.decided_at or datetime.now(UTC)).astimezone(UTC)
        tx.audit(
            self.actor,
            AUDIT_SIGNED_OFF,
            reviewed.case_reference,
            {
                "assessment_id": reviewed.assessment_id,
                "version": reviewed.assessment_version,
                "supervisor": review.supervisor.name,
                "fingerprint": review.supervisor.fingerprint,
                "date": when.date().isoformat(),
                "review_id": review.review_id,
                "bundle_id": reviewed.bundle_id,
            },
        )
        return (
            f"version {reviewed.assessment_version} signed off by {review.supervisor.name} "
            f"on {when.date().isoformat()}."
        )

    def _returned(self, tx: StoreWriter, review: Review) -> str:
        reviewed = review.reviewed
        case = tx.cases.get(reviewed.case_id)
        newer_open = None
        if case is not None:
            latest = case.current_assessment
            if latest is not None and not latest.finished and latest.id != reviewed.assessment_id:
                newer_open = latest
        if newer_open is not None:
            target, started = newer_open, False
        else:
            target, started = self._assessments.new_version(reviewed.case_id), True
        tx.reviews.add_todos(review.review_id, [c.id for c in review.comments], target.id)
        tx.audit(
            self.actor,
            AUDIT_RETURNED,
            reviewed.case_reference,
            {
                "assessment_id": reviewed.assessment_id,
                "version": reviewed.assessment_version,
                "supervisor": review.supervisor.name,
                "fingerprint": review.supervisor.fingerprint,
                "review_id": review.review_id,
                "todos_on": target.id,
                "todos": len(review.comments),
                "new_version": started,
            },
        )
        where = (
            f"version {target.version} was started from it"
            if started
            else f"they are listed on version {target.version}"
        )
        return (
            f"returned for amendments by {review.supervisor.name} with "
            f"{len(review.comments)} comment(s); {where}."
        )


def sent_bundle_facts(sent: BundleRecord | None) -> SentBundleFacts:
    """What the review checks need of the bundle it names, if this profile sent it."""
    if sent is None or sent.direction != SENT:
        return SentBundleFacts(None, None, None, None)
    manifest = document_to_manifest(json.loads(sent.manifest))
    return SentBundleFacts(
        sent.kind,
        sent.file_sha256,
        manifest.assessment_id,
        sent.case_id,
        bool(manifest.finished),
    )
