"""What a practitioner's profile refuses of a review bundle (each its own refusal, set aside
in quarantine), a replayed review, and two versions built on the same base kept as a
conflict for a person to choose."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from aim3desk.domain.bundle import BundleKind
from aim3desk.domain.review import (
    REVIEW_MEMBER_NAME,
    Decision,
    Review,
    ReviewProblem,
    review_bytes,
)
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.review import InboxState
from aim3desk.services.session import Session
from bundle_people import introduce, new_person
from review_people import acquaint, deliver, make_ready


@pytest.fixture
def trio(tmp_path: Path):
    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    casey = new_person(tmp_path, "Casey Fictionalperson")
    yield alex, sam, casey
    for s in (alex, sam, casey):
        s.close()


def _forged(signer: Session, about, review: Review, to: str, folder: Path) -> Path:
    """A review bundle signed by `signer` holding `review`, written as a file for `to`."""
    prepared = signer.bundles.prepare_document(
        BundleKind.REVIEW, about, [to], {REVIEW_MEMBER_NAME: review_bytes(review)}, "test"
    )
    sealed = signer.bundles.seal(prepared)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / sealed.file_name
    path.write_bytes(sealed.data)
    return path


def _returned(alex: Session, sam: Session, tmp_path: Path):
    case = add_demo_cases(alex, count=2)[1]
    make_ready(alex, case.current_assessment.id)
    alex_fp, sam_fp = acquaint(alex, sam)
    alex.review.send_for_review(case.id, [sam_fp])
    [taken] = deliver(alex, sam, tmp_path / "share")
    review = sam.review.draft(taken.manifest.bundle_id)
    review = sam.review.add_comment(
        review.review_id, sam.review.anchor(taken.manifest.bundle_id, "general"), "Look again."
    )
    decided = sam.review.decide(review.review_id, Decision.RETURN).review
    return case, alex_fp, sam_fp, taken.manifest, decided


def test_refused_reviews_are_set_aside_with_their_reasons(trio, tmp_path: Path) -> None:
    alex, sam, casey = trio
    case, alex_fp, _sam_fp, about, decided = _returned(alex, sam, tmp_path)
    forged = tmp_path / "forged"
    never_sent = replace(decided, reviewed=replace(decided.reviewed, bundle_id="0" * 32))
    other_file = replace(decided, reviewed=replace(decided.reviewed, bundle_sha256="0" * 64))
    paths = [
        _forged(sam, about, replace(never_sent, review_id=uuid.uuid4().hex), alex_fp, forged),
        _forged(sam, about, replace(other_file, review_id=uuid.uuid4().hex), alex_fp, forged),
    ]
    # signed by a confirmed contact who is not Alex's supervisor
    introduce(alex, casey)
    introduce(casey, alex)
    by_casey = replace(decided, review_id=uuid.uuid4().hex, supervisor=replace(
        decided.supervisor, name="Casey Fictionalperson",
        fingerprint=casey.identity.me().fingerprint))  # fmt: skip
    paths.append(_forged(casey, about, by_casey, alex_fp, forged))
    outcomes = alex.bundles.import_files(paths)
    assert [o.refusal.reason for o in outcomes] == [
        "review-unknown-bundle",
        "review-hash-mismatch",
        "review-not-supervisor",
    ]
    assert "never sent" in str(outcomes[0].refusal)
    assert all(o.quarantined_as and o.quarantined_as.exists() for o in outcomes)
    assert len(alex.assessments.versions(case.id)) == 1  # nothing changed
    assert alex.review.reviews_of_case(case.id) == []

    # the real one goes in once; the same file again changes nothing
    [outcome] = deliver(sam, alex, tmp_path / "share")
    assert outcome.status == "imported"
    again = alex.bundles.import_files([outcome.path])
    assert again[0].status == "already-held"
    # a second decision on the same bundle by the same supervisor is refused
    second = replace(decided, review_id=uuid.uuid4().hex, decision=Decision.SIGN_OFF)
    [replayed] = alex.bundles.import_files([_forged(sam, about, second, alex_fp, forged)])
    assert replayed.refusal.reason == "review-replayed"
    assert len(alex.assessments.versions(case.id)) == 2
    assert [e.action for e in alex.audit.entries()].count("review.returned") == 1


def test_two_versions_on_one_base_are_both_kept(trio, tmp_path: Path) -> None:
    alex, sam, _casey = trio
    case = add_demo_cases(alex, count=2)[1]
    _alex_fp, sam_fp = acquaint(alex, sam)
    first = alex.review.send_for_review(case.id, [sam_fp], reason="Early look, please.")
    alex.assessments.new_version(case.id)
    make_ready(alex, alex.cases.get_case(case.id).current_assessment.id)
    second = alex.review.send_for_review(case.id, [sam_fp])
    # the same version made again from the same base (say on a restored laptop)
    prepared = alex.bundles.prepare_assessment(case.id, [sam_fp], None)
    template = replace(prepared.template, supersedes=first.bundle_id)
    other = alex.bundles.seal(replace(prepared, template=template))
    alex.bundles.record_queued(other)
    alex.assessments.new_version(case.id)
    third = alex.review.send_for_review(case.id, [sam_fp], reason="Third look, please.")
    # Sam gets version 3 before the other version 2: it is kept all the same
    order = [first.bundle_id, second.bundle_id, third.bundle_id, other.manifest.bundle_id]
    with alex._uow.read() as tx:
        pending = {e.bundle_id: e for e in tx.sync.pending()}
    assert set(order) == set(pending)
    outcomes = deliver(alex, sam, tmp_path / "share")
    by_id = {o.manifest.bundle_id: o for o in outcomes if o.manifest}
    assert all(by_id[i].status == "imported" for i in order), [o.message for o in outcomes]
    entries = {e.bundle_id: e for e in sam.review.inbox()}
    a, b = entries[second.bundle_id], entries[other.manifest.bundle_id]
    assert a.state is b.state is InboxState.CONFLICT
    assert a.conflict_with == (b.bundle_id,) and b.conflict_with == (a.bundle_id,)
    assert entries[first.bundle_id].state is InboxState.SUPERSEDED
    assert entries[third.bundle_id].state is InboxState.NEW
    chosen = sam.review.choose(b.bundle_id)
    assert chosen.state is not InboxState.CONFLICT
    assert sam.review.entry(a.bundle_id).state is InboxState.SUPERSEDED
    assert "review.choose" in [e.action for e in sam.audit.entries()]


def test_a_version_sent_open_cannot_be_reviewed(trio, tmp_path: Path) -> None:
    """A bundle of a version still open (sent for information) cannot be signed off: the
    supervisor cannot start a review of it, and a review of it is refused."""
    alex, sam, _casey = trio
    case, alex_fp, sam_fp, _about, decided = _returned(alex, sam, tmp_path)
    other = add_demo_cases(alex, count=1)[0]
    assert not other.current_assessment.finished
    exported = alex.bundles.export_assessment(other.id, [sam_fp], tmp_path / "open")
    [taken] = sam.bundles.import_files([exported.path])
    with pytest.raises(ReviewProblem, match="still open"):
        sam.review.draft(taken.manifest.bundle_id)
    reviewed = replace(
        decided.reviewed,
        case_id=other.id,
        case_reference=other.reference,
        assessment_id=other.current_assessment.id,
        bundle_id=exported.manifest.bundle_id,
        bundle_sha256=hashlib.sha256(exported.path.read_bytes()).hexdigest(),
    )
    forged = replace(decided, review_id=uuid.uuid4().hex, reviewed=reviewed)
    path = _forged(sam, taken.manifest, forged, alex_fp, tmp_path / "forged")
    [refused] = alex.bundles.import_files([path])
    assert refused.refusal.reason == "review-refused" and "still open" in str(refused.refusal)
    assert not alex.assessments.assessment(other.current_assessment.id).finished
    assert case.id != other.id
