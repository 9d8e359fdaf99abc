"""The idle lock, driven offscreen on a real profile whose case carries canaries: it fires
with a modal dialog open (a nested QDialog.exec, a QMessageBox on top of one, a file dialog,
the app's own passphrase dialog), during a background job and while the window is
minimised; afterwards no widget, window title or clipboard the app set holds case text and
only the unlock dialog shows. The idle time is the controller's own short setting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QMessageBox, QWidget

from aim3desk.app import create_application
from aim3desk.config import load_settings, save_user_settings
from aim3desk.domain.limits import MAX_TEXT_CHARS
from aim3desk.services.profile import ProfileService
from aim3desk.ui.change_passphrase import ChangePassphraseDialog
from aim3desk.ui.controller import AppController
from aim3desk.ui.new_case_dialog import NewCaseDialog
from aim3desk.ui.report_dialog import ReportDialog
from aim3desk.ui.unlock import UnlockDialog
from lock_kit import (
    FAST_KDF,
    PASSPHRASE,
    CanaryCase,
    canary,
    profile_with_canary_case,
    start_and_unlock,
    visible_windows,
    widgets_holding,
)

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
SETTING_UP_MS = 600_000  # no lock while the test sets the scene, however slow the machine
IDLE_MS = 700  # then idle from the last step on; the app's input filter restarts it on every key


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, CanaryCase]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    profile_dir = tmp_path / "profile"
    seeded_case = profile_with_canary_case(profile_dir)
    # The longest autosave delay: an edit typed just before a lock is still waiting for it.
    save_user_settings(profile_dir, load_settings(profile_dir), autosave_delay_ms=5000)
    return profile_dir, seeded_case


@pytest.fixture
def controller(qtbot, seeded: tuple[Path, CanaryCase]) -> Iterator[AppController]:
    profile_dir, _case = seeded
    create_application(["aim3desk-test"])
    app_controller = AppController(
        profile_dir, load_settings(profile_dir), kdf=FAST_KDF, idle_timeout_ms=SETTING_UP_MS
    )
    yield app_controller
    app_controller.quit()


def unlock_and_open_case(qtbot, controller: AppController, case: CanaryCase) -> None:
    window = start_and_unlock(qtbot, controller, WAIT_MS)
    window.open_case(case.case_id)
    qtbot.waitUntil(
        lambda: window.case_view is not None and window.case_view.workspace.editor is not None,
        timeout=WAIT_MS,
    )
    window.case_view.workspace.go_to(f"domain:{case.domain_id}")
    assert widgets_holding(case.all)  # the case's text really is on screen before the lock


def assert_locked_and_clean(controller: AppController, needles: tuple[str, ...]) -> None:
    assert controller.session is None
    assert isinstance(controller.dialog, UnlockDialog)
    assert visible_windows() == [controller.dialog]
    assert widgets_holding(needles) == []
    assert "without activity" in controller.dialog.message_label.text()


class InsideModal:
    """Runs steps inside the nested event loop of a modal dialog: each step waits for its
    condition (polled on a timer, which runs in any nested loop) and then acts. A step that
    never comes closes every dialog after a while, so a broken lock fails instead of hanging."""

    def __init__(self) -> None:
        self.steps: list[tuple[Callable[[], QWidget | None], Callable[[QWidget], None]]] = []
        self.done: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._give_up = QTimer()
        self._give_up.setSingleShot(True)
        self._give_up.setInterval(WAIT_MS)
        self._give_up.timeout.connect(self._abandon)

    def when(self, find: Callable[[], QWidget | None], act: Callable[[QWidget], None]) -> None:
        self.steps.append((find, act))

    def start(self) -> None:
        self._timer.start()
        self._give_up.start()

    def stop(self) -> None:
        self._timer.stop()
        self._give_up.stop()

    def _poll(self) -> None:
        if not self.steps:
            self._timer.stop()
            return
        find, act = self.steps[0]
        found = find()
        if found is not None:
            self.steps.pop(0)
            act(found)
            self.done.append(type(found).__name__)

    def _abandon(self) -> None:
        self.done.append("abandoned")
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.done(QDialog.DialogCode.Rejected)


def shown(kind: type[QWidget]) -> Callable[[], QWidget | None]:
    def find() -> QWidget | None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                return widget
        return None

    return find


def idle_from_now(controller: AppController) -> None:
    """The scene is set: the idle time (the controller's own timer) runs short from here."""
    controller.idle_lock.set_timeout_ms(IDLE_MS)


def wait_for_the_idle_lock(qtbot, controller: AppController) -> None:
    qtbot.waitUntil(lambda: isinstance(controller.dialog, UnlockDialog), timeout=WAIT_MS)


def test_idle_lock_closes_a_nested_exec_dialog(qtbot, controller, seeded) -> None:
    _profile, case = seeded
    unlock_and_open_case(qtbot, controller, case)
    typed = canary("Wexbrindle")
    inside = InsideModal()

    def type_a_name(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.name_edit, typed)
        idle_from_now(controller)

    inside.when(shown(NewCaseDialog), type_a_name)
    inside.start()
    QTimer.singleShot(0, controller.main_window.new_case_action.trigger)  # exec() inside
    wait_for_the_idle_lock(qtbot, controller)
    inside.stop()
    assert inside.done == ["NewCaseDialog"]
    assert_locked_and_clean(controller, (*case.all, typed))


def test_idle_lock_closes_a_message_box_over_a_dialog(qtbot, controller, seeded) -> None:
    _profile, case = seeded
    unlock_and_open_case(qtbot, controller, case)
    typed = canary("Quennowby")
    answers: list[QMessageBox.StandardButton] = []

    def ask_over(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.name_edit, typed)
        idle_from_now(controller)
        answers.append(QMessageBox.question(dialog, "Invented question", f"Keep {typed}?"))

    inside = InsideModal()
    inside.when(shown(NewCaseDialog), ask_over)  # two nested loops deep
    inside.start()
    QTimer.singleShot(0, controller.main_window.new_case_action.trigger)
    wait_for_the_idle_lock(qtbot, controller)
    inside.stop()
    assert answers == [QMessageBox.StandardButton.NoButton]  # closed by the lock, not a "Yes"
    assert_locked_and_clean(controller, (*case.all, typed))


def test_idle_lock_closes_a_file_dialog_over_the_report_dialog(qtbot, controller, seeded) -> None:
    _profile, case = seeded
    unlock_and_open_case(qtbot, controller, case)
    typed = canary("Faldrewick")

    def type_a_file_name(dialog: QWidget) -> None:
        name_edit = dialog.findChild(QLineEdit, "fileNameEdit")
        qtbot.keyClicks(name_edit, f"{typed}.pdf")
        idle_from_now(controller)

    inside = InsideModal()
    inside.when(shown(ReportDialog), lambda d: QTimer.singleShot(0, d.choose_button.click))
    inside.when(shown(QFileDialog), type_a_file_name)
    inside.start()
    controller.main_window.tools.show_report()
    wait_for_the_idle_lock(qtbot, controller)
    inside.stop()
    assert inside.done == ["ReportDialog", "QFileDialog"]
    assert_locked_and_clean(controller, (*case.all, typed))


def test_idle_lock_closes_the_passphrase_dialog_and_forgets_what_was_typed(
    qtbot, controller, seeded
) -> None:
    _profile, case = seeded
    unlock_and_open_case(qtbot, controller, case)
    new_passphrase = canary("glint harbour ") + " copper kiln"

    def type_passphrases(dialog: QWidget) -> None:
        qtbot.keyClicks(dialog.current_edit, PASSPHRASE)
        qtbot.keyClicks(dialog.new_passphrase.first, new_passphrase)
        idle_from_now(controller)

    inside = InsideModal()
    inside.when(shown(ChangePassphraseDialog), type_passphrases)
    inside.start()
    QTimer.singleShot(0, controller.main_window.change_passphrase_action.trigger)
    wait_for_the_idle_lock(qtbot, controller)
    inside.stop()
    assert inside.done == ["ChangePassphraseDialog"]
    assert_locked_and_clean(controller, (*case.all, new_passphrase, PASSPHRASE))


def test_idle_lock_fires_while_minimised_saves_the_last_edit_and_comes_back_in_view(
    qtbot, controller, seeded
) -> None:
    _profile, case = seeded
    unlock_and_open_case(qtbot, controller, case)
    window = controller.main_window
    typed = canary("Marrowvane")
    rationale = window.case_view.workspace.current_page().cards[0].rationale
    rationale.setFocus()
    qtbot.keyClicks(rationale, f" {typed}")  # autosave waits 5 s: the lock comes first
    window.showMinimized()
    idle_from_now(controller)
    wait_for_the_idle_lock(qtbot, controller)
    assert_locked_and_clean(controller, (*case.all, typed))
    controller.idle_lock.set_timeout_ms(SETTING_UP_MS)
    controller.dialog.passphrase_edit.setText(PASSPHRASE)
    qtbot.mouseClick(controller.dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.session is not None and window.isVisible(), timeout=WAIT_MS)
    assert not window.isMinimized()  # the person comes back to a window they can see

    def reopened_with_the_edit() -> bool:
        view = window.case_view
        page = view.workspace.current_page() if view and view.workspace.editor else None
        return page is not None and typed in page.cards[0].rationale.toPlainText()

    qtbot.waitUntil(reopened_with_the_edit, timeout=WAIT_MS)  # saved, and back where it was


def test_idle_lock_clears_what_the_app_copied_and_only_that(qtbot, controller, seeded) -> None:
    _profile, case = seeded
    unlock_and_open_case(qtbot, controller, case)
    window = controller.main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    rationale = window.case_view.workspace.current_page().cards[0].rationale
    rationale.setFocus()
    rationale.selectAll()
    qtbot.keyClick(rationale, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # Qt's own copy
    clipboard = QGuiApplication.clipboard()
    assert case.reason in clipboard.text()
    idle_from_now(controller)
    wait_for_the_idle_lock(qtbot, controller)
    assert_locked_and_clean(controller, case.all)
    assert case.reason not in clipboard.text()


def test_idle_lock_during_a_report_and_with_an_edit_not_yet_saved(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report being laid out is cancelled (or, if it had finished, it was recorded): no
    error shows on the locked screen, no file is left without its audit entry, and the edit
    typed before it is in the store."""
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    profile_dir = tmp_path / "profile"
    case = profile_with_canary_case(profile_dir, long_text_chars=MAX_TEXT_CHARS)
    save_user_settings(profile_dir, load_settings(profile_dir), autosave_delay_ms=5000)
    create_application(["aim3desk-test"])
    controller = AppController(
        profile_dir, load_settings(profile_dir), kdf=FAST_KDF, idle_timeout_ms=SETTING_UP_MS
    )
    out = tmp_path / "chosen" / "report.pdf"
    out.parent.mkdir()
    typed = canary("Hobblethorn")
    try:
        unlock_and_open_case(qtbot, controller, case)
        window = controller.main_window
        rationale = window.case_view.workspace.current_page().cards[0].rationale
        rationale.setFocus()
        qtbot.keyClicks(rationale, f" {typed}")
        window.tools.show_report()
        dialog = shown(ReportDialog)()
        assert isinstance(dialog, ReportDialog)
        dialog.open_when_done = False
        dialog.set_output_path(out)
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=WAIT_MS)  # laying out
        controller.idle_lock.set_timeout_ms(1)  # idle from now: the lock comes mid-report
        wait_for_the_idle_lock(qtbot, controller)
        assert_locked_and_clean(controller, (*case.all, typed))
    finally:
        controller.quit()

    session = ProfileService(profile_dir, kdf=FAST_KDF).unlock(PASSPHRASE)
    try:
        content = session.assessments.load(
            session.cases.get_case(case.case_id).current_assessment.id
        )
        assert any(typed in rating.rationale for rating in content.ratings)
        recorded = [e for e in session.audit.entries() if e.action == "report.export"]
        assert sorted(p.name for p in out.parent.iterdir()) == (["report.pdf"] if recorded else [])
    finally:
        session.close()
