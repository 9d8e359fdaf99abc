"""The guided assessment workspace driven by keyboard, offscreen, over a real encrypted profile:
a whole AIM u12 and a whole AIM3 assessment, the profile totals and bands they give, undo and
redo across edits, autosave reaching the store, evidence with its sharing default, and a
finished version shown read-only."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QDialogButtonBox

from aim3desk.domain.assessment import UNKNOWN_RATING
from aim3desk.domain.cases import AssessmentModel, CaseStatus
from aim3desk.domain.profile import profile
from aim3desk.services.demo import make_demo_case
from aim3desk.services.forms_loader import load_form_set
from aim3desk.ui.assessment import spelling
from aim3desk.ui.assessment.domain_page import DomainPage
from aim3desk.ui.assessment.editor import SAVED
from aim3desk.ui.assessment.evidence_dialog import EvidenceDialog
from aim3desk.ui.assessment.factor_card import MarkUnknownDialog
from aim3desk.ui.assessment.text import GrowingTextEdit
from aim3desk.ui.assessment.workspace import AssessmentWorkspace
from aim3desk.ui.tasks import TaskRunner

# The version is not ready for supervision: finishing it needs a written reason.
UNREADY = "Finished early for this test"

pytestmark = pytest.mark.gui

WAIT_MS = 15_000
TODAY = date(2026, 3, 2)
# Rating choices per domain as positions in the rating box (1 no concern, 2 some concern,
# 3 significant concern), chosen to give AIM u12 totals 0, 6, 12, 14 and 20.
CHOICES = (
    (1, 1, 1, 1, 1),  # 0 + 0 + 0 + 0 + 0 = 0   green
    (2, 2, 2, 1, 1),  # 2 + 2 + 2 + 0 + 0 = 6   amber
    (3, 3, 2, 2, 1),  # 4 + 4 + 2 + 2 + 0 = 12  amber
    (3, 3, 3, 2, 1),  # 4 + 4 + 4 + 2 + 0 = 14  red
    (3, 3, 3, 3, 3),  # 4 * 5 = 20              red
)
EXPECTED_U12 = ((0, "green"), (6, "amber"), (12, "amber"), (14, "red"), (20, "red"))
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
VALUES = {1: "no_concern", 2: "some_concern", 3: "significant_concern"}


@pytest.fixture(scope="module")
def form_set():
    return load_form_set()


OPENED: list[AssessmentWorkspace] = []


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    while OPENED:  # as closing a case does: save, then forget, before the runner stops
        workspace = OPENED.pop()
        workspace.flush()
        task_runner.wait_for_idle()
        workspace.clear_sensitive()
        workspace.close()
        workspace.deleteLater()
    task_runner.shutdown()


def add_case(session, model: AssessmentModel, number: int = 1):
    case = make_demo_case(random.Random(number), number, TODAY)
    case = replace(case, status=CaseStatus.REQUESTED, assessments=())
    return session.cases.add_case(case, model=model, today=TODAY)


def open_workspace(qtbot, session, case, form_set, runner, **kwargs) -> AssessmentWorkspace:
    workspace = AssessmentWorkspace(case, session, form_set, runner, 30, **kwargs)
    OPENED.append(workspace)
    workspace.resize(1100, 800)
    workspace.show()
    qtbot.waitUntil(lambda: workspace.editor is not None, timeout=WAIT_MS)
    workspace.activateWindow()
    workspace.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is workspace, timeout=WAIT_MS)
    return workspace


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, as a person would type it."""
    target = focused()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def wait_saved(qtbot, workspace: AssessmentWorkspace, runner: TaskRunner) -> None:
    workspace.flush()
    qtbot.waitUntil(lambda: runner.pending == 0 and not workspace.has_unsaved(), timeout=WAIT_MS)


