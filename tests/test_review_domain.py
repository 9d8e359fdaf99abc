"""The review document and its rules (domain/review.py) and the gates (domain/gates.py)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aim3desk.domain.gates import Gate, GateClosed, check_gate, needs_override
from aim3desk.domain.review import (
    SIGN_OFF_ITEM,
    Anchor,
    AnchorKind,
    ChecklistItem,
    Comment,
    DamagedReview,
    Decision,
    Review,
    ReviewedVersion,
    ReviewProblem,
    SentVersion,
    Supervisor,
    decide,
    decision_problems,
    review_bytes,
    review_from_bytes,
    signing_review,
)

AT = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)
HASH = "ab" * 32


def a_review(**changes) -> Review:
    review = Review(
        review_id="r1",
        reviewed=ReviewedVersion(
            "c1", "DEMO-0001", "a1", 1, "b1", HASH, "AAAA-BBBB-CCCC-DDDD-EEEE"
        ),
        supervisor=Supervisor("Sam Supervisor", "FFFF-GGGG-HHHH-JJJJ-KKKK"),
        checklist=(
            ChecklistItem("quality_assurance", "Quality-assure the written report."),
            ChecklistItem(SIGN_OFF_ITEM, "Sign off the report."),
        ),
    )
    return replace(review, **changes)


def test_sign_off_waits_for_every_checklist_item_but_the_signature_itself() -> None:
    review = a_review()
    assert decision_problems(review, Decision.SIGN_OFF) == [
        "Checklist item not done: Quality-assure the written report."
    ]
    with pytest.raises(ReviewProblem):
        decide(review, Decision.SIGN_OFF, "", AT)
    ticked = replace(
        review, checklist=(replace(review.checklist[0], done=True), review.checklist[1])
    )
    signed = decide(ticked, Decision.SIGN_OFF, "", AT)
    assert signed.decision is Decision.SIGN_OFF and all(i.done for i in signed.checklist)
    with pytest.raises(ReviewProblem, match="already"):
        decide(signed, Decision.RETURN, "again", AT)


def test_a_return_needs_a_comment_or_a_reason() -> None:
    with pytest.raises(ReviewProblem, match="comment"):
        decide(a_review(), Decision.RETURN, "  ", AT)
    assert decide(a_review(), Decision.RETURN, "Say more about school.", AT).decided
    commented = a_review(comments=(Comment("k1", Anchor(AnchorKind.GENERAL), "More detail"),))
    assert decide(commented, Decision.RETURN, "", AT).decision is Decision.RETURN


def test_only_a_sign_off_naming_a_bundle_this_profile_sent_signs_the_version_off() -> None:
    signed = replace(a_review(), decision=Decision.SIGN_OFF, decided_at=AT)
    sent = [SentVersion("a1", "b1", HASH)]
    assert signing_review("a1", [signed], sent) == signed
    assert signing_review("a2", [signed], sent) is None  # another version
    assert signing_review("a1", [signed], [SentVersion("a1", "b1", "cd" * 32)]) is None  # edited
    assert signing_review("a1", [signed], []) is None  # never sent by this profile
    returned = replace(signed, decision=Decision.RETURN)
    assert signing_review("a1", [returned], sent) is None


def test_the_review_document_round_trips_and_refuses_damage() -> None:
    review = decide(
        a_review(
            comments=(
                Comment("k1", Anchor(AnchorKind.FACTOR, "sexual:2", "Factor 2", "quoted"), "Why?"),
            )
        ),
        Decision.RETURN,
        "See comments",
        AT,
    )
    assert review_from_bytes(review_bytes(review)) == review
    with pytest.raises(DamagedReview):
        review_from_bytes(b'{"format": "aim3desk-review", "version": 1}')
    with pytest.raises(DamagedReview):
        review_from_bytes(b"[" * 5000)


@given(st.binary(max_size=300))
def test_any_bytes_give_a_review_or_a_damaged_review(data: bytes) -> None:
    with contextlib.suppress(DamagedReview):
        review_from_bytes(data)


def test_gates_ask_for_a_reason_only_where_the_record_would_otherwise_mislead() -> None:
    assert not needs_override(Gate.FINISH, ready=True, signed_off=False)
    assert needs_override(Gate.FINISH, ready=False, signed_off=False)
    assert needs_override(Gate.COMPLETE, ready=True, signed_off=False)
    assert not needs_override(Gate.COMPLETE, ready=False, signed_off=True)
    assert not needs_override(Gate.SHARE, ready=False, signed_off=True)
    assert check_gate(Gate.SEND, ready=True, signed_off=False, reason="") == ""
    with pytest.raises(GateClosed, match="at least"):
        check_gate(Gate.SEND, ready=False, signed_off=False, reason="urgent")
    reason = check_gate(Gate.SEND, ready=False, signed_off=False, reason=" Court  date moved up ")
    assert reason == "Court date moved up"
