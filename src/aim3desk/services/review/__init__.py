"""A supervisor's review of an assessment version, and a real sign-off.

- service.py: ReviewService (session.review)
- practitioner.py: send for review; reviews, signing review and things to do that came back
- supervisor.py: inbox, review material, draft, decision (a signed review bundle), conflicts
- inbox.py: the inbox's states, worked out from what the store holds
- receive.py: a review bundle taken in at the practitioner (through session.bundles)
- values.py: what the service hands back
"""

from aim3desk.domain.review_checks import (
    NotFromYourSupervisor,
    ReplayedReview,
    ReviewedFileMismatch,
    ReviewOfUnknownBundle,
    ReviewRefused,
)
from aim3desk.services.review.practitioner import AUDIT_SEND, AUDIT_TODO
from aim3desk.services.review.receive import AUDIT_RETURNED, AUDIT_SIGNED_OFF
from aim3desk.services.review.service import ReviewService
from aim3desk.services.review.supervisor import (
    AUDIT_CHOOSE,
    AUDIT_EDIT,
    AUDIT_RETURN,
    AUDIT_SIGN_OFF,
    AUDIT_START,
)
from aim3desk.services.review.values import (
    DecidedReview,
    InboxEntry,
    InboxState,
    ReviewMaterial,
    SentForReview,
    Todo,
)

__all__ = [
    "AUDIT_CHOOSE",
    "AUDIT_EDIT",
    "AUDIT_RETURN",
    "AUDIT_RETURNED",
    "AUDIT_SEND",
    "AUDIT_SIGNED_OFF",
    "AUDIT_SIGN_OFF",
    "AUDIT_START",
    "AUDIT_TODO",
    "DecidedReview",
    "InboxEntry",
    "InboxState",
    "NotFromYourSupervisor",
    "ReplayedReview",
    "ReviewMaterial",
    "ReviewOfUnknownBundle",
    "ReviewRefused",
    "ReviewService",
    "ReviewedFileMismatch",
    "SentForReview",
    "Todo",
]
