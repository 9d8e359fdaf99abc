"""The canary of issue 2: after a GUI session and command-line use with a unique string typed
into a case, no file in the profile folder (database, WAL, journal, backups, logs) or the temp
folder holds that string in any common encoding. Files the person asks for (a report, an
export) are written where they choose, outside the profile, and are not scanned here."""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from aim3desk import cli
from aim3desk.app import create_application
from aim3desk.config import load_settings
from aim3desk.security.kdf import KdfParams
from aim3desk.services.profile import ProfileService
from aim3desk.ui.case_view import SAVED
from aim3desk.ui.controller import AppController
from aim3desk.ui.unlock import UnlockDialog
from canary import files_containing, needles_for
from lock_kit import PASSPHRASE, start_and_unlock

pytestmark = pytest.mark.gui

WAIT_MS = 15_000


def test_typed_text_never_reaches_disk_in_the_clear(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    started = time.time() - 1
    canary = "Vyqorth" + uuid.uuid4().hex[:12]
    needles = needles_for(canary)
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    profile_dir = tmp_path / "profile"
    outside = tmp_path / "chosen-by-the-person"
    outside.mkdir()
    session, _recovery = ProfileService(profile_dir, kdf=KdfParams(8192, 1, 1)).create(
        PASSPHRASE, "Alex Testworker"
    )
    session.close()
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    assert cli.main(["--profile", str(profile_dir), "demo", "--count", "1"]) == 0

    # GUI: unlock, open the case, type the canary into a rationale, lock.
    create_application(["aim3desk-test"])
    controller = AppController(profile_dir, load_settings(profile_dir), kdf=KdfParams(8192, 1, 1))
    try:
        window = start_and_unlock(qtbot, controller, WAIT_MS)
        qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 1, timeout=WAIT_MS)
        window.open_case(window.case_list.model.summary(0).id)
        qtbot.waitUntil(
            lambda: window.case_view is not None and window.case_view.workspace.editor is not None,
            timeout=WAIT_MS,
        )
        workspace = window.case_view.workspace
        workspace.go_to("domain:self_regulation")
        rationale = workspace.current_page().cards[1].rationale
        rationale.setFocus()
        qtbot.keyClicks(rationale, f"Typed in the GUI: {canary}.")
        qtbot.waitUntil(lambda: window.save_label.text() == SAVED, timeout=WAIT_MS)
        window.lock_action.trigger()
        qtbot.waitUntil(lambda: isinstance(controller.dialog, UnlockDialog), timeout=WAIT_MS)
    finally:
        controller.quit()

    # Command line: list, report and export to a folder the person chose.
    profile = ["--profile", str(profile_dir)]
    capsys.readouterr()
    assert cli.main([*profile, "cases", "--json"]) == 0
    reference = json.loads(capsys.readouterr().out)[0]["reference"]
    assert cli.main([*profile, "report", reference, "--out", str(outside / "r.pdf")]) == 0
    assert (
        cli.main([*profile, "export", reference, "--out", str(outside / "c.json"), "--plaintext"])
        == 0
    )
    assert canary in (outside / "c.json").read_text(encoding="utf-8")  # it really was saved

    assert files_containing(profile_dir, needles) == []
    in_temp = files_containing(Path(tempfile.gettempdir()), needles, since=started)
    assert [hit for hit in in_temp if not hit.startswith(str(outside))] == []
