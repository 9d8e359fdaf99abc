"""File > Open bundle...: one bundle checked off the UI thread and shown, driven through its
widgets offscreen over real encrypted profiles exchanging real bundle files: who signed it,
for whom, its files (saved to a folder, 0600), import from the dialog, and refusals that
show their own sentence and write nothing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

import test_gui_bundles as gui_bundles
from aim3desk.services.bundles import AUDIT_IMPORT, MEMBERS_NOT_ENCRYPTED_WARNING
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.errors import DamagedBundle, UnconfirmedSigner
from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.session import Session
from aim3desk.ui.bundle_words import ADVICE, NOT_OPENED, NOTHING_WRITTEN, OWN_BUNDLE, SHA_CHECKED
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.open_bundle_dialog import OpenBundleDialog
from aim3desk.ui.operations import bundles as ops
from aim3desk.ui.operations.base import Changes
from aim3desk.ui.tasks import TaskRunner
from bundle_people import introduce
from test_gui_bundles import WAIT_MS, settle

# The three profiles and the task runner of the other bundle dialogs' tests.
people = gui_bundles.people

pytestmark = pytest.mark.gui


def sent_bundle(author: Session, to: list[Session], folder: Path, note: str = "") -> Path:
    """`author` sends an assessed demo case to `to` (each confirmed the other's card)."""
    case = add_demo_cases(author, count=4)[3]
    fingerprints = [introduce(author, person) for person in to]
    for person in to:
        introduce(person, author)
    return author.bundles.export_assessment(case.reference, fingerprints, folder, note=note).path


def open_dialog(qtbot, session: Session, task_runner: TaskRunner, path: Path) -> OpenBundleDialog:
    dialog = OpenBundleDialog(session, task_runner, path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        dialog.show()
    return dialog


def column(dialog: OpenBundleDialog, number: int) -> list[str]:
    return [dialog.members.item(row, number).text() for row in range(dialog.members.rowCount())]


def test_a_good_bundle_shows_its_signer_and_files_and_saves_them(qtbot, people, runner, tmp_path):
    alex, sam, robin = people
    # To Sam and Robin; Sam holds no card of Robin's.
    path = sent_bundle(alex, [sam, robin], tmp_path, note="Invented: for Thursday's supervision.")
    dialog = open_dialog(qtbot, sam, runner, path)
    assert dialog.bundle is not None and dialog.refusal is None
    manifest = dialog.bundle.opened.manifest
    me = alex.identity.me()
    assert dialog.title.text() == manifest.title
    assert f"Alex Inventedworker, practitioner ({me.fingerprint})" in dialog.signed_by.text()
    assert "matches the key you confirmed for them" in dialog.signed_by.text()
    assert set(dialog.recipients.text().splitlines()) == {
        "You",
        f"Alex Inventedworker, practitioner ({me.fingerprint})",
        f"Someone not among your contacts ({robin.identity.me().fingerprint})",
    }
    assert dialog.case_label.text() == manifest.case_reference
    assert dialog.version_label.text().startswith(
        f"Assessment version {manifest.assessment_version}"
    )
    assert dialog.escrow_label.text() == "No"
    assert dialog.note_label.text() == "Invented: for Thursday's supervision."
    assert dialog.created_label.text() and "T" not in dialog.created_label.text()
    assert set(column(dialog, 0)) == {"report-full.pdf", "case.json"}
    assert column(dialog, 3) == [SHA_CHECKED, SHA_CHECKED]
    assert dialog.import_button.isEnabled() and not dialog.refusal_box.isVisible()

    # Save: the NOT-encrypted warning and the folder come first; nothing is written yet.
    out = tmp_path / "opened"
    out.mkdir()
    dialog.save_files_button.click()
    assert dialog.save_panel.isVisible()
    assert dialog.save_warning.text() == MEMBERS_NOT_ENCRYPTED_WARNING
    assert list(out.iterdir()) == []
    dialog.folder.set_path(tmp_path / "missing")
    dialog.save_button.click()
    assert "does not exist" in dialog.error_label.text()
    dialog.folder.set_path(out)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        dialog.save_button.click()
    written = saved.args[0]
    assert {p.name for p in out.iterdir()} == {p.name for p in written}
    assert len(written) == 2
    for file in written:
        assert file.parent == out and stat.S_IMODE(file.stat().st_mode) == 0o600
    assert (out / f"{manifest.case_reference}-report-full.pdf").read_bytes().startswith(b"%PDF")
    assert str(out) in dialog.result_label.text() and "NOT encrypted" in (
        dialog.result_label.text()
    )
    assert dialog.show_folder_button.isVisible() and not dialog.save_panel.isVisible()
    settle(runner)
    actions = [e.action for e in sam.audit.entries()]
    assert "bundle.open" in actions and AUDIT_IMPORT not in actions  # saved, not imported
    dialog.reject()
    assert dialog.bundle is None  # the decrypted files are let go


def test_a_bundle_from_an_unconfirmed_signer_is_refused_and_offers_no_save(
    qtbot, people, runner, tmp_path
):
    alex, sam, _robin = people
    sam_fp = introduce(alex, sam)
    introduce(sam, alex, confirm=False)  # Sam holds Alex's card but has not checked it
    case = add_demo_cases(alex, count=4)[3]
    path = alex.bundles.export_assessment(case.reference, [sam_fp], tmp_path).path
    before = [e.action for e in sam.audit.entries()]

    dialog = open_dialog(qtbot, sam, runner, path)
    assert isinstance(dialog.refusal, UnconfirmedSigner) and dialog.bundle is None
    assert dialog.title.text() == NOT_OPENED
    assert dialog.refusal_box.isVisible()
    assert dialog.refusal_label.text() == str(dialog.refusal)
    assert "not confirmed" in dialog.refusal_label.text()
    assert dialog.advice_label.text() == ADVICE["unconfirmed-signer"]
    assert dialog.nothing_written.text() == NOTHING_WRITTEN
    assert not dialog.details.isVisible() and dialog.members.rowCount() == 0
    assert not dialog.save_files_button.isVisible() and not dialog.import_button.isVisible()
    dialog.save()  # even asked directly, nothing to save
    assert not dialog.busy.isVisible()
    assert dialog.contacts_button.isVisible()
    with qtbot.waitSignal(dialog.contacts_requested, timeout=WAIT_MS):
        dialog.contacts_button.click()
    settle(runner)
    assert [e.action for e in sam.audit.entries()] == before  # nothing changed
    assert sam.bundles.received() == []


def test_import_from_the_dialog_imports_it_once(qtbot, people, runner, tmp_path):
    alex, sam, _robin = people
    path = sent_bundle(alex, [sam], tmp_path)
    changes: list[Changes] = []
    runner.changes.changed.connect(lambda published, _by: changes.append(published))
    dialog = open_dialog(qtbot, sam, runner, path)
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as imported:
        dialog.import_button.click()
    outcome = imported.args[0]
    assert outcome.status == ops.IMPORTED
    assert dialog.result_label.text() == outcome.message and "imported" in outcome.message
    assert not dialog.import_button.isEnabled()
    dialog.import_bundle()  # a second press does nothing
    assert not dialog.busy.isVisible()
    settle(runner)
    assert [e.action for e in sam.audit.entries()].count(AUDIT_IMPORT) == 1
    assert len(sam.bundles.received()) == 1
    assert changes  # the import was published
    dialog.reject()

    # Opened again: importing it again says it is held already and changes nothing.
    again = open_dialog(qtbot, sam, runner, path)
    with qtbot.waitSignal(again.imported, timeout=WAIT_MS) as imported:
        again.import_button.click()
    assert imported.args[0].status == ops.ALREADY_HELD
    assert "already imported" in again.result_label.text()
    settle(runner)
    assert [e.action for e in sam.audit.entries()].count(AUDIT_IMPORT) == 1


def test_your_own_bundle_cannot_be_imported_and_says_why(qtbot, people, runner, tmp_path):
    alex, sam, _robin = people
    path = sent_bundle(alex, [sam], tmp_path)
    dialog = open_dialog(qtbot, alex, runner, path)
    assert dialog.bundle is not None and dialog.bundle.opened.from_me
    assert "Made by you: the signature matches your key." in dialog.signed_by.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.import_note.text() == OWN_BUNDLE == dialog.import_button.toolTip()
    assert dialog.save_files_button.isEnabled()
    dialog.reject()


def test_the_file_menu_opens_a_bundle_and_a_damaged_one_is_refused(qtbot, people, runner, tmp_path):
    alex, sam, _robin = people
    path = sent_bundle(alex, [sam], tmp_path)
    damaged = tmp_path / "damaged.aim3bundle"
    damaged.write_bytes(path.read_bytes()[:-20])
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(sam, load_form_set())
    window.show()
    tools = window.exchange
    action = tools.open_bundle_action
    assert action.shortcut().toString() == "Ctrl+Shift+V" and action.isEnabled()
    file_actions = window.menuBar().actions()[0].menu().actions()
    assert file_actions.index(action) == file_actions.index(tools.import_action) + 1

    dialog = tools.open_bundle(damaged)
    assert tools.dialog is dialog
    qtbot.waitUntil(lambda: dialog.refusal is not None, timeout=WAIT_MS)
    assert isinstance(dialog.refusal, DamagedBundle)
    assert dialog.advice_label.text() == ADVICE["damaged"]
    assert not dialog.contacts_button.isVisible()
    dialog.close_button.click()
    assert tools.dialog is None

    good = tools.open_bundle(path)
    qtbot.waitUntil(lambda: good.bundle is not None, timeout=WAIT_MS)
    window.detach()  # locking closes it, and lets go of the decrypted files
    assert tools.dialog is None and good.bundle is None
    assert not action.isEnabled()
    settle(runner)
