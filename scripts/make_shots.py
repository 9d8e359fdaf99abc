"""Screenshots of the main screens with invented data (writes shots/).

Run: .venv/bin/python scripts/make_shots.py."""

import sys
from datetime import date, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from shot_kit import FAST_KDF, SIZE, Shots, person, start

from aim3desk.config import load_settings, save_user_settings
from aim3desk.domain.cases import Case, CaseStatus, LeadAgency, Requester, new_id
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.sync import init_share
from aim3desk.ui.controller import AppController
from aim3desk.ui.new_case_dialog import NewCaseDialog
from aim3desk.ui.preferences_dialog import PreferencesDialog

app, out, tmp = start()
profile = tmp / "profile"
c = AppController(profile, load_settings(profile), kdf=FAST_KDF)
shots = Shots(app, out, c.runner)
wait, save = shots.wait, shots.save

c.start()
d = c.dialog
d.name_edit.setText("Alex Testworker")
d.passphrase.first.setText("ochre lantern tidal quibble")
d.passphrase.second.setText("ochre lantern tidal quibble")
save(d, "first_run_1.png")
d.create_button.click()
wait(lambda: d.pages.currentIndex() == 1)
save(d, "first_run_2.png")
d.stored_check.setChecked(True)
d.finish_button.click()
wait(lambda: c.main_window is not None and c.main_window.isVisible())
w = c.main_window
w.resize(*SIZE)
today = date.today()
people = [
    ("Jordan Invented", date(2010, 4, 2), "YOS/2025/014", -50, CaseStatus.IN_ASSESSMENT),
    ("Casey Madeup", date(2015, 9, 12), "CSC-88213", -10, CaseStatus.REQUESTED),
    ("Riley Sample", date(2009, 1, 30), "YOS/2025/021", -30, CaseStatus.AWAITING_SIGN_OFF),
    ("Morgan Fictional", date(2012, 7, 7), "EH.2025.003", -3, CaseStatus.IN_ASSESSMENT),
    ("Taylor Notreal", date(2008, 11, 19), "YOS/2024/187", -120, CaseStatus.COMPLETED),
]
for name, dob, ref, days, status in people:
    c.session.cases.add_case(
        Case(
            id=new_id(),
            reference=ref,
            young_person_name=name,
            date_of_birth=dob,
            lead_agency=LeadAgency.YOS,
            lead_worker="Alex Testworker",
            requested_by=Requester.CASE_WORKER,
            request_date=today + timedelta(days=days),
            co_workers=("Kim Helper",),
            status=status,
        )
    )
w.refresh_cases()
wait(lambda: w.case_list.model.rowCount() == len(people))
save(w, "case_list.png")


def shoot_new_case():
    dlg = next(
        x for x in QApplication.topLevelWidgets() if isinstance(x, NewCaseDialog) and x.isVisible()
    )
    dlg.name_edit.setText("Sam Placeholder")
    QTest.keyClicks(dlg.dob_edit.line_edit, "01/02/2014")
    dlg.reference_edit.setText("x")
    dlg.co_workers_edit.setPlainText("Kim Helper, Jo Assistant")
    dlg.ok_button.click()
    save(dlg, "new_case.png")
    dlg.reject()


QTimer.singleShot(100, shoot_new_case)
w.new_case()
w.case_list.open_case.emit(w.case_list.model.summary(0).id)
wait(lambda: w.case_view is not None)
v = w.case_view
v.navigator.setCurrentRow(2)
QApplication.processEvents()
wait(lambda: w.save_label.text() == "All changes saved")
save(w, "case_view.png")
menu = w.tools.case_menu  # the Case menu, with the bundle actions
menu.popup(w.mapToGlobal(w.rect().topLeft()))
QApplication.processEvents()
save(menu, "case_menu.png")
menu.hide()

