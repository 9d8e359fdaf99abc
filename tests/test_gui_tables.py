"""Tables that can be read (real profile, real pages): the long-text column gets the room,
long text wraps and rows grow, nothing hides behind a horizontal scroll; the sharing log's
window has a Close button; a carer track added to the intervention board is not cut off;
every cell's row is tall enough for its wrapped text inside the cell's padding (nothing ends
in "…")."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStyle, QTableView

from aim3desk.domain.assessment import AssessmentContent, Unknown, new_evidence
from aim3desk.domain.cases import AssessmentModel, CaseStatus
from aim3desk.domain.codec import content_items
from aim3desk.domain.intervention import TrackKind
from aim3desk.security.kdf import KdfParams
from aim3desk.services.demo import make_demo_case
from aim3desk.services.forms_loader import load_evidence_rules, load_form_set
from aim3desk.services.profile import ProfileService
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.evidence import EvidenceList
from aim3desk.ui.assessment.pages import PageContext
from aim3desk.ui.assessment.unknowns_page import UnknownsPage
from aim3desk.ui.case_tools import CaseRecordWindow
from aim3desk.ui.intervention import InterventionBoard
from aim3desk.ui.sharing_log_view import SharingLogView
from aim3desk.ui.table_fit import ITEM_PADDING, ColumnShares, Share, grid_line

pytestmark = pytest.mark.gui

TODAY = date(2026, 11, 30)
LONG = (
    "Invented: whether the incidents on the school bus continued after the move, and whether "
    "any adult at the new school has noticed the same comments towards younger pupils."
)


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    opened, _recovery = ProfileService(tmp_path / "profile", kdf=KdfParams(8192, 1, 1)).create(
        "ochre lantern tidal quibble meadow", "Alex Testworker"
    )
    yield opened
    opened.close()


def add_case(session, status: CaseStatus = CaseStatus.IN_ASSESSMENT, content=None):
    case = make_demo_case(random.Random(3), 3, TODAY)
    case = replace(case, status=status, assessments=(), request_date=TODAY - timedelta(days=7))
    stored = session.cases.add_case(case, model=AssessmentModel.AIM3, today=TODAY)
    if content is not None:
        items = list(content_items(content))
        session.assessments.save_items(stored.current_assessment.id, items)
    return stored


def open_editor(session, runner, content: AssessmentContent):
    case = add_case(session, content=content)
    assessment = case.current_assessment
    loaded = session.assessments.load(assessment.id)
    form_set = load_form_set()
    context = PageContext(
        case, form_set, form_set.model("aim3"), load_evidence_rules(), None, session, runner
    )
    return context, AssessmentEditor(session, assessment, loaded, runner, 50)


def shown(qtbot, widget, width: int, height: int):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def line_height(view: QTableView) -> int:
    return view.fontMetrics().lineSpacing()


def assert_fits_the_width(view: QTableView) -> None:
    assert view.horizontalHeader().length() <= view.viewport().width()


def assert_rows_hold_their_text(view: QTableView) -> None:
    """Every cell's text, wrapped at the width it is drawn in (the column less the grid line,
    the padding and the style's text margin), fits across it (no word wider than the column)
    and its row is at least as tall as that text plus the padding above and below: nothing
    ends in "…"."""
    model = view.model()
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    across = ITEM_PADDING.left() + ITEM_PADDING.right()
    down = ITEM_PADDING.top() + ITEM_PADDING.bottom()
    grid = grid_line(view)  # a cell is drawn less the grid line at its right and bottom
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text = str(index.data() or "")
            font = index.data(Qt.ItemDataRole.FontRole)
            metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
            width = view.columnWidth(column) - grid - across - 2 * margin
            bounds = QRect(0, 0, width, 100_000)
            needed = metrics.boundingRect(bounds, Qt.TextFlag.TextWordWrap, text)
            assert needed.width() <= width, (row, column, text)  # no word is cut short
            assert view.rowHeight(row) - grid >= needed.height() + down, (row, column, text)


def test_shares_hold_minimums_and_fill_the_width(qtbot) -> None:
    view = shown(qtbot, QTableView(), 400, 200)
    shares = ColumnShares(view, Share.row((1, 120), (4, 60), (1, 120)))
    assert shares.widths(400) == [120, 160, 120]  # the minimums hold; the rest is shared
    assert sum(shares.widths(1000)) == 1000
    assert shares.widths(1000)[1] > 600


@pytest.mark.parametrize("width", [680, 900])  # beside the supervision dock, and without it
def test_unknowns_question_gets_the_room_and_wraps(qtbot, session, runner, width) -> None:
    unknowns = tuple(
        Unknown(f"u{n}", "sexual_behaviour", n, LONG, "Ask the designated safeguarding lead",
                "Lead worker", TODAY + timedelta(days=n))
        for n in (1, 2)
    )  # fmt: skip
    context, editor = open_editor(session, runner, AssessmentContent(unknowns=unknowns))
    page = shown(qtbot, UnknownsPage(editor, context), width, 600)
    page.refresh(editor.content)
    view = page.table
    qtbot.waitUntil(lambda: view.rowHeight(0) > 2 * line_height(view))  # the question wraps
    header = view.horizontalHeader()
    assert header.sectionSize(0) >= 0.22 * view.viewport().width()  # it gets the room
    assert header.sectionSize(0) == max(header.sectionSize(c) for c in range(6))
    open_width = view.fontMetrics().horizontalAdvance("Open") + 8
    assert header.sectionSize(5) >= open_width  # "Open" is shown, not "O…"
    assert_fits_the_width(view)
    assert view.rowHeight(0) >= view.sizeHintForRow(0)


@pytest.mark.parametrize("width", [664, 900])  # beside the supervision dock, and without it
def test_unknowns_rows_show_every_wrapped_answer_and_about(qtbot, session, runner, width) -> None:
    rules = load_evidence_rules()
    answer = new_evidence(
        rules,
        text="Invented: the previous school reports no earlier incidents and no concerns from "
        "staff about the pupil's behaviour towards younger children.",
        source="education",
        category="multi_agency",
        when=TODAY,
        domain_id="self_regulation",
    )
    content = AssessmentContent()
    for n, domain in ((1, "self_regulation"), (2, None)):
        question = f"Invented: were there earlier incidents at the previous school? ({n})"
        content = content.mark_unknown(
            Unknown(f"u{n}", domain, 1 if domain else None, question, "Ask the school",
                    "Lead", TODAY - timedelta(days=n))
        )  # fmt: skip
    content = content.answer_unknown("u2", answer, TODAY)
    context, editor = open_editor(session, runner, content)
    page = shown(qtbot, UnknownsPage(editor, context), width, 600)
    page.show_answered.setChecked(True)
    view = page.table
    qtbot.waitUntil(lambda: view.model().rowCount() == 2)
    qtbot.waitUntil(lambda: assert_rows_hold_their_text(view))  # once the columns are fitted
    assert view.rowHeight(1) > 3 * line_height(view)  # the answer wraps
    assert_fits_the_width(view)


def test_evidence_list_wraps_and_shows_every_entry(qtbot, session, runner) -> None:
    rules = load_evidence_rules()
    content = AssessmentContent()
    for n in range(5):
        entry = new_evidence(
            rules,
            text=f"{LONG} ({n})",
            source="education",
            category="risk_factor",
            when=TODAY,
            domain_id="developmental",
        )
        content = content.add_evidence(entry)  # fmt: skip
    context, editor = open_editor(session, runner, content)
    domain = context.form_set.domain("developmental")
    evidence = shown(qtbot, EvidenceList(editor, rules, domain), 640, 900)
    evidence.show_entries(editor.content.evidence_for("developmental"))
    view = evidence.table
    qtbot.waitUntil(lambda: view.rowHeight(4) > 2 * line_height(view))
    qtbot.waitUntil(lambda: view.height() > view.horizontalHeader().height() + 5 * 40)
    assert_fits_the_width(view)
    last = view.rowViewportPosition(4) + view.rowHeight(4)
    assert 0 < last <= view.viewport().height()  # the page scrolls, not the list
    header = view.horizontalHeader()
    assert header.sectionSize(5) == max(header.sectionSize(c) for c in range(6))
    assert_rows_hold_their_text(view)


def test_sharing_log_wraps_what_was_shared_and_closes(qtbot, session, runner) -> None:
    case = add_case(session)
    session.sharing.record_decision(
        case.id, "police", "DS Alex Example, Public Protection Unit", "Invented: the bus.",
        "public-task", True, what=LONG,
    )  # fmt: skip
    view = SharingLogView(session, case, runner)
    window = CaseRecordWindow("Sharing log", view)
    shown(qtbot, window, 1180, 760)
    table = view.table
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    qtbot.waitUntil(lambda: table.rowHeight(0) >= table.sizeHintForRow(0) > 0)
    what = table.horizontalHeader().sectionSize(7)
    assert what >= 0.2 * table.viewport().width()  # not one word per line
    assert table.rowHeight(0) < 8 * line_height(table)
    assert_fits_the_width(table)
    qtbot.waitUntil(lambda: assert_rows_hold_their_text(table))
    (buttons,) = window.findChildren(QDialogButtonBox)
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and close.isVisible()
    close.click()
    assert not window.isVisible()
    assert table.rowCount() == 0  # closing empties it


def test_a_second_carer_track_is_not_cut_off(qtbot, session, runner) -> None:
    case = add_case(session, status=CaseStatus.IN_INTERVENTION)
    board = InterventionBoard(session, case.id, runner, autosave_delay_ms=50, today=lambda: TODAY)
    shown(qtbot, board, 1180, 700)
    board.load()
    assert runner.wait_for_idle(15_000)
    stages = board.stages
    for kind, name in (
        (TrackKind.YOUNG_PERSON, ""),
        (TrackKind.PARENT_CARER, "Alberta Invented-Carer (mother)"),
        (TrackKind.RISK_MEETING, ""),
        (TrackKind.PARENT_CARER, "Daniel Invented-Carer (father, lives apart)"),
    ):
        before = len(board.plan.tracks)
        stages.add_track(kind, name)
        qtbot.waitUntil(lambda before=before: len(board.plan.tracks) > before)
    assert runner.wait_for_idle(15_000)
    qtbot.waitUntil(lambda: stages._fitted_tracks == 4)
    QApplication.processEvents()  # the cards of the last fill are laid out
    scroll = stages.board_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() == 0)  # no row hidden behind a scroll
    for card in stages.cards.values():
        assert card.height() >= card.sizeHint().height()
        if card.hasHeightForWidth():
            assert card.height() >= card.heightForWidth(card.width())
        bottom = card.mapTo(stages.board_scroll.viewport(), card.rect().bottomLeft()).y()
        assert bottom <= stages.board_scroll.viewport().height()
    board_height, goals_height = stages.split.sizes()
    assert goals_height >= 0.25 * (board_height + goals_height)  # the goals keep room too
    board.clear_sensitive()
