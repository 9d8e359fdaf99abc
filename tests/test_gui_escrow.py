"""After IT recovered a profile with the organisation's escrow key, the practitioner's next
unlock in the app shows the notice once, in a window-modal box over the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from aim3desk.app import create_application
from aim3desk.config import load_settings
from aim3desk.ui.controller import AppController
from aim3desk.ui.unlock import UnlockDialog
from bundle_people import FAST_KDF
from escrow_people import NEW_PASSPHRASE, new_profile, org_key, service, set_policy

pytestmark = pytest.mark.gui

WAIT_MS = 15_000


def unlock(qtbot, controller: AppController, passphrase: str) -> None:
    dialog = controller.dialog
    assert isinstance(dialog, UnlockDialog)
    dialog.passphrase_edit.setText(passphrase)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: controller.main_window is not None and controller.main_window.isVisible(),
        timeout=WAIT_MS,
    )


def test_the_practitioner_is_told_once_that_the_organisation_opened_the_profile(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "profile"
    identity, public = org_key(tmp_path)
    set_policy(monkeypatch, tmp_path, public)
    new_profile(folder)
    service(folder).recover_with_escrow(identity.read_text(), NEW_PASSPHRASE, "it-admin")

    create_application(["aim3desk-test"])
    controller = AppController(folder, load_settings(folder), kdf=FAST_KDF)
    controller.start()
    unlock(qtbot, controller, NEW_PASSPHRASE)
    box = controller.unlock_notice_box
    assert box is not None and box.isVisible()
    assert box.parent() is controller.main_window
    assert box.windowModality() == Qt.WindowModality.WindowModal
    assert "your organisation opened this profile with its escrow key" in box.text()
    box.accept()
    controller.lock()
    controller.unlock_notice_box = None
    unlock(qtbot, controller, NEW_PASSPHRASE)
    assert controller.unlock_notice_box is None  # told once
    controller.quit()
