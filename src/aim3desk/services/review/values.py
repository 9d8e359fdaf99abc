"""What ReviewService hands back: a version sent for review, the supervisor's inbox and the
material of one review, a decided review, and a returned review's things to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import Assessment, Case
from aim3desk.domain.forms import FormSet, ModelDef
from aim3desk.domain.identity import Contact
from aim3desk.domain.review import Comment, Review
from aim3desk.domain.versions import Change


class InboxState(StrEnum):
    NEW = "new"
    IN_REVIEW = "in review"  # a draft review exists
    SIGNED_OFF = "signed off"
    RETURNED = "returned"
    SUPERSEDED = "superseded"  # a later version arrived, or the other side was chosen
    CONFLICT = "conflict"  # another version was built on the same base: choose one


@dataclass(frozen=True)
class SentForReview:
    bundle_id: str
    case_reference: str
    version: int
    file_name: str
    sha256: str
    recipients: tuple[Contact, ...]
    override_reason: str  # "" when the version passed the readiness check
    finished_now: bool  # the version was open and sending finished it


@dataclass(frozen=True)
class InboxEntry:
    bundle_id: str
    case_id: str
    case_reference: str
    version: int
    assessment_id: str
    author_name: str
    author_fingerprint: str
    created: str  # UTC ISO-8601, when the practitioner made the bundle
    received_at: str
    state: InboxState
    sent_with_reason: str  # the practitioner's reason for sending an unready version
    changes: int | None  # vs the previous version received of the case; None: the first
    conflict_with: tuple[str, ...] = ()  # bundle ids built on the same base
    review_id: str | None = None  # the draft or decided review, if any


@dataclass(frozen=True)
class ReviewMaterial:
    """What the review window shows, all from the bundle as received."""

    entry: InboxEntry
    case: Case
    assessment: Assessment
    content: AssessmentContent
    form_set: FormSet
    model: ModelDef | None
    records: CaseRecords  # from the case document: never well-being responses
    report_pdf: bytes | None
    changes: tuple[Change, ...]  # vs the previous version received (empty for the first)
    sent_with_reason: str


@dataclass(frozen=True)
class DecidedReview:
    review: Review
    bundle_id: str  # the review bundle, queued for the practitioner
    file_name: str
    sha256: str


@dataclass(frozen=True)
class Todo:
    """A returned review's comment, to be dealt with on the version that amends it."""

    review: Review
    comment: Comment
    done: bool
    note: str
    done_at: str | None = None
