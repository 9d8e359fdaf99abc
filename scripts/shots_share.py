"""Screenshots of sharing with invented demo data, at 1366x768: the "Recommendations and
sharing" page of the workspace, the share dialog with its preview for the police and for
education, the refusal of a too-short recipient and reason, and the warning before an
unsigned draft is shared.
Run: .venv/bin/python scripts/shots_share.py (writes shots/)."""

from PySide6.QtWidgets import QApplication, QMessageBox
from shot_kit import SIZE, Shots, demo_session, start

from aim3desk.domain.cases import CaseStatus
from aim3desk.ui.preferences_dialog import PreferencesDialog
from aim3desk.ui.report_dialog import ReportDialog

app, out, tmp = start()
session, cases = demo_session(tmp / "profile")
if hasattr(session.identity, "set_contact_details"):
    session.identity.set_contact_details("01234 567890 (invented), alex.testworker@example.invalid")
shots = Shots(app, out)
runner = shots.runner
wait, save = shots.wait, shots.save
window = shots.main_window(session)

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
try:
    prefs = PreferencesDialog(session.settings, session.profile_dir, window, runner, session)
except TypeError:  # before the contact details existed
    prefs = PreferencesDialog(session.settings, session.profile_dir, window, runner)
prefs.show()
wait(lambda: prefs.contact_box is None or prefs.contact_box.edit.isEnabled())
save(prefs, "share_preferences.png")
prefs.reject()
shots.finish(session)
