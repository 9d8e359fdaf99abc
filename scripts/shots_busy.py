"""The profile in use by another window or command (issue 15): the report dialog's message
when its save meets another process's change held past the wait. Invented demo data.
Run: .venv/bin/python scripts/shots_busy.py (writes shots/report_dialog_profile_busy.png)."""

import os

from shot_kit import Shots, demo_session, start

from aim3desk.store.write_lock import WriteLock
from aim3desk.ui.report_dialog import ReportDialog

app, out, tmp = start()
os.environ["AIM3DESK_BUSY_WAIT"] = "0.5"  # read as the profile opens
session, cases = demo_session(tmp / "profile")
shots = Shots(app, out)
case = next(c for c in cases if c.current_assessment is not None)
dialog = ReportDialog(session, case, shots.runner)
dialog.resize(760, 420)
dialog.show()
shots.wait()
dialog.path_edit.setText(str(tmp / "report.pdf"))  # after the dialog's own default
# Another window's change, held open: a lock of its own on the same profile.
with WriteLock(session.store.path, 1).held():
    dialog.create_button.click()
    shots.wait(lambda: dialog.error_label.text() != "", timeout=60)
shots.save(dialog, "report_dialog_profile_busy.png")
print("file written:", (tmp / "report.pdf").exists())
dialog.close()
shots.finish(session)
