"""The texts the first limits pass did not reach, held to domain/limits.py the same way: written
reasons (overrides, legal holds, retention decisions, deletions), who authorised a decision,
review comments, notes and reasons, a bundle's note, your name and contact details, the
organisation's name. Each refused where it is saved (and on the command line) with a message
naming the field, nothing saved; a review or manifest from outside over the limit refused."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from aim3desk.config import _check_value
from aim3desk.domain.cases import CaseStatus
from aim3desk.domain.gates import Gate, GateClosed, check_gate, reason_problem
from aim3desk.domain.identity import name_problem
from aim3desk.domain.limits import (
    MAX_LINE_CHARS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_TEXT_CHARS,
)
from aim3desk.domain.retention import Decision, RetentionError, check_authoriser, check_decision
from aim3desk.domain.review import (
    Anchor,
    AnchorKind,
    ChecklistItem,
    Comment,
    DamagedReview,
    Review,
    ReviewedVersion,
    ReviewProblem,
    Supervisor,
    check_review_limits,
    review_bytes,
    review_from_bytes,
)
from aim3desk.services.bundles.container import SCHEMA_FILE, load_manifest_schema
from aim3desk.services.errors import CaseFileError
from aim3desk.services.profile import ProfileService
from aim3desk.services.review.inbox import MAX_SEND_REASON_CHARS, send_note
from aim3desk.services.session import Session
from aim3desk.store.review_log import DRAFT
from bundle_people import FAST_KDF, PASSPHRASE, new_person
from cli_kit import run
from retention_cases import add_case, closed_case
from review_people import acquaint

OVER = "Too long by one " + "x" * MAX_TEXT_CHARS  # a long text one over (and more)


def _words(chars: int) -> str:
    """A reason of `chars` characters, in words (a reason needs a few)."""
    return ("word " * (chars // 5 + 1))[:chars]


# -- the rules, pure ------------------------------------------------------------------------


def test_every_written_reason_is_held_to_the_long_text_limit() -> None:
    assert reason_problem(_words(MAX_TEXT_CHARS)) is None
    assert "at most 40,000 fit here" in (reason_problem(_words(MAX_TEXT_CHARS + 1)) or "")
    with pytest.raises(GateClosed, match="Finished: This text is 40,001 characters long"):
        check_gate(Gate.FINISH, ready=False, signed_off=False, reason=_words(MAX_TEXT_CHARS + 1))


def test_who_authorised_a_decision_and_the_date_it_keeps_to() -> None:
    assert check_authoriser("  Mo   Manager ") == "Mo Manager"
    with pytest.raises(RetentionError, match=r"Who authorised the decision: .* at most 500"):
        check_authoriser("M" * (MAX_LINE_CHARS + 1))
    with pytest.raises(RetentionError, match="The new retention date: 31 December 9999"):
        check_decision(Decision.KEEP, date(9999, 12, 31), date(2026, 1, 1))


def test_a_name_on_a_card() -> None:
    assert name_problem("N" * MAX_NAME_CHARS) is None
    assert "at most 200" in (name_problem("N" * (MAX_NAME_CHARS + 1)) or "")
    assert name_problem("   ") == "Enter your name as it should appear on reports."


def test_the_organisation_name_in_settings() -> None:
    assert _check_value("organisation_name", "O" * MAX_LINE_CHARS, "settings.json") is None
    problem = _check_value("organisation_name", "O" * (MAX_LINE_CHARS + 1), "settings.json")
    assert problem and "'organisation_name'" in problem and "at most 500" in problem


def _review(**changes: object) -> Review:
    review = Review(
        "r" * 32,
        ReviewedVersion("c" * 32, "INV-1", "a" * 32, 1, "b" * 32, "f" * 64, "ABCD-EFGH"),
        Supervisor("Sam Madeupsupervisor", "HJKM-NPQR"),
        checklist=(ChecklistItem("plan", "Is the plan clear?"),),
        comments=(Comment("k" * 32, Anchor(AnchorKind.GENERAL), "Look again."),),
    )
    return replace(review, **changes)


def test_a_review_names_each_text_over_its_limit() -> None:
    check_review_limits(_review(reasons="r" * MAX_TEXT_CHARS))
    long_comment = Comment("k" * 32, Anchor(AnchorKind.GENERAL), "c" * (MAX_TEXT_CHARS + 1))
    noted = ChecklistItem("plan", "Is the plan clear?", note="n" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(ReviewProblem) as caught:
        check_review_limits(_review(comments=(long_comment,), checklist=(noted,), reasons=OVER))
    words = str(caught.value)
    for name in ("A comment:", "A note on a checklist item:", "The reasons for your decision:"):
        assert name in words
    assert "40,001 characters long; at most 40,000 fit here" in words


def test_a_review_from_outside_is_read_to_the_same_limits() -> None:
    at_limit = _review(reasons="r" * MAX_TEXT_CHARS)
    assert review_from_bytes(review_bytes(at_limit)).reasons == at_limit.reasons
    over = Comment("k" * 32, Anchor(AnchorKind.GENERAL), "c" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(DamagedReview, match="comment is not text of a sensible length"):
        review_from_bytes(review_bytes(_review(comments=(over,))))


def test_the_manifest_schema_takes_its_note_and_name_from_the_limits() -> None:
    """The published figures are the limits (so a bundle this copy makes is one an older copy
    reads), and the schema the app checks with takes them from domain/limits.py."""
    text = resources.files("aim3desk.services.bundles").joinpath(SCHEMA_FILE).read_text("utf-8")
    published = json.loads(text)
    properties = published["properties"]
    assert properties["note"]["maxLength"] == MAX_NOTE_CHARS
    assert properties["author"]["properties"]["name"]["maxLength"] == MAX_NAME_CHARS
    loaded = load_manifest_schema()["properties"]
    assert loaded["note"]["maxLength"] == MAX_NOTE_CHARS
    assert len(send_note("r" * MAX_SEND_REASON_CHARS)) == MAX_NOTE_CHARS


# -- refused where it is saved, nothing saved --------------------------------------------------


def test_hold_deletion_and_retention_reasons_are_refused_over_the_limit(session: Session) -> None:
    case = closed_case(session, "LIM-REASON")
    with pytest.raises(RetentionError, match="Reason for the legal hold: This text is"):
        session.retention.set_hold(case.id, _words(MAX_TEXT_CHARS + 1))
    assert session.retention.holds(case.id) == []
    with pytest.raises(RetentionError, match="The reason for deleting: This text is"):
        session.deletion.delete_case(case.id, _words(MAX_TEXT_CHARS + 1))
    with pytest.raises(RetentionError, match="Reason for the decision: This text is"):
        session.retention.decide(case.id, Decision.KEEP, OVER + " words", "Mo Manager")
    with pytest.raises(RetentionError, match="Who authorised the decision"):
        session.retention.decide(
            case.id, Decision.HOLD, "Linked proceedings still open", "M" * (MAX_LINE_CHARS + 1)
        )
    assert session.retention.decisions(case.id) == []
    assert session.cases.get_case(case.id).status is CaseStatus.CLOSED
    hold = session.retention.set_hold(case.id, _words(MAX_TEXT_CHARS))
    assert len(hold.reason) <= MAX_TEXT_CHARS


def test_contact_details_and_a_bundle_note_are_refused_over_their_limits(
    session: Session,
) -> None:
    with pytest.raises(ValueError, match="Your contact details: This text is 501 characters"):
        session.identity.set_contact_details("0" * (MAX_LINE_CHARS + 1))
    assert session.identity.contact_details() == ""
    case = add_case(session, "LIM-NOTE")
    with pytest.raises(CaseFileError, match=r"The note for the recipients: .* at most 4,000"):
        session.bundles.prepare_assessment(case.id, [], None, note="n" * (MAX_NOTE_CHARS + 1))


def test_a_name_too_long_for_a_card_makes_no_profile(tmp_path: Path) -> None:
    service = ProfileService(tmp_path / "profile", kdf=FAST_KDF)
    with pytest.raises(ValueError, match="a name on a card holds at most 200"):
        service.create(PASSPHRASE, "N" * (MAX_NAME_CHARS + 1))
    assert not service.exists() and not service.store_path.exists()


def test_a_send_reason_too_long_for_the_note_is_refused_before_finishing(tmp_path: Path) -> None:
    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    try:
        _alex_fp, sam_fp = acquaint(alex, sam)
        case = add_case(alex, "LIM-SEND")
        with pytest.raises(GateClosed, match=r"The reason for sending it now: .* at most 3,9"):
            alex.review.send_for_review(case.id, [sam_fp], _words(MAX_SEND_REASON_CHARS + 1))
        assert not alex.cases.get_case(case.id).current_assessment.finished
        with pytest.raises(ReviewProblem, match="How it was dealt with: This text is"):
            alex.review.set_todo("r" * 32, "c" * 32, True, "n" * (MAX_TEXT_CHARS + 1))
    finally:
        alex.close()
        sam.close()


# -- on the command line -------------------------------------------------------------------


def test_the_command_line_refuses_each_with_a_clear_message(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    folder = tmp_path / "profile"
    code, _out, err = run(capsys, folder, "init", "--name", "N" * (MAX_NAME_CHARS + 1))
    assert code == 1 and "a name on a card holds at most 200" in err
    assert not (folder / "store.db").exists()

    session = new_person(tmp_path, "Alex Inventedworker")
    closed_case(session, "LIM-CLI")
    session.close()
    folder = session.profile_dir
    code, _out, err = run(
        capsys, folder, "hold", "set", "LIM-CLI", "--reason", _words(MAX_TEXT_CHARS + 1)
    )
    assert code == 1 and "Reason for the legal hold: This text is 40,001 characters" in err
    code, _out, err = run(
        capsys, folder, "identity", "contact", "--set", "0" * (MAX_LINE_CHARS + 1)
    )
    assert code == 1 and "Your contact details: This text is 501 characters" in err


def test_a_review_draft_and_decision_over_the_limit_are_refused(session: Session) -> None:
    """The draft is stored through the store layer (as draft() would after receiving a
    bundle); saving a comment or deciding with reasons over the limit changes nothing."""
    draft = _review()
    with session._uow.write() as tx:
        tx.reviews.save(draft, DRAFT, tx.now_text())
    with pytest.raises(ReviewProblem, match="A comment: This text is 40,001 characters"):
        session.review.add_comment(draft.review_id, Anchor(AnchorKind.GENERAL), OVER[:40_001])
    with pytest.raises(ReviewProblem, match="A note on a checklist item: This text is"):
        session.review.check_item(draft.review_id, "plan", True, "n" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(ReviewProblem, match="The reasons for your decision: This text is"):
        session.review.decide(draft.review_id, "return", OVER)
    with session._uow.read() as tx:
        stored = tx.reviews.get(draft.review_id)
    assert stored is not None and stored.direction == DRAFT and stored.review == draft
