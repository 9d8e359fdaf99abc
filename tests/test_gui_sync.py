"""The sync in the main window (status bar, Sync now) and the shared folder in Preferences,
driven offscreen over real profiles and a real temporary shared folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from aim3desk.config import load_settings, save_user_settings
from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.sync import MARKER_NAME
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.operations.base import Changes
from aim3desk.ui.preferences_dialog import PreferencesDialog
from aim3desk.ui.tasks import TaskRunner
from sync_people import Pair, make_pair, queue_assessment

pytestmark = pytest.mark.gui

WAIT_MS = 20_000


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    made = make_pair(tmp_path)
    for session in (made.alex, made.sam):
        session.settings = save_user_settings(
            session.profile_dir, session.settings, share_folder=str(made.share)
        )
    yield made
    made.close()


def window_for(qtbot, session, runner: TaskRunner) -> MainWindow:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(session, load_form_set())
    window.sync.timer.stop()  # the test presses Sync now itself
    window.show()
    return window


def sync_now(qtbot, window: MainWindow, runner: TaskRunner):
    with qtbot.waitSignal(window.sync.round_finished, timeout=WAIT_MS) as finished:
        window.sync_action.trigger()
    assert runner.wait_for_idle(WAIT_MS)
    return finished.args[0]


def test_status_bar_and_sync_now(qtbot, pair: Pair, runner: TaskRunner, tmp_path: Path) -> None:
    queue_assessment(pair, tmp_path / "out")
    alex = window_for(qtbot, pair.alex, runner)
    assert alex.sync_action.shortcut().toString() == "F9"
    qtbot.waitUntil(lambda: alex.sync_label.text() == "Queued 1", timeout=WAIT_MS)
    result = sync_now(qtbot, alex, runner)
    assert len(result.delivered) == 1
    assert alex.sync_label.text() == "Delivered 1"
    assert "Last round" in alex.sync_label.toolTip()
    # never two at once: a second press while one runs does nothing
    alex.sync.sync_now()
    assert alex.sync.running
    alex.sync.sync_now()
    qtbot.waitUntil(lambda: not alex.sync.running, timeout=WAIT_MS)
    # the label follows in its own read after the round
    qtbot.waitUntil(lambda: alex.sync_label.text() == "Up to date", timeout=WAIT_MS)
    alex.detach()
    assert alex.sync_label.text() == ""

    sam = window_for(qtbot, pair.sam, runner)
    changes: list[Changes] = []
    runner.changes.changed.connect(lambda c, _i: changes.append(c))
    taken = sync_now(qtbot, sam, runner)
    assert [o.status for o in taken.collected] == ["imported"]
    assert any(c.case_list for c in changes)  # lists refresh after a round took something in
    # the share unmounted: Offline, with the reason in the tooltip
    pair.share.rename(tmp_path / "gone")
    sync_now(qtbot, sam, runner)
    assert sam.sync_label.text() == "Offline"
    assert "cannot be reached" in sam.sync_label.toolTip()
    assert len(pair.sam.bundles.received()) == 1  # nothing local changed
    sam.detach()


def test_preferences_tests_and_sets_up_the_folder(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    profile = tmp_path / "profile"
    profile.mkdir()
    folder = tmp_path / "team-share"
    dialog = PreferencesDialog(load_settings(profile), profile)
    qtbot.addWidget(dialog)
    row = dialog.field_widget("share_folder")
    row.edit.setText(str(folder))
    row.test_button.click()
    assert row.verdict.text().startswith("Unreachable")
    folder.mkdir()
    row.test_button.click()
    assert row.verdict.text().startswith("No share marker")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    row.setup_button.click()
    assert (folder / MARKER_NAME).exists()
    assert row.verdict.text().startswith("A marked share")
    assert dialog.changed_values() == {"share_folder": str(folder)}
    dialog._save_button.click()
    assert load_settings(profile).values.share_folder == str(folder)


def test_a_locked_share_folder_can_still_be_tested(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.toml"
    folder = tmp_path / "org-share"
    folder.mkdir()
    policy.write_text(
        f'locked = ["share_folder"]\n[settings]\nshare_folder = "{folder.as_posix()}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("AIM3DESK_POLICY", str(policy))
    profile = tmp_path / "profile"
    profile.mkdir()
    dialog = PreferencesDialog(load_settings(profile), profile)
    qtbot.addWidget(dialog)
    row = dialog.field_widget("share_folder")
    assert not row.edit.isEnabled() and not row.setup_button.isEnabled()
    assert row.test_button.isEnabled() and dialog.lock_note("share_folder") is not None
    row.test_button.click()
    assert row.verdict.text().startswith("No share marker")
