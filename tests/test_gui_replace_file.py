"""Issue 15 in the app: an existing file is replaced only after the person says so (asked
once, as the file is written, whichever way the path came), and a refused path (the profile
folder) is said in the dialog in the rule's own words."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from aim3desk.services.demo import add_demo_cases
from aim3desk.ui.annual_return_dialog import AnnualReturnDialog
from aim3desk.ui.replace_file import REPLACE_TITLE, SAVE_DIALOG_OPTIONS
from aim3desk.ui.report_dialog import ReportDialog

WAIT_MS = 30_000


def answer_when_asked(button_text: str, seen: list[str]) -> None:
    """Click `button_text` on the replace question as soon as it is shown (it is modal)."""

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.windowTitle() == REPLACE_TITLE:
            seen.append(box.text())
            next(b for b in box.buttons() if b.text() == button_text).click()
            return
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def test_the_save_dialogs_leave_the_question_to_the_moment_of_writing() -> None:
    assert SAVE_DIALOG_OPTIONS & QFileDialog.Option.DontConfirmOverwrite


def test_an_existing_annual_return_is_replaced_only_when_the_person_says_so(
    qtbot, session, runner, tmp_path: Path
) -> None:
    dialog = AnnualReturnDialog(session, runner)
    qtbot.addWidget(dialog)
    runner.wait_for_idle()
    out = tmp_path / "return.csv"
    out.write_text("last year's return", encoding="utf-8")
    asked: list[str] = []
    answer_when_asked("Keep the file", asked)
    dialog.save_to(out)
    assert asked == [f"{out} already exists.\n\nReplace it? What it holds now will be lost."]
    assert dialog.status_label.text() == f"Nothing was written: {out} was kept as it was."
    assert out.read_text(encoding="utf-8") == "last year's return"
    answer_when_asked("Replace", asked)
    dialog.save_to(out)
    qtbot.waitUntil(lambda: dialog.saved_path == out, timeout=WAIT_MS)
    assert len(asked) == 2 and out.read_text(encoding="utf-8").startswith("measure,count")


def test_a_report_into_the_profile_folder_is_refused_in_the_dialog(qtbot, session, runner) -> None:
    case = add_demo_cases(session, 1, seed=15)[0]
    store = session.profile_dir / "store.db"
    before = store.stat().st_size
    dialog = ReportDialog(session, case, runner)
    qtbot.addWidget(dialog)
    dialog.open_when_done = False
    dialog.set_output_path(store)
    dialog.create_button.click()  # not asked to replace: the rule refuses it anyway
    qtbot.waitUntil(
        lambda: "inside the profile folder" in dialog.error_label.text(), timeout=WAIT_MS
    )
    assert dialog.error_label.text() == (
        f"{store} is inside the profile folder ({session.profile_dir}), which holds your "
        "encrypted records; nothing was written. Choose a place outside it."
    )
    assert store.stat().st_size == before
    session.check_integrity()
