"""A supervisor's review of one assessment version, and the rule for a real sign-off.

A practitioner sends a version for review as an assessment bundle. The supervisor works
through the session-three checklist (forms/supervision.toml, session type
"assessment_three"), writes comments anchored to the items they concern, and decides: sign
off, or return for amendments. The decision travels back as a review bundle signed with the
supervisor's own key; its `review.json` member is the document this module reads and writes.

A sign-off names the exact version (assessment id and number) and the SHA-256 of the bundle
file it reviewed, so it covers that file and nothing edited later (a change starts a new
version). The rules, pure Python:
- a sign-off needs every checklist item ticked (the "sign off the report" item is the
  signature itself and is ticked by the decision);
- a return needs at least one comment or a written reason;
- a version is signed off only by a received sign-off that names it and the hash of a bundle
  this profile sent of it (`signing_review`); sign_off.py asks this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from aim3desk.domain.limits import MAX_BUNDLE_BYTES
from aim3desk.domain.outside_input import OutsideInputError, read_json

REVIEW_FORMAT = "aim3desk-review"
REVIEW_VERSION = 1
REVIEW_MEMBER_NAME = "review.json"
CHECKLIST_SESSION_TYPE = "assessment_three"  # forms/supervision.toml
SIGN_OFF_ITEM = "sign_off"  # the checklist item that the decision itself ticks
MAX_COMMENTS = 500
MAX_TEXT = 20_000


class Decision(StrEnum):
    SIGN_OFF = "sign_off"
    RETURN = "return"

    @property
    def label(self) -> str:
        return "Signed off" if self is Decision.SIGN_OFF else "Returned for amendments"


class AnchorKind(StrEnum):
    """What a comment is about. ref is the domain id, "domain:slot" for a factor, the
    evidence entry id, the formulation part id, or the report section's title."""

    GENERAL = "general"
    DOMAIN = "domain"
    FACTOR = "factor"
    EVIDENCE = "evidence"
    FORMULATION = "formulation"
    REPORT_SECTION = "report_section"

    @property
    def label(self) -> str:
        return _ANCHOR_LABELS[self]


_ANCHOR_LABELS = {
    AnchorKind.GENERAL: "The assessment as a whole",
    AnchorKind.DOMAIN: "Domain",
    AnchorKind.FACTOR: "Factor",
    AnchorKind.EVIDENCE: "Evidence entry",
    AnchorKind.FORMULATION: "Formulation",
    AnchorKind.REPORT_SECTION: "Report section",
}


@dataclass(frozen=True)
class Anchor:
    """Where a comment belongs: the item's id plus the words it quoted, so a comment whose
    item has since changed or gone is shown as orphaned (with its quote), never dropped."""

    kind: AnchorKind
    ref: str = ""
    label: str = ""  # the item's name as the supervisor saw it ("Domain 2: ...")
    quote: str = ""


@dataclass(frozen=True)
class Comment:
    id: str
    anchor: Anchor
    text: str


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    done: bool = False
    note: str = ""


@dataclass(frozen=True)
class ReviewedVersion:
    """What a review covers: one bundle of one assessment version."""

    case_id: str
    case_reference: str
    assessment_id: str
    assessment_version: int
    bundle_id: str
    bundle_sha256: str
    practitioner_fingerprint: str


@dataclass(frozen=True)
class Supervisor:
    name: str
    fingerprint: str


@dataclass(frozen=True)
class Review:
    review_id: str
    reviewed: ReviewedVersion
    supervisor: Supervisor
    checklist: tuple[ChecklistItem, ...] = ()
    comments: tuple[Comment, ...] = ()
    decision: Decision | None = None  # None while a draft
    reasons: str = ""
    decided_at: datetime | None = None  # UTC
    sent_with_reason: str = ""  # the practitioner's reason for sending an unready version
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def decided(self) -> bool:
        return self.decision is not None


class ReviewProblem(ValueError):  # noqa: N818 - reads as what happened
    """A decision that cannot be made yet; str() is a sentence for a person."""


def decision_problems(review: Review, decision: Decision) -> list[str]:
    """What stops this decision, in words (empty when it may be made)."""
    problems: list[str] = []
    if decision is Decision.SIGN_OFF:
        open_items = [i.text for i in review.checklist if not i.done and i.id != SIGN_OFF_ITEM]
        problems += [f"Checklist item not done: {text}" for text in open_items]
    elif not review.comments and not review.reasons.strip():
        problems.append("A return needs at least one comment or a written reason.")
    return problems


def decide(review: Review, decision: Decision, reasons: str, at: datetime) -> Review:
    """The review with its decision made; ReviewProblem if the rules above forbid it."""
    if review.decided:
        raise ReviewProblem("This review has already been decided.")
    candidate = replace(review, reasons=reasons.strip())
    problems = decision_problems(candidate, decision)
    if problems:
        raise ReviewProblem(" ".join(problems))
    checklist = tuple(
        replace(i, done=True) if i.id == SIGN_OFF_ITEM and decision is Decision.SIGN_OFF else i
        for i in candidate.checklist
    )
    return replace(candidate, decision=decision, decided_at=at, checklist=checklist)


# -- the one rule for "signed off" ----------------------------------------------------------


@dataclass(frozen=True)
class SentVersion:
    """A bundle this profile sent of an assessment version, with the hash of its file."""

    assessment_id: str
    bundle_id: str
    sha256: str


