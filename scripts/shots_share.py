"""Screenshots of sharing with invented demo data, at 1366x768: the "Recommendations and
sharing" page of the workspace, the share dialog with its preview for the police and for
education, the refusal of a too-short recipient and reason, and the warning before an
unsigned draft is shared.
Run: .venv/bin/python scripts/shots_share.py (writes shots/)."""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent.parent / "shots"
OUT.mkdir(exist_ok=True)
tmp = Path(tempfile.mkdtemp())
os.environ["AIM3DESK_POLICY"] = str(tmp / "none.toml")

from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402
from shot_kit import Shots  # noqa: E402

from aim3desk.app import create_application  # noqa: E402
from aim3desk.domain.cases import CaseStatus  # noqa: E402
from aim3desk.security.kdf import KdfParams  # noqa: E402
from aim3desk.services.demo import add_demo_cases  # noqa: E402
from aim3desk.services.forms_loader import load_form_set  # noqa: E402
from aim3desk.services.profile import ProfileService  # noqa: E402
from aim3desk.ui.main_window import MainWindow  # noqa: E402
from aim3desk.ui.report_dialog import ReportDialog  # noqa: E402
from aim3desk.ui.tasks import TaskRunner  # noqa: E402

SIZE = (1366, 768)
app = create_application(["shots"])
session, _recovery = ProfileService(tmp / "profile", kdf=KdfParams(8192, 1, 1)).create(
    "ochre lantern tidal quibble meadow", "Alex Testworker"
)
cases = add_demo_cases(session, 12, seed=7, today=date.today())
if hasattr(session.identity, "set_contact_details"):
    session.identity.set_contact_details("01234 567890 (invented), alex.testworker@example.invalid")
runner = TaskRunner()
window = MainWindow(runner)
window.resize(*SIZE)
window.attach(session, load_form_set())
window.show()
shots = Shots(app, runner, OUT)
wait, save = shots.wait, shots.save

# A case being assessed: its content is partly written, so the page has something to show.
case = next(c for c in cases if c.status is CaseStatus.IN_ASSESSMENT)
window.open_case(case.id)
wait(lambda: window.case_view is not None)
workspace = window.case_view.workspace
wait(lambda: workspace.editor is not None)
for key in ("sharing", "formulation"):  # the sharing page; before it existed, the formulation
    if workspace.navigator.go_to(key):
        break
save(window, "share_page.png")

# The share dialog for the police, then for education.
for audience in ("police", "education"):
    dialog = ReportDialog(session, case, runner, window)
    dialog.open_when_done = False
    dialog.set_kind(audience)
    dialog.show()
    wait(lambda d=dialog: "Reading" not in d.preview.toPlainText())
    dialog.resize(dialog.width(), min(SIZE[1] - 40, max(dialog.height(), 700)))
    save(dialog, f"share_dialog_{audience}.png")
    if audience == "police":
        dialog.recipient_edit.setText("DS")
        dialog.reason_edit.setPlainText("Asked")
        dialog.set_output_path(tmp / "police.pdf")
        dialog.create_button.click()
        wait()
        save(dialog, "share_dialog_too_short.png")
        dialog.recipient_edit.setText("DS Invented Officer, Invented Constabulary")
        dialog.reason_edit.setPlainText(
            "Strategy discussion on Thursday needs the safety plan and the recommendations."
        )
        dialog.gate_box.reason_edit.setPlainText("The strategy meeting cannot wait for sign-off")
        dialog.create_button.click()
        wait()
        box = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()
            ),
            None,
        )
        if box is not None:
            save(box, "share_draft_warning.png")
            box.reject()
            wait()
    dialog.reject()
    wait()

# Preferences, with your contact details.
from aim3desk.ui.preferences_dialog import PreferencesDialog  # noqa: E402

try:
    prefs = PreferencesDialog(session.settings, session.profile_dir, window, runner, session)
except TypeError:  # before the contact details existed
    prefs = PreferencesDialog(session.settings, session.profile_dir, window, runner)
prefs.show()
wait(lambda: prefs.contact_box is None or prefs.contact_box.edit.isEnabled())
save(prefs, "share_preferences.png")
prefs.reject()
print("done", file=sys.stderr)
