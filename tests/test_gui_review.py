"""The review screens driven through their widgets offscreen, over two real encrypted profiles
that exchange real bundles through a temporary shared folder: Send for review (ready, and
unready with a reason), the supervisor's inbox, the review window with comments on three
kinds of item, the decision buttons' rules, and the practitioner's comments and to-dos."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from aim3desk.domain.review import SIGN_OFF_ITEM, AnchorKind, Decision
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.session import Session
from aim3desk.ui.review.inbox import InboxPage
from aim3desk.ui.review.send_dialog import NO_SUPERVISOR, READY_TEXT, SendForReviewDialog
from aim3desk.ui.review.window import DRAFT_SAVED, ReviewWindow
from aim3desk.ui.tasks import TaskRunner
from bundle_people import new_person
from review_people import acquaint, deliver, make_ready

pytestmark = pytest.mark.gui

WAIT_MS = 30_000


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Session, Session]]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    yield alex, sam
    for person in (alex, sam):
        person.close()


@pytest.fixture(scope="module")
def form_set():
    return load_form_set()


def settle(runner: TaskRunner) -> None:
    assert runner.wait_for_idle(WAIT_MS)


def send_dialog(qtbot, session, case, form_set, runner) -> SendForReviewDialog:
    dialog = SendForReviewDialog(session, case, form_set, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        dialog.show()
    return dialog


def open_window(qtbot, session, runner, bundle_id) -> ReviewWindow:
    window = ReviewWindow(session, runner, bundle_id)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.opened, timeout=WAIT_MS):
        window.show()
    return window


# ---------------------------------------------------------------------------------------------
# Send for review


def test_send_for_review_needs_a_supervisor_then_a_reason_when_not_ready(
    qtbot, pair, runner, form_set, tmp_path
):
    alex, sam = pair
    case = add_demo_cases(alex, count=1)[0]

    # No confirmed supervisor: the dialog says so and offers the Contacts page.
    dialog = send_dialog(qtbot, alex, case, form_set, runner)
    assert dialog.no_recipients.isVisible() and dialog.no_recipients.text() == NO_SUPERVISOR
    assert dialog.contacts_button.isVisible() and not dialog.action_button.isVisible()
    dialog.reject()

    _alex_fp, sam_fp = acquaint(alex, sam)
    dialog = send_dialog(qtbot, alex, case, form_set, runner)
    version = case.current_assessment.version
    assert dialog.chosen() == [sam_fp]
    assert dialog.missing, "a demo case is not ready"
    assert dialog.missing_tree.isVisible() and dialog.reason_edit.isVisible()
    assert dialog.action_button.text() == (
        f"Finish version {version} and send to Sam Madeupsupervisor"
    )

    # No reason, then too short a reason: nothing is sent.
    dialog.action_button.click()
    assert "at least" in dialog.error_label.text()
    dialog.reason_edit.setPlainText("urgent")
    dialog.action_button.click()
    assert "at least" in dialog.error_label.text()
    settle(runner)
    assert alex.sync.outbox() == [] and not alex.assessments.versions(case.id)[-1].finished

    # Nobody ticked.
    dialog.supervisors.set_ticked(set())
    dialog.reason_edit.setPlainText("Court hearing on Monday needs it")
    assert dialog.action_button.text() == f"Finish version {version} and send"
    dialog.action_button.click()
    assert "Tick the supervisor" in dialog.error_label.text()

    dialog.supervisors.set_ticked({sam_fp})
    with qtbot.waitSignal(dialog.sent, timeout=WAIT_MS) as sent:
        dialog.action_button.click()
    assert sent.args[0].override_reason == "Court hearing on Monday needs it"
    assert "Queued for delivery through the shared folder" in dialog.result_label.text()
    assert not dialog.action_button.isVisible()
    settle(runner)
    assert alex.assessments.versions(case.id)[-1].finished

    # The supervisor sees it, with the reason.
    deliver(alex, sam, tmp_path / "share")
    inbox = InboxPage(runner)
    qtbot.addWidget(inbox)
    with qtbot.waitSignal(inbox.shown, timeout=WAIT_MS):
        inbox.attach(sam)
    assert inbox.model.rowCount() == 1
    cells = inbox.model.cells(inbox.model.entry(0))
    assert cells[0] == case.reference and cells[1] == f"Version {version}"
    assert cells[2] == "Alex Inventedworker" and cells[4] == "new"
    assert cells[5] == "First version received"
    assert cells[6] == "Court hearing on Monday needs it"


def test_a_ready_version_goes_without_a_reason(qtbot, pair, runner, form_set):
    alex, sam = pair
    case = add_demo_cases(alex, count=2)[1]
    make_ready(alex, case.current_assessment.id)
    acquaint(alex, sam)
    dialog = send_dialog(qtbot, alex, case, form_set, runner)
    assert dialog.missing == [] and dialog.ready_label.text() == READY_TEXT
    assert not dialog.reason_edit.isVisible()
    with qtbot.waitSignal(dialog.sent, timeout=WAIT_MS) as sent:
        dialog.action_button.click()
    assert sent.args[0].override_reason == ""


# ---------------------------------------------------------------------------------------------
# The review window


def sent_for_review(alex: Session, sam: Session, share: Path):
    case = add_demo_cases(alex, count=2)[1]
    make_ready(alex, case.current_assessment.id)
    _alex_fp, sam_fp = acquaint(alex, sam)
    alex.review.send_for_review(case.id, [sam_fp])
    deliver(alex, sam, share)
    [entry] = sam.review.inbox()
    return case, entry


def test_review_window_comments_on_three_kinds_of_item_and_the_decision_rules(
    qtbot, pair, runner, tmp_path
):
    alex, sam = pair
    case, entry = sent_for_review(alex, sam, tmp_path / "share")
    window = open_window(qtbot, sam, runner, entry.bundle_id)
    assert case.reference in window.header.text()
    workspace = window.workspace
    assert workspace is not None and workspace.read_only
    assert workspace.page("versions") is None  # the practitioner's versions are not here
    assert not window.reason_label.isVisible()
    qtbot.waitUntil(lambda: window.report.page_count > 0, timeout=WAIT_MS)
    assert window.report.page_count >= 2 and window.report.sections

    # Nothing ticked, no comment: neither decision is open, and the window says why.
    assert not window.decision.sign_off_button.isEnabled()
    assert not window.decision.return_button.isEnabled()
    assert "checklist" in window.decision.why_not.text()

    # A factor: focus its rationale on the first domain page, then "Comment on this".
    material = window.opened_review.material
    rating = material.content.ratings[0]
    workspace.focus_factor(rating.domain_id, rating.slot)
    page = workspace.current_page()
    card = next(c for c in page.cards if c.slot == rating.slot)
    card.rationale.setFocus()
    QApplication.processEvents()
    anchor = window.anchor_in_hand()
    assert anchor.kind is AnchorKind.FACTOR and anchor.ref == f"{rating.domain_id}:{rating.slot}"
    dialog = window.comments.add(anchor)
    dialog.text_edit.setPlainText("Say why this rating (invented).")
    dialog.accept()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    assert [c.anchor.kind for c in window.review.comments] == [AnchorKind.FACTOR]
    # An evidence entry, selected in its domain's list.
    evidence = material.content.evidence[0]
    workspace.show_evidence(evidence.id)
    QApplication.processEvents()
    anchor = window.anchor_in_hand()
    assert anchor.kind is AnchorKind.EVIDENCE and anchor.ref == evidence.id
    window.comments.add_comment(anchor, "Which source? (invented)")
    # A formulation part.
    workspace.go_to("formulation")
    formulation = workspace.current_page()
    formulation.parts[next(iter(formulation.parts))].text_edit.setFocus()
    QApplication.processEvents()
    anchor = window.anchor_in_hand()
    assert anchor.kind is AnchorKind.FORMULATION
    window.comments.add_comment(anchor, "Add the timeline (invented).")
    assert window.comments.list.count() == 3
    assert window.tabs.tabText(2) == "&Comments (3)"

    # Undo takes the last comment back, redo is a new add.
    window.comments.undo_button.click()
    assert len(window.review.comments) == 2
    window.comments.add_comment(anchor, "Add the timeline (invented).")

    # A comment opens "Return", not "Sign off"; the draft saves as you go.
    assert window.decision.return_button.isEnabled()
    assert not window.decision.sign_off_button.isEnabled()
    qtbot.waitUntil(lambda: window.save_label.text() == DRAFT_SAVED, timeout=WAIT_MS)
    settle(runner)
    draft = sam.review.draft(entry.bundle_id)
    assert [c.anchor.kind for c in draft.comments] == [
        AnchorKind.FACTOR,
        AnchorKind.EVIDENCE,
        AnchorKind.FORMULATION,
    ]

    # Every checklist item but the signature ticked: "Sign off" opens.
    for item in window.review.checklist:
        if item.id != SIGN_OFF_ITEM:
            window.checklist.tick(
                item.id, "Discussed (invented)." if item.id == "wellbeing" else ""
            )
    assert window.decision.sign_off_button.isEnabled() and window.decision.why_not.text() == ""

    with qtbot.waitSignal(window.decided, timeout=WAIT_MS) as decided:
        window.decision.return_button.click()
    assert decided.args[0].decision is Decision.RETURN
    assert not window.decision.return_button.isEnabled()
    assert not window.comments.add_button.isEnabled()
    assert "Returned for amendments" in window.decision.state_label.text()
    window.close()


# ---------------------------------------------------------------------------------------------
# Back at the practitioner


def open_workspace(qtbot, session, case_id, form_set, runner):
    from aim3desk.ui.assessment.workspace import AssessmentWorkspace

    case = session.cases.get_case(case_id)
    workspace = AssessmentWorkspace(case, session, form_set, runner, 30)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 760)
    workspace.show()
    qtbot.waitUntil(lambda: workspace.editor is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: workspace.received.case_reviews is not None, timeout=WAIT_MS)
    return workspace


def test_the_practitioner_sees_comments_on_their_items_ticks_to_dos_then_the_sign_off(
    qtbot, pair, runner, form_set, tmp_path
):
    alex, sam = pair
    share = tmp_path / "share"
    case, entry = sent_for_review(alex, sam, share)
    material = sam.review.material(entry.bundle_id)
    rating = material.content.ratings[0]
    evidence = material.content.evidence[0]
    review = sam.review.draft(entry.bundle_id)
    for kind, ref, text in [
        (AnchorKind.FACTOR, f"{rating.domain_id}:{rating.slot}", "Say why (invented)."),
        (AnchorKind.EVIDENCE, evidence.id, "Which source? (invented)"),
        (AnchorKind.FORMULATION, "what_happened", "Add the timeline (invented)."),
    ]:
        review = sam.review.add_comment(
            review.review_id, sam.review.anchor(entry.bundle_id, kind, ref), text
        )
    sam.review.decide(review.review_id, Decision.RETURN, "See the comments (invented).")
    deliver(sam, alex, share)

    # The returned version opened a new version, with the comments on their items.
    workspace = open_workspace(qtbot, alex, case.id, form_set, runner)
    assert workspace.assessment.version == 2 and not workspace.read_only
    domain_page = workspace.page(f"domain:{rating.domain_id}")
    strip = domain_page.card_strips[rating.slot]
    assert "Say why (invented)." in strip.text() and "Sam Madeupsupervisor" in strip.text()
    evidence_page = workspace.page(f"domain:{evidence.domain_id}")
    assert "Which source? (invented)" in evidence_page.comment_strip.text()
    workspace.go_to("formulation")
    formulation = workspace.current_page()
    assert "Add the timeline" in formulation.comment_strips[next(iter(formulation.parts))].text()

    # The review page lists them as things to do; ticking one saves it.
    workspace.go_to("review")
    page = workspace.current_page()
    assert [t.comment.text for t in page.todos] == [
        "Say why (invented).",
        "Which source? (invented)",
        "Add the timeline (invented).",
    ]
    assert "returned for amendments" in page.decision_label.text()
    assert not page.signed_label.isVisible()
    first = page.todos[0]
    with qtbot.waitSignal(page.todos_shown, timeout=WAIT_MS):
        page.set_todo(first.comment.id, True, "Rationale rewritten (invented).")
    settle(runner)
    [done] = [t for t in alex.review.todos(workspace.assessment.id) if t.done]
    assert done.comment.id == first.comment.id and done.note == "Rationale rewritten (invented)."
    assert page.todos[0].done

    # Sent again, signed off, collected: the Versions page says who, when and which key.
    make_ready(alex, workspace.assessment.id)
    sam_fp = sam.identity.me().fingerprint
    alex.review.send_for_review(case.id, [sam_fp])
    deliver(alex, sam, share)
    second = next(e for e in sam.review.inbox() if e.version == 2)
    review = sam.review.draft(second.bundle_id)
    for item in review.checklist:
        if item.id != SIGN_OFF_ITEM:
            review = sam.review.check_item(review.review_id, item.id)
    sam.review.decide(review.review_id, Decision.SIGN_OFF)
    deliver(sam, alex, share)
    settle(runner)
    workspace.deleteLater()
    workspace = open_workspace(qtbot, alex, case.id, form_set, runner)
    assert workspace.read_only and workspace.assessment.version == 2
    workspace.go_to("versions")
    versions = workspace.current_page()
    qtbot.waitUntil(lambda: versions.signed_label.isVisible(), timeout=WAIT_MS)
    text = versions.signed_label.text()
    assert text.startswith("Signed off by Sam Madeupsupervisor on ")
    assert text.endswith(f"key {sam_fp}")


def test_two_versions_on_one_base_are_compared_side_by_side_and_one_is_chosen(
    qtbot, pair, runner, tmp_path
):
    from dataclasses import replace

    from aim3desk.domain.assessment_items import FactorRating
    from aim3desk.services.review import InboxState

    alex, sam = pair
    case = add_demo_cases(alex, count=2)[1]
    _alex_fp, sam_fp = acquaint(alex, sam)
    first = alex.review.send_for_review(case.id, [sam_fp], reason="Early look, please.")
    second_version = alex.assessments.new_version(case.id)
    make_ready(alex, second_version.id)
    # the same version made twice from one base (say on a laptop restored from a backup),
    # the second time with one rationale worded differently
    prepared = alex.bundles.prepare_assessment(case.id, [sam_fp], None)  # before the edit
    content = alex.assessments.load(second_version.id)
    rating = content.ratings[0]
    alex.assessments.save_item(
        second_version.id,
        FactorRating(rating.domain_id, rating.slot, rating.rating, "Worded again (invented)."),
    )
    second = alex.review.send_for_review(case.id, [sam_fp])
    other = alex.bundles.seal(
        replace(prepared, template=replace(prepared.template, supersedes=first.bundle_id))
    )
    alex.bundles.record_queued(other)
    deliver(alex, sam, tmp_path / "share")

    inbox = InboxPage(runner)
    qtbot.addWidget(inbox)
    with qtbot.waitSignal(inbox.shown, timeout=WAIT_MS):
        inbox.attach(sam)
    inbox.select(second.bundle_id)
    assert inbox.current_entry().state is InboxState.CONFLICT
    assert inbox.choose_button.isVisibleTo(inbox)
    dialog = inbox.choose_current()
    qtbot.waitUntil(lambda: "difference" in dialog.summary.text(), timeout=WAIT_MS)
    assert dialog.summary.text() == "1 difference between the two versions."
    row = dialog.model.rows[0]
    assert row[2] == "Worded again (invented)." and row[3] != row[2]
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        dialog.choose_other.click()
    settle(runner)
    assert sam.review.entry(second.bundle_id).state is InboxState.SUPERSEDED
    assert sam.review.entry(other.manifest.bundle_id).state is not InboxState.CONFLICT


def test_the_supervisor_deletes_the_copies_of_a_case_from_the_inbox(qtbot, pair, runner, tmp_path):
    """Once the practitioner deleted the case and asked: the supervisor holds no case record,
    only the bundle and review, and deletes them from the Reviews tab."""
    alex, sam = pair
    case, entry = sent_for_review(alex, sam, tmp_path / "share")
    sam.review.save_draft(sam.review.draft(entry.bundle_id))
    inbox = InboxPage(runner)
    qtbot.addWidget(inbox)
    with qtbot.waitSignal(inbox.shown, timeout=WAIT_MS):
        inbox.attach(sam)
    inbox.select(entry.bundle_id)
    assert inbox.delete_button.isEnabled()
    dialog = inbox.delete_current()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    assert "copies of the case you hold" in dialog.summary.toPlainText()
    dialog.reason_edit.setPlainText("Asked by the practitioner to delete.")
    dialog.reference_edit.setText(case.reference)
    with qtbot.waitSignal(inbox.shown, timeout=WAIT_MS):
        dialog.delete_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=WAIT_MS)
    settle(runner)
    assert sam.review.inbox() == [] and sam.bundles.received() == []
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 0, timeout=WAIT_MS)
    dialog.close_button.click()