def complete_by_keyboard(qtbot, workspace: AssessmentWorkspace) -> None:
    """Rate all 25 factors, write rationales, strength notes and domain strengths, using only
    the keyboard: F6 to the page, Alt+Down between factors, Tab inside a factor,
    Ctrl+PgDown to the next domain."""
    workspace.navigator.setFocus()
    press(qtbot, Qt.Key.Key_F6)  # from the navigator to the first factor of the page
    for domain_index, choices in enumerate(CHOICES):
        page = workspace.current_page()
        assert isinstance(page, DomainPage)
        for slot, choice in enumerate(choices, start=1):
            if slot > 1:
                press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
            card = page.cards[slot - 1]
            assert focused() is card.rating_combo
            for _ in range(choice):
                press(qtbot, Qt.Key.Key_Down)
            press(qtbot, Qt.Key.Key_Tab)
            assert focused() is card.rationale
            qtbot.keyClicks(focused(), f"Seen at home and school, factor {slot}.")
            press(qtbot, Qt.Key.Key_Tab)
            assert focused() is card.strength
            qtbot.keyClicks(focused(), "Talks to his aunt")
        for _ in range(8):  # on past the factor's buttons and the concerns to the strengths
            if focused() is page.strengths:
                break
            press(qtbot, Qt.Key.Key_Tab)
        assert focused() is page.strengths
        qtbot.keyClicks(focused(), f"Strengths in domain {domain_index + 1}.")
        press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        # the next page opens with its first factor's rating in focus


def test_whole_aim_u12_assessment_by_keyboard(qtbot, session, form_set, runner) -> None:
    case = add_case(session, AssessmentModel.AIM_U12)
    workspace = open_workspace(qtbot, session, case, form_set, runner)
    complete_by_keyboard(qtbot, workspace)

    model = form_set.model("aim-u12")
    content = workspace.editor.content
    shown = profile(content, model, form_set)
    assert [(d.total, d.band.id) for d in shown.domains] == list(EXPECTED_U12)
    for domain, choices in zip(shown.domains, CHOICES, strict=True):
        assert [r.rating for r in domain.ratings] == [VALUES[c] for c in choices]
        assert all(r.rationale.startswith("Seen at home") for r in domain.ratings)
        assert domain.strengths.startswith("Strengths in domain")
    navigator = [workspace.navigator.item(r) for r in range(1, 6)]
    assert [i.data(Qt.ItemDataRole.UserRole + 1) for i in navigator] == [100] * 5
    assert "100% complete" in navigator[0].data(Qt.ItemDataRole.AccessibleTextRole)

    # Autosave reaches the store: a fresh load gives exactly what is on screen.
    wait_saved(qtbot, workspace, runner)
    stored = session.assessments.load(case.current_assessment.id)
    assert stored == content
    assert profile(stored, model, form_set) == shown


def test_whole_aim3_assessment_by_keyboard(qtbot, session, form_set, runner) -> None:
    case = add_case(session, AssessmentModel.AIM3, number=2)
    workspace = open_workspace(qtbot, session, case, form_set, runner)
    complete_by_keyboard(qtbot, workspace)
    model = form_set.model("aim3")
    shown = profile(workspace.editor.content, model, form_set)
    labels = {v: model.scale.option(v).label for v in VALUES.values()}
    for domain, choices in zip(shown.domains, CHOICES, strict=True):
        assert domain.total is None and domain.band is None  # AIM3 ships no domain score
        assert [r.rating_label for r in domain.ratings] == [labels[VALUES[c]] for c in choices]
        assert domain.concern_count == sum(c > 1 for c in choices)
    # The rating box shows the scale's words, with no score for AIM3.
    assert workspace.current_page().nav_key == "unknowns"  # Ctrl+PgDown went on past the domains
    workspace.go_to("domain:sexual_behaviour")
    page = workspace.current_page()
    assert isinstance(page, DomainPage)
    assert page.cards[0].rating_combo.itemText(0) == "Not rated"
    assert "(" not in page.cards[0].rating_combo.itemText(1)
    wait_saved(qtbot, workspace, runner)
    assert session.assessments.load(case.current_assessment.id) == workspace.editor.content


