"""While the person types, the forms are read; while the key is derived, the main window is
built; so the case list follows the key without either in front of it."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from tests.test_gui_flow import (
    PASSPHRASE,
    WAIT_MS,
    existing_profile,
    make_controller,
    profile_dir,  # noqa: F401 - the fixture
    unlock,
    unlock_dialog,
)


def test_forms_are_read_before_unlock_and_the_window_built_while_the_key_is_derived(
    qtbot,
    profile_dir: Path,  # noqa: F811 - fixture
) -> None:
    existing_profile(profile_dir)
    controller = make_controller(profile_dir)
    try:
        controller.start()
        qtbot.waitUntil(lambda: controller.form_set is not None, timeout=WAIT_MS)
        assert controller.session is None  # read while the unlock window waits
        assert controller.main_window is None

        # The worker is held (as a slow key derivation holds it) until the window is built.
        held = threading.Event()
        controller.runner.run(lambda: held.wait(WAIT_MS / 1000), what="holding the worker")
        dialog = unlock_dialog(controller)
        dialog.passphrase_edit.setText(PASSPHRASE)
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.main_window is not None, timeout=WAIT_MS)
        built = controller.main_window
        assert controller.session is None and not built.isVisible()  # built before the key
        held.set()
        qtbot.waitUntil(lambda: built.isVisible(), timeout=WAIT_MS)
        assert controller.main_window is built  # the same window shows the case list
        assert built.session is controller.session
    finally:
        controller.quit()


def test_a_licensed_form_file_that_cannot_be_used_is_said_once(
    qtbot,
    profile_dir: Path,  # noqa: F811 - the fixture
    monkeypatch,
    tmp_path: Path,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, _t, *a: said.append(title))
    existing_profile(profile_dir)
    broken = tmp_path / "licensed.toml"
    broken.write_text("this is not a form file [", encoding="utf-8")
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[settings]\nlicensed_form_file = "{broken.as_posix()}"\n', encoding="utf-8")
    monkeypatch.setenv("AIM3DESK_POLICY", str(policy))
    controller = make_controller(profile_dir)
    try:
        controller.start()
        unlock(qtbot, controller)
        qtbot.waitUntil(lambda: said.count("Form file problem") == 1, timeout=WAIT_MS)
        controller.lock()
        unlock(qtbot, controller)
        controller.runner.wait_for_idle()
        assert said.count("Form file problem") == 1
    finally:
        controller.quit()
