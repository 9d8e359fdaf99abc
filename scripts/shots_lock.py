"""Screenshots of the idle lock at 1366x768: a case open with the new case dialog on top
(a nested modal loop, a name half typed), then the screen after the idle lock fired: only
the unlock dialog, nothing of the case. Run: .venv/bin/python scripts/shots_lock.py."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from shot_kit import FAST_KDF, PASSPHRASE, SIZE, Shots, demo_session, start

from aim3desk.config import load_settings
from aim3desk.ui.controller import AppController
from aim3desk.ui.new_case_dialog import NewCaseDialog
from aim3desk.ui.unlock import UnlockDialog

app, out, tmp = start()
profile = tmp / "alex"
session, cases = demo_session(profile, 6, seed=3)
session.close()
controller = AppController(profile, load_settings(profile), kdf=FAST_KDF, idle_timeout_ms=600_000)
shots = Shots(app, out, controller.runner)
wait = shots.wait
controller.start()
wait(lambda: isinstance(controller.dialog, UnlockDialog))
controller.dialog.passphrase_edit.setText(PASSPHRASE)
controller.dialog.unlock_button.click()
wait(lambda: controller.session is not None and controller.main_window is not None)
window = controller.main_window
window.resize(*SIZE)
window.move(0, 0)
wait(lambda: window.case_list.model.rowCount() == len(cases))
window.open_case(cases[1].id)
wait(lambda: window.case_view is not None and window.case_view.workspace.editor is not None)


def inside_the_dialog() -> None:
    """Runs in the dialog's nested loop: type, take the 'before' shot, start the idle time."""
    dialog = next(
        (
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, NewCaseDialog) and w.isVisible()
        ),
        None,
    )
    if dialog is None:
        QTimer.singleShot(50, inside_the_dialog)
        return
    dialog.name_edit.setText("Robin Inventedchild")
    for _ in range(20):
        app.processEvents()
    shots.save_screen("lock_before_dialog_open.png")
    controller.idle_lock.set_timeout_ms(1500)


QTimer.singleShot(0, window.new_case_action.trigger)
QTimer.singleShot(50, inside_the_dialog)
wait(lambda: isinstance(controller.dialog, UnlockDialog) and controller.session is None, 60)
wait(lambda: controller.dialog.isVisible())
shots.save_screen("lock_after_idle_with_dialog_open.png")
controller.quit()
sys.exit(0)
