"""Screenshots of retention review and legal hold with invented data, at 1366x768: the
Retention review with a due case, the decision dialog with Delete chosen, the legal hold
dialog with its history, the case list with a held case, and Preferences with the retention
settings locked by a sample machine policy (it must still fit the screen).
Run: .venv/bin/python scripts/shots_retention.py (writes shots/)."""

from datetime import date

from shot_kit import Shots, demo_session, start

from aim3desk.domain.cases import Case, CaseStatus, LeadAgency, Requester, new_id
from aim3desk.ui.access_export_dialog import AccessExportDialog
from aim3desk.ui.delete_case_dialog import DeleteCaseDialog
from aim3desk.ui.held_copies_dialog import HeldCopiesDialog
from aim3desk.ui.preferences_dialog import PreferencesDialog

SCREEN_HEIGHT = 768 - 40  # less a taskbar: what a dialog may use
SAMPLE_POLICY = (
    'locked = ["retention_years_after_closure", "retention_until_age", "idle_lock_minutes"]\n'
    "[settings]\nretention_years_after_closure = 6\nretention_until_age = 25\n"
    'organisation_name = "Northvale Youth Justice Service"\nidle_lock_minutes = 5\n'
)
app, out, tmp = start(policy=SAMPLE_POLICY)
folder = tmp / "alex"
alex, cases = demo_session(folder, 4, seed=3)
# Closed cases of invented young people, requested years ago: (reference, born, requested,
# closed). Under the sample policy (6 years or age 25) the first three are past their date.
OLD_CASES = [
    ("YOS/2011/044", date(1998, 5, 17), date(2011, 2, 7), date(2012, 3, 30), "Jordan Oldcase"),
    ("CSC-40122", date(2000, 8, 2), date(2014, 6, 2), date(2016, 9, 12), "Casey Pastfile"),
    ("YOS/2015/102", date(1999, 11, 23), date(2015, 4, 13), date(2019, 1, 7), "Riley Heldcase"),
    ("EH.2022.017", date(2008, 1, 9), date(2022, 10, 3), date(2024, 6, 28), "Morgan Recent"),
]
closed = []
for reference, born, requested, closed_on, name in OLD_CASES:
    case = alex.cases.add_case(
        Case(
            id=new_id(),
            reference=reference,
            young_person_name=name,
            date_of_birth=born,
            lead_agency=LeadAgency.YOS,
            lead_worker="Alex Testworker",
            requested_by=Requester.CASE_WORKER,
            request_date=requested,
        ),
        today=requested,
    )
    closed.append(alex.cases.set_status(case.id, CaseStatus.CLOSED, on=closed_on))
cases += closed
held = closed[2]
alex.retention.set_hold(held.id, "Civil claim notified by legal services on 3 March")
shots = Shots(app, out)
runner = shots.runner
wait, save = shots.wait, shots.save
window = shots.main_window(alex)
wait(lambda: window.case_list.model.rowCount() == len(cases))
save(window, "retention_case_list.png")

window.retention.show_review()
review = window.retention.review_window
wait(lambda: review.view is not None)
save(review, "retention_review.png")
review.all_check.setChecked(True)
save(review, "retention_review_all.png")
review.all_check.setChecked(False)
review.select_case(review.shown[0].case_id)
review.decide()
decision = review.decision_dialog
decision.delete_radio.setChecked(True)
decision.reason_edit.setPlainText("Past its retention date; nothing outstanding on the file.")
decision.authorised_edit.setText("Mo Manager-Invented")
save(decision, "retention_decide_delete.png")
decision.keep_radio.setChecked(True)
save(decision, "retention_decide_keep.png")
decision.reject()

alex.retention.lift_hold(held.id, "Claim withdrawn in writing by the claimant's solicitor")
alex.retention.set_hold(held.id, "Subject access dispute referred to the ICO")
window.retention.show_hold(held.id, held.reference)
hold = window.retention.hold_dialog
wait(lambda: hold.held is not None)
save(hold, "retention_legal_hold.png")
hold.reject()
review.reject()

# Delete case and Records held, from the Case menu of a case that is not held.
recent = closed[3]
window.open_case(recent.id)
wait(lambda: window.case_view is not None)
window.tools.access_action.trigger()
wait(lambda: any(d.isVisible() for d in window.findChildren(AccessExportDialog)))
[access] = [d for d in window.findChildren(AccessExportDialog) if d.isVisible()]
save(access, "access_export_dialog.png")
access.reject()
window.tools.delete_action.trigger()
wait(lambda: any(d.preview for d in window.findChildren(DeleteCaseDialog)))
[delete] = [d for d in window.findChildren(DeleteCaseDialog) if d.isVisible()]
delete.reason_edit.setPlainText("Opened in error: a duplicate of another case")
delete.reference_edit.setText(recent.reference)
save(delete, "delete_case_dialog.png")
delete.run_deletion()
wait(lambda: delete.result is not None)
save(delete, "delete_case_done.png")
delete.accept()
window.tools.copies_action.trigger()
wait(lambda: any(d.isVisible() for d in window.findChildren(HeldCopiesDialog)))
[copies] = [d for d in window.findChildren(HeldCopiesDialog) if d.isVisible()]
save(copies, "held_copies.png")
copies.reject()

preferences = PreferencesDialog(alex.settings, folder, window, runner)
preferences.show()
wait()
hint = preferences.sizeHint()
print("preferences size hint", f"{hint.width()}x{hint.height()}")
save(preferences, "preferences_retention.png")
if preferences.height() > SCREEN_HEIGHT:
    raise SystemExit(f"Preferences is {preferences.height()} px high: it does not fit 1366x768")
preferences.reject()
shots.finish(alex)
