"""The retention review window, the decision dialog and the legal hold dialog, driven
through their widgets offscreen over a real encrypted profile whose policy keeps a closed
case 6 years (or to age 18): the due case is listed, a keep decision takes it off the list,
a hold is set and lifted with reasons and marks the case in the case list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from aim3desk.security.kdf import KdfParams
from aim3desk.services.profile import ProfileService
from aim3desk.ui.legal_hold_dialog import LegalHoldDialog
from aim3desk.ui.retention_decision import RetentionDecisionDialog
from aim3desk.ui.retention_review import RetentionReviewWindow
from aim3desk.ui.tasks import TaskRunner
from retention_cases import RETENTION_SETTINGS, TODAY, add_case, closed_case

pytestmark = pytest.mark.gui


@pytest.fixture
def session(tmp_path: Path) -> Iterator[object]:
    opened, _recovery = ProfileService(
        tmp_path / "profile", RETENTION_SETTINGS, kdf=KdfParams(8192, 1, 1)
    ).create("ochre lantern tidal quibble meadow", "Alex Testworker")
    yield opened
    opened.close()


def settle(runner: TaskRunner) -> None:
    assert runner.wait_for_idle(15_000)


def _ok(dialog) -> object:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_the_review_lists_the_due_case_and_a_keep_decision_removes_it(
    qtbot, session, runner
) -> None:
    due = closed_case(session, "RET-GUI-1")
    closed_case(session, "RET-GUI-2", closed_on=date(2025, 6, 1))
    add_case(session, "RET-GUI-3")
    window = RetentionReviewWindow(session, runner, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    settle(runner)
    assert "6 years after closure" in window.rule_label.text()
    assert [s.reference for s in window.shown] == ["RET-GUI-1"]
    assert window.table.item(0, 2).text() == "01/05/2021"
    assert window.table.item(0, 3).text() == "Due for a decision"
    assert "1 case past the retention date needs a decision" in window.count_label.text()
    assert not window.decide_button.isEnabled()

    window.all_check.setChecked(True)
    assert [s.reference for s in window.shown] == ["RET-GUI-1", "RET-GUI-2"]
    window.all_check.setChecked(False)

    window.select_case(due.id)
    assert window.decide_button.isEnabled()
    window.decide()
    dialog: RetentionDecisionDialog = window.decision_dialog
    assert dialog.keep_radio.isChecked() and not _ok(dialog).isEnabled()
    dialog.keep_until_edit.pick(date(2099, 1, 31))
    dialog.reason_edit.setPlainText("Linked family court proceedings still open")
    dialog.authorised_edit.setText("Mo Manager")
    assert _ok(dialog).isEnabled()
    results: list[int] = []
    dialog.finished.connect(results.append)  # the window lets the dialog go once it closes
    dialog.save()
    settle(runner)
    assert results == [QDialog.DialogCode.Accepted]
    (decision,) = session.retention.decisions(due.id)
    assert decision.keep_until == date(2099, 1, 31) and decision.authorised_by == "Mo Manager"
    settle(runner)  # the window reads again after the change
    assert window.shown == []
    assert "No case is due" in window.count_label.text()
    window.all_check.setChecked(True)
    kept = next(s for s in window.shown if s.case_id == due.id)
    assert kept.retain_until == date(2099, 1, 31) and not kept.due


def test_deleting_says_what_it_removes_and_needs_the_reference(qtbot, session, runner) -> None:
    closed_case(session, "RET-GUI-DEL")
    (status,) = session.retention.due(TODAY)
    dialog = RetentionDecisionDialog(status, session, runner, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.delete_warning.isHidden()
    dialog.delete_radio.setChecked(True)
    assert dialog.delete_warning.isVisible() and "cannot be undone" in dialog.delete_warning.text()
    dialog.reason_edit.setPlainText("Past its retention date, nothing outstanding")
    dialog.authorised_edit.setText("Mo Manager")
    assert not _ok(dialog).isEnabled() and _ok(dialog).text() == "Delete the case"
    dialog.confirm_edit.setText("RET-GUI")
    assert not _ok(dialog).isEnabled()
    dialog.confirm_edit.setText("ret-gui-del")
    assert _ok(dialog).isEnabled()
    dialog.hold_radio.setChecked(True)  # a hold instead: the confirmation goes away
    assert dialog.confirm_edit.isHidden() and _ok(dialog).text() == "Record decision"


def test_a_hold_is_set_and_lifted_with_reasons_and_marks_the_case(qtbot, session, runner) -> None:
    case = closed_case(session, "RET-GUI-HOLD")
    dialog = LegalHoldDialog(case.id, case.reference, session, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(runner)
    assert dialog.held is False and "Not on legal hold" in dialog.state_label.text()
    assert "never been on legal hold" in dialog.history.toPlainText()
    assert not dialog.action_button.isEnabled()
    dialog.reason_edit.setPlainText("Civil claim notified by legal services")
    dialog.apply()
    settle(runner)
    settle(runner)
    assert dialog.held is True and "Civil claim notified" in dialog.state_label.text()
    assert dialog.action_button.text() == "&Lift the hold"
    (summary,) = session.cases.list_cases()
    assert summary.on_hold

    from aim3desk.ui.case_list import CaseTableModel

    model = CaseTableModel()
    model.set_rows([summary])
    assert model.data(model.index(0, 3)) == "Closed, on legal hold"

    dialog.reason_edit.setPlainText("x")
    dialog.apply()
    settle(runner)
    assert "at least 3" in dialog.error_label.text() and dialog.held is True
    dialog.reason_edit.setPlainText("The claim was withdrawn in writing")
    dialog.apply()
    settle(runner)
    settle(runner)
    assert dialog.held is False
    history = dialog.history.toPlainText()
    assert "Civil claim notified" in history and "claim was withdrawn" in history
    assert not session.cases.list_cases()[0].on_hold


def test_retention_review_and_legal_hold_from_the_main_window(qtbot, session, runner) -> None:
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.ui.main_window import MainWindow

    case = closed_case(session, "RET-GUI-MW")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(session, load_form_set())
    settle(runner)
    assert window.retention.review_action.isEnabled()
    assert not window.retention.hold_action.isEnabled()
    window.retention.review_action.trigger()
    settle(runner)
    review = window.retention.review_window
    assert review is not None and review.isVisible()
    window.open_case(case.id)
    settle(runner)
    assert window.retention.hold_action.isEnabled()
    window.retention.hold_action.trigger()
    settle(runner)
    assert window.retention.hold_dialog is not None
    assert window.retention.hold_dialog.held is False
    window.flush_saves()
    settle(runner)
    window.detach()
    assert window.retention.review_window is None and window.retention.hold_dialog is None
    assert not window.retention.review_action.isEnabled()


def test_a_decision_to_delete_closes_the_open_case_and_shows_what_went(
    qtbot, session, runner
) -> None:
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.ui.main_window import MainWindow

    case = closed_case(session, "RET-GUI-GO")
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(session, load_form_set())
    window.open_case(case.id)
    settle(runner)
    assert window.case_view is not None
    window.retention.show_review()
    settle(runner)
    review = window.retention.review_window
    review.select_case(case.id)
    review.decide()
    dialog: RetentionDecisionDialog = review.decision_dialog
    dialog.delete_radio.setChecked(True)
    dialog.reason_edit.setPlainText("Past its retention date, nothing outstanding")
    dialog.authorised_edit.setText("Mo Manager")
    dialog.confirm_edit.setText("RET-GUI-GO")
    dialog.save()
    assert window.case_view is None  # closed (and saved) before the deletion was asked for
    settle(runner)
    settle(runner)
    assert dialog.deletion is not None and dialog.deletion.case_id == case.id
    assert dialog.result_view.isVisible() and not dialog.form_page.isVisible()
    assert "RET-GUI-GO was deleted" in dialog.result_view.toPlainText()
    assert review.shown == [] and session.cases.list_cases() == []
    assert window.case_list.model.rowCount() == 0
    results: list[int] = []
    dialog.finished.connect(results.append)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Close).click()
    assert results == [QDialog.DialogCode.Accepted]
    window.detach()
