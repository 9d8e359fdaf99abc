"""Supervision, the intervention plan board, the deadlines dashboard, the case logs, the
annual return and the status dialogs, driven through their widgets offscreen over a real
encrypted profile."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from aim3desk.domain.cases import AssessmentModel, CaseStatus
from aim3desk.domain.deadlines import DeadlineKind
from aim3desk.domain.intervention import TrackKind
from aim3desk.domain.supervision import SupervisionType
from aim3desk.services.demo import add_demo_cases, make_demo_case
from aim3desk.ui.annual_return_dialog import AnnualReturnDialog
from aim3desk.ui.case_logs_view import CaseLogsView
from aim3desk.ui.dashboard import OVERDUE_BACKGROUND, DeadlinesDashboard
from aim3desk.ui.intervention import InterventionBoard
from aim3desk.ui.place import Place
from aim3desk.ui.status_dialog import StatusDialog
from aim3desk.ui.supervision import PRIVATE_NOTE, SupervisionPane
from aim3desk.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui

TODAY = date(2026, 3, 2)


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    errors: list[tuple[str, BaseException]] = []
    task_runner = TaskRunner(error_handler=lambda what, exc: errors.append((what, exc)))
    task_runner.errors = errors
    yield task_runner
    task_runner.shutdown()
    assert errors == []


def add_case(session, number: int = 1, status: CaseStatus = CaseStatus.REQUESTED, today=TODAY):
    case = make_demo_case(random.Random(number), number, today)
    case = replace(case, status=status, assessments=(), request_date=today - timedelta(days=7))
    return session.cases.add_case(case, model=AssessmentModel.AIM3, today=today)


def settle(runner: TaskRunner) -> None:
    """Every queued task done: only then may the test read the store itself (one worker
    thread owns the connection while tasks run)."""
    assert runner.wait_for_idle(15_000)


def wait_saved(qtbot, runner: TaskRunner, pane: SupervisionPane) -> None:
    qtbot.waitUntil(lambda: pane.state_label.text() == "Saved", timeout=10_000)
    settle(runner)


# ---------------------------------------------------------------------------------------------
# Supervision pane


def test_three_supervision_sessions_recorded_through_the_pane(qtbot, session, runner):
    case = add_case(session)
    pane = SupervisionPane(runner, autosave_delay_ms=60, today=lambda: TODAY)
    qtbot.addWidget(pane)
    pane.show()
    pane.set_case(session, case.id)
    settle(runner)
    assert "Next supervision due" in pane.due_label.text()
    assert pane.editor.private_label.text() == PRIVATE_NOTE

    types = [
        SupervisionType.ASSESSMENT_ONE,
        SupervisionType.ASSESSMENT_TWO,
        SupervisionType.ASSESSMENT_THREE,
    ]
    for number, session_type in enumerate(types, start=1):
        pane.new_button.click()
        settle(runner)
        # The next assessment type is proposed.
        assert pane.editor.type_combo.currentData() == session_type.value
        pane.editor.date_edit.pick(pane.editor.date_edit.value() + timedelta(days=-10 + 3 * number))
        pane.editor.supervisor_edit.setText("Robin Invented-Supervisor")
        first_item = next(iter(pane.editor.agenda_checks))
        pane.editor.agenda_checks[first_item].setChecked(True)
        pane.editor.notes_edit.setPlainText(f"Invented notes {number}")
        pane.editor.wellbeing_edits["resilience"].setPlainText(f"Invented resilience {number}")
        pane.editor.wellbeing_edits["admired_strategies"].setPlainText("Invented: humour")
        pane.editor.risk_edits["rule_of_optimism"].setPlainText(f"Invented optimism check {number}")
        pane.editor.add_action_button.click()
        row = pane.editor.action_rows[-1]
        row.what_edit.setText(f"Invented action {number}")
        row.owner_edit.setText("Alex")
        row.due_edit.set_value(TODAY + timedelta(days=7))
        row.done_check.setChecked(True)
        wait_saved(qtbot, runner, pane)

    stored = session.supervision.sessions(case.id)
    assert [s.type for s in stored] == types
    for number, found in enumerate(stored, start=1):
        assert found.supervisor == "Robin Invented-Supervisor"
        assert found.notes == f"Invented notes {number}"
        wellbeing = {r.prompt_id: r.response for r in found.wellbeing}
        assert wellbeing == {
            "resilience": f"Invented resilience {number}",
            "admired_strategies": "Invented: humour",
        }
        assert [r.response for r in found.risk_questions] == [f"Invented optimism check {number}"]
        assert [(a.what, a.owner, a.due, a.done) for a in found.actions] == [
            (f"Invented action {number}", "Alex", TODAY + timedelta(days=7), True)
        ]
        assert len(found.agenda_done) == 1
        assert not found.include_for_supervisor
        # Not included: the supervisor's record holds no well-being responses.
        assert session.supervision.record_for_supervisor(case.id, found.id).wellbeing == ()
    qtbot.waitUntil(lambda: "All 3" in pane.due_label.text(), timeout=10_000)
    settle(runner)

    # Ticking "include" lets the supervisor's record carry them.
    pane.editor.include_check.setChecked(True)
    wait_saved(qtbot, runner, pane)
    last = stored[-1]
    assert session.supervision.record_for_supervisor(case.id, last.id).wellbeing

    # An edit still waiting is saved by flush (lock and close call it), then the pane clears.
    pane.editor.notes_edit.setPlainText("Invented last words")
    pane.flush()
    settle(runner)
    assert session.supervision.sessions(case.id)[-1].notes == "Invented last words"
    pane.clear_sensitive()
    assert pane.session_list.count() == 0
    assert all(not e.toPlainText() for e in pane.editor.wellbeing_edits.values())
    assert pane.editor.notes_edit.toPlainText() == ""


def test_overdue_supervision_stands_out(qtbot, session, runner):
    case = add_case(session)
    later = TODAY + timedelta(days=30)
    pane = SupervisionPane(runner, today=lambda: later)
    qtbot.addWidget(pane)
    pane.set_case(session, case.id)
    settle(runner)
    assert pane.due_label.property("overdue") is True
    assert "Overdue" in pane.due_label.text()


def test_a_session_without_a_supervisor_says_why_it_is_not_saved(qtbot, session, runner):
    case = add_case(session)
    pane = SupervisionPane(runner, autosave_delay_ms=50, today=lambda: TODAY)
    qtbot.addWidget(pane)
    pane.set_case(session, case.id)
    settle(runner)
    pane.new_button.click()
    settle(runner)
    assert "supervisor" in pane.state_label.text()
    assert session.supervision.sessions(case.id) == []
    pane.editor.supervisor_edit.setText("Robin Invented-Supervisor")
    wait_saved(qtbot, runner, pane)
    assert len(session.supervision.sessions(case.id)) == 1


# ---------------------------------------------------------------------------------------------
# Intervention plan board


def open_board(qtbot, session, runner, case_id) -> InterventionBoard:
    board = InterventionBoard(session, case_id, runner, autosave_delay_ms=50, today=lambda: TODAY)
    qtbot.addWidget(board)
    board.resize(1200, 760)
    board.show()
    board.load()
    settle(runner)
    return board


def accept(qtbot, board, fill) -> None:
    dialog = board.active_dialog
    assert isinstance(dialog, QDialog)
    fill(dialog)
    dialog.accept()


def test_tracks_move_through_stages_on_the_board(qtbot, session, runner):
    case = add_case(session, status=CaseStatus.IN_INTERVENTION)
    board = open_board(qtbot, session, runner, case.id)
    board.stages.add_young_person_button.click()
    settle(runner)
    board.stages.add_track(TrackKind.PARENT_CARER, "Morgan Inventedparent")
    settle(runner)
    board.stages.add_meeting_track_button.click()
    settle(runner)
    plan = session.intervention.plan(case.id)
    young = next(t for t in plan.tracks if t.kind is TrackKind.YOUNG_PERSON)
    parent = next(t for t in plan.tracks if t.kind is TrackKind.PARENT_CARER)

    # The parent moves on a stage with the card's button ...
    board.stages.cards[parent.id].on_button.click()
    settle(runner)
    # ... the young person two stages with the keyboard, then one back.
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left):
        board.stages.cards[young.id].setFocus()
        qtbot.keyClick(board.stages.cards[young.id], key)
        settle(runner)
    stages = {t.id: t.stage for t in session.intervention.plan(case.id).tracks}
    assert stages[parent.id] == 2
    assert stages[young.id] == 3
    assert (
        board.stages.grid.getItemPosition(board.stages.grid.indexOf(board.stages.cards[young.id]))[
            1
        ]
        == 3
    )
    assert (
        board.stages.grid.getItemPosition(board.stages.grid.indexOf(board.stages.cards[parent.id]))[
            1
        ]
        == 2
    )
    history = session.intervention.plan(case.id).track(young.id).history
    assert [h.stage for h in history] == [1, 2, 3, 4, 3]

    # Moving the young person on to stage four drafts the ending summary.
    board.stages.cards[young.id].on_button.click()
    settle(runner)
    qtbot.waitUntil(lambda: board.plan.ending is not None, timeout=10_000)
    board.flush()
    settle(runner)
    assert session.intervention.plan(case.id).ending is not None
    assert "Morgan Inventedparent is at stage 2" in board.ending.ending_outstanding.toPlainText()
    board.ending.ending_progress.setPlainText("Invented: edited progress")
    board.flush()
    settle(runner)
    assert session.intervention.plan(case.id).ending.progress == "Invented: edited progress"


def test_goal_progress_rated_at_two_reviews_shows_two_points(qtbot, session, runner):
    case = add_case(session, status=CaseStatus.IN_INTERVENTION)
    board = open_board(qtbot, session, runner, case.id)
    board.stages.add_young_person_button.click()
    settle(runner)

    # A goal from the stage's content, then its plain-words version.
    board.stages.goal_from_stage_button.click()
    accept(qtbot, board, lambda d: d.items.setCurrentRow(1))
    settle(runner)
    accept(
        qtbot,
        board,
        lambda d: (
            d.plain_edit.setPlainText("Invented: I know who to tell"),
            d.help_edit.setText("Invented: my aunt"),
        ),
    )
    settle(runner)
    goal = session.intervention.plan(case.id).goals[0]
    assert goal.from_stage_item == "s1-yp-safety-plan"
    assert goal.plain_words == "Invented: I know who to tell"
    assert goal.who_can_help == "Invented: my aunt"

    for rating in (3, 7):
        board.stages.goal_cards[goal.id].review_button.click()
        accept(qtbot, board, lambda d, r=rating: d.rating_spin.setValue(r))
        settle(runner)
    reviewed = session.intervention.plan(case.id).goals[0]
    assert [r.rating for r in reviewed.reviews] == [3, 7]
    chart = board.stages.goal_cards[goal.id].chart
    assert chart.points() == [3, 7]
    assert len(chart.point_positions()) == 2
    assert chart.grab().width() > 0  # paints without error

    # A fresh goal and a keeping-safe plan in two versions.
    board.stages.goal_fresh_button.click()
    accept(qtbot, board, lambda d: d.text_edit.setPlainText("Invented fresh goal"))
    settle(runner)
    assert len(session.intervention.plan(case.id).goals) == 2
    for text in ("Invented plan one", "Invented plan two"):
        board.keeping_safe.plan_text.setPlainText(text)
        board.keeping_safe.plan_save_button.click()
        settle(runner)
    versions = session.intervention.plan(case.id).keeping_safe_plans
    assert [(v.version, v.text) for v in versions] == [
        (1, "Invented plan one"),
        (2, "Invented plan two"),
    ]
    assert board.keeping_safe.plan_history.count() == 2

    # A risk management meeting, edited in place.
    board.meetings.new_meeting_button.click()
    settle(runner)
    board.meetings.meeting_decisions.setPlainText("Invented decision")
    board.meetings.meeting_responsibility.setCurrentIndex(1)
    board.flush()
    settle(runner)
    meeting = session.intervention.plan(case.id).meetings[0]
    assert meeting.decisions == "Invented decision"
    assert meeting.responsibility.value == "shared"


# ---------------------------------------------------------------------------------------------
# Dashboard, logs, annual return, status


def test_dashboard_shows_overdue_first_and_filters(qtbot, session, runner):
    early = add_case(session, 1, today=TODAY - timedelta(days=60))  # assessment long overdue
    add_case(session, 2)  # due in five weeks
    dashboard = DeadlinesDashboard(runner, today=lambda: TODAY)
    qtbot.addWidget(dashboard)
    opened: list[Place] = []
    dashboard.open_place.connect(opened.append)
    dashboard.refresh(session)
    settle(runner)
    assert dashboard.table.rowCount() >= 3
    first = dashboard.deadlines[0]
    assert first.overdue and first.case_id == early.id
    assert dashboard.table.item(0, 0).text().startswith("Overdue by")
    assert dashboard.table.item(0, 0).background().color() == OVERDUE_BACKGROUND
    assert not dashboard.deadlines[-1].overdue
    assert "overdue" in dashboard.summary_label.text()

    dashboard.kind_combo.setCurrentIndex(dashboard.kind_combo.findData("supervision"))
    assert {d.kind for d in dashboard.shown()} == {DeadlineKind.SUPERVISION}
    assert dashboard.table.rowCount() == len(dashboard.shown())
    dashboard.overdue_only.setCurrentIndex(1)
    assert all(d.overdue for d in dashboard.shown())

    dashboard.table.activated.emit(dashboard.table.model().index(0, 0))
    assert [place.case_id for place in opened] == [dashboard.shown()[0].case_id]
    dashboard.clear()
    assert dashboard.table.rowCount() == 0


def test_case_logs_record_escalations_and_consultations(qtbot, session, runner):
    case = add_case(session)
    view = CaseLogsView(session, case.id, runner, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.load()
    settle(runner)
    view.add_escalation_button.click()
    dialog = view.active_dialog
    dialog.barrier_edit.setPlainText("Invented: school records not shared")
    dialog.buttons.accepted.emit()  # no line manager yet: stays open with the reason
    settle(runner)
    assert "line manager" in dialog.error_label.text()
    dialog.reported_to_edit.setText("Invented Manager")
    dialog.outcome_edit.setPlainText("Invented: records arrived")
    dialog.buttons.accepted.emit()
    settle(runner)
    view.add_consultation_button.click()
    dialog = view.active_dialog
    dialog.service_edit.setText("Invented specialist service")
    dialog.advice_edit.setPlainText("Invented advice")
    dialog.buttons.accepted.emit()
    settle(runner)
    escalations, consultations = session.logs.logs(case.id)
    assert [(e.reported_to, e.outcome) for e in escalations] == [
        ("Invented Manager", "Invented: records arrived")
    ]
    assert [(c.service, c.advice) for c in consultations] == [
        ("Invented specialist service", "Invented advice")
    ]
    assert view.escalation_table.rowCount() == 1
    assert view.consultation_table.item(0, 1).text() == "Invented specialist service"


def test_annual_return_dialog_writes_the_counts_the_service_computes(
    qtbot, session, runner, tmp_path
):
    add_demo_cases(session, 10, seed=4, today=TODAY)
    dialog = AnnualReturnDialog(session, runner, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    settle(runner)
    # It opens at the year that has something to count (the demo cases are all recent).
    assert dialog.period() == (date(2025, 4, 1), date(2026, 3, 31))
    assert dialog.result_shown is not None and dialog.result_shown.has_data
    dialog.from_edit.setDate(dialog.from_edit.date().addYears(-1))
    dialog.to_edit.setDate(dialog.to_edit.date().addYears(-1))
    settle(runner)
    start, end = dialog.period()
    expected = session.annual_return.compute(start, end)
    assert dialog.result_shown == expected
    out = tmp_path / "return.csv"
    dialog.save_to(out)
    settle(runner)
    assert dialog.saved_path == out
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    counts = {row[0]: int(row[1]) for row in rows[1:] if len(row) == 2 and row[1].isdigit()}
    assert counts == dict(expected.rows())
    assert counts["Assessments completed"] == expected.completed
    dialog.save_to(tmp_path / "return.pdf")
    settle(runner)
    assert (tmp_path / "return.pdf").read_bytes().startswith(b"%PDF")


def test_annual_return_period_label_focuses_the_period_and_shows_no_ampersand(
    qtbot, session, runner
):
    dialog = AnnualReturnDialog(session, runner, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    settle(runner)
    labels = [label for label in dialog.findChildren(QLabel) if "Period" in label.text()]
    assert len(labels) == 1
    assert labels[0].text() == "&Period:"  # the mnemonic: drawn underlined, not as "&"
    assert labels[0].buddy() is dialog.from_edit
    # An empty profile has nothing to count anywhere: the last whole year.
    assert dialog.period() == (date(2024, 4, 1), date(2025, 3, 31))


def test_status_dialog_needs_a_reason_for_not_completed(qtbot, session, runner):
    case = add_case(session)
    dialog = StatusDialog(case, session, runner, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("not_completed"))
    dialog.reason_combo.setCurrentText("")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.reason_combo.setCurrentIndex(1)
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.save()
    settle(runner)
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = session.cases.get_case(case.id)
    assert stored.status is CaseStatus.NOT_COMPLETED
    assert stored.not_completed_reason == "Family withdrew consent"


# ---------------------------------------------------------------------------------------------
# In the main window


def test_main_window_docks_the_pane_and_saves_it_on_lock(qtbot, session, runner):
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.ui.main_window import MainWindow

    case = add_case(session, today=date.today())
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(session, load_form_set())
    window.show()
    tools = window.tools
    assert not tools.plan_action.isEnabled()
    window.open_case(case.id)
    qtbot.waitUntil(lambda: window.case_view is not None and tools.forms_ready(), timeout=15_000)
    settle(runner)
    assert tools.pane.isVisible() and window.dockWidgetArea(tools.pane) == (
        Qt.DockWidgetArea.RightDockWidgetArea
    )
    assert tools.plan_action.isEnabled()
    tools.pane.new_button.click()
    settle(runner)
    tools.pane.editor.supervisor_edit.setText("Robin Invented-Supervisor")
    tools.pane.editor.wellbeing_edits["stressors"].setPlainText("Invented: caseload")
    # Locking: the controller flushes, waits for the runner, then detaches.
    window.flush_saves()
    settle(runner)
    window.detach()
    settle(runner)
    stored = session.supervision.sessions(case.id)
    assert [r.response for r in stored[0].wellbeing] == ["Invented: caseload"]
    assert tools.pane.session_list.count() == 0 and not tools.pane.isVisible()
    assert tools.dashboard.table.rowCount() == 0

    # Deadlines (Ctrl+D) is a tab beside the case list; the plan opens in its own window.
    window.attach(session, load_form_set())
    window.open_case(case.id)
    qtbot.waitUntil(lambda: window.case_view is not None, timeout=15_000)
    settle(runner)
    tools.plan_action.trigger()
    settle(runner)
    assert tools.windows and tools.windows[0].isVisible()
    tools.deadlines_action.trigger()
    settle(runner)
    assert window.case_view is None and not tools.windows
    assert window.home.currentWidget() is tools.dashboard
    assert tools.dashboard.table.rowCount() > 0
    window.detach()


def test_report_and_sharing_log_are_reached_from_the_case_menu(qtbot, session, runner):
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.ui.main_window import MainWindow
    from aim3desk.ui.report_dialog import ReportDialog
    from aim3desk.ui.sharing_log_view import SharingLogView

    case = add_case(session, today=date.today())
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(session, load_form_set())
    window.show()
    tools = window.tools
    assert not tools.report_action.isEnabled()
    window.open_case(case.id)
    qtbot.waitUntil(lambda: window.case_view is not None and tools.forms_ready(), timeout=15_000)
    settle(runner)
    assert tools.report_action.shortcut().toString() == "Ctrl+P"
    tools.report_action.trigger()
    dialog = next(w for w in window.findChildren(ReportDialog) if w.isVisible())
    dialog.reject()
    tools.sharing_log_action.trigger()
    settle(runner)
    assert any(isinstance(w.content, SharingLogView) for w in tools.windows)
    window.detach()
    settle(runner)
    assert not tools.windows


def test_search_box_down_moves_into_results_and_enter_opens_the_first(qtbot, session, runner):
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.ui.main_window import MainWindow

    first, second = add_case(session, 1), add_case(session, 2)
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(session, load_form_set())
    window.show()
    page = window.case_list
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=15_000)
    page.search_edit.setFocus()
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert page.table.hasFocus() or page.table.currentIndex().row() == 0
    assert page.selected_case_id() in (first.id, second.id)
    qtbot.keyClicks(page.search_edit, second.reference)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.case_view is not None, timeout=15_000)
    assert window.case_view.case.id == second.id
    settle(runner)
    window.detach()
    settle(runner)
