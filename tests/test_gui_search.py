"""Searching what you wrote from the case list, offscreen over a real profile: typing a word
of an evidence text lists the case with the page it is on and a snippet; opening the match
opens the case at that page; every place the search can name is a page or window the app has."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from aim3desk.domain.cases import Case
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.search_places import place_keys
from aim3desk.services.session import Session
from aim3desk.ui.case_search import HTML_ROLE
from aim3desk.ui.main_window import MainWindow
from aim3desk.ui.tasks import TaskRunner
from bundle_people import new_person
from test_search import _add_case, _current, _evidence

pytestmark = pytest.mark.gui

WAIT_MS = 20_000
RECORD_WINDOWS = {"records:plan", "records:logs", "records:sharing_log", "records:supervision"}


@pytest.fixture
def alex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    session = new_person(tmp_path, "Alex Inventedworker")
    yield session
    session.close()


def _window(qtbot, session: Session, runner: TaskRunner) -> MainWindow:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.attach(session, load_form_set())
    window.sync.timer.stop()
    window.resize(1366, 768)
    window.show()
    return window


def _type(qtbot, window: MainWindow, words: str) -> None:
    window.case_list.search_edit.setFocus()
    window.case_list.search_edit.clear()
    qtbot.keyClicks(window.case_list.search_edit, words)


def test_typing_a_word_of_the_evidence_finds_the_case_and_opens_it_at_that_page(
    qtbot, alex: Session, runner: TaskRunner
) -> None:
    add_demo_cases(alex, 2, seed=1)
    case: Case = _add_case(alex, "SRCH-0001")
    alex.assessments.save_items(
        _current(case),
        [_evidence("Said the <b>goalkeeper</b> shouted at him.", domain_id="self_regulation")],
    )
    window = _window(qtbot, alex, runner)
    found = window.case_list.found
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 3, timeout=WAIT_MS)
    assert not found.isVisible()

    _type(qtbot, window, "goalkee")  # still typing: the last word is a prefix

    qtbot.waitUntil(lambda: found.model.rowCount() == 1, timeout=WAIT_MS)
    assert found.isVisible()
    model = found.model
    row = [model.index(0, c).data() for c in range(4)]
    assert row[:3] == ["SRCH-0001", "Invented Person", "Self-regulation: evidence"]
    assert "goalkeeper" in row[3]
    # The text's own markup is shown as text; only the match is bold.
    assert "&lt;b&gt;<b>goalkeeper</b>&lt;/b&gt;" in model.index(0, 3).data(HTML_ROLE)
    assert not window.case_list.table.isVisible()  # no case by that name: the matches get room

    # Down from the search box reaches the match; Enter opens the case at its page.
    qtbot.keyClick(window.case_list.search_edit, Qt.Key.Key_Down)
    assert found.table.hasFocus()
    qtbot.keyClick(found.table, Qt.Key.Key_Return)

    def page_key() -> str | None:
        view = window.case_view
        page = view.workspace.current_page() if view is not None else None
        return page.nav_key if page is not None else None

    qtbot.waitUntil(lambda: page_key() == "domain:self_regulation", timeout=WAIT_MS)
    assert window.case_view is not None and window.case_view.case.id == case.id

    # Back at the list, clearing the search hides the matches and brings back every case.
    window.close_case()
    _type(qtbot, window, "")
    qtbot.waitUntil(lambda: window.case_list.model.rowCount() == 3, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not found.isVisible(), timeout=WAIT_MS)
    assert window.case_list.table.isVisible()


def test_every_place_the_search_names_exists(qtbot, alex: Session, runner: TaskRunner) -> None:
    [case] = [c for c in add_demo_cases(alex, 3, seed=2) if c.current_assessment][:1]
    window = _window(qtbot, alex, runner)
    window.open_case(case.id)
    qtbot.waitUntil(
        lambda: window.case_view is not None and window.case_view.workspace.editor is not None,
        timeout=WAIT_MS,
    )
    workspace = window.case_view.workspace
    navigator = workspace.navigator
    pages = {navigator.item(r).data(Qt.UserRole) for r in range(navigator.count())} - {None}
    model = case.current_assessment.model.value
    keys = place_keys(d.id for d in load_form_set().domains_for(model))
    missing = keys - pages - RECORD_WINDOWS
    assert not missing, missing