def test_undo_redo_across_rating_and_text_burst(qtbot, session, form_set, runner) -> None:
    case = add_case(session, AssessmentModel.AIM_U12, number=3)
    workspace = open_workspace(qtbot, session, case, form_set, runner)
    page = workspace.current_page()
    assert isinstance(page, DomainPage)
    workspace.navigator.setFocus()
    press(qtbot, Qt.Key.Key_F6)
    combo = page.cards[0].rating_combo
    assert focused() is combo
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)  # some concern
    press(qtbot, Qt.Key.Key_Tab)
    assert page.cards[0].required_label.isVisibleTo(page)  # rated, no rationale yet
    qtbot.keyClicks(focused(), "A burst of typing")
    assert not page.cards[0].required_label.isVisibleTo(page)
    editor = workspace.editor
    rating = editor.content.rating("sexual_behaviour", 1)
    assert (rating.rating, rating.rationale) == ("some_concern", "A burst of typing")
    assert "rationale" in workspace.undo_action.toolTip()
    assert "Ctrl+Z" in workspace.undo_action.toolTip()

    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the whole burst
    assert editor.content.rating("sexual_behaviour", 1).rationale == ""
    assert page.cards[0].rationale.toPlainText() == ""
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # second press of Down
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # first press of Down
    assert editor.content.rating("sexual_behaviour", 1).rating is None
    assert combo.currentIndex() == 0
    assert not workspace.undo_action.isEnabled()
    press(qtbot, Qt.Key.Key_Z, CTRL_SHIFT)
    press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert combo.currentData() == "some_concern"
    press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert page.cards[0].rationale.toPlainText() == "A burst of typing"
    wait_saved(qtbot, workspace, runner)
    assert session.assessments.load(case.current_assessment.id) == editor.content


def test_evidence_added_by_keyboard_follows_sharing_rules(qtbot, session, form_set, runner) -> None:
    case = add_case(session, AssessmentModel.AIM_U12, number=4)
    workspace = open_workspace(qtbot, session, case, form_set, runner)
    page = workspace.current_page()
    assert isinstance(page, DomainPage)
    rules = workspace.context.evidence_rules
    seen: dict[str, object] = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EvidenceDialog)
        qtbot.keyClicks(dialog.text_edit, "Teacher saw him follow the rules at lunch.")
        dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("education"))
        dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("background"))
        seen["default"] = dialog.sharing_combo.currentData()
        seen["why"] = dialog.why_label.text()
        dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("protective_factor"))
        seen["followed"] = dialog.sharing_combo.currentData()
        dialog.about_combo.setCurrentIndex(dialog.about_combo.findData(2))
        dialog.ok_button.click()

    workspace.navigator.setFocus()
    press(qtbot, Qt.Key.Key_F6)
    QTimer.singleShot(0, fill)
    press(qtbot, Qt.Key.Key_E, CTRL_SHIFT)
    workspace.activateWindow()  # offscreen, the closed dialog hands nothing back by itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is workspace, timeout=WAIT_MS)
    assert focused() is page.evidence_list.table
    assert seen["default"] == rules.default_sharing("education", "background")
    assert rules.default_why("education", "background") in seen["why"]
    assert seen["followed"] == rules.default_sharing("education", "protective_factor")
    (entry,) = workspace.editor.content.evidence
    assert (entry.domain_id, entry.factor_slot) == ("sexual_behaviour", 2)
    assert entry.source == "education"
    assert page.evidence_list.model.rowCount() == 1
    assert "1 evidence entry" in page.cards[1].evidence_label.text()
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert workspace.editor.content.evidence == ()
    assert page.evidence_list.model.rowCount() == 0


