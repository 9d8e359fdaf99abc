"""The case list sorts and searches itself, offscreen: each column sorts (blank cells last
either way) and the sort outlives new rows; typing filters the rows already listed at once,
by the same rule as the store's search; the selected case stays selected by its id."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from aim3desk.domain.cases import AssessmentModel, CaseStatus
from aim3desk.services.cases import CaseSummary
from aim3desk.ui.case_list import CaseListPage
from aim3desk.ui.case_table import CASE_ID_ROLE, OVERDUE_TIP, case_rows
from test_profile_service import new_case

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 24)
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def summary(
    number: int,
    name: str,
    due: date | None = None,
    status: CaseStatus = CaseStatus.IN_ASSESSMENT,
    model: AssessmentModel | None = AssessmentModel.AIM3,
    lead_worker: str = "Hollis Brackwater",
) -> CaseSummary:
    return CaseSummary(
        id=f"case-{number}",
        reference=f"T-{number:03}",
        young_person_name=name,
        status=status,
        model=model,
        due_date=due,
        lead_worker=lead_worker,
    )


SUMMARIES = [
    summary(1, "Émile Brook", TODAY + timedelta(days=9), lead_worker="Uma Rook"),
    summary(2, "zara Quill", None, CaseStatus.CLOSED, None, "Ann Pike"),
    summary(3, "Bea Lark", TODAY - timedelta(days=3), lead_worker="ólafur Dunn"),
    summary(4, "Dev Marsh", TODAY + timedelta(days=1), CaseStatus.REQUESTED, lead_worker="Cy Fenn"),
    summary(5, "Ada Wren", None, CaseStatus.COMPLETED, AssessmentModel.AIM_U12, "Bo Tarn"),
]


@pytest.fixture
def page(qtbot) -> CaseListPage:
    shown = CaseListPage()
    qtbot.addWidget(shown)
    shown.resize(1366, 700)
    shown.show()
    shown.show_rows(case_rows(SUMMARIES, TODAY))
    return shown


def shown_ids(page: CaseListPage) -> list[str]:
    return [page.model.summary(row).id for row in range(page.model.rowCount())]


def column_texts(page: CaseListPage, column: int) -> list[str]:
    return [page.model.index(row, column).data() for row in range(page.model.rowCount())]


def test_rows_come_sorted_by_due_date_with_undated_cases_last(page: CaseListPage) -> None:
    header = page.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (4, ASC)
    assert shown_ids(page) == ["case-3", "case-4", "case-1", "case-2", "case-5"]
    page.table.sortByColumn(4, DESC)  # latest first; still no date last (ties by reference)
    assert shown_ids(page) == ["case-1", "case-4", "case-3", "case-2", "case-5"]


@pytest.mark.parametrize(
    ("column", "ascending", "descending"),
    [
        (0, [1, 2, 3, 4, 5], [5, 4, 3, 2, 1]),
        # Ignoring case and accents: Émile among the Es, zara after Émile.
        (1, [5, 3, 4, 1, 2], [2, 1, 4, 3, 5]),
        # Case 2 has no assessment yet: last both ways; equal models keep reference order.
        (2, [5, 1, 3, 4, 2], [1, 3, 4, 5, 2]),
        (3, [5, 2, 1, 3, 4], [4, 1, 3, 2, 5]),
        (4, [3, 4, 1, 2, 5], [1, 4, 3, 2, 5]),
        (5, [2, 5, 4, 3, 1], [1, 3, 4, 5, 2]),  # ólafur among the Os
    ],
)
def test_each_column_sorts_both_ways_blanks_last(
    page: CaseListPage, column: int, ascending: list[int], descending: list[int]
) -> None:
    page.table.sortByColumn(column, ASC)
    assert shown_ids(page) == [f"case-{n}" for n in ascending]
    page.table.sortByColumn(column, DESC)
    assert shown_ids(page) == [f"case-{n}" for n in descending]


def test_the_sort_and_the_selection_outlive_new_rows(page: CaseListPage) -> None:
    page.table.sortByColumn(1, DESC)
    page.select_case("case-4")
    page.table.sortByColumn(5, ASC)  # a header click keeps the selected case selected
    assert page.selected_case_id() == "case-4"
    page.table.sortByColumn(1, DESC)
    more = [*SUMMARIES, summary(6, "Cal Moss", TODAY), summary(7, "Yan Poole", TODAY)]
    page.show_rows(case_rows(more, TODAY))  # a refresh: a change landed
    assert column_texts(page, 1) == [
        "zara Quill",
        "Yan Poole",
        "Émile Brook",
        "Dev Marsh",
        "Cal Moss",
        "Bea Lark",
        "Ada Wren",
    ]
    header = page.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (1, DESC)
    assert page.selected_case_id() == "case-4"
    assert page.table.currentIndex().row() == 3
    assert page.count_label.text() == "7 cases"


def test_typing_filters_the_listed_rows_at_once_and_keeps_the_selection(
    qtbot, page: CaseListPage
) -> None:
    page.select_case("case-3")
    asked: list[str] = []
    page.filters_changed.connect(lambda: asked.append("list"))
    page.content_search.connect(lambda: asked.append("content"))
    qtbot.keyClicks(page.search_edit, "OLAF")  # a lead worker, typed without the accent
    assert shown_ids(page) == ["case-3"]  # no wait: nothing went to the store for it
    assert page.selected_case_id() == "case-3"
    assert page.count_label.text() == "1 case"
    assert asked == []  # the search in what was written waits for a pause in typing
    qtbot.waitUntil(lambda: asked == ["content"], timeout=5_000)
    page.search_edit.clear()
    assert len(shown_ids(page)) == 5
    assert asked == ["content", "content"]  # cleared: the matches go at once
    qtbot.keyClicks(page.search_edit, "nobody by this name")
    assert shown_ids(page) == [] and not page.table.isVisible()
    assert "matches the search" in page.empty_label.text()


def test_enter_in_the_search_box_opens_the_first_case_shown(qtbot, page: CaseListPage) -> None:
    opened: list[str] = []
    page.open_case.connect(opened.append)
    page.table.sortByColumn(1, ASC)
    searched: list[bool] = []
    page.content_search.connect(lambda: searched.append(True))
    qtbot.keyClicks(page.search_edit, "ma")  # Dev Marsh, and Émile Brook's worker Uma Rook
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert opened == ["case-4"]
    qtbot.wait(300)
    assert searched == []  # the case opened over the list: nothing searched behind it


def test_overdue_and_held_rows_say_so(page: CaseListPage) -> None:
    held = replace(SUMMARIES[1], on_hold=True)
    page.show_rows(case_rows([SUMMARIES[2], held], TODAY))
    model = page.model
    overdue = model.index(model.row_of("case-3"), 4)
    assert overdue.data() == f"{TODAY - timedelta(days=3):%d/%m/%Y} (overdue)"
    assert overdue.data(Qt.ItemDataRole.ToolTipRole) == OVERDUE_TIP
    font = overdue.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert overdue.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert overdue.data(CASE_ID_ROLE) == "case-3"
    status = model.index(model.row_of("case-2"), 3)
    assert status.data() == "Closed, on legal hold"
    assert "legal hold" in status.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(model.row_of("case-2"), 4).data(Qt.ItemDataRole.FontRole) is None
    assert model.row_of("case-1") is None  # not listed: nothing to select
    page.select_case("case-1")
    assert page.selected_case_id() is None


TRICKY = [  # (reference, young person, lead worker)
    ("TR-001", "Zoë Ærøe", "Hollis Brackwater"),
    ("TR-002", "Chloé Dubois", "Jürgen Weiß"),
    ("TR-003", "Siobhán Ó Briain", "Ana Lima"),
    ("TR-004", "ŁUKASZ NOWAK", "Ayşe Yılmaz"),
    ("TR-005", "Zoe Smith", "İsmail Kaya"),
    ("TR-006", "Rene\u0301e  Blanc", "José Martí"),  # é as e + accent, two spaces
    ("TR-007", "Greta Strauss", "STRAUSS Office"),
]
SEARCHES = [
    "zoe", "ZOË", "zoë", "ærøe", "weiss", "WEISS", "weiß", "strauß", "o briain", "ó briain",
    "siobhan", "lukasz", "łukasz", "yilmaz", "yılmaz", "ismail", "İSMAİL", "renée", "renee b",
    "  chloé   dubois ", "jose marti", "tr-00", "é", "", "ss", "nobody",
]  # fmt: skip


def test_the_screen_and_the_store_search_by_one_rule(qtbot, session) -> None:
    for reference, name, lead_worker in TRICKY:
        case = replace(new_case(reference, name), lead_worker=lead_worker)
        session.cases.add_case(case, today=TODAY)
    page = CaseListPage()
    qtbot.addWidget(page)
    page.show_rows(case_rows(session.cases.list_cases(), TODAY))
    found: dict[str, set[str]] = {}
    for words in SEARCHES:
        page.search_edit.setText(words)
        on_screen = {page.model.summary(row).reference for row in range(page.model.rowCount())}
        in_store = {s.reference for s in session.cases.list_cases(page.search_edit.text())}
        assert on_screen == in_store, words
        found[words] = on_screen
    assert found["zoe"] == found["ZOË"] == {"TR-001", "TR-005"}
    assert found["weiss"] == found["weiß"] == {"TR-002"}
    assert found["strauß"] == {"TR-007"}
    assert found["renée"] == found["renee b"] == {"TR-006"}
    assert found["ismail"] == {"TR-005"}
    assert found["  chloé   dubois "] == {"TR-002"}
    assert len(found[""]) == len(TRICKY) and found["nobody"] == set()
