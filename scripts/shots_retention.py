"""Screenshots of retention review and legal hold with invented data, at 1366x768: the
Retention review with a due case, the decision dialog with Delete chosen, the legal hold
dialog with its history, the case list with a held case, and Preferences with the retention
settings locked by a sample machine policy (it must still fit the screen).
Run: .venv/bin/python scripts/shots_retention.py (writes shots/)."""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent.parent / "shots"
OUT.mkdir(exist_ok=True)
tmp = Path(tempfile.mkdtemp())
POLICY = tmp / "policy.toml"
POLICY.write_text(
    'locked = ["retention_years_after_closure", "retention_until_age", "idle_lock_minutes"]\n'
    "[settings]\nretention_years_after_closure = 6\nretention_until_age = 25\n"
    'organisation_name = "Northvale Youth Justice Service"\nidle_lock_minutes = 5\n',
    encoding="utf-8",
)
os.environ["AIM3DESK_POLICY"] = str(POLICY)

from shot_kit import Shots  # noqa: E402

from aim3desk.app import create_application  # noqa: E402
from aim3desk.config import load_settings  # noqa: E402
from aim3desk.domain.cases import Case, CaseStatus, LeadAgency, Requester, new_id  # noqa: E402
from aim3desk.security.kdf import KdfParams  # noqa: E402
from aim3desk.services.demo import add_demo_cases  # noqa: E402
from aim3desk.services.forms_loader import load_form_set  # noqa: E402
from aim3desk.services.profile import ProfileService  # noqa: E402
from aim3desk.ui.main_window import MainWindow  # noqa: E402
from aim3desk.ui.preferences_dialog import PreferencesDialog  # noqa: E402
from aim3desk.ui.tasks import TaskRunner  # noqa: E402

SIZE = (1366, 768)
SCREEN_HEIGHT = 768 - 40  # less a taskbar: what a dialog may use
PASSPHRASE = "ochre lantern tidal quibble meadow"  # noqa: S105 - an invented profile
app = create_application(["shots"])
folder = tmp / "alex"
alex = ProfileService(folder, load_settings(folder), kdf=KdfParams(8192, 1, 1)).create(
    PASSPHRASE, "Alex Testworker"
)[0]
cases = add_demo_cases(alex, 4, seed=3)
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
runner = TaskRunner()


shots = Shots(app, runner, OUT)
wait, save = shots.wait, shots.save


window = MainWindow(runner)
window.resize(*SIZE)
window.attach(alex, load_form_set())
window.show()
wait(lambda: window.case_list.proxy.rowCount() == len(cases))
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
from aim3desk.ui.access_export_dialog import AccessExportDialog  # noqa: E402
from aim3desk.ui.delete_case_dialog import DeleteCaseDialog  # noqa: E402
from aim3desk.ui.held_copies_dialog import HeldCopiesDialog  # noqa: E402

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
window.detach()
runner.shutdown()
alex.close()
sys.exit(0)
