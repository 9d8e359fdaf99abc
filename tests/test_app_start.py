"""The real start-up path, in its own process: `aim3desk` with no command runs `run_gui`,
which shows the first-run window for a new profile folder or the unlock window for an
existing one; closing that window quits the app with exit code 0.

A small driver starts the app through `aim3desk.cli.main` exactly as the installed command
does; its only addition is a timer that waits for the first window, reports it and closes
it the way a person would (the dialog's Cancel, which is the quit path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aim3desk.security.kdf import KdfParams
from aim3desk.services.profile import ProfileService

pytestmark = pytest.mark.gui

DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from aim3desk import cli
from aim3desk.app import create_application

app = create_application(["aim3desk"])  # run_gui takes this one over, as it does in tests


def close_the_first_window():
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
    if not shown:
        QTimer.singleShot(20, close_the_first_window)
        return
    dialog = shown[0]
    print("shown", type(dialog).__name__, "|", dialog.windowTitle(), flush=True)
    dialog.reject()


QTimer.singleShot(0, close_the_first_window)
code = cli.main(sys.argv[1:])
print("exited", code, flush=True)
sys.exit(code)
"""


def start_app(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "AIM3DESK_POLICY": str(tmp_path / "no-policy.toml"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard only: the test asserts nothing about time
        check=False,
        env=environment,
    )


def test_a_new_profile_folder_shows_first_run_and_quits_cleanly(tmp_path: Path) -> None:
    profile_dir = tmp_path / "new profile"
    result = start_app(tmp_path, "--profile", str(profile_dir))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == [
        "shown FirstRunDialog | Welcome to AIM3 Desk",
        "exited 0",
    ]
    assert not profile_dir.exists()  # nothing was created: the person cancelled
    assert "Traceback" not in result.stderr


def test_an_existing_profile_shows_unlock_and_quits_cleanly(tmp_path: Path) -> None:
    profile_dir = tmp_path / "profile"
    session, _recovery = ProfileService(profile_dir, kdf=KdfParams(8192, 1, 1)).create(
        "ochre lantern tidal quibble meadow", "Alex Testworker"
    )
    session.close()
    before = {p.name: p.read_bytes() for p in profile_dir.iterdir() if p.is_file()}
    result = start_app(tmp_path, AIM3DESK_PROFILE=str(profile_dir))  # no command: the GUI
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == ["shown UnlockDialog | Unlock AIM3 Desk", "exited 0"]
    assert "Traceback" not in result.stderr
    after = {p.name: p.read_bytes() for p in profile_dir.iterdir() if p.is_file()}
    assert after["profile.key"] == before["profile.key"]  # never unlocked, never rewritten
