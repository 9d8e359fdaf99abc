"""Operations of supervisor review, through `session.review`: send a version for review, the
supervisor's inbox, the material of one bundle and its draft review, the decision, and at
the practitioner the reviews received and their to-dos.

Every one runs on the store worker; a review changes nothing an open assessment page holds
except its comments and to-dos, which the workspace reads again on `Record.REVIEWS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aim3desk.ui.operations.assessments import OpenedAssessment
from aim3desk.ui.operations.base import Change, Changes, Query, Record

if TYPE_CHECKING:
    from aim3desk.domain.assessment import AssessmentContent
    from aim3desk.domain.cases import Assessment
    from aim3desk.domain.identity import Contact, PublicIdentity
    from aim3desk.domain.review import Decision, Review
    from aim3desk.domain.versions import Change as VersionChange
    from aim3desk.services.review import (
        DecidedReview,
        InboxEntry,
        ReviewMaterial,
        SentForReview,
        Todo,
    )
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

REVIEWS = frozenset({Record.REVIEWS})


@dataclass(frozen=True)
class SendCheck:
    """What "Send for review" shows before anything is built: the version that will go, its
    content (the dialog runs the readiness check on it), the confirmed supervisors and you."""

    assessment: Assessment
    content: AssessmentContent
    supervisors: list[Contact]
    me: PublicIdentity


def read_send_check(runner: TaskRunner, session: Session, case_id: str) -> Query[SendCheck]:
    assessments, identity, cases = session.assessments, session.identity, session.cases

    def read() -> SendCheck:
        assessment = cases.get_case(case_id).current_assessment
        if assessment is None:
            raise LookupError("This case has no assessment to send.")
        supervisors = [c for c in identity.supervisors() if c.confirmed]
        return SendCheck(assessment, assessments.load(assessment.id), supervisors, identity.me())

    return Query(runner, read, "reading the version to send")


def send_for_review(
    runner: TaskRunner, session: Session, case_id: str, supervisors: Sequence[str], reason: str
) -> Change[SentForReview]:
    """Finish the version if it is open, build the bundle in memory and queue it for the
    shared folder (one transaction with its audit entry)."""
    review = session.review
    return Change(
        runner,
        lambda: review.send_for_review(case_id, list(supervisors), reason),
        "sending the version for review",
        Changes(case_id=case_id, case_details=True, case_list=True, records=REVIEWS),
    )


def read_inbox(runner: TaskRunner, session: Session) -> Query[list[InboxEntry]]:
    review = session.review
    return Query(runner, review.inbox, "reading your reviews")


@dataclass(frozen=True)
class OpenedReview:
    """One bundle in the review window: what it holds, the draft being written, and the
    version as the workspace opens one."""

    material: ReviewMaterial
    review: Review
    assessment: OpenedAssessment


def open_review(runner: TaskRunner, session: Session, bundle_id: str) -> Query[OpenedReview]:
    """The bundle's material and its draft (made on first opening: a write, which changes
    the inbox row's state to "in review"; the inbox reads it again on its next change)."""
    review = session.review

    def read() -> OpenedReview:
        from aim3desk.services.forms_loader import load_evidence_rules, load_screening

        material = review.material(bundle_id)
        opened = OpenedAssessment(
            material.assessment, material.content, load_evidence_rules(), load_screening()
        )
        return OpenedReview(material, review.draft(bundle_id), opened)

    return Query(runner, read, "opening the review")


def save_draft(runner: TaskRunner, session: Session, draft: Review) -> Change[Review]:
    review = session.review
    return Change(runner, lambda: review.save_draft(draft), "saving the review", Changes())


def decide(
    runner: TaskRunner, session: Session, review_id: str, decision: Decision, reasons: str
) -> Change[DecidedReview]:
    review = session.review
    return Change(
        runner,
        lambda: review.decide(review_id, decision, reasons),
        "sending the review",
        Changes(records=REVIEWS),
    )


def compare_conflict(
    runner: TaskRunner, session: Session, bundle_id: str, other_id: str
) -> Query[tuple[VersionChange, ...]]:
    """Two versions built on the same base, side by side: what differs from one to the other."""
    review = session.review
    return Query(
        runner, lambda: review.compare_received(bundle_id, other_id), "comparing the two versions"
    )


def choose_version(runner: TaskRunner, session: Session, bundle_id: str) -> Change[InboxEntry]:
    """Of two versions built on the same base, review this one (the other is superseded)."""
    review = session.review
    return Change(
        runner, lambda: review.choose(bundle_id), "choosing the version", Changes(records=REVIEWS)
    )


@dataclass(frozen=True)
class CaseReviews:
    """At the practitioner: the reviews received for a case, and of one version its to-dos
    and the review that signs it off (domain.review.signing_review, through the service)."""

    reviews: list[Review]
    todos: list[Todo]
    signing: Review | None


def read_case_reviews(
    runner: TaskRunner, session: Session, case_id: str, assessment_id: str
) -> Query[CaseReviews]:
    review = session.review
    return Query(
        runner,
        lambda: CaseReviews(
            review.reviews_of_case(case_id),
            review.todos(assessment_id),
            review.signing_review_of(assessment_id),
        ),
        "reading the supervisor's review",
    )


def set_todo(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    review_id: str,
    comment_id: str,
    done: bool,
    note: str,
) -> Change[None]:
    review = session.review
    return Change(
        runner,
        lambda: review.set_todo(review_id, comment_id, done, note),
        "saving the to-do",
        Changes(case_id=case_id, records=REVIEWS),
    )
