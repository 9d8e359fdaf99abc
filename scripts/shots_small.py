"""Screenshots of the smaller screens of a practitioner's day at 1366x768, from invented demo
cases: the deadlines dashboard (names beside references), the case opened from a deadline at
the item that is due, Preferences (the passphrase-protection settings under "For IT") and
Help > Guide with the shortcuts.
Run: .venv/bin/python scripts/shots_small.py (writes shots/)."""

from shot_kit import Shots, demo_session, start

from aim3desk.ui.preferences_dialog import PreferencesDialog

app, out, tmp = start()
sam, cases = demo_session(tmp / "sam", 8, seed=0, name="Sam Practitioner")
shots = Shots(app, out)
runner = shots.runner
wait, save = shots.wait, shots.save
window = shots.main_window(sam)
wait(lambda: window.case_list.model.rowCount() == len(cases))

window.show_deadlines()
dashboard = window.tools.dashboard
wait(lambda: dashboard.table.rowCount() > 0)
save(window, "small_deadlines.png")

# Open each kind of deadline once: the case opens at the item that is due.
open_due = getattr(dashboard, "open_row", None)
if open_due is not None:
    for kind in ("unknown", "supervision", "assessment"):
        rows = [r for r, d in enumerate(dashboard.shown()) if d.kind.value == kind]
        if not rows:
            continue
        window.show_deadlines()
        wait(lambda: dashboard.table.rowCount() > 0)
        open_due(rows[0])
        wait(lambda: window.case_view is not None and window.case_view.workspace.editor)
        for widget in app.topLevelWidgets():  # the readiness check of an assessment due
            if widget.isVisible() and widget is not window and widget.isModal():
                save(widget, f"small_deadline_{kind}_dialog.png")
                widget.close()
        save(window, f"small_deadline_{kind}.png")
    window.close_case()

dialog = PreferencesDialog(sam.settings, sam.profile_dir, parent=window, runner=runner)
dialog.show()
save(dialog, "small_preferences.png")
it_toggle = getattr(dialog, "it_toggle", None)
if it_toggle is not None:
    it_toggle.setChecked(True)
    wait()
    save(dialog, "small_preferences_it.png")
dialog.reject()

guide = getattr(window, "show_guide", None)
if guide is not None:
    shown = guide()
    shown.resize(900, 700)
    save(shown, "small_guide.png")
    shown.reject()
else:
    window.menuBar().actions()[-1].menu().popup(window.mapToGlobal(window.rect().topRight()))
    save(window, "small_help_menu.png")

shots.finish(sam)
