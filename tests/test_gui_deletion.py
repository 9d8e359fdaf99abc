"""Delete case in the main window, driven offscreen over real profiles and a real shared
folder: the dialog says what goes and who holds copies, refuses under legal hold with the
hold's message, needs a reason and the typed reference, runs off the UI thread, then shows
what it did; the case closes and leaves the list; Copies of deleted cases marks a holder as
asked."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aim3desk.config import save_user_settings
from aim3desk.domain.retention import LegalHold
from aim3desk.services.forms_loader import load_form_set
from aim3desk.store.unit_of_work import UnitOfWork
from aim3desk.ui.delete_case_dialog import DeleteCaseDialog
from aim3desk.ui.held_copies_dialog import HeldCopiesDialog
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.operations.base import Changes
from aim3desk.ui.tasks import TaskRunner
from sync_people import Pair, make_pair, queue_assessment, share_files

pytestmark = pytest.mark.gui

WAIT_MS = 20_000


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    made = make_pair(tmp_path)
    made.alex.settings = save_user_settings(
        made.alex.profile_dir, made.alex.settings, share_folder=str(made.share)
    )
    yield made
    made.close()


def _window(qtbot, pair: Pair, runner: TaskRunner) -> MainWindow:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(pair.alex, load_form_set())
    window.sync.timer.stop()
    window.resize(1366, 768)
    window.show()
    return window


def _open_dialog(qtbot, window: MainWindow, case_id: str) -> DeleteCaseDialog:
    window.open_case(case_id)
    qtbot.waitUntil(lambda: window.case_view is not None, timeout=WAIT_MS)
    assert window.tools.delete_action.isEnabled()
    window.tools.delete_action.trigger()

    def shown() -> list[DeleteCaseDialog]:
        return [d for d in window.findChildren(DeleteCaseDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=WAIT_MS)
    [dialog] = shown()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT_MS)
    return dialog


def test_delete_case_dialog(qtbot, pair: Pair, runner: TaskRunner, tmp_path: Path) -> None:
    queue_assessment(pair, tmp_path / "out")
    assert pair.alex.sync.round(pair.share).delivered
    [summary] = pair.alex.cases.list_cases()
    window = _window(qtbot, pair, runner)
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 1, timeout=WAIT_MS)

    # On legal hold: refused, the button off, the hold's message shown.
    hold = LegalHold(uuid.uuid4().hex, summary.id, datetime.now(UTC), "Pat Manager", "Claim.")
    with UnitOfWork.for_store(pair.alex.store).write() as tx:
        tx.retention.add_hold(hold)
    dialog = _open_dialog(qtbot, window, summary.id)
    assert "legal hold" in dialog.hold_label.text() and dialog.hold_label.isVisible()
    assert not dialog.delete_button.isEnabled() and not dialog.reason_edit.isEnabled()
    dialog.reject()
    with UnitOfWork.for_store(pair.alex.store).write() as tx:
        tx.retention.lift_hold(hold.id, datetime.now(UTC), "Pat Manager", "Settled now.")

    dialog = _open_dialog(qtbot, window, summary.id)
    text = dialog.summary.toPlainText()
    assert "cannot be undone" in text and "Sam Madeupsupervisor" in text
    assert "shared folder" in text
    assert not dialog.delete_button.isEnabled()
    dialog.reason_edit.setPlainText("Opened in error for a test.")
    assert not dialog.delete_button.isEnabled()  # the reference is not typed yet
    dialog.reference_edit.setText(summary.reference)
    assert dialog.delete_button.isEnabled()
    if shots := _shots_folder():
        dialog.grab().save(str(shots / "delete-case.png"))

    dialog.delete_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=WAIT_MS)
    assert window.case_view is None
    result_text = dialog.result_view.toPlainText()
    assert "was deleted" in result_text and "Withdrawn from the shared folder" in result_text
    assert "Sam Madeupsupervisor" in result_text
    assert dialog.close_button.isVisible()
    if shots:
        dialog.grab().save(str(shots / "delete-case-result.png"))
    dialog.close_button.click()
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 0, timeout=WAIT_MS)
    assert not [p for p in share_files(pair.share) if p.endswith(".aim3bundle")]

    window.tools.copies_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(HeldCopiesDialog) is not None, timeout=WAIT_MS)
    copies = window.findChild(HeldCopiesDialog)
    qtbot.waitUntil(lambda: copies.table.rowCount() == 1, timeout=WAIT_MS)
    assert copies.table.item(0, 1).text() == "Sam Madeupsupervisor"
    copies.table.selectRow(0)
    assert copies.asked_button.isEnabled()
    if shots:
        copies.grab().save(str(shots / "deleted-case-copies.png"))
    copies.asked_button.click()
    qtbot.waitUntil(lambda: copies.table.item(0, 5).text() != "Not yet", timeout=WAIT_MS)
    copies.reject()


def test_a_closed_case_view_does_not_read_its_deleted_case_again(
    qtbot, pair: Pair, runner: TaskRunner, tmp_path: Path
) -> None:
    """The deletion's change can land while the closed case's view still waits to be
    deleted: that view must not read the case again (it would fail: the case is gone)."""
    queue_assessment(pair, tmp_path / "out")
    [summary] = pair.alex.cases.list_cases()
    window = _window(qtbot, pair, runner)
    window.open_case(summary.id)
    qtbot.waitUntil(lambda: window.case_view is not None, timeout=WAIT_MS)
    window.close_case()  # the view is deleted later, from the event loop
    pair.alex.deletion.delete_case(summary.id, "Opened in error for a test.")
    runner.changes.changed.emit(
        Changes(case_id=summary.id, case_details=True, case_list=True), None
    )
    assert runner.wait_for_idle(WAIT_MS)  # the runner fixture fails on any task error
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 0, timeout=WAIT_MS)


def _shots_folder() -> Path | None:
    """Screenshots are written only when AIM3DESK_SHOTS names a folder (by hand, to look)."""
    import os

    folder = os.environ.get("AIM3DESK_SHOTS")
    return Path(folder) if folder else None
