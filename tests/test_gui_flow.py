"""The whole GUI path, driven offscreen with real parts: first run, a new case, evidence that
saves itself, lock and unlock, the two unlock error messages, recovery and the idle lock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from aim3desk.app import create_application
from aim3desk.config import load_settings
from aim3desk.domain.cases import AssessmentModel
from aim3desk.security.errors import DamagedKeyFile, WrongPassphrase
from aim3desk.security.kdf import KdfParams
from aim3desk.ui.case_view import SAVED
from aim3desk.ui.controller import LOCKED_BY_USER, AppController
from aim3desk.ui.first_run import FirstRunDialog
from aim3desk.ui.new_case_dialog import NewCaseDialog
from aim3desk.ui.unlock import UnlockDialog
from tampering import remove_last_audit_entries, tamper_with_audit_entry

pytestmark = pytest.mark.gui

FAST_KDF = KdfParams(8192, 1, 1)  # the real app calibrates; tests only need it to work
PASSPHRASE = "ochre lantern tidal quibble meadow"
NEW_PASSPHRASE = "copper walrus hums beside frosty kilns"
PRACTITIONER = "Alex Testworker"
WAIT_MS = 15_000


@pytest.fixture
def profile_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    return tmp_path / "profile"


def make_controller(profile_dir: Path, idle_timeout_ms: int | None = None) -> AppController:
    create_application(["aim3desk-test"])
    return AppController(
        profile_dir, load_settings(profile_dir), kdf=FAST_KDF, idle_timeout_ms=idle_timeout_ms
    )


@pytest.fixture
def controller(qtbot, profile_dir: Path) -> Iterator[AppController]:
    app_controller = make_controller(profile_dir)
    yield app_controller
    app_controller.quit()


def existing_profile(profile_dir: Path) -> str:
    """A profile made through the service (not the GUI); returns its recovery key."""
    from aim3desk.services.profile import ProfileService

    session, recovery_key = ProfileService(profile_dir, kdf=FAST_KDF).create(
        PASSPHRASE, PRACTITIONER
    )
    session.close()
    return recovery_key


def unlock_dialog(controller: AppController) -> UnlockDialog:
    assert isinstance(controller.dialog, UnlockDialog)
    return controller.dialog


def unlock(qtbot, controller: AppController, passphrase: str = PASSPHRASE) -> None:
    dialog = unlock_dialog(controller)
    dialog.passphrase_edit.setText(passphrase)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: controller.main_window is not None and controller.main_window.isVisible(),
        timeout=WAIT_MS,
    )


def press_ctrl_l(qtbot, controller: AppController, widget: QWidget) -> None:
    """The real key press on the active main window; the lock must follow from it alone."""
    window = controller.main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    qtbot.keyClick(widget, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert controller.session is None  # locked by the shortcut, at once
    assert not window.isVisible()
    assert unlock_dialog(controller).message_label.text() == LOCKED_BY_USER


def fill_new_case(qtbot) -> None:
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, NewCaseDialog) and w.isVisible()
    )
    assert not dialog.ok_button.isEnabled()  # nothing required is filled in yet
    qtbot.keyClicks(dialog.name_edit, "Robin Example")
    qtbot.keyClicks(dialog.dob_edit.line_edit, "20/05/2016")
    assert dialog.model_combo.currentData() == AssessmentModel.AIM_U12
    dialog.dob_edit.line_edit.clear()
    qtbot.keyClicks(dialog.dob_edit.line_edit, "04032011")
    assert dialog.model_combo.currentData() == AssessmentModel.AIM3  # follows age, live
    qtbot.keyClicks(dialog.reference_edit, "x")
    assert dialog.lead_worker_edit.text() == PRACTITIONER
    dialog.co_workers_edit.setPlainText("Kim Helper, Jo Assistant")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors["reference"].isVisibleTo(dialog)  # the message sits by the field
    assert "2 to 40" in dialog.errors["reference"].text()
    dialog.reference_edit.setText("YOS/2025/001")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_first_run_case_evidence_lock_and_unlock(qtbot, controller: AppController) -> None:
    controller.start()
    first_run = controller.dialog
    assert isinstance(first_run, FirstRunDialog)
    qtbot.keyClicks(first_run.name_edit, PRACTITIONER)
    first_run.passphrase.first.setText("password1")
    first_run.passphrase.second.setText("password1")
    assert not first_run.create_button.isEnabled()  # zxcvbn says it is too weak
    assert first_run.passphrase.feedback.text()
    first_run.passphrase.first.setText(PASSPHRASE)
    first_run.passphrase.second.setText(PASSPHRASE + "x")
    assert not first_run.create_button.isEnabled()  # the two entries differ
    first_run.passphrase.second.setText(PASSPHRASE)
    assert first_run.create_button.isEnabled()
    qtbot.mouseClick(first_run.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first_run.pages.currentIndex() == 1, timeout=WAIT_MS)
    assert len(first_run.key_label.text().replace("-", "").split()) >= 9
    assert not first_run.finish_button.isEnabled()
    first_run.reject()  # cannot be dismissed while the key is on screen
    assert first_run.isVisible()
    first_run.stored_check.setChecked(True)
    qtbot.mouseClick(first_run.finish_button, Qt.MouseButton.LeftButton)
    assert first_run.key_label.text() == ""
    qtbot.waitUntil(
        lambda: controller.main_window is not None and controller.main_window.isVisible(),
        timeout=WAIT_MS,
    )
    window = controller.main_window
    assert PRACTITIONER in window.practitioner_label.text()

    QTimer.singleShot(0, lambda: fill_new_case(qtbot))
    window.new_case_action.trigger()
    qtbot.waitUntil(lambda: window.case_view is not None, timeout=WAIT_MS)
    view = window.case_view
    assert view.model_combo.currentData() == AssessmentModel.AIM3
    assert "YOS/2025/001" in view.title_label.text()

    workspace = view.workspace
    qtbot.waitUntil(lambda: workspace.editor is not None, timeout=WAIT_MS)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    view.navigator.setFocus()
    qtbot.keyClick(view.navigator, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.navigator, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    third_domain = workspace.current_page().nav_key
    assert third_domain == "domain:developmental"
    rationale = workspace.current_page().cards[0].rationale
    rationale.setFocus()
    qtbot.keyClicks(rationale, "Invented note one.")
    qtbot.waitUntil(lambda: window.save_label.text() == SAVED, timeout=WAIT_MS)
    # Typed just before locking: the lock itself must save it.
    qtbot.keyClicks(rationale, " Typed right before the lock.")
    assert window.save_label.text() == "Saving..."

    # Ctrl+C in an editor puts case text on the clipboard (Qt copies it in C++): the lock
    # must take it off again.
    QApplication.clipboard().clear()
    qtbot.keyClick(rationale, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(rationale, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text().startswith("Invented note one.")

    # Ctrl+L pressed where the person is typing, on the active main window: no fallback.
    assert QApplication.focusWidget() is rationale
    press_ctrl_l(qtbot, controller, rationale)
    assert QApplication.clipboard().text() == ""
    assert not window.isVisible()
    assert window.case_view is None
    assert window.case_list.model.rowCount() == 0
    assert window.practitioner_label.text() == ""

    unlock(qtbot, controller)
    table = window.case_list.table
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 1, timeout=WAIT_MS)
    table.setFocus()
    table.setCurrentIndex(window.case_list.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.case_view is not None and window.case_view.workspace.editor is not None,
        timeout=WAIT_MS,
    )
    workspace = window.case_view.workspace
    workspace.go_to(third_domain)
    rationale = workspace.current_page().cards[0].rationale
    assert rationale.toPlainText() == "Invented note one. Typed right before the lock."


# Offscreen there is no other program to give the focus to: setActiveWindow (deprecated, but
# the only way) stands in for one.
@pytest.mark.filterwarnings("ignore:Function. 'QApplication.setActiveWindow:DeprecationWarning")
def test_lock_clears_the_clipboard_the_app_set_and_leaves_other_text(
    qtbot, controller: AppController
) -> None:
    clipboard = QApplication.clipboard()
    clipboard.clear()
    controller.start()
    first_run = controller.dialog
    assert isinstance(first_run, FirstRunDialog)
    qtbot.keyClicks(first_run.name_edit, PRACTITIONER)
    first_run.passphrase.first.setText(PASSPHRASE)
    first_run.passphrase.second.setText(PASSPHRASE)
    qtbot.mouseClick(first_run.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first_run.pages.currentIndex() == 1, timeout=WAIT_MS)
    shown_key = "".join(first_run.key_label.text().replace("-", "").split())
    qtbot.mouseClick(first_run.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text().replace("-", "") == shown_key  # the recovery key, copied
    first_run.stored_check.setChecked(True)
    qtbot.mouseClick(first_run.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: controller.main_window is not None and controller.main_window.isVisible(),
        timeout=WAIT_MS,
    )
    window = controller.main_window
    press_ctrl_l(qtbot, controller, window)
    assert clipboard.text() == ""  # the lock took the recovery key off the clipboard

    unlock(qtbot, controller)
    copied_elsewhere = "A shopping list copied in another program"
    QApplication.setActiveWindow(None)  # another program has the focus while it copies
    clipboard.setText(copied_elsewhere)
    QApplication.setActiveWindow(window)  # and back to AIM3 Desk
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    press_ctrl_l(qtbot, controller, window)
    assert clipboard.text() == copied_elsewhere  # not the app's: left alone
    controller.quit()
    assert clipboard.text() == copied_elsewhere
    clipboard.clear()


def test_wrong_passphrase_and_damaged_key_file_say_different_things(
    qtbot, profile_dir: Path
) -> None:
    existing_profile(profile_dir)
    controller = make_controller(profile_dir)
    controller.start()
    dialog = unlock_dialog(controller)
    dialog.passphrase_edit.setText("not the passphrase at all")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=WAIT_MS)
    wrong_text = dialog.error_label.text()
    assert wrong_text == str(WrongPassphrase())
    assert controller.session is None

    key_file = profile_dir / "profile.key"
    key_file.write_bytes(key_file.read_bytes()[: key_file.stat().st_size // 2])
    dialog.passphrase_edit.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.text() not in ("", wrong_text), timeout=WAIT_MS)
    assert dialog.error_label.text() == str(DamagedKeyFile())
    controller.quit()


def test_recovery_key_unlocks_and_sets_a_new_passphrase(qtbot, profile_dir: Path) -> None:
    recovery_key = existing_profile(profile_dir)
    controller = make_controller(profile_dir)
    controller.start()
    dialog = unlock_dialog(controller)
    qtbot.mouseClick(dialog.recovery_link, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1
    dialog.recovery_edit.setText(recovery_key)
    dialog.new_passphrase.first.setText(NEW_PASSPHRASE)
    assert not dialog.recover_button.isEnabled()  # the new passphrase is required twice
    dialog.new_passphrase.second.setText(NEW_PASSPHRASE)
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.session is not None, timeout=WAIT_MS)
    controller.lock()
    unlock(qtbot, controller, NEW_PASSPHRASE)
    controller.quit()


def test_idle_lock_fires_and_clears_the_window(qtbot, profile_dir: Path) -> None:
    existing_profile(profile_dir)
    controller = make_controller(profile_dir, idle_timeout_ms=400)
    controller.start()
    unlock(qtbot, controller)
    window = controller.main_window
    qtbot.waitUntil(lambda: isinstance(controller.dialog, UnlockDialog), timeout=WAIT_MS)
    assert controller.session is None
    assert not window.isVisible()
    assert "without activity" in unlock_dialog(controller).message_label.text()
    controller.quit()


def test_new_case_due_date_follows_the_deadline_setting(qtbot, profile_dir: Path) -> None:
    create_application(["aim3desk-test"])
    from aim3desk.ui.tasks import TaskRunner

    runner = TaskRunner()
    dialog = NewCaseDialog(session=None, runner=runner, deadline_weeks=8, today=date(2025, 3, 10))
    qtbot.addWidget(dialog)
    assert dialog.due_label.text().startswith("05/05/2025")
    controls = [
        dialog.name_edit,
        dialog.dob_edit,
        dialog.reference_edit,
        dialog.agency_combo,
        dialog.lead_worker_edit,
        dialog.co_workers_edit,
        dialog.requester_combo,
        dialog.request_date_edit,
        dialog.joint_check,
        dialog.status_combo,
        dialog.model_combo,
        dialog.ok_button,
    ]
    assert all(control.accessibleName() for control in controls)
    runner.shutdown()


def test_change_passphrase_from_the_profile_menu(qtbot, profile_dir: Path) -> None:
    from aim3desk.ui.change_passphrase import ChangePassphraseDialog

    existing_profile(profile_dir)
    controller = make_controller(profile_dir)
    controller.start()
    unlock(qtbot, controller)
    dialog = ChangePassphraseDialog(controller.session, controller.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.current_edit.setText("not it")
    dialog.new_passphrase.first.setText(NEW_PASSPHRASE)
    dialog.new_passphrase.second.setText(NEW_PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.text() == str(WrongPassphrase()), timeout=WAIT_MS)
    dialog.current_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    controller.lock()
    unlock(qtbot, controller, NEW_PASSPHRASE)
    controller.quit()


def test_passphrase_fields_hide_text_from_input_methods(qtbot) -> None:
    from aim3desk.ui.passphrase import passphrase_field

    field = passphrase_field("Passphrase")
    qtbot.addWidget(field)
    hints = field.inputMethodHints()
    for hint in (
        Qt.InputMethodHint.ImhHiddenText,
        Qt.InputMethodHint.ImhSensitiveData,
        Qt.InputMethodHint.ImhNoPredictiveText,
    ):
        assert hints & hint


def test_unlock_says_when_the_audit_trail_was_altered(qtbot, profile_dir: Path) -> None:
    """The chain is walked after every unlock (behind the case list): an intact trail says
    nothing; an entry edited on disk brings a warning naming the entry, and work goes on."""
    existing_profile(profile_dir)
    controller = make_controller(profile_dir)
    controller.start()
    unlock(qtbot, controller)
    controller.runner.wait_for_idle()
    assert controller.audit_warning is None
    controller.quit()

    from aim3desk.services.profile import ProfileService

    with ProfileService(profile_dir).unlock(PASSPHRASE) as session:
        tamper_with_audit_entry(session, 1)
    assert audit_warning_after_unlock(qtbot, profile_dir).startswith(
        "Audit entry 1 has been altered."
    )


def audit_warning_after_unlock(qtbot, profile_dir: Path) -> str:
    """Unlock in the GUI and wait for the audit warning; the main window stays usable."""
    controller = make_controller(profile_dir)
    controller.start()
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: controller.audit_warning is not None, timeout=WAIT_MS)
    warning = controller.audit_warning
    assert warning.isVisible()
    assert controller.main_window.isVisible()
    text = warning.text()
    controller.quit()
    return text


def test_unlock_says_when_the_last_audit_entries_were_removed(qtbot, profile_dir: Path) -> None:
    """Cutting the end of the trail leaves a whole chain; the signed head outside the database
    notices, and the same warning box says so while the cases stay open."""
    existing_profile(profile_dir)
    remove_last_audit_entries(profile_dir, PASSPHRASE, 1)
    assert audit_warning_after_unlock(qtbot, profile_dir).startswith(
        "The last audit entry has been removed, or an older copy of the database has been restored."
    )