def test_a_factor_cards_buttons_add_evidence_about_it_and_mark_it_unknown(
    qtbot, session, form_set, runner
) -> None:
    case = add_case(session, AssessmentModel.AIM_U12, number=8)
    workspace = open_workspace(qtbot, session, case, form_set, runner)
    page = workspace.current_page()
    assert isinstance(page, DomainPage)
    card = page.cards[2]
    seen: dict[str, object] = {}

    def fill_evidence() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EvidenceDialog)
        seen["about"] = dialog.about_combo.currentData()
        qtbot.keyClicks(dialog.text_edit, "Invented: seen by a youth worker.")
        dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("education"))
        dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("background"))
        dialog.ok_button.click()

    QTimer.singleShot(0, fill_evidence)
    card.add_evidence_button.click()
    assert seen["about"] == 3  # the dialog opens about the card's own factor
    (entry,) = workspace.editor.content.evidence
    assert (entry.domain_id, entry.factor_slot) == ("sexual_behaviour", 3)
    assert "1 evidence entry" in card.evidence_label.text()

    def fill_unknown() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MarkUnknownDialog)
        dialog.question_edit.setPlainText("Invented: whether it happened at the club")
        dialog.who_edit.setText("Alex")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill_unknown)
    card.unknown_button.click()
    (unknown,) = workspace.editor.content.unknowns
    assert (unknown.about_domain, unknown.about_slot) == ("sexual_behaviour", 3)
    assert unknown.question == "Invented: whether it happened at the club"
    assert "Invented: whether it happened at the club (Alex" in card.unknown_label.text()
    assert card.unknown_label.isVisibleTo(page)
    # Marking the factor unknown rates it unknown, in one step that undo takes back whole.
    assert workspace.editor.content.rating("sexual_behaviour", 3).rating == UNKNOWN_RATING
    assert card.rating_combo.currentData() == UNKNOWN_RATING
    workspace.editor.undo_stack.undo()
    assert workspace.editor.content.unknowns == ()
    assert workspace.editor.content.rating("sexual_behaviour", 3).rating is None
    assert card.rating_combo.currentData() is None
    wait_saved(qtbot, workspace, runner)
    stored = session.assessments.load(workspace.editor.assessment.id)
    assert stored.unknowns == () and stored.rating("sexual_behaviour", 3).rating is None


def test_sharing_chosen_by_hand_is_kept(qtbot, form_set) -> None:
    rules = load_evidence_rules_for_test()
    domain = form_set.domain("developmental")
    dialog = EvidenceDialog(rules, domain)
    qtbot.addWidget(dialog)
    internal = next(c.id for c in rules.sharing_classes if c.internal_only)
    dialog.sharing_combo.setCurrentIndex(dialog.sharing_combo.findData(internal))
    dialog.sharing_combo.activated.emit(dialog.sharing_combo.currentIndex())  # a person's pick
    dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("police"))
    assert dialog.sharing_combo.currentData() == internal
    assert "Chosen by hand" in dialog.why_label.text()


def load_evidence_rules_for_test():
    from aim3desk.services.forms_loader import load_evidence_rules

    return load_evidence_rules()


def test_finished_version_is_read_only(qtbot, session, form_set, runner) -> None:
    case = add_case(session, AssessmentModel.AIM_U12, number=5)
    assessment_id = case.current_assessment.id
    model = form_set.model("aim-u12")
    session.assessments.save_item(
        assessment_id,
        session.assessments.load(assessment_id)
        .set_rating(model, "developmental", 1, "some_concern")
        .rating("developmental", 1),
    )
    session.assessments.finish(assessment_id, override_reason=UNREADY)
    workspace = open_workspace(qtbot, session, case, form_set, runner)
    assert workspace.banner.isVisibleTo(workspace)
    assert "read-only" in workspace.banner.text()
    assert not workspace.undo_action.isEnabled()
    workspace.go_to("domain:developmental")
    page = workspace.current_page()
    assert isinstance(page, DomainPage)
    card = page.cards[0]
    assert card.rating_combo.currentData() == "some_concern"
    assert not card.rating_combo.isEnabled()
    assert card.rationale.isReadOnly() and page.strengths.isReadOnly()
    assert not page.evidence_list.add_button.isEnabled()
    assert not card.unknown_button.isEnabled()
    qtbot.keyClicks(card.rationale, "typed into a finished version")
    assert card.rationale.toPlainText() == ""


