"""Review end to end between two real profiles and one shared folder: send (ready, and
unready with a reason), the supervisor's inbox, a draft with comments on a factor, an
evidence entry and the formulation, return, amend, send again, sign off, and the version
signed off at the practitioner."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk.domain.assessment_items import FactorRating
from aim3desk.domain.cases import new_id
from aim3desk.domain.gates import Gate, GateClosed
from aim3desk.domain.review import AnchorKind, Decision, ReviewProblem
from aim3desk.domain.review_anchors import is_orphaned
from aim3desk.domain.supervision import PromptResponse, SupervisionSession, SupervisionType
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.errors import CaseFileError
from aim3desk.services.identity import ContactError
from aim3desk.services.review import InboxState
from bundle_people import new_person
from review_people import acquaint, deliver, make_ready


@pytest.fixture
def pair(tmp_path: Path):
    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    yield alex, sam
    alex.close()
    sam.close()


def test_send_needs_a_supervisor_and_a_reason_when_not_ready(pair, tmp_path: Path) -> None:
    alex, sam = pair
    case = add_demo_cases(alex, count=2)[1]  # open version 1, not ready
    private = "Invented private words about a long week"
    alex.supervision.save_session(
        case.id,
        SupervisionSession(
            new_id(),
            date.today(),
            "Sam Madeupsupervisor",
            SupervisionType.ASSESSMENT_ONE,
            notes="Invented notes",
            wellbeing=(PromptResponse("resilience", private),),
        ),
    )
    with pytest.raises(ContactError):
        alex.review.send_for_review(case.id, [sam.identity.me().fingerprint])
    _alex_fp, sam_fp = acquaint(alex, sam)
    with pytest.raises(GateClosed):
        alex.review.send_for_review(case.id, [sam_fp])
    assert not alex.assessments.assessment(case.current_assessment.id).finished
    sent = alex.review.send_for_review(case.id, [sam_fp], reason="Court date is next week.")
    assert sent.finished_now and sent.override_reason == "Court date is next week."
    assessment_id = case.current_assessment.id
    assert alex.assessments.assessment(assessment_id).finished
    with alex._uow.read() as tx:
        gates = {o.gate for o in tx.reviews.overrides(assessment_id)}
        queued = tx.sync.pending()
    assert gates == {Gate.SEND, Gate.FINISH}
    assert [(q.bundle_id, q.recipient) for q in queued] == [(sent.bundle_id, sam_fp)]
    assert "review.send" in [e.action for e in alex.audit.entries()]

    deliver(alex, sam, tmp_path / "share")
    [entry] = sam.review.inbox()
    assert entry.state is InboxState.NEW and entry.changes is None
    assert entry.sent_with_reason == "Court date is next week."
    assert entry.author_name == "Alex Inventedworker"
    material = sam.review.material(entry.bundle_id[:8])
    assert material.case.reference == case.reference
    assert material.report_pdf and material.report_pdf.startswith(b"%PDF")
    assert "Invented notes" in [s.notes for s in material.records.sessions]
    assert all(not s.wellbeing for s in material.records.sessions)
    with sam._uow.read() as tx:
        carried = tx.bundles.members(entry.bundle_id)
    assert all(private.encode() not in data for data in carried.values())


def test_return_amend_send_again_and_sign_off(pair, tmp_path: Path) -> None:
    alex, sam = pair
    case = add_demo_cases(alex, count=2)[1]
    first = case.current_assessment
    make_ready(alex, first.id)
    alex_fp, sam_fp = acquaint(alex, sam)
    sent = alex.review.send_for_review(case.id, [sam_fp])
    assert sent.override_reason == "" and sent.finished_now
    deliver(alex, sam, tmp_path / "share")

    # the supervisor comments on a factor, an evidence entry and the formulation
    [entry] = sam.review.inbox()
    review = sam.review.draft(entry.bundle_id)
    assert sam.review.draft(entry.bundle_id).review_id == review.review_id
    assert [i.id for i in review.checklist][-1] == "sign_off"
    assert sam.review.inbox()[0].state is InboxState.IN_REVIEW
    material = sam.review.material(entry.bundle_id)
    rating = material.content.ratings[0]
    evidence = material.content.evidence[0]
    anchors = [
        sam.review.anchor(entry.bundle_id, AnchorKind.FACTOR, f"{rating.domain_id}:{rating.slot}"),
        sam.review.anchor(entry.bundle_id, AnchorKind.EVIDENCE, evidence.id),
        sam.review.anchor(entry.bundle_id, "formulation", "what_happened"),
    ]
    assert anchors[1].quote and anchors[0].label
    for anchor, text in zip(anchors, ["Say why.", "Source?", "Add the timeline."], strict=True):
        review = sam.review.add_comment(review.review_id, anchor, text)
    with pytest.raises(ReviewProblem, match="Checklist item not done"):
        sam.review.decide(review.review_id, Decision.SIGN_OFF)
    returned = sam.review.decide(review.review_id, Decision.RETURN, "See the comments.")
    assert returned.review.decision is Decision.RETURN
    assert sam.review.inbox()[0].state is InboxState.RETURNED
    with pytest.raises(ReviewProblem):
        sam.review.save_draft(replace(review, reasons="again"))

    # back at the practitioner: a new version with the comments to do
    [outcome] = deliver(sam, alex, tmp_path / "share")
    assert outcome.status == "imported", outcome.message
    versions = alex.assessments.versions(case.id)
    assert [v.version for v in versions] == [1, 2] and not versions[1].finished
    second = versions[1]
    todos = alex.review.todos(second.id)
    assert [t.comment.text for t in todos] == ["Say why.", "Source?", "Add the timeline."]
    assert [r.decision for r in alex.review.reviews_of_case(case.id)] == [Decision.RETURN]
    assert alex.review.signing_review_of(first.id) is None
    assert "review.returned" in [e.action for e in alex.audit.entries()]

    # amend, tick the things done, send again
    alex.assessments.save_item(
        second.id, FactorRating(rating.domain_id, rating.slot, rating.rating, "Because (invented).")
    )
    for todo in todos:
        alex.review.set_todo(todo.review.review_id, todo.comment.id, True, "Done.")
    assert all(t.done for t in alex.review.todos(second.id))
    again = alex.review.send_for_review(case.id, [sam_fp])
    deliver(alex, sam, tmp_path / "share")
    entries = {e.bundle_id: e for e in sam.review.inbox()}
    assert entries[sent.bundle_id].state is InboxState.RETURNED
    newest = entries[again.bundle_id]
    assert newest.state is InboxState.NEW and newest.version == 2 and newest.changes == 1
    changed = sam.review.material(again.bundle_id)
    assert len(changed.changes) == 1
    assert is_orphaned(anchors[0], changed.content, changed.form_set)
    assert not is_orphaned(anchors[1], changed.content, changed.form_set)

    # sign off
    review = sam.review.draft(again.bundle_id)
    for item in review.checklist:
        if item.id != "sign_off":
            review = sam.review.check_item(review.review_id, item.id)
    signed = sam.review.decide(review.review_id, Decision.SIGN_OFF)
    assert signed.review.checklist[-1].done
    [outcome] = deliver(sam, alex, tmp_path / "share")
    assert outcome.status == "imported", outcome.message
    assert "signed off by Sam Madeupsupervisor" in outcome.message
    signing = alex.review.signing_review_of(second.id)
    assert signing is not None and signing.supervisor.fingerprint == sam_fp
    assert alex.assessments.assessment(second.id).finished
    entry = next(e for e in alex.audit.entries() if e.action == "review.signed-off")
    assert entry.detail["fingerprint"] == sam_fp
    assert entry.detail["supervisor"] == "Sam Madeupsupervisor"
    # its report names the supervisor, the day and the supervisor's key, and is no draft
    request = alex.reports.prepare(case.id, "full")
    assert not request.sign_off.is_draft
    pdf = alex.reports.render(request)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sam Madeupsupervisor" in text and sam_fp in text and "DRAFT" not in text
    (tmp_path / "signed.pdf").write_bytes(pdf)
    # the signed-off version stays read-only; a new version can still start from it
    with pytest.raises(Exception, match="read-only"):
        alex.assessments.save_item(second.id, FactorRating(rating.domain_id, rating.slot))
    with pytest.raises(CaseFileError, match="already signed off by Sam Madeupsupervisor"):
        alex.review.send_for_review(case.id, [sam_fp])
    third = alex.assessments.new_version(case.id)
    assert third.version == 3 and third.based_on_id == second.id
    assert alex_fp == alex.identity.me().fingerprint
