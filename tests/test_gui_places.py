"""Going back to a place: unlocking returns to the case and page that were open (also after a
wrong passphrase first; a case deleted meanwhile leaves the case list), and the deadlines
dashboard names the young person and opens the case at the item that is due."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from aim3desk.domain.deadlines import Deadline, DeadlineKind
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService
from aim3desk.ui.assessment.readiness_dialog import ReadinessDialog
from aim3desk.ui.assessment.unknowns_page import UnknownsPage
from aim3desk.ui.case_tools import CaseRecordWindow
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.place import Beside, Place
from aim3desk.ui.tasks import TaskRunner
from test_gui_flow import (
    FAST_KDF,
    PASSPHRASE,
    PRACTITIONER,
    WAIT_MS,
    make_controller,
    unlock,
    unlock_dialog,
)
from window_kit import attached_window

pytestmark = pytest.mark.gui


@pytest.fixture
def demo_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A profile with eight invented demo cases (deadlines of every kind)."""
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    folder = tmp_path / "profile"
    session, _key = ProfileService(folder, kdf=FAST_KDF).create(PASSPHRASE, PRACTITIONER)
    add_demo_cases(session, 8, seed=0)
    session.close()
    return folder


def wait_for_page(qtbot, window: MainWindow, case_id: str, nav_key: str) -> None:
    def there() -> bool:
        view = window.case_view
        if view is None or view.case.id != case_id or view.workspace.editor is None:
            return False
        page = view.workspace.current_page()
        return page is not None and page.nav_key == nav_key

    qtbot.waitUntil(there, timeout=WAIT_MS)


def test_unlock_returns_to_the_case_and_page_and_a_deleted_case_to_the_list(
    qtbot, demo_profile: Path
) -> None:
    controller = make_controller(demo_profile)
    controller.start()
    unlock(qtbot, controller)
    window = controller.main_window
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 8, timeout=WAIT_MS)
    case_id = window.case_list.model.index(2, 0).data(Qt.ItemDataRole.UserRole + 2)
    window.open_case(case_id)
    qtbot.waitUntil(lambda: window.case_view is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.case_view.workspace.editor is not None, timeout=WAIT_MS)
    name = window.case_view.case.young_person_name
    assert window.case_view.workspace.go_to(UnknownsPage.nav_key)

    controller.lock()
    assert controller.session is None and window.case_view is None
    # Kept while locked: ids and a key only, never the case's text.
    assert controller.return_to == Place(case_id, nav_key=UnknownsPage.nav_key)
    assert not any(name in str(part) for part in astuple(controller.return_to))

    dialog = unlock_dialog(controller)  # a wrong passphrase first, then the right one
    dialog.passphrase_edit.setText("not the passphrase at all")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error_label.text() != "", timeout=WAIT_MS)
    unlock(qtbot, controller)
    wait_for_page(qtbot, window, case_id, UnknownsPage.nav_key)
    assert controller.return_to is None

    controller.lock()
    with ProfileService(demo_profile).unlock(PASSPHRASE) as other:  # e.g. the command line
        other.deletion.delete_case(case_id, "Opened in error for a test.")
    unlock(qtbot, controller)
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 7, timeout=WAIT_MS)
    assert controller.runner.wait_for_idle(WAIT_MS)
    QApplication.processEvents()
    assert window.case_view is None
    assert window.pages.currentWidget() is window.home
    assert window.home.currentWidget() is window.case_list
    assert not any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.allWidgets())
    controller.quit()


def test_unlock_returns_to_the_deadlines_tab(qtbot, demo_profile: Path) -> None:
    controller = make_controller(demo_profile)
    controller.start()
    unlock(qtbot, controller)
    window = controller.main_window
    window.show_deadlines()
    controller.lock_when_idle()
    assert controller.return_to == Place(home_tab=window.home.indexOf(window.tools.dashboard))
    unlock(qtbot, controller)
    assert window.home.currentWidget() is window.tools.dashboard
    controller.quit()


@pytest.fixture
def window(qtbot, demo_profile: Path, runner: TaskRunner) -> Iterator[MainWindow]:
    with attached_window(runner, ProfileService(demo_profile).unlock(PASSPHRASE)) as main:
        yield main


def open_due(qtbot, window: MainWindow, kind: DeadlineKind) -> Deadline:
    """Open the first deadline of this kind from the dashboard (Enter on its row)."""
    window.show_deadlines()
    dashboard = window.tools.dashboard
    qtbot.waitUntil(lambda: dashboard.table.rowCount() > 0, timeout=WAIT_MS)
    row = next(n for n, d in enumerate(dashboard.shown()) if d.kind is kind)
    deadline = dashboard.shown()[row]
    dashboard.table.setCurrentCell(row, 0)
    qtbot.keyClick(dashboard.table, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.case_view is not None and window.case_view.case.id == deadline.case_id,
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: window.case_view.workspace.editor is not None, timeout=WAIT_MS)
    return deadline


def test_dashboard_names_the_young_person(qtbot, window: MainWindow) -> None:
    window.show_deadlines()
    dashboard = window.tools.dashboard
    qtbot.waitUntil(lambda: dashboard.table.rowCount() > 0, timeout=WAIT_MS)
    headings = [
        dashboard.table.horizontalHeaderItem(c).text() for c in range(dashboard.table.columnCount())
    ]
    column = headings.index("Young person")
    assert headings[column - 1] == "Case"
    for row, deadline in enumerate(dashboard.shown()):
        assert deadline.young_person
        assert dashboard.table.item(row, column).text() == deadline.young_person
        assert dashboard.table.item(row, column - 1).text() == deadline.case_reference


def test_dashboard_opens_an_unknown_on_the_unknowns_page(qtbot, window: MainWindow) -> None:
    deadline = open_due(qtbot, window, DeadlineKind.UNKNOWN)
    wait_for_page(qtbot, window, deadline.case_id, UnknownsPage.nav_key)
    page = window.case_view.workspace.current_page()
    assert isinstance(page, UnknownsPage)
    selected = page.model.unknown(page.table.currentIndex().row())
    assert selected.id == deadline.item_id != ""
    assert selected.by_when == deadline.due


def test_dashboard_opens_the_readiness_check_for_an_assessment_due(
    qtbot, window: MainWindow
) -> None:
    open_due(qtbot, window, DeadlineKind.ASSESSMENT)

    def readiness() -> ReadinessDialog | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, ReadinessDialog)), None
        )

    qtbot.waitUntil(lambda: readiness() is not None and readiness().isVisible(), timeout=WAIT_MS)
    readiness().reject()


def test_dashboard_opens_the_supervision_pane_for_supervision_due(
    qtbot, window: MainWindow
) -> None:
    open_due(qtbot, window, DeadlineKind.SUPERVISION)
    pane = window.tools.pane
    assert pane.isVisible()
    assert QApplication.focusWidget() in (pane.session_list, pane.new_button)


def test_dashboard_opens_the_plan_for_a_review_due(qtbot, window: MainWindow) -> None:
    open_due(qtbot, window, DeadlineKind.REVIEW)
    plans = [w for w in window.tools.windows if w.objectName() == Beside.PLAN.value]
    assert len(plans) == 1 and isinstance(plans[0], CaseRecordWindow) and plans[0].isVisible()