def signing_review(
    assessment_id: str, reviews: Iterable[Review], sent: Iterable[SentVersion]
) -> Review | None:
    """The received review that signs this version off, or None.

    It must decide "sign off", name this version, and name the hash of a bundle this profile
    sent of it. Reviews reach this rule only after their bundle's signature was checked
    against a confirmed contact (services/review). The latest such review counts.
    """
    covered = {(s.assessment_id, s.bundle_id, s.sha256) for s in sent}
    signing = [
        r
        for r in reviews
        if r.decision is Decision.SIGN_OFF
        and r.reviewed.assessment_id == assessment_id
        and (assessment_id, r.reviewed.bundle_id, r.reviewed.bundle_sha256) in covered
    ]
    return max(signing, key=lambda r: r.decided_at or datetime.min, default=None)


# -- the review document (review.json) ------------------------------------------------------


def review_to_document(review: Review) -> dict:
    reviewed = review.reviewed
    return {
        "format": REVIEW_FORMAT,
        "version": REVIEW_VERSION,
        "review_id": review.review_id,
        "reviewed": {
            "case_id": reviewed.case_id,
            "case_reference": reviewed.case_reference,
            "assessment_id": reviewed.assessment_id,
            "assessment_version": reviewed.assessment_version,
            "bundle_id": reviewed.bundle_id,
            "bundle_sha256": reviewed.bundle_sha256,
            "practitioner_fingerprint": reviewed.practitioner_fingerprint,
        },
        "supervisor": {
            "name": review.supervisor.name,
            "fingerprint": review.supervisor.fingerprint,
        },
        "checklist": [
            {"id": i.id, "text": i.text, "done": i.done, "note": i.note} for i in review.checklist
        ],
        "comments": [
            {
                "id": c.id,
                "anchor": {
                    "kind": c.anchor.kind.value,
                    "ref": c.anchor.ref,
                    "label": c.anchor.label,
                    "quote": c.anchor.quote,
                },
                "text": c.text,
            }
            for c in review.comments
        ],
        "decision": review.decision.value if review.decision else None,
        "reasons": review.reasons,
        "decided_at": review.decided_at.isoformat() if review.decided_at else None,
        "sent_with_reason": review.sent_with_reason,
    }


def review_bytes(review: Review) -> bytes:
    text = json.dumps(review_to_document(review), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


class DamagedReview(ValueError):  # noqa: N818 - reads as what happened
    """A review document that does not hold together; str() names what is wrong."""


def _text(value: object, where: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise DamagedReview(f"The review's {where} is not text of a sensible length.")
    return value


def document_to_review(document: object) -> Review:
    """A Review from review.json's parsed JSON; DamagedReview when it does not fit."""
    try:
        if not isinstance(document, dict) or document.get("format") != REVIEW_FORMAT:
            raise DamagedReview("This is not an AIM3 Desk review.")
        if document.get("version") != REVIEW_VERSION:
            raise DamagedReview("This review was written by a newer AIM3 Desk.")
        reviewed = document["reviewed"]
        version = reviewed["assessment_version"]
        if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 10_000:
            raise DamagedReview("The review names an impossible version number.")
        comments = document["comments"]
        if not isinstance(comments, list) or len(comments) > MAX_COMMENTS:
            raise DamagedReview("The review holds too many comments.")
        decision = document.get("decision")
        decided_at = document.get("decided_at")
        return Review(
            review_id=_text(document["review_id"], "id", 64),
            reviewed=ReviewedVersion(
                case_id=_text(reviewed["case_id"], "case id", 64),
                case_reference=_text(reviewed["case_reference"], "case reference", 40),
                assessment_id=_text(reviewed["assessment_id"], "assessment id", 64),
                assessment_version=version,
                bundle_id=_text(reviewed["bundle_id"], "bundle id", 64),
                bundle_sha256=_text(reviewed["bundle_sha256"], "bundle hash", 64),
                practitioner_fingerprint=_text(
                    reviewed["practitioner_fingerprint"], "practitioner", 24
                ),
            ),
            supervisor=Supervisor(
                _text(document["supervisor"]["name"], "supervisor's name", 200),
                _text(document["supervisor"]["fingerprint"], "supervisor's fingerprint", 24),
            ),
            checklist=tuple(
                ChecklistItem(
                    _text(i["id"], "checklist id", 64),
                    _text(i["text"], "checklist text", 500),
                    bool(i["done"]),
                    _text(i.get("note", ""), "checklist note"),
                )
                for i in document["checklist"]
            ),
            comments=tuple(
                Comment(
                    _text(c["id"], "comment id", 64),
                    Anchor(
                        AnchorKind(c["anchor"]["kind"]),
                        _text(c["anchor"].get("ref", ""), "comment's item", 200),
                        _text(c["anchor"].get("label", ""), "comment's item name", 500),
                        _text(c["anchor"].get("quote", ""), "comment's quote", 2_000),
                    ),
                    _text(c["text"], "comment"),
                )
                for c in comments
            ),
            decision=Decision(decision) if decision is not None else None,
            reasons=_text(document.get("reasons", ""), "reasons"),
            decided_at=datetime.fromisoformat(decided_at) if decided_at else None,
            sent_with_reason=_text(document.get("sent_with_reason", ""), "reason for sending"),
        )
    except DamagedReview:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DamagedReview(f"This review is damaged ({type(exc).__name__}).") from None


def review_from_bytes(data: bytes) -> Review:
    try:
        document = read_json(data, "This review", MAX_BUNDLE_BYTES)
    except OutsideInputError as exc:
        raise DamagedReview(str(exc)) from None
    return document_to_review(document)


def checklist_from_agenda(agenda: Sequence[tuple[str, str]]) -> tuple[ChecklistItem, ...]:
    """A fresh checklist from the session-three agenda's (id, text) pairs."""
    return tuple(ChecklistItem(item_id, text) for item_id, text in agenda)
