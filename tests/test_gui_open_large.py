"""Opening an assessment without holding the UI thread, over a real encrypted profile: only
the first domain page is built before it is shown (whole), the other domain pages follow on
idle and are complete when visited, a page wanted early is finished at once, and a content
with thousands of evidence entries shows every row in its table without a widget per row and
without measuring rows out of view. Plus the parts: slice builds and the evidence rows."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest
from benchmarks.large_assessment import make_large_assessment
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView, QWidget

import test_gui_assessment
from aim3desk.domain.cases import AssessmentModel, CaseStatus, start_assessment
from aim3desk.services.demo import make_demo_case
from aim3desk.services.forms_loader import load_evidence_rules, load_form_set
from aim3desk.ui.assessment.domain_page import DomainPage, domain_nav_key
from aim3desk.ui.assessment.evidence_rows import RowShaper, longest_word, shape_domains
from aim3desk.ui.assessment.staged import StagedBuild
from aim3desk.ui.assessment.workspace import AssessmentWorkspace
from aim3desk.ui.table_fit import LAZY_ROWS
from test_gui_assessment import OPENED

pytestmark = pytest.mark.gui
# The workspaces opened (OPENED) are saved and forgotten, then the runner stops.
runner = test_gui_assessment.runner

WAIT_MS = 30_000
TODAY = date(2026, 3, 2)
MANY_ENTRIES = 2_500  # 500 a domain: far more rows than a table shows at once


@pytest.fixture(scope="module")
def form_set():
    return load_form_set()


def add_case(session, content=None, number: int = 1):
    case = make_demo_case(random.Random(number), number, TODAY)
    first = start_assessment(case, AssessmentModel.AIM3)
    case = replace(case, status=CaseStatus.REQUESTED, assessments=(first,))
    contents = {first.id: content} if content is not None else None
    return session.cases.add_case(case, today=TODAY, contents=contents)


def open_workspace(qtbot, session, case, form_set, runner) -> tuple[AssessmentWorkspace, list]:
    """The workspace, and how many pages were built and which page was shown at `loaded`."""
    workspace = AssessmentWorkspace(case, session, form_set, runner, 30)
    OPENED.append(workspace)  # saved and forgotten by the runner fixture
    at_loaded: list = []
    workspace.loaded.connect(
        lambda: at_loaded.append((dict(workspace.pages), workspace.current_page()))
    )
    workspace.resize(1100, 800)
    workspace.show()
    qtbot.waitUntil(lambda: workspace.editor is not None, timeout=WAIT_MS)
    return workspace, at_loaded


def domain_keys(workspace: AssessmentWorkspace, form_set) -> list[str]:
    return [domain_nav_key(d.id) for d in form_set.domains_for(workspace.context.model.id)]


def test_opening_builds_the_first_domain_page_whole_and_the_others_on_idle(
    qtbot, session, form_set, runner
) -> None:
    content = make_large_assessment(1, evidence_entries=40, words=4_000)
    workspace, at_loaded = open_workspace(
        qtbot, session, add_case(session, content), form_set, runner
    )
    keys = domain_keys(workspace, form_set)

    # At `loaded` only the first domain page was built, and it is the page shown, complete.
    [(built, shown)] = at_loaded
    assert list(built) == [keys[0]]
    assert isinstance(shown, DomainPage) and shown.nav_key == keys[0]
    assert len(shown.cards) == 5 and shown.cards[0].rationale.toPlainText()
    first_domain = keys[0].removeprefix("domain:")
    assert shown.evidence_list.model.rowCount() == len(content.evidence_for(first_domain))

    # The other domain pages follow on idle, each complete with its content.
    qtbot.waitUntil(lambda: all(key in workspace.pages for key in keys), timeout=WAIT_MS)
    for key in keys:
        workspace.go_to(key)
        page = workspace.current_page()
        assert isinstance(page, DomainPage) and page.nav_key == key
        domain_id = key.removeprefix("domain:")
        assert [card.rationale.toPlainText() for card in page.cards] == [
            content.rating(domain_id, card.slot).rationale for card in page.cards
        ]
        assert page.evidence_list.model.rowCount() == len(content.evidence_for(domain_id))
    # The pages across the assessment are built on first visit only.
    assert "formulation" not in workspace.pages
    workspace.go_to("formulation")
    assert workspace.current_page() is workspace.pages["formulation"]


def test_a_domain_page_wanted_before_its_turn_is_built_at_once(
    qtbot, session, form_set, runner
) -> None:
    case = add_case(session)
    workspace = AssessmentWorkspace(case, session, form_set, runner, 30)
    OPENED.append(workspace)  # saved and forgotten by the runner fixture
    model = form_set.model(AssessmentModel.AIM3.value)
    last = domain_nav_key(form_set.domains_for(model.id)[-1].id)
    chosen: list = []

    def choose_the_last() -> None:  # at once, before any page is built on idle
        chosen.append(last in workspace.pages)
        workspace.go_to(last)
        chosen.append(workspace.current_page())

    workspace.loaded.connect(choose_the_last)
    workspace.show()
    qtbot.waitUntil(lambda: len(chosen) == 2, timeout=WAIT_MS)
    built_before, page = chosen
    assert not built_before
    assert isinstance(page, DomainPage) and page.nav_key == last and len(page.cards) == 5
    assert page.isVisible()
    # Typing on it is an edit like any other (it undoes).
    page.cards[0].rationale.setPlainText("Seen early (invented).")
    assert workspace.editor.content.rating(page.domain.id, 1).rationale == "Seen early (invented)."
    workspace.undo()
    assert workspace.editor.content.rating(page.domain.id, 1).rationale == ""


def test_thousands_of_entries_show_every_row_without_a_widget_per_row(
    qtbot, session, form_set, runner
) -> None:
    content = make_large_assessment(
        2, evidence_entries=MANY_ENTRIES, words=30_000, rules=load_evidence_rules()
    )
    workspace, _at_loaded = open_workspace(
        qtbot, session, add_case(session, content), form_set, runner
    )
    page = workspace.current_page()
    assert isinstance(page, DomainPage)
    table = page.evidence_list.table
    entries = content.evidence_for(page.domain.id)
    assert len(entries) > LAZY_ROWS
    assert table.model().rowCount() == len(entries)
    assert "500 entries" in page.evidence_list.count_label.text()
    # A view over a model: no widget for any row.
    assert len(table.viewport().findChildren(QWidget)) == 0
    # Rows are measured as they come into view, not all at once.
    header = table.verticalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    qtbot.waitUntil(lambda: header.sectionSize(0) > header.defaultSectionSize(), timeout=WAIT_MS)
    last = len(entries) - 1
    assert header.sectionSize(last) == header.defaultSectionSize()
    table.scrollToBottom()
    qtbot.waitUntil(lambda: header.sectionSize(last) > header.defaultSectionSize(), timeout=WAIT_MS)
    # Selecting an entry by id (a formulation's citation) finds it among them all.
    page.evidence_list.select(entries[-1].id)
    assert page.evidence_list.current_entry() == entries[-1]


def test_a_slice_build_runs_on_idle_finishes_when_wanted_and_stops_when_cancelled(qtbot) -> None:
    done: list[int] = []

    def steps(out: list[int]):
        for n in range(3):
            out.append(n)
            yield

    parent = QObject()
    build = StagedBuild(steps(done), parent)
    finished: list[bool] = []
    build.finished.connect(lambda: finished.append(True))
    build.start()
    qtbot.waitUntil(lambda: finished == [True], timeout=WAIT_MS)
    assert done == [0, 1, 2]

    now: list[int] = []
    build = StagedBuild(steps(now), parent)
    build.finished.connect(lambda: finished.append(True))
    build.finish_now()  # not started: done at once
    assert now == [0, 1, 2] and finished == [True, True]

    stopped: list[int] = []
    build = StagedBuild(steps(stopped), parent)
    build.finished.connect(lambda: finished.append(True))
    build.start()
    build.cancel()
    qtbot.wait(20)
    assert stopped == [] and finished == [True, True]


def test_evidence_rows_are_shaped_once_and_again_only_when_an_entry_changes(form_set) -> None:
    rules = load_evidence_rules()
    content = make_large_assessment(3, evidence_entries=30, words=3_000, rules=rules)
    model = form_set.model(AssessmentModel.AIM3.value)
    domains = form_set.domains_for(model.id)
    shaped = shape_domains(content, rules, domains)
    assert sum(len(rows) for rows in shaped.values()) == len(content.evidence)

    domain = domains[0]
    shaper = RowShaper(rules, domain)
    shaper.adopt(shaped[domain.id])
    entries = content.evidence_for(domain.id)
    rows = shaper.rows(entries)
    assert all(row is made for row, made in zip(rows, shaped[domain.id], strict=True))
    changed = replace(entries[0], text="A new word: self-regulation (invented).")
    again = shaper.rows((changed, *entries[1:]))
    assert again[0] is not rows[0] and again[0].cells[5] == changed.text
    assert all(a is b for a, b in zip(again[1:], rows[1:], strict=True))


def test_the_longest_word_is_what_cannot_wrap() -> None:
    assert longest_word("") == ""
    assert longest_word("a Self-regulation plan") == "regulation"
    assert longest_word("Multi-agency-meetings went well") == "meetings"
    assert longest_word("Well-being") == "Well-"  # the hyphen stays with its head
