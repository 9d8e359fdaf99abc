"""Issue 15's output paths in the app, with invented demo data at 1366x768: the report dialog
refusing a file in the profile folder, and the one question before an existing file is
replaced. Run: .venv/bin/python scripts/shots_paths.py [FOLDER] (default shots/)."""

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from shot_kit import Shots, demo_session, start

from aim3desk.ui.replace_file import REPLACE_TITLE
from aim3desk.ui.report_dialog import ReportDialog

app, out, tmp = start()
if len(sys.argv) > 1:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
session, cases = demo_session(tmp / "profile", count=4)
shots = Shots(app, out)
window = shots.main_window(session)
shots.wait()

dialog = ReportDialog(session, cases[1], shots.runner, parent=window)
dialog.open_when_done = False
dialog.set_output_path(session.profile_dir / "store.db")
dialog.show()
dialog.create_button.click()
shots.wait(lambda: "inside the profile folder" in dialog.error_label.text())
shots.save_screen("paths_report_refused_in_profile_folder.png")

existing = tmp / "report.pdf"
existing.write_bytes(b"last week's report")
dialog.set_output_path(existing)


def shoot_and_keep() -> None:
    box = QApplication.activeModalWidget()
    if not (isinstance(box, QMessageBox) and box.windowTitle() == REPLACE_TITLE):
        QTimer.singleShot(20, shoot_and_keep)
        return
    for _ in range(10):
        app.processEvents()
    app.primaryScreen().grabWindow(0).save(str(out / "paths_replace_question.png"))
    print("saved paths_replace_question.png")
    next(b for b in box.buttons() if b.text() == "Keep the file").click()


QTimer.singleShot(0, shoot_and_keep)
dialog.create_button.click()
shots.wait(lambda: "was kept as it was" in dialog.status.text())
shots.save_screen("paths_replace_kept.png")
dialog.close()
shots.finish(session)
