"""Help > Guide (F1) lists the real shortcuts of the window's actions and the workspace and
this profile's folders; Preferences folds the key-derivation settings under "For IT"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from aim3desk.services.profile import ProfileService
from aim3desk.ui.assessment.shortcuts import WORKSPACE_KEYS
from aim3desk.ui.guide import GuideDialog, action_shortcuts
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.preferences_dialog import IT_GROUP, PreferencesDialog
from aim3desk.ui.tasks import TaskRunner
from test_gui_flow import FAST_KDF, PASSPHRASE, PRACTITIONER, WAIT_MS
from window_kit import attached_window

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch, runner: TaskRunner) -> Iterator[MainWindow]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    session, _key = ProfileService(tmp_path / "profile", kdf=FAST_KDF).create(
        PASSPHRASE, PRACTITIONER
    )
    with attached_window(runner, session) as main:
        yield main


def open_guide(qtbot, window: MainWindow) -> GuideDialog:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    qtbot.keyClick(window.case_list.search_edit, Qt.Key.Key_F1)
    guides = [w for w in QApplication.topLevelWidgets() if isinstance(w, GuideDialog)]
    assert len(guides) == 1 and guides[0].isVisible()
    return guides[0]


def test_f1_opens_the_guide_with_the_real_shortcuts_and_folders(qtbot, window: MainWindow) -> None:
    guide = open_guide(qtbot, window)
    text = guide.browser.toPlainText()
    for heading in ("The work, in order", "Keyboard shortcuts", "Where your data lives"):
        assert heading in text
    native = QKeySequence.SequenceFormat.NativeText
    # Every action's shortcut as the window has it now, and the workspace's own keys.
    listed = action_shortcuts(window.actions())
    assert ("Lock now", QKeySequence("Ctrl+L").toString(native)) in listed
    assert ("Deadlines", QKeySequence("Ctrl+D").toString(native)) in listed
    for action in window.actions():
        for key in action.shortcuts():
            assert key.toString(native) in text
    for key in WORKSPACE_KEYS:
        assert key.what in text
        assert QKeySequence(key.keys[0]).toString(native) in text
    # A changed shortcut shows in the guide: it is read from the action, never written twice.
    window.lock_action.setShortcut(QKeySequence("Ctrl+Alt+K"))
    guide.reject()
    assert "Ctrl+Alt+K" in window.show_guide().browser.toPlainText()
    assert str(window.session.profile_dir) in text
    assert str(window.session.deletion.backups_dir) in text
    assert "none is set" in text  # no shared folder in this profile
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, GuideDialog):
            dialog.reject()


def test_preferences_fold_the_key_derivation_settings_for_it(qtbot, window: MainWindow) -> None:
    session = window.session
    dialog = PreferencesDialog(session.settings, session.profile_dir, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    kdf_fields = ("kdf_min_memory_kib", "kdf_min_iterations", "kdf_target_seconds")
    assert IT_GROUP.startswith("For IT") and dialog.it_toggle.text().startswith("For IT")
    assert not any(dialog.field_widget(name).isVisible() for name in kdf_fields)
    assert dialog.field_widget("idle_lock_minutes").isVisible()
    qtbot.mouseClick(dialog.it_toggle, Qt.MouseButton.LeftButton)
    assert all(dialog.field_widget(name).isVisible() for name in kdf_fields)
    # Still a setting like any other: raising it is saved.
    dialog.field_widget("kdf_min_iterations").setValue(
        session.settings.values.kdf_min_iterations + 1
    )
    assert dialog.changed_values() == {
        "kdf_min_iterations": session.settings.values.kdf_min_iterations + 1
    }
    dialog.reject()
