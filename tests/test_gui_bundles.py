"""The contacts page, the fingerprint check, the bundle, handover and export dialogs and the
import dialog, driven through their widgets offscreen over real encrypted profiles that
exchange real card and bundle files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from aim3desk.services.demo import add_demo_cases
from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.session import Session
from aim3desk.ui.bundle_dialogs import (
    NO_CONFIRMED_CONTACTS,
    HandOverDialog,
    SendBundleDialog,
)
from aim3desk.ui.contacts_page import EMPTY_TEXT, NOT_CONFIRMED, ContactsWindow
from aim3desk.ui.export_case_dialog import ExportCaseDialog
from aim3desk.ui.fingerprint import FingerprintCheckDialog
from aim3desk.ui.import_dialog import ImportDialog
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.operations import bundles as ops
from aim3desk.ui.operations.base import Changes
from aim3desk.ui.tasks import TaskRunner
from bundle_people import introduce, new_person

pytestmark = pytest.mark.gui

WAIT_MS = 20_000


@pytest.fixture
def people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Session, ...]]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    robin = new_person(tmp_path, "Robin Fictionalcolleague")
    yield alex, sam, robin
    for person in (alex, sam, robin):
        person.close()


def settle(runner: TaskRunner) -> None:
    """Every queued task delivered: only then may the test read a store itself."""
    assert runner.wait_for_idle(WAIT_MS)


def open_contacts(qtbot, session: Session, runner: TaskRunner) -> ContactsWindow:
    window = ContactsWindow(session, runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.people_read, timeout=WAIT_MS):
        window.show()
    return window


def column(window: ContactsWindow, number: int) -> list[str]:
    model = window.model
    return [model.index(row, number).data() for row in range(model.rowCount())]


# ---------------------------------------------------------------------------------------------
# Contacts and the fingerprint check


def test_contacts_page_adds_checks_and_names_a_supervisor(qtbot, people, runner, tmp_path):
    alex, sam, robin = people
    window = open_contacts(qtbot, alex, runner)
    me = alex.identity.me()
    assert window.name_label.text() == "Alex Inventedworker"
    assert window.fingerprint.text() == me.fingerprint
    assert window.role_combo.currentData() == "practitioner"
    assert window.empty_label.isVisible() and window.empty_label.text() == EMPTY_TEXT
    assert not window.table.isVisible()

    # Your card, saved through the page, is one a colleague can add.
    card = tmp_path / "alex.aim3card"
    window.save_card_to(card)
    qtbot.waitUntil(lambda: "saved" in window.status.text(), timeout=WAIT_MS)
    settle(runner)
    assert sam.identity.add_card_file(card).contact.fingerprint == me.fingerprint

    # Two colleagues' cards and one file that is not a card.
    sam_card = sam.identity.write_card(tmp_path / "sam.aim3card")
    robin_card = robin.identity.write_card(tmp_path / "robin.aim3card")
    not_a_card = tmp_path / "notes.aim3card"
    not_a_card.write_text("not a card", encoding="utf-8")
    with qtbot.waitSignal(window.people_read, timeout=WAIT_MS):
        window.add_card_files([sam_card, robin_card, not_a_card])
    assert window.table.isVisible() and not window.empty_label.isVisible()
    assert column(window, 0) == ["Robin Fictionalcolleague", "Sam Madeupsupervisor"]
    assert column(window, 1) == ["Practitioner", "Supervisor"]
    assert column(window, 3) == [NOT_CONFIRMED, NOT_CONFIRMED]
    assert "notes.aim3card" in window.error_label.text()
    assert "check the fingerprint" in window.status.text()

    # Unconfirmed: cannot be named supervisor.
    sam_fp = sam.identity.me().fingerprint
    window.select_contact(sam_fp)
    assert window.check_button.isEnabled() and not window.supervisor_button.isEnabled()

    # The check dialog: their fingerprint, yours, and "they do not match" confirms nothing.
    dialog = window.check_fingerprint()
    assert isinstance(dialog, FingerprintCheckDialog)
    assert dialog.their_fingerprint.text() == sam_fp
    assert dialog.your_fingerprint.text() == me.fingerprint
    assert "phone" in dialog.instruction.text() and "not by email" in dialog.instruction.text()
    dialog.mismatch_button.click()
    assert "Do not confirm" in dialog.outcome.text() and "send their card again" in (
        dialog.outcome.text()
    )
    assert not dialog.match_button.isVisible()
    dialog.close_button.click()
    settle(runner)
    assert not alex.identity.contact(sam_fp).confirmed

    # "They match" confirms it.
    window.select_contact(sam_fp)
    dialog = window.check_fingerprint()
    accepted: list[bool] = []
    dialog.accepted.connect(lambda: accepted.append(True))
    with qtbot.waitSignal(window.people_read, timeout=WAIT_MS):
        dialog.match_button.click()
    assert accepted == [True]
    assert alex.identity.contact(sam_fp).confirmed
    row = window.model.row_of(sam_fp)
    assert window.model.index(row, 3).data().startswith("Yes")
    assert window.current_contact().fingerprint == sam_fp
    assert window.supervisor_button.isEnabled()

    # Make my supervisor, and back.
    with qtbot.waitSignal(window.people_read, timeout=WAIT_MS):
        window.supervisor_button.click()
    assert [c.fingerprint for c in alex.identity.supervisors()] == [sam_fp]
    assert window.model.index(row, 4).data() == "Yes"
    assert window.supervisor_button.text() == "Not my &supervisor"
    with qtbot.waitSignal(window.people_read, timeout=WAIT_MS):
        window.supervisor_button.click()
    assert alex.identity.supervisors() == []

    # Your role, through the combo box.
    window.role_combo.setCurrentIndex(window.role_combo.findData("manager"))
    window.role_combo.activated.emit(window.role_combo.currentIndex())
    qtbot.waitUntil(lambda: "manager" in window.status.text(), timeout=WAIT_MS)
    settle(runner)
    assert alex.identity.me().role.value == "manager"
    window.reject()


# ---------------------------------------------------------------------------------------------
# Sending a bundle, handing over, exporting


def assessed_case(session: Session):
    """A demo case with assessment content (the later demo cases have some)."""
    return add_demo_cases(session, count=4)[3]


def test_send_dialog_offers_confirmed_contacts_and_writes_a_bundle_they_open(
    qtbot, people, runner, tmp_path
):
    alex, sam, robin = people
    case = assessed_case(alex)
    sam_fp = introduce(alex, sam)
    robin_fp = introduce(alex, robin)
    casey = new_person(tmp_path, "Casey Unconfirmedperson")
    introduce(alex, casey, confirm=False)
    casey.close()
    alex.identity.set_supervisor(sam_fp)
    introduce(sam, alex)

    dialog = SendBundleDialog(alex, case, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.people_read, timeout=WAIT_MS):
        dialog.show()
    # Only confirmed contacts, the supervisor ticked by default.
    assert set(dialog.recipients.fingerprints(ticked_only=False)) == {sam_fp, robin_fp}
    assert dialog.recipients.fingerprints() == [sam_fp]
    assert not dialog.chosen_audiences()  # no share report unless ticked
    assert (
        "your supervisor"
        in dialog.recipients.item(
            dialog.recipients.fingerprints(ticked_only=False).index(sam_fp)
        ).text()
    )

    # Nobody ticked: refused with a sentence, nothing written.
    out = tmp_path / "outbox"
    out.mkdir()
    dialog.folder.set_path(out)
    dialog.recipients.set_ticked(set())
    dialog.action_button.click()
    assert "Tick at least one" in dialog.error_label.text()
    assert list(out.iterdir()) == []

    dialog.recipients.set_ticked({sam_fp})
    dialog.audience_checks["police"].setChecked(True)
    dialog.note_edit.setPlainText("Invented: ready for the second supervision session.")
    with qtbot.waitSignal(dialog.written, timeout=WAIT_MS) as written:
        dialog.action_button.click()
    exported = written.args[0]
    assert exported.path.parent == out and exported.path.exists()
    assert str(exported.path) in dialog.result_label.text()
    assert dialog.show_folder_button.isVisible() and dialog.cancel_button.text() == "Close"
    settle(runner)

    opened = sam.bundles.open_file(exported.path)
    assert set(opened.members) == {"report-full.pdf", "report-police.pdf", "case.json"}
    assert opened.manifest.note == "Invented: ready for the second supervision session."
    assert set(opened.manifest.recipients) == {sam_fp, alex.identity.me().fingerprint}
    dialog.reject()


def test_with_no_confirmed_contact_the_dialog_offers_the_contacts_page(
    qtbot, people, runner, tmp_path
):
    alex, sam, _robin = people
    case = assessed_case(alex)
    introduce(alex, sam, confirm=False)
    dialog = SendBundleDialog(alex, case, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.people_read, timeout=WAIT_MS):
        dialog.show()
    assert dialog.no_recipients.isVisible() and dialog.no_recipients.text() == NO_CONFIRMED_CONTACTS
    assert not dialog.content.isVisible() and not dialog.action_button.isVisible()
    with qtbot.waitSignal(dialog.contacts_requested, timeout=WAIT_MS):
        dialog.contacts_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_hand_over_dialog_moves_the_case(qtbot, people, runner, tmp_path):
    alex, sam, _robin = people
    case = assessed_case(alex)
    sam_fp = introduce(alex, sam)
    introduce(sam, alex)
    dialog = HandOverDialog(alex, case, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.people_read, timeout=WAIT_MS):
        dialog.show()
    assert "whole of case" in dialog.intro.text()
    dialog.folder.set_path(tmp_path)
    dialog.action_button.click()  # nobody chosen yet
    assert "Choose the colleague" in dialog.error_label.text()
    dialog.choose_recipient(sam_fp)
    with qtbot.waitSignal(dialog.written, timeout=WAIT_MS) as written:
        dialog.action_button.click()
    settle(runner)
    outcome = sam.bundles.import_files([written.args[0].path])[0]
    assert outcome.status == "imported" and sam.cases.find_case(case.reference).id == case.id
    assert "case.handover" in [e.action for e in alex.audit.entries()]


def test_export_dialog_protects_with_a_passphrase_or_warns(qtbot, people, runner, tmp_path):
    alex, _sam, _robin = people
    case = assessed_case(alex)
    dialog = ExportCaseDialog(alex, case, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.protected and dialog.path.path().name.endswith(".age")
    assert not dialog.warning.isVisible()
    dialog.path.set_path(tmp_path / "out" / "case.age")
    dialog.export_button.click()
    assert "passphrase" in dialog.error_label.text()
    entry = dialog.new_passphrase
    # the same strength rule as a profile's own passphrase: the file travels
    entry.first.setText("alex password")
    entry.second.setText("alex password")
    dialog.export_button.click()
    assert "too easy to guess" in dialog.error_label.text()
    entry.first.setText("tidal ochre lantern quarry")
    entry.second.setText("tidal ochre lantern quarrz")
    dialog.export_button.click()
    assert "not the same" in dialog.error_label.text()
    entry.second.setText("tidal ochre lantern quarry")
    dialog.export_button.click()
    assert "does not exist" in dialog.error_label.text()
    dialog.path.set_path(tmp_path / "case.age")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.export_button.click()
    assert dialog.written == tmp_path / "case.age"
    assert entry.first.text() == "" and entry.second.text() == ""
    settle(runner)
    raw = (tmp_path / "case.age").read_bytes()
    assert raw.startswith(b"age-encryption.org/v1") and case.young_person_name.encode() not in raw

    plain = ExportCaseDialog(alex, case, runner)
    qtbot.addWidget(plain)
    plain.show()
    plain.plain_radio.setChecked(True)
    assert plain.warning.isVisible() and "NOT encrypted" in plain.warning.text()
    assert plain.path.path().name.endswith(".json")
    plain.path.set_path(tmp_path / "case.json")
    with qtbot.waitSignal(plain.accepted, timeout=WAIT_MS):
        plain.export_button.click()
    settle(runner)
    assert json.loads((tmp_path / "case.json").read_text("utf-8"))["case"]["id"] == case.id


# ---------------------------------------------------------------------------------------------
# Importing


def test_import_dialog_shows_each_outcome_and_asks_for_a_passphrase(
    qtbot, people, runner, tmp_path
):
    alex, sam, _robin = people
    sent_case, exported_case = add_demo_cases(alex, count=4)[2:4]
    sam_fp = introduce(alex, sam)
    introduce(sam, alex)
    bundle = alex.bundles.export_assessment(sent_case.reference, [sam_fp], tmp_path).path
    damaged = tmp_path / "damaged.aim3bundle"
    damaged.write_bytes(bundle.read_bytes()[:-20])
    protected = alex.exchange.export_case(exported_case.reference, tmp_path / "c.age", "ochre")[1]
    changes: list[Changes] = []
    runner.changes.changed.connect(lambda published, _by: changes.append(published))

    dialog = ImportDialog(sam, runner, [bundle, damaged, protected])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.show()
    statuses = {p.name: o.status for p, o in dialog.outcomes.items()}
    assert statuses == {
        bundle.name: ops.IMPORTED,
        damaged.name: ops.SET_ASIDE,
        protected.name: ops.NEEDS_PASSPHRASE,
    }
    assert dialog.table.item(1, 1).text() == "Set aside"
    assert dialog.table.item(1, 2).text()  # the refusal's own sentence
    assert "quarantine" in dialog.summary_label.text()
    assert dialog.passphrase_box.isVisible() and protected.name in dialog.passphrase_label.text()

    # A wrong passphrase asks again; the right one imports the case.
    dialog.passphrase_edit.setText("wrong")
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.passphrase_button.click()
    assert dialog.passphrase_box.isVisible()
    assert "does not open" in dialog.passphrase_label.text()
    dialog.passphrase_edit.setText("ochre")
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.passphrase_button.click()
    assert dialog.outcomes[protected].status == ops.IMPORTED
    assert not dialog.passphrase_box.isVisible()
    assert dialog.table.item(2, 1).text() == "Imported"
    settle(runner)
    assert sam.cases.find_case(exported_case.reference).id == exported_case.id
    assert any(c.case_list for c in changes)  # the case list refreshes
    dialog.reject()

    # The same bundle again changes nothing.
    again = ImportDialog(sam, runner, [bundle])
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.imported, timeout=WAIT_MS):
        again.show()
    assert again.outcomes[bundle].status == ops.ALREADY_HELD
    assert again.table.item(0, 1).text() == "Already imported"
    assert [e.action for e in sam.audit.entries()].count("bundle.import") == 1


# ---------------------------------------------------------------------------------------------
# The main window's menus


def test_menus_open_contacts_and_the_case_dialogs(qtbot, people, runner):
    alex, _sam, _robin = people
    case = assessed_case(alex)
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(alex, load_form_set())
    window.show()
    tools = window.exchange
    assert tools.contacts_action.shortcut().toString() == "Ctrl+Shift+K"
    assert tools.import_action.isEnabled() and not tools.send_action.isEnabled()
    contacts = tools.show_contacts()
    assert isinstance(contacts, ContactsWindow)
    tools.contacts_action.trigger()
    assert tools.contacts_window is contacts  # one window, raised again
    window.open_case(case.id)
    qtbot.waitUntil(lambda: window.case_view is not None, timeout=WAIT_MS)
    assert tools.send_action.isEnabled() and tools.export_action.isEnabled()
    case_actions = window.tools.case_menu.actions()
    # the four: send (export), open (verify and open) and import, from the Case menu
    for action in (tools.send_action, tools.open_bundle_action, tools.import_action):
        assert action in case_actions
    tools.send_action.trigger()
    dialog = tools.dialog
    assert isinstance(dialog, SendBundleDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.no_recipients.isVisible(), timeout=WAIT_MS)
    dialog.contacts_button.click()  # closes the dialog and raises the contacts window
    assert tools.dialog is None and tools.contacts_window is not None
    settle(runner)
    window.detach()
    settle(runner)
    assert tools.contacts_window is None
    assert not tools.contacts_action.isEnabled() and not tools.send_action.isEnabled()
