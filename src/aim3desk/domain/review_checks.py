"""What a practitioner's profile checks before it takes in a supervisor's review, and the
refusals it gives. Pure Python: the service (services/review) gathers the facts.

A review bundle has already passed the bundle checks (decrypted with our key, signed by a
confirmed contact, every member's hash right, addressed to us). On top of that a review must
come from one of our supervisors, name that supervisor as its signer, cover a bundle this
profile sent of a finished version, and name the hash of that very file: a review can never
be moved onto a different version, and what it covers cannot change after it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from aim3desk.domain.bundle import BundleRefused, Manifest
from aim3desk.domain.review import Review


class ReviewRefused(BundleRefused):
    """A review bundle that opened but cannot count as a review of our work."""

    reason = "review-refused"


class NotFromYourSupervisor(ReviewRefused):
    reason = "review-not-supervisor"


class ReviewOfUnknownBundle(ReviewRefused):
    reason = "review-unknown-bundle"


class ReviewedFileMismatch(ReviewRefused):
    reason = "review-hash-mismatch"


class ReplayedReview(ReviewRefused):
    reason = "review-replayed"


@dataclass(frozen=True)
class SentBundleFacts:
    """What this profile holds of the bundle a review names (None fields: not held)."""

    kind: str | None  # "assessment" when it is one we sent
    sha256: str | None
    assessment_id: str | None
    case_id: str | None
    finished: bool = False  # the version was finished (read-only) when it was sent


def check_review(
    review: Review,
    manifest: Manifest,
    *,
    me: str,
    signer_is_supervisor: bool,
    sent: SentBundleFacts,
    already_decided: bool,
) -> None:
    """Refuse (a ReviewRefused subclass, one sentence each) a review that must not count."""
    signer = manifest.author
    reviewed = review.reviewed
    if not signer_is_supervisor:
        raise NotFromYourSupervisor(
            f"This review is signed by {signer.name} ({signer.fingerprint}), who is not one of "
            "your supervisors, so it was not taken in. Name them as your supervisor first if "
            "they are."
        )
    if review.supervisor.fingerprint != signer.fingerprint:
        raise NotFromYourSupervisor(
            f"This review names {review.supervisor.name} ({review.supervisor.fingerprint}) as "
            f"its supervisor but is signed by {signer.name} ({signer.fingerprint}), so it was "
            "not taken in."
        )
    if (
        not review.decided
        or reviewed.case_id != manifest.case_id
        or reviewed.assessment_id != manifest.assessment_id
        or reviewed.practitioner_fingerprint != me
    ):
        raise ReviewRefused(
            "This review does not hold together (its decision, case, version or practitioner "
            "does not match its bundle), so it was not taken in."
        )
    if (
        sent.kind != "assessment"
        or sent.assessment_id != reviewed.assessment_id
        or sent.case_id != reviewed.case_id
    ):
        raise ReviewOfUnknownBundle(
            f"This review of case {reviewed.case_reference}, version "
            f"{reviewed.assessment_version} covers a bundle this profile never sent, so it was "
            "not taken in."
        )
    if not sent.finished:
        raise ReviewRefused(
            f"This review covers version {reviewed.assessment_version} of case "
            f"{reviewed.case_reference} as sent while still open (for information), which "
            "cannot be signed off or returned; send the version for review instead."
        )
    if sent.sha256 != reviewed.bundle_sha256:
        raise ReviewedFileMismatch(
            f"This review of case {reviewed.case_reference}, version "
            f"{reviewed.assessment_version} names a different file from the one you sent "
            "(the hashes differ), so it was not taken in."
        )
    if already_decided:
        raise ReplayedReview(
            f"{signer.name} has already decided on this bundle of case "
            f"{reviewed.case_reference}, version {reviewed.assessment_version}; this second "
            "review of it was not taken in."
        )
