"""Dates typed or picked in the one date field, the lead-agency proposal in the new-case and
case details dialogs, and escalation offered near the six-week due date: driven through the
widgets offscreen over a real encrypted profile."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from aim3desk.domain.cases import Case, CaseStatus, LeadAgency, Requester
from aim3desk.ui.date_field import DateField, accept_if_dates_valid, date_of_birth_field
from aim3desk.ui.escalation_offer import EscalationOfferStrip
from aim3desk.ui.new_case_dialog import NewCaseDialog
from aim3desk.ui.tasks import TaskRunner
from test_domain_cases import make_case

pytestmark = pytest.mark.gui

TODAY = date.today()  # the dialogs check dates against the real today


def settle(runner: TaskRunner) -> None:
    assert runner.wait_for_idle(15_000)


def typed(qtbot, field: DateField, text: str) -> None:
    field.line_edit.clear()
    qtbot.keyClicks(field.line_edit, text)
    field.line_edit.editingFinished.emit()  # as leaving the field does


# -- the date field ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["16/03/2012", "16032012", "16-03-2012", "2012-03-16", "16.3.2012"]
)
def test_typing_a_date_gives_that_date(qtbot, text: str) -> None:
    field = DateField("Date of the evidence")
    qtbot.addWidget(field)
    assert field.value() is None and field.text() == ""  # empty: a placeholder, no text
    assert field.line_edit.placeholderText()
    changes: list[object] = []
    field.dateChanged.connect(changes.append)
    typed(qtbot, field, text)
    assert field.value() == date(2012, 3, 16)
    assert field.text() == "16/03/2012"  # shown in one style once typed
    assert changes == [date(2012, 3, 16)]  # once, when the date was whole
    assert field.is_valid()


def test_an_empty_date_opens_its_calendar_near_today(qtbot) -> None:
    field = DateField("Review date")
    qtbot.addWidget(field)
    field.show()
    field.open_calendar()
    calendar = field.popup.calendar
    today = date.today()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    field.popup.close()
    birth = date_of_birth_field("Date of birth", today=date(2026, 11, 30))
    qtbot.addWidget(birth)
    assert birth.calendar_start() == date(2012, 11, 30)  # 14 years back, not 1900
    birth.set_value(date(2011, 3, 4))
    assert birth.calendar_start() == date(2011, 3, 4)


def test_picking_from_the_calendar_and_clearing(qtbot) -> None:
    field = DateField("Review date")
    qtbot.addWidget(field)
    field.show()
    changes: list[object] = []
    field.dateChanged.connect(changes.append)
    field.open_calendar()
    field.popup.calendar.clicked.emit(field.popup.calendar.selectedDate().addDays(3))
    assert field.value() == date.today() + timedelta(days=3)
    assert not field.popup.isVisible()
    field.line_edit.setFocus()
    field.line_edit.selectAll()
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Delete)
    assert field.value() is None
    assert changes == [date.today() + timedelta(days=3), None]


@pytest.mark.parametrize(
    ("text", "says"),
    [("31/02/2012", "no such day"), ("16/03/12", "year in full"), ("soon", "Not a date")],
)
def test_text_that_is_not_a_date_is_refused_with_a_message(qtbot, text: str, says: str) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    field = DateField("Find out by when", date(2026, 1, 5))
    QVBoxLayout(dialog).addWidget(field)
    dialog.show()
    changes: list[object] = []
    field.dateChanged.connect(changes.append)
    typed(qtbot, field, text)
    assert field.value() is None and changes == []
    assert says in field.problem_label.text() and field.problem_label.isVisible()
    assert field.text() == text  # kept for correcting, never taken as a date
    accept_if_dates_valid(dialog)
    assert dialog.isVisible()  # OK refused while the text is not a date
    typed(qtbot, field, "05/01/2026")
    assert not field.problem_label.isVisible()
    accept_if_dates_valid(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_date_out_of_range_is_refused(qtbot) -> None:
    field = date_of_birth_field("Date of birth", today=date(2026, 11, 30))
    qtbot.addWidget(field)
    typed(qtbot, field, "01/12/2026")
    assert field.value() is None and "on or before 30/11/2026" in field.problem()


# -- the lead-agency proposal -----------------------------------------------------------------
def test_a_court_request_proposes_a_yos_lead_jointly_and_another_lead_needs_a_reason(
    qtbot, session, runner
) -> None:
    dialog = NewCaseDialog(session, runner, 6, lead_worker="Alex Testworker")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "Robin Example")
    typed(qtbot, dialog.dob_edit, "16/03/2012")
    qtbot.keyClicks(dialog.reference_edit, "YOS/2026/044")
    dialog.agency_combo.setCurrentIndex(dialog.agency_combo.findData(LeadAgency.EARLY_HELP.value))
    dialog.requester_combo.setCurrentIndex(
        dialog.requester_combo.findData(Requester.CRIMINAL_COURT.value)
    )
    assert dialog.agency_combo.currentData() == LeadAgency.YOS  # proposed and applied
    assert not dialog.joint_check.isChecked()
    qtbot.keyClicks(dialog.lead.social_worker_edit, "Jo Socialworker")
    assert dialog.joint_check.isChecked()  # a social worker: a joint assessment
    assert "jointly with the social worker" in dialog.lead.proposal_note.text()
    assert not dialog.lead.reason_edit.isVisible()
    dialog.lead.request_reason_edit.setPlainText("Invented: pre-sentence report after a plea")

    index = dialog.agency_combo.findData(LeadAgency.CHILDRENS_SOCIAL_CARE.value)
    dialog.agency_combo.setCurrentIndex(index)
    dialog.agency_combo.activated.emit(index)  # the practitioner's own choice
    assert dialog.lead.reason_edit.isVisible()  # so they are asked why
    dialog.requester_combo.setCurrentIndex(
        dialog.requester_combo.findData(Requester.CRIMINAL_COURT.value)
    )
    assert dialog.agency_combo.currentData() == LeadAgency.CHILDRENS_SOCIAL_CARE  # kept
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "Say why" in dialog.errors["lead_agency_reason"].text()
    assert dialog.errors["lead_agency_reason"].isVisible()
    dialog.lead.reason_edit.setPlainText("Invented: the YOS worker trained in AIM3 is on leave")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.case is not None, timeout=10_000)
    settle(runner)
    stored = session.cases.get_case(dialog.case.id)
    assert stored.lead_agency is LeadAgency.CHILDRENS_SOCIAL_CARE
    assert stored.lead_agency_reason.startswith("Invented: the YOS worker")
    assert stored.social_worker == "Jo Socialworker"
    assert stored.joint_with_social_worker
    assert stored.request_reason == "Invented: pre-sentence report after a plea"
    assert stored.date_of_birth == date(2012, 3, 16)


def test_open_to_the_yos_proposes_a_yos_lead_and_following_it_needs_no_reason(
    qtbot, session, runner
) -> None:
    dialog = NewCaseDialog(session, runner, 6, lead_worker="Alex Testworker")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.agency_combo.setCurrentIndex(dialog.agency_combo.findData(LeadAgency.OTHER.value))
    dialog.lead.yos_open_check.setChecked(True)
    assert dialog.agency_combo.currentData() == LeadAgency.YOS
    assert not dialog.lead.reason_edit.isVisible()
    dialog.lead.yos_open_check.setChecked(False)
    assert "lead agency in the case" in dialog.lead.proposal_note.text()


def _case(request_date: date, **changes) -> Case:
    """A court request in assessment, led by the YOS."""
    values = dict(requested_by=Requester.CRIMINAL_COURT, status=CaseStatus.IN_ASSESSMENT)
    return make_case(request_date=request_date, **{**values, **changes})


def test_case_details_edit_the_social_worker_and_ask_why_another_lead(
    qtbot, session, runner
) -> None:
    case = session.cases.add_case(_case(TODAY - timedelta(days=3)), today=TODAY)
    dialog = NewCaseDialog(session, runner, 6, existing=case)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Case details" and dialog.ok_button.text() == "Save"
    assert dialog.name_edit.text() == case.young_person_name
    assert dialog.dob_edit.value() == case.date_of_birth
    assert not dialog.status_combo.isVisible()
    qtbot.keyClicks(dialog.lead.social_worker_edit, "Jo Socialworker")
    # The loaded case's own choice (not joint) is kept, and now departs from the rule.
    assert not dialog.joint_check.isChecked()
    assert dialog.lead.reason_edit.isVisible()
    dialog.joint_check.click()
    assert not dialog.lead.reason_edit.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.case is not None, timeout=10_000)
    settle(runner)
    stored = session.cases.get_case(case.id)
    assert stored.social_worker == "Jo Socialworker" and stored.joint_with_social_worker
    assert stored.current_assessment == case.current_assessment


# -- escalation offered -----------------------------------------------------------------------
def test_escalation_offered_near_and_after_the_due_date(qtbot, session, runner) -> None:
    window = QWidget()  # the strip lives in the case header, which owns it
    qtbot.addWidget(window)
    strip = EscalationOfferStrip(session, runner, today=lambda: TODAY, parent=window)
    window.show()
    weeks = timedelta(weeks=6)
    early = session.cases.add_case(_case(TODAY - weeks + timedelta(days=20)), today=TODAY)
    strip.show_case(early)
    assert strip.isHidden()
    near = session.cases.add_case(
        _case(TODAY - weeks + timedelta(days=3), reference="YOS/2026/032"), today=TODAY
    )
    strip.show_case(near)
    assert not strip.isHidden() and "(in 3 days)" in strip.label.text()
    late = session.cases.add_case(
        _case(TODAY - weeks - timedelta(days=2), reference="YOS/2026/033"), today=TODAY
    )
    strip.show_case(late)
    assert "2 days ago" in strip.label.text()

    strip.escalate_button.click()
    dialog = strip.dialog
    assert dialog is not None and "is overdue" in dialog.barrier_edit.toPlainText()
    dialog.barrier_edit.insertPlainText("Invented: school records not shared")
    dialog.reported_to_edit.setText("Invented Manager")
    dialog.buttons.accepted.emit()
    settle(runner)
    qtbot.waitUntil(lambda: strip.dialog is None, timeout=10_000)
    escalations, _consultations = session.logs.logs(late.id)
    assert [(e.reported_to, e.reported_on) for e in escalations] == [("Invented Manager", TODAY)]
    assert escalations[0].barrier_or_delay.endswith("school records not shared")