def test_every_control_has_an_accessible_name(qtbot, session, form_set, runner) -> None:
    case = add_case(session, AssessmentModel.AIM_U12, number=6)
    workspace = open_workspace(qtbot, session, case, form_set, runner)
    page = workspace.current_page()
    assert isinstance(page, DomainPage)
    inputs = page.findChildren(QComboBox) + page.findChildren(GrowingTextEdit)
    inputs += [workspace.navigator, workspace.ready_button, workspace.undo_button]
    assert inputs and all(w.accessibleName() for w in inputs)


def test_alt_down_scrolls_to_the_factor(qtbot, session, form_set, runner) -> None:
    case = add_case(session, AssessmentModel.AIM_U12, number=7)
    workspace = open_workspace(qtbot, session, case, form_set, runner)
    workspace.resize(1000, 500)
    page = workspace.current_page()
    workspace.navigator.setFocus()
    press(qtbot, Qt.Key.Key_F6)
    for _ in range(4):
        press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert focused() is page.cards[4].rating_combo
    assert page.scroll.verticalScrollBar().value() > 0
    press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert focused() is page.cards[3].rating_combo
    press(qtbot, Qt.Key.Key_F6)
    assert focused() is workspace.navigator


def test_spell_checking_underlines_and_suggests(qtbot) -> None:
    spell = spelling.checker()
    if spell is None:
        pytest.skip("Enchant or an English dictionary is not installed")
    assert not spell.is_correct("recieve")
    assert spell.is_correct("colour") and spell.is_correct("CSC")
    assert "receive" in spell.suggestions("recieve")
    edit = GrowingTextEdit("Test")
    qtbot.addWidget(edit)
    edit.setPlainText("They recieve help")
    formats = edit.document().firstBlock().layout().formats()
    assert [(f.start, f.length) for f in formats] == [(5, 7)]
    spell.add_for_session("recieve")
    assert edit.document().firstBlock().layout().formats() == []
    spell.forget_session_words()
    assert not spell.is_correct("recieve")


def test_dialog_rejects_empty_evidence(qtbot, form_set) -> None:
    dialog = EvidenceDialog(load_evidence_rules_for_test(), form_set.domain("developmental"))
    qtbot.addWidget(dialog)
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisibleTo(dialog)


def test_saved_state_is_forwarded(qtbot, session, form_set, runner) -> None:
    case = add_case(session, AssessmentModel.AIM_U12, number=8)
    states: list[str] = []
    workspace = AssessmentWorkspace(case, session, form_set, runner, 30)
    OPENED.append(workspace)
    workspace.save_state_changed.connect(states.append)
    workspace.show()
    qtbot.waitUntil(lambda: workspace.editor is not None, timeout=WAIT_MS)
    workspace.editor.edit(
        "Rate", lambda c: c.set_rating(workspace.context.model, "developmental", 2, "no_concern")
    )
    qtbot.waitUntil(lambda: states and states[-1] == SAVED and len(states) > 2, timeout=WAIT_MS)
    workspace.clear_sensitive()
    assert workspace.navigator.count() == 0


def test_licensed_form_file_names_the_factors_on_screen(qtbot, session, runner) -> None:
    licensed = Path(__file__).parent / "fixtures" / "licensed-example.toml"
    licensed_forms = load_form_set(licensed_file=licensed)
    case = add_case(session, AssessmentModel.AIM_U12, number=7)
    workspace = open_workspace(qtbot, session, case, licensed_forms, runner)
    page = workspace.current_page()
    assert isinstance(page, DomainPage)
    first = licensed_forms.domains[0].factor(1)
    assert first.licensed and first.label.startswith("Invented factor")
    assert first.label in page.cards[0].title.text()
    assert page.cards[0].descriptor.text() == first.descriptor
