"""The "Recommendations and sharing" page, the share dialog's preview of what was written for
partner agencies, and your contact details in Preferences (pytest-qt, a real profile)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

import test_gui_pages as pages
from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.assessment_items import SharingNotes
from aim3desk.domain.cases import AssessmentModel
from aim3desk.ui.assessment.sharing_page import SharingPage
from aim3desk.ui.preferences_dialog import PreferencesDialog
from aim3desk.ui.report_dialog import ReportDialog
from test_gui_pages import Env, show

env = pages.env  # the pages tests' profile fixture


def test_the_page_edits_recommendations_and_notes_with_undo_and_autosave(qtbot, env: Env) -> None:
    context, editor = env.open(AssessmentModel.AIM3)
    page = show(qtbot, SharingPage(editor, context))
    assert set(page.audience_edits) == {"social-care", "police", "education", "health", "voluntary"}
    qtbot.keyClicks(page.recommendation_edits["supervision_level"], "Line of sight (invented)")
    qtbot.keyClicks(page.summary_edit, "Invented summary for partners")
    qtbot.keyClicks(page.audience_edits["police"], "Invented advice for the police")
    content = editor.content
    assert content.recommendations.supervision_level == "Line of sight (invented)"
    assert content.sharing_notes.partner_summary == "Invented summary for partners"
    assert content.sharing_notes.for_audience("police") == "Invented advice for the police"
    assert content.sharing_notes.for_audience("education") == ""
    editor.undo_stack.undo()  # the police's recommendations, typed at once, undo as one step
    assert editor.content.sharing_notes.for_audience("police") == ""
    assert page.audience_edits["police"].toPlainText() == ""
    editor.undo_stack.redo()
    env.settle(editor)
    stored = env.session.assessments.load(editor.assessment.id)
    assert stored.sharing_notes.for_audience("police") == "Invented advice for the police"
    assert stored.recommendations.supervision_level == "Line of sight (invented)"

    page.set_read_only(True)
    assert page.summary_edit.isReadOnly() and page.audience_edits["health"].isReadOnly()
    page.clear_sensitive()
    assert page.summary_edit.toPlainText() == ""


def test_the_share_dialog_previews_what_was_written_for_that_audience(qtbot, env: Env) -> None:
    notes = SharingNotes(partner_summary="Invented partner summary").with_audience(
        "police", "Invented police advice"
    )
    notes = notes.with_audience("education", "Invented school advice")
    context, _editor = env.open(AssessmentModel.AIM3, AssessmentContent(sharing_notes=notes))
    dialog = ReportDialog(env.session, context.case, env.runner)
    qtbot.addWidget(dialog)
    dialog.set_kind("police")
    qtbot.waitUntil(lambda: "Evidence included" in dialog.preview.toPlainText(), timeout=10_000)
    shown = dialog.preview.toPlainText()
    assert "Invented partner summary" in shown and "Invented police advice" in shown
    assert "Invented school advice" not in shown
    dialog.set_kind("health")
    qtbot.waitUntil(lambda: "For Health" in dialog.preview.toPlainText(), timeout=10_000)
    assert "Not written yet" in dialog.preview.toPlainText()


def test_your_contact_details_are_kept_in_the_profile(qtbot, env: Env) -> None:
    dialog = PreferencesDialog(
        env.session.settings, env.session.profile_dir, runner=env.runner, session=env.session
    )
    qtbot.addWidget(dialog)
    box = dialog.contact_box
    assert box is not None
    qtbot.waitUntil(box.edit.isEnabled, timeout=10_000)
    box.edit.setPlainText("01234 567890 (invented)\nalex@example.invalid")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert env.runner.wait_for_idle(15_000)
    assert env.session.identity.contact_details() == "01234 567890 (invented)\nalex@example.invalid"
    settings = env.session.profile_dir / "settings.json"  # plaintext: never holds them
    assert not settings.exists() or "example.invalid" not in settings.read_text("utf-8")