# Contacts (two confirmed, one a supervisor, one not confirmed yet), the fingerprint check
# and the send-bundle dialog. The colleagues are real profiles of their own whose cards
# Alex adds, as a person would.
colleagues = [
    ("Sam Okafor-Invented", "supervisor", True, True),
    ("Priya Madeupname", "practitioner", True, False),
    ("Jo Fictionalperson", "manager", False, False),
]
c.runner.wait_for_idle()
for number, (name, role, confirmed, supervisor) in enumerate(colleagues):
    other = person(tmp / f"colleague{number}", name, role)
    added = c.session.identity.add_card(other.identity.card_bytes()).contact
    if supervisor:  # Sam sends Alex a bundle (imported below) and keeps a copy damaged
        other.identity.confirm(
            other.identity.add_card(c.session.identity.card_bytes()).contact.fingerprint
        )
        sent_case = add_demo_cases(other, count=4, seed=3)[3]
        inbox = tmp / "inbox"
        inbox.mkdir()
        received = other.bundles.export_assessment(
            sent_case.reference,
            [c.session.identity.me().fingerprint],
            inbox,
            note="Comments on sections 3 and 5 before we meet on Thursday (invented).",
        ).path
        damaged = inbox / "from-a-shared-drive.aim3bundle"
        damaged.write_bytes(received.read_bytes()[:-40])
    if not confirmed:  # Jo sends one too, before Alex has checked Jo's fingerprint
        other.identity.confirm(
            other.identity.add_card(c.session.identity.card_bytes()).contact.fingerprint
        )
        jo_case = add_demo_cases(other, count=4, seed=5)[3]
        unconfirmed_bundle = other.bundles.export_assessment(
            jo_case.reference, [c.session.identity.me().fingerprint], tmp
        ).path
    other.close()
    if confirmed:
        c.session.identity.confirm(added.fingerprint)
    if supervisor:
        c.session.identity.set_supervisor(added.fingerprint)
contacts = w.exchange.show_contacts()
wait(lambda: contacts.model.rowCount() == len(colleagues))
unconfirmed = next(x for x in c.session.identity.contacts() if not x.confirmed)
contacts.select_contact(unconfirmed.fingerprint)
save(contacts, "contacts.png")
check = contacts.check_fingerprint()
save(check, "fingerprint_check.png")
check.reject()
contacts.reject()
w.exchange.send_action.trigger()
send = w.exchange.dialog
wait(lambda: send.content.isEnabled())
send.audience_checks["social-care"].setChecked(True)
send.note_edit.setPlainText("Ready for our supervision on Thursday (invented).")
save(send, "send_bundle.png")
send.reject()
w.exchange.export_action.trigger()
save(w.exchange.dialog, "export_case.png")
w.exchange.dialog.reject()
opened = w.exchange.open_bundle(received)
wait(lambda: opened.bundle is not None)
save(opened, "open_bundle.png")
opened.save_files_button.click()
save(opened, "open_bundle_save.png")
opened.folder.set_path(tmp)
opened.save_button.click()
wait(lambda: opened.saved_folder is not None)
save(opened, "open_bundle_saved.png")
opened.reject()
refused = w.exchange.open_bundle(unconfirmed_bundle)
wait(lambda: refused.refusal is not None)
save(refused, "open_bundle_refused.png")
refused.reject()
imports = w.exchange.import_files([received, damaged])
wait(lambda: len(imports.outcomes) == 2)
save(imports, "import_results.png")
imports.reject()

# The shared folder: Preferences with the folder tested, and the status bar before and after
# a round (a bundle to Sam waits in the outbox, then is delivered).
share = tmp / "team-share"
share.mkdir()
init_share(share)
c.runner.wait_for_idle()
c.session.settings = save_user_settings(profile, c.session.settings, share_folder=str(share))
sam = next(x for x in c.session.identity.contacts() if x.supervisor)
queued = c.session.bundles.export_assessment(
    c.session.cases.list_cases()[0].id, [sam.fingerprint], tmp
)
c.session.sync.queue(
    queued.path.read_bytes(), queued.path.name, queued.manifest.bundle_id, [sam.fingerprint]
)
w.close_case()
w.sync.refresh()
wait(lambda: w.sync_label.text() == "Queued 1")
save(w, "sync_queued.png")
w.sync_action.trigger()
wait(lambda: w.sync_label.text() == "Delivered 1")
save(w.statusBar(), "sync_delivered_status.png")


def shoot_preferences():
    dlg = next(
        x
        for x in QApplication.topLevelWidgets()
        if isinstance(x, PreferencesDialog) and x.isVisible()
    )
    row = dlg.field_widget("share_folder")
    row.test_button.click()
    wait(lambda: row.verdict.text().startswith("A marked share"))
    save(dlg, "preferences_share.png")
    dlg.reject()


QTimer.singleShot(100, shoot_preferences)
w.preferences()
c.lock()
wait(lambda: c.dialog is not None and c.dialog.isVisible())
c.dialog.passphrase_edit.setText("wrong guess here")
c.dialog.unlock_button.click()
wait(lambda: c.dialog.error_label.text() != "")
save(c.dialog, "unlock.png")
c.dialog.show_recovery()
save(c.dialog, "unlock_recovery.png")
c.quit()  # shuts the task runner down
sys.exit(0)
