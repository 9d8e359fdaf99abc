"""Screenshots of supervisor review with invented demo data, at 1366x768: Send for review of an
unready version with its reason, the supervisor's Reviews tab, the review window with
comments, and the returned version at the practitioner with its to-dos and comment strips.
Two real profiles exchange real bundles through a temporary shared folder.
Run: .venv/bin/python scripts/shots_review.py (writes shots/)."""

from dataclasses import replace

from shot_kit import SIZE, Shots, person, start

from aim3desk.domain.assessment_items import FactorRating
from aim3desk.domain.review import AnchorKind, Decision
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.sync import init_share

app, out, tmp = start()
alex = person(tmp / "alex", "Alex Testworker", "practitioner")
sam = person(tmp / "sam", "Sam Okafor-Invented", "supervisor")
sam_fp = alex.identity.add_card(sam.identity.card_bytes()).contact.fingerprint
alex.identity.confirm(sam_fp)
alex.identity.set_supervisor(sam_fp)
sam.identity.confirm(sam.identity.add_card(alex.identity.card_bytes()).contact.fingerprint)
share = tmp / "team-share"
share.mkdir()
init_share(share)
case = add_demo_cases(alex, 6, seed=7)[4]
shots = Shots(app, out)
wait, save = shots.wait, shots.save


def window_of(session):
    window = shots.main_window(session)
    wait()
    return window


# 1. Alex sends an unready version, with a reason.
alex_window = window_of(alex)
alex_window.open_case(case.id)
wait(lambda: alex_window.case_view is not None)
dialog = alex_window.reviews.send_for_review()
wait(lambda: dialog.check is not None)
dialog.reason_edit.setPlainText("The panel meets on Monday; the missing ratings follow.")
save(dialog, "review_send_unready.png")
dialog.action_button.click()
wait(lambda: dialog.result_label.isVisible())
dialog.reject()
alex.sync.round(share)
sam.sync.round(share)

# 2. Sam's Reviews tab.
alex_window.hide()
sam_window = window_of(sam)
sam_window.reviews.show_inbox()
wait(lambda: sam_window.reviews.inbox.model.rowCount() == 1)
save(sam_window, "review_inbox.png")

# 3. The review window with comments on three kinds of item.
[entry] = sam.review.inbox()
material = sam.review.material(entry.bundle_id)
draft = sam.review.draft(entry.bundle_id)
rating = next(r for r in material.content.ratings if r.rationale)
evidence = material.content.evidence[0]
for kind, ref, text in [
    (AnchorKind.FACTOR, f"{rating.domain_id}:{rating.slot}", "Say which evidence led here."),
    (AnchorKind.EVIDENCE, evidence.id, "Name the source and the date it was checked."),
    (AnchorKind.FORMULATION, "what_happened", "Add the timeline from the chronology."),
]:
    draft = sam.review.add_comment(
        draft.review_id, sam.review.anchor(entry.bundle_id, kind, ref), text
    )
draft = sam.review.check_item(draft.review_id, "quality_assurance", True, "Read in full.")
review_window = sam_window.reviews.open_review(entry.bundle_id)
review_window.resize(*SIZE)
wait(lambda: review_window.workspace is not None)
wait(lambda: review_window.report.page_count > 0)
review_window.workspace.focus_factor(rating.domain_id, rating.slot)
review_window.tabs.setCurrentWidget(review_window.comments)
save(review_window, "review_window_comments.png")
review_window.tabs.setCurrentWidget(review_window.report)
save(review_window, "review_window_report.png")
review_window.decide(Decision.RETURN, "Three amendments before sign-off (see the comments).")
wait(lambda: review_window.review is not None and review_window.review.decided)
review_window.done(0)
sam.sync.round(share)
alex.sync.round(share)

# 4. At Alex: the returned version, its to-dos and a comment on the factor.
sam_window.hide()
alex_window.show()
alex_window.close_case()
alex_window.open_case(case.id)
wait(lambda: alex_window.case_view is not None)
workspace = alex_window.case_view.workspace
wait(lambda: workspace.editor is not None and workspace.received.case_reviews is not None)
workspace.go_to("review")
page = workspace.current_page()
page.set_todo(page.todos[0].comment.id, True, "Rationale now cites the school report.")
wait()
save(alex_window, "review_returned_todos.png")
workspace.focus_factor(rating.domain_id, rating.slot)
save(alex_window, "review_comment_on_factor.png")

# 4b. Alex sends version 2 (with a reason: the demo leaves it unready); Sam signs it off.
alex.review.send_for_review(case.id, [sam_fp], reason="Amended as you asked; panel on Monday.")
alex.sync.round(share)
sam.sync.round(share)
newest = next(e for e in sam.review.inbox() if e.version == 2)
signing = sam.review.draft(newest.bundle_id)
for item in signing.checklist:
    if item.id != "sign_off":
        signing = sam.review.check_item(signing.review_id, item.id)
sam.review.decide(signing.review_id, Decision.SIGN_OFF)
sam.sync.round(share)
alex.sync.round(share)
alex_window.close_case()
alex_window.open_case(case.id)
wait(lambda: alex_window.case_view is not None)
workspace = alex_window.case_view.workspace
wait(lambda: workspace.editor is not None and workspace.received.case_reviews is not None)
workspace.go_to("versions")
wait(lambda: workspace.current_page().signed_label.text() != "")
save(alex_window, "review_signed_versions.png")
alex_window.hide()
sam_window.show()
sam_window.home.setCurrentWidget(sam_window.tools.supervisees)
wait(lambda: bool(sam_window.tools.supervisees.rows))
save(sam_window, "supervisees.png")

# 5. At Sam: one version reached him twice, built on the same base: compare and choose.
other_case = add_demo_cases(alex, 1, seed=11)[0]
first = alex.review.send_for_review(other_case.id, [sam_fp], reason="An early look, please.")
version_two = alex.assessments.new_version(other_case.id)
prepared = alex.bundles.prepare_assessment(other_case.id, [sam_fp], None)
rating = next(r for r in alex.assessments.load(version_two.id).ratings if r.rationale)
alex.assessments.save_item(
    version_two.id,
    FactorRating(rating.domain_id, rating.slot, rating.rating, "Reworded on the office laptop."),
)
second = alex.review.send_for_review(other_case.id, [sam_fp], reason="Reworded, as we agreed.")
twin = alex.bundles.seal(
    replace(prepared, template=replace(prepared.template, supersedes=first.bundle_id))
)
alex.bundles.record_queued(twin)
alex.sync.round(share)
sam.sync.round(share)
alex_window.hide()
sam_window.show()
sam_window.reviews.show_inbox()
inbox = sam_window.reviews.inbox
wait(lambda: inbox.model.row_of(second.bundle_id) >= 0)
inbox.select(second.bundle_id)
save(sam_window, "review_inbox_conflict.png")
conflict = inbox.choose_current()
wait(lambda: "difference" in conflict.summary.text())
save(conflict, "review_conflict.png")
conflict.reject()
shots.finish(alex, sam)
