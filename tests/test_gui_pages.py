"""The assessment pages over a real profile (SQLCipher in tmp_path), a real editor and the real
task runner: profile totals and bands, no risk-level words, the graph's description, answering
an unknown, chronology sorting, formulation citations, versions and the readiness dialog."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from aim3desk.domain.assessment import (
    AssessmentContent,
    ChronologyEvent,
    DomainNotes,
    FactorRating,
    FormulationPartId,
    Recommendations,
    Unknown,
    new_evidence,
)
from aim3desk.domain.cases import AssessmentModel, Case, LeadAgency, Requester, new_id
from aim3desk.domain.codec import content_items
from aim3desk.domain.profile import MissingKind
from aim3desk.domain.share_rule import may_leave_network
from aim3desk.security.kdf import KdfParams
from aim3desk.services.forms_loader import load_evidence_rules, load_form_set, load_screening
from aim3desk.services.profile import ProfileService
from aim3desk.ui.assessment.chronology_page import ChronologyPage
from aim3desk.ui.assessment.editor import AssessmentEditor
from aim3desk.ui.assessment.formulation_page import FormulationPage
from aim3desk.ui.assessment.pages import PageContext
from aim3desk.ui.assessment.profile_page import GRAPH_NAME, ProfilePage
from aim3desk.ui.assessment.readiness_dialog import ReadinessDialog
from aim3desk.ui.assessment.safety_page import SafetyPlanPage
from aim3desk.ui.assessment.screening_page import ScreeningPage
from aim3desk.ui.assessment.unknowns_page import UnknownsPage
from aim3desk.ui.assessment.versions_page import VersionsPage
from aim3desk.ui.assessment.voices_page import VoicesPage
from aim3desk.ui.operations.base import Changes
from aim3desk.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui

FAST_KDF = KdfParams(8192, 1, 1)
TODAY = date.today()
RISK_WORDS = re.compile(r"\b(low|medium|moderate|high)\b", re.IGNORECASE)

# AIM u12 (forms/models/aim-u12.toml): no concern 0, some 2, significant 4; bands green 0-4,
# amber 6-12, red 14-20. Hand-computed totals of the ratings below:
U12_RATINGS = {
    "sexual_behaviour": ["significant_concern", "some_concern", "some_concern", "no_concern",
                         "significant_concern"],  # 4+2+2+0+4 = 12, amber
    "developmental": ["no_concern"] * 4 + ["some_concern"],  # 2, green
    "family_environment": ["significant_concern"] * 3 + ["some_concern"] * 2,  # 16, red
    "non_sexual_behaviour": ["some_concern", "no_concern"],  # 3 unrated: no total
    "self_regulation": ["no_concern"] * 4 + ["unknown"],  # unknown has no score: no total
}  # fmt: skip
EXPECTED = {
    "sexual_behaviour": (12, "amber"),
    "developmental": (2, "green"),
    "family_environment": (16, "red"),
    "non_sexual_behaviour": (None, None),
    "self_regulation": (None, None),
}


@dataclass
class Env:
    session: Any
    runner: TaskRunner
    form_set: Any
    rules: Any
    screening: Any

    def open(
        self, model: AssessmentModel, content: AssessmentContent | None = None
    ) -> tuple[PageContext, AssessmentEditor]:
        case = Case(
            id=new_id(),
            reference=f"TEST-{model.value}-{len(self.session.cases.list_cases())}",
            young_person_name="Quilla Inventsworth",
            date_of_birth=date(TODAY.year - (10 if model is AssessmentModel.AIM_U12 else 14), 1, 1),
            lead_agency=LeadAgency.YOS,
            lead_worker="Alex Testworker",
            requested_by=Requester.CASE_WORKER,
            request_date=TODAY - timedelta(days=20),
        )
        stored = self.session.cases.add_case(case, model=model, today=TODAY)
        assessment = stored.current_assessment
        if content is not None:
            self.session.assessments.save_items(assessment.id, list(content_items(content)))
        loaded = self.session.assessments.load(assessment.id)
        context = PageContext(
            stored,
            self.form_set,
            self.form_set.model(model.value),
            self.rules,
            self.screening,
            self.session,
            self.runner,
        )
        editor = AssessmentEditor(self.session, assessment, loaded, self.runner, 50)
        return context, editor

    def settle(self, editor: AssessmentEditor) -> None:
        editor.flush()
        assert self.runner.wait_for_idle(15_000)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    mp = pytest.MonkeyPatch()
    tmp: Path = tmp_path_factory.mktemp("pages")
    mp.setenv("AIM3DESK_POLICY", str(tmp / "no-policy.toml"))
    QApplication.instance() or QApplication(["aim3desk-test"])
    session, _key = ProfileService(tmp / "profile", kdf=FAST_KDF).create(
        "ochre lantern tidal quibble meadow", "Alex Testworker", kdf=FAST_KDF
    )
    runner = TaskRunner()
    yield Env(session, runner, load_form_set(), load_evidence_rules(), load_screening())
    runner.shutdown()
    session.close()
    mp.undo()


def u12_content() -> AssessmentContent:
    ratings = tuple(
        FactorRating(domain_id, slot, value, "Invented rationale.")
        for domain_id, values in U12_RATINGS.items()
        for slot, value in enumerate(values, start=1)
    )
    return AssessmentContent(
        ratings=ratings,
        domain_notes=(DomainNotes("developmental", strengths="Invented: loves drawing."),),
    )


def widget_texts(root: QWidget) -> list[str]:
    texts = [root.accessibleName(), root.accessibleDescription(), root.toolTip()]
    for child in root.findChildren(QWidget):
        texts += [child.accessibleName(), child.accessibleDescription(), child.toolTip()]
        if isinstance(child, QLabel | QAbstractButton | QLineEdit):
            texts.append(child.text())
        if isinstance(child, QPlainTextEdit):
            texts += [child.toPlainText(), child.placeholderText()]
        if isinstance(child, QComboBox):
            texts += [child.itemText(i) for i in range(child.count())]
    return [t for t in texts if t]


def show(qtbot, page: QWidget) -> QWidget:
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    qtbot.waitExposed(page)
    return page


def message_box(parent: QWidget) -> QMessageBox:
    boxes = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


def click_button(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text() == text)
    button.click()


# ---------------------------------------------------------------------------------------------


def test_profile_page_u12_totals_bands_and_no_risk_words(qtbot, env: Env) -> None:
    context, editor = env.open(AssessmentModel.AIM_U12, u12_content())
    page = show(qtbot, ProfilePage(editor, context))
    by_id = {d.domain_id: d for d in page.profile.domains}
    for domain_id, (total, band) in EXPECTED.items():
        assert by_id[domain_id].total == total, domain_id
        assert (by_id[domain_id].band.id if by_id[domain_id].band else None) == band
    assert by_id["family_environment"].concern_count == 5
    assert by_id["developmental"].strengths == "Invented: loves drawing."
    texts = widget_texts(page)
    joined = "\n".join(texts)
    assert "Domain score: 12 out of 20" in joined
    assert "Domain score: 16 out of 20" in joined
    assert {"Amber", "Green", "Red"} <= set(texts)  # the band chips
    assert not RISK_WORDS.search(joined), RISK_WORDS.search(joined)
    assert "Hackett" not in joined and "traffic" not in joined.lower()  # screening kept apart

    graph = page.graph
    assert graph.accessibleName() == GRAPH_NAME
    description = graph.accessibleDescription()
    assert "Sexual behaviour: 12 out of 20, Amber band" in description
    assert "Family and environment: 16 out of 20, Red band" in description
    assert "Developmental: 2 out of 20, Green band" in description
    assert "Self-regulation: no total yet (4 of 5 factors have a scored rating)" in description
    assert not graph.grab().isNull()

    # A change through the editor shows at once: developmental 2 -> 6 moves into amber.
    model = context.model
    editor.edit("rate", lambda c: c.set_rating(model, "developmental", 1, "significant_concern"))
    assert "Developmental: 6 out of 20, Amber band" in graph.accessibleDescription()
    env.settle(editor)


def test_profile_page_aim3_counts_concerns_never_a_level(qtbot, env: Env) -> None:
    content = AssessmentContent(
        ratings=(
            FactorRating("sexual_behaviour", 1, "significant_concern", "x"),
            FactorRating("sexual_behaviour", 2, "some_concern", "x"),
            FactorRating("sexual_behaviour", 3, "no_concern", "x"),
        )
    )
    context, editor = env.open(AssessmentModel.AIM3, content)
    page = show(qtbot, ProfilePage(editor, context))
    description = page.graph.accessibleDescription()
    assert description.startswith("Concerns recorded per domain")
    assert "Sexual behaviour: 2 of 5 factors with concern recorded (3 rated)" in description
    joined = "\n".join(widget_texts(page))
    assert "Domain score" not in joined
    assert not RISK_WORDS.search(joined)


def test_answering_an_unknown_links_evidence_and_reaches_the_store(qtbot, env: Env) -> None:
    overdue = Unknown("u-overdue", "developmental", 2, "What did school record?", "Ask", "Lead",
                      TODAY - timedelta(days=3))  # fmt: skip
    later = Unknown("u-later", None, None, "Any earlier concerns?", "Records", "Lead",
                    TODAY + timedelta(days=10))  # fmt: skip
    context, editor = env.open(AssessmentModel.AIM3, AssessmentContent(unknowns=(later, overdue)))
    page = show(qtbot, UnknownsPage(editor, context))
    assert page.model.rowCount() == 2
    assert page.model.unknown(0).id == "u-overdue"  # soonest due first
    by_when = page.model.index(0, 4)
    assert by_when.data().endswith("(overdue)")
    assert by_when.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert page.model.index(1, 4).data(Qt.ItemDataRole.BackgroundRole) is None

    # Add a free-standing unknown through the dialog.
    dialog = page.add_unknown()
    qtbot.keyClicks(dialog.question_edit, "Who else was present?")
    dialog.accept()
    assert page.model.rowCount() == 3

    page.table.selectRow(0)
    dialog = page.answer_selected()
    assert dialog is not None
    # The one evidence dialog: classes that may not leave the network are marked.
    for index in range(dialog.sharing_combo.count()):
        internal = not may_leave_network(env.rules, dialog.sharing_combo.itemData(index))
        assert ("Internal only" in dialog.sharing_combo.itemText(index)) is internal
    qtbot.keyClicks(dialog.text_edit, "School records show no earlier incidents (invented).")
    dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("young_person"))
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("risk_factor"))
    assert dialog.sharing_combo.currentData() == env.rules.default_sharing(
        "young_person", "risk_factor"
    )
    dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("education"))
    assert dialog.sharing_combo.currentData() == "shareable"
    dialog.accept()
    assert page.model.rowCount() == 2  # answered ones are hidden until asked for
    page.show_answered.setChecked(True)
    assert page.model.rowCount() == 3
    answered_row = page.model.row_of("u-overdue")
    assert "no earlier incidents" in page.model.index(answered_row, 5).data()

    env.settle(editor)
    stored = env.session.assessments.load(editor.assessment.id)
    unknown = stored.unknown("u-overdue")
    assert not unknown.is_open and unknown.answered_on == TODAY
    entry = stored.evidence_entry(unknown.answered_by_evidence_id)
    assert entry.unknown_id == "u-overdue"
    assert (entry.domain_id, entry.factor_slot) == ("developmental", 2)
    assert entry.source == "education" and entry.sharing == "shareable"
    assert any(u.question == "Who else was present?" for u in stored.unknowns)


def test_chronology_sorts_by_date_and_by_any_column(qtbot, env: Env) -> None:
    events = (
        ChronologyEvent("e1", date(2024, 5, 1), "Referral received", "Police"),
        ChronologyEvent("e2", date(2021, 9, 3), "Started school", "Education"),
        ChronologyEvent("e3", date(2023, 1, 15), "House move", "Children's social care"),
    )
    context, editor = env.open(AssessmentModel.AIM3, AssessmentContent(chronology=events))
    page = show(qtbot, ChronologyPage(editor, context))
    assert [e.id for e in page.shown_events()] == ["e2", "e3", "e1"]
    assert page.proxy.index(0, 0).data() == "03/09/2021"  # dd/mm/yyyy
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [e.id for e in page.shown_events()] == ["e1", "e3", "e2"]
    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [e.source for e in page.shown_events()] == [
        "Children's social care",
        "Education",
        "Police",
    ]
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    dialog = page.add_event()
    dialog.date_edit.pick(date(2022, 6, 30))
    qtbot.keyClicks(dialog.what_edit, "Moved class")
    dialog.accept()
    assert [e.what for e in page.shown_events()][1] == "Moved class"

    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # asks first
    click_button(message_box(page), "Remove")
    assert [e.what for e in page.shown_events()] == [
        "Moved class",
        "House move",
        "Referral received",
    ]
    env.settle(editor)
    assert len(env.session.assessments.load(editor.assessment.id).chronology) == 3


def test_formulation_cites_factors_and_evidence(qtbot, env: Env) -> None:
    entry = new_evidence(env.rules, text="Mentor meets weekly (invented).", source="education",
                         category="protective_factor", when=date(2025, 3, 4))  # fmt: skip
    context, editor = env.open(AssessmentModel.AIM3, AssessmentContent(evidence=(entry,)))
    page = show(qtbot, FormulationPage(editor, context))
    part_id = FormulationPartId.PROTECTIVE_FACTORS
    qtbot.keyClicks(page.parts[part_id].text_edit, "A settled school place.")
    dialog = page.open_cite_dialog(part_id)
    dialog.factor_items[("developmental", 3)].setCheckState(0, Qt.CheckState.Checked)
    dialog.evidence_items[entry.id].setCheckState(0, Qt.CheckState.Checked)
    dialog.accept()
    part = editor.content.formulation.part(part_id)
    assert part.text == "A settled school place."
    assert part.cites_factors == (("developmental", 3),)
    assert part.cites_evidence == (entry.id,)
    chips = [c.text() for c in page.parts[part_id].chips_box.findChildren(QAbstractButton)]
    assert any(c.startswith("Factor: Developmental factor 3") for c in chips)
    assert any("04/03/2025" in c and "Mentor meets weekly" in c for c in chips)
    editor.undo_stack.undo()  # the citation undoes as one step
    assert editor.content.formulation.part(part_id).cites_evidence == ()
    editor.undo_stack.redo()
    env.settle(editor)
    stored = env.session.assessments.load(editor.assessment.id)
    assert stored.formulation.part(part_id).cites_evidence == (entry.id,)


def test_versions_finish_new_version_and_compare(qtbot, env: Env) -> None:
    context, editor = env.open(AssessmentModel.AIM_U12, u12_content())
    page = show(qtbot, VersionsPage(editor, context))
    assert env.runner.wait_for_idle(15_000)
    assert page.versions_model.rowCount() == 1
    assert page.finish_button.isEnabled() and not page.new_button.isEnabled()

    reloads: list[Changes] = []  # what the workspace would reload from
    env.runner.changes.changed.connect(
        lambda changes, _by: reloads.append(changes) if changes.case_details else None
    )
    dialog = page.ask_finish()
    # The version does not pass the readiness check: the dialog says so and asks why.
    assert dialog.gate_box.reason_edit.isVisibleTo(dialog)
    assert "does not pass the readiness check" in dialog.gate_box.result_label.text()
    dialog.finish_button.click()
    assert dialog.isVisible() and "at least 3" in dialog.error_label.text()
    assert not env.session.assessments.assessment(editor.assessment.id).finished
    dialog.gate_box.reason_edit.setPlainText("Panel meets tomorrow, strengths to follow")
    dialog.finish_button.click()
    assert env.runner.wait_for_idle(15_000)
    assert [c.case_id for c in reloads] == [context.case.id]
    first = env.session.assessments.assessment(editor.assessment.id)
    assert first.finished
    [override] = env.session.cases.sign_off_records(context.case.id).overrides
    assert override.reason == "Panel meets tomorrow, strengths to follow"

    # The workspace would reload: a fresh page over the finished, read-only version.
    editor = AssessmentEditor(
        env.session, first, env.session.assessments.load(first.id), env.runner, 50
    )
    page = show(qtbot, VersionsPage(editor, context))
    assert env.runner.wait_for_idle(15_000)
    assert not page.finish_button.isEnabled() and page.new_button.isEnabled()
    assert page.versions_model.rows[0][-1].startswith("Finished (read-only), with an override")
    assert "Panel meets tomorrow" in page.overrides_label.text()
    page.new_button.click()
    assert env.runner.wait_for_idle(15_000)
    assert len(reloads) == 2
    versions = env.session.assessments.versions(context.case.id)
    second = versions[-1]
    assert second.version == 2 and not second.finished

    editor = AssessmentEditor(
        env.session, second, env.session.assessments.load(second.id), env.runner, 50
    )
    model = context.model
    editor.edit("rate", lambda c: c.set_rating(model, "developmental", 5, "significant_concern"))
    env.settle(editor)
    page = show(qtbot, VersionsPage(editor, context))
    assert env.runner.wait_for_idle(15_000)
    assert page.versions_model.rowCount() == 2
    assert page.old_combo.currentData() == first.id
    assert page.new_combo.currentData() == second.id
    with qtbot.waitSignal(page.compared, timeout=15_000):
        page.compare_button.click()
    rows = page.changes_model.rows
    assert ["Rating", "Developmental factor 5 (Developmental)", "Some concern",
            "Significant concern"] in rows  # fmt: skip
    assert page.changes_model.headers == ["Area", "Item", "Version 1", "Version 2"]


def test_readiness_dialog_lists_what_is_missing(qtbot, env: Env) -> None:
    context, _editor = env.open(AssessmentModel.AIM_U12)
    content = u12_content()
    content = content.set_rationale(context.model, "sexual_behaviour", 2, "")
    dialog = ReadinessDialog(content, context.model, context.form_set)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ready
    groups = {
        dialog.tree.topLevelItem(i).text(0): dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
    }
    assert "Factors not rated (3)" in groups  # non-sexual behaviour 3, 4, 5
    assert "Ratings without a rationale (1)" in groups
    assert "Empty parts of the case formulation (5)" in groups
    assert "Domains without strengths recorded (4)" in groups
    rationale = groups["Ratings without a rationale (1)"].child(0)
    assert "Sexual behaviour factor 2" in rationale.text(0)
    with qtbot.waitSignal(dialog.go_to) as signal:
        dialog.tree.itemDoubleClicked.emit(rationale, 0)
    assert signal.args == ["sexual_behaviour", 2]
    formulation = groups["Empty parts of the case formulation (5)"].child(0)
    dialog.tree.setCurrentItem(formulation)
    with qtbot.waitSignal(dialog.go_to_page) as signal:
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert signal.args == ["formulation"]


def test_readiness_dialog_ready_state(qtbot, env: Env) -> None:
    context, _editor = env.open(AssessmentModel.AIM3)
    model = context.model
    content = AssessmentContent()
    for domain_id in model.domain_ids:
        for slot in range(1, 6):
            content = content.set_rating(model, domain_id, slot, "no_concern")
            content = content.set_rationale(model, domain_id, slot, "Invented reason.")
        content = content.set_domain_notes(domain_id, strengths="Invented strength.")
    for part_id in FormulationPartId:
        part = content.formulation.part(part_id)
        content = content.set_formulation_part(part_id, part.__class__(text="Written."))
    dialog = ReadinessDialog(content, model, context.form_set)
    assert [m.kind for m in dialog.missing] == [MissingKind.RECOMMENDATIONS_NOT_WRITTEN]
    dialog.deleteLater()
    content = content.set_recommendations(Recommendations(intervention="Invented."))
    dialog = ReadinessDialog(content, model, context.form_set)
    qtbot.addWidget(dialog)
    assert dialog.ready
    assert dialog.status_label.text().startswith("<b>Ready.</b>")


def test_other_pages_edit_and_go_read_only(qtbot, env: Env) -> None:
    context, editor = env.open(AssessmentModel.AIM3)
    safety = show(qtbot, SafetyPlanPage(editor, context))
    qtbot.keyClicks(safety.risks_edit, "Time alone with cousins (invented)")
    safety.add_action()
    index = safety.actions_model.index(0, 1)
    assert safety.actions_model.setData(index, "No time alone with cousins")
    assert editor.content.safety_plan.actions[0].what == "No time alone with cousins"
    assert safety.actions_model.index(0, 1).data() == "No time alone with cousins"

    voices = show(qtbot, VoicesPage(editor, context))
    voices.add_young_person.click()
    card = next(iter(voices.cards.values()))
    qtbot.keyClicks(card.words_edit, "I want to go back to school.")
    assert editor.content.voices[0].words == "I want to go back to school."

    screening = show(qtbot, ScreeningPage(editor, context))
    assert "kept apart" in screening.banner.text()
    screening.add_button.click()
    screening_card = next(iter(screening.cards.values()))
    screening_card.light_combo.setCurrentIndex(2)
    screening_card.light_combo.activated.emit(2)
    assert editor.content.screenings[0].traffic_light.value == "red"
    assert screening_card.light_chip.text() == "Red"
    env.settle(editor)
    stored = env.session.assessments.load(editor.assessment.id)
    assert stored.safety_plan.risks == "Time alone with cousins (invented)"
    assert stored.voices[0].words == "I want to go back to school."

    for page in (safety, voices, screening):
        page.set_read_only(True)
    assert safety.risks_edit.isReadOnly() and not safety.add_button.isEnabled()
    assert not safety.actions_model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert card.words_edit.isReadOnly() and not card.kind_combo.isEnabled()
    assert not screening.add_button.isEnabled()
    safety.clear_sensitive()
    assert safety.risks_edit.toPlainText() == ""
    assert safety.actions_model.rowCount(QModelIndex()) == 0
