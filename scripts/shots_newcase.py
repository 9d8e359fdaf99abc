"""Screenshots of the new-case dialog (a date of birth typed, its calendar, the lead-agency
proposal for a court request), the case details dialog, and a case whose six-week due date is
near, with the escalation offer, at 1366x768 from invented data.

Run under a virtual X screen so popups are drawn (writes shots/):
xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb .venv/bin/python
scripts/shots_newcase.py"""

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from shot_kit import Shots, demo_session, start

from aim3desk.domain.cases import Case, CaseStatus, LeadAgency, Requester, new_id
from aim3desk.ui.new_case_dialog import NewCaseDialog

app, out, tmp = start()
alex, _demo = demo_session(tmp / "alex", count=3, seed=5)
today = date.today()
due_soon = alex.cases.add_case(
    Case(
        id=new_id(),
        reference="YOS/2026/031",
        young_person_name="Robin Inventedname",
        date_of_birth=date(today.year - 15, 4, 9),
        lead_agency=LeadAgency.YOS,
        lead_worker="Alex Testworker",
        requested_by=Requester.CRIMINAL_COURT,
        request_date=today - timedelta(days=39),
        status=CaseStatus.IN_ASSESSMENT,
    ),
    today=today,
)
shots = Shots(app, out)
runner = shots.runner
wait, save, save_screen = shots.wait, shots.save, shots.save_screen


def type_into(widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)
    wait()


window = shots.main_window(alex)
wait(lambda: window.case_list.model.rowCount() == 4)

dialog = NewCaseDialog(alex, runner, 6, lead_worker="Alex Testworker", parent=window)
dialog.show()
wait()
dialog.name_edit.setText("Sam Placeholder")
dob_input = getattr(dialog.dob_edit, "line_edit", dialog.dob_edit)
type_into(dob_input, "16032012")
dialog.reference_edit.setText("YOS/2026/044")
save_screen("newcase-typed.png")
save(dialog, "newcase-dialog.png")

# The calendar of an empty date of birth.
dob_input.selectAll()
QTest.keyClick(dob_input, Qt.Key.Key_Delete)
if hasattr(dialog.dob_edit, "open_calendar"):
    dialog.dob_edit.open_calendar()
else:
    QTest.keyClick(dialog.dob_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
save_screen("newcase-calendar.png")
QApplication.activePopupWidget() and QApplication.activePopupWidget().close()
wait()

# The lead-agency proposal: a court request with a social worker, then another lead chosen.
if hasattr(dialog, "lead"):
    type_into(dob_input, "16/03/2012")
    dialog.requester_combo.setCurrentIndex(
        dialog.requester_combo.findData(Requester.CRIMINAL_COURT.value)
    )
    dialog.requester_combo.activated.emit(dialog.requester_combo.currentIndex())
    dialog.lead.social_worker_edit.setText("Jo Socialworker-Invented")
    dialog.lead.request_reason_edit.setPlainText(
        "Pre-sentence report requested by the youth court after a guilty plea."
    )
    save(dialog, "newcase-court-proposal.png")
    dialog.agency_combo.setCurrentIndex(
        dialog.agency_combo.findData(LeadAgency.CHILDRENS_SOCIAL_CARE.value)
    )
    dialog.agency_combo.activated.emit(dialog.agency_combo.currentIndex())
    save(dialog, "newcase-other-lead.png")
dialog.reject()

window.open_case(due_soon.id)
wait(lambda: window.case_view is not None and window.tools.forms_ready())
save(window, "case-due-soon.png")
if hasattr(window.case_view, "escalation_offer"):
    window.case_view.escalation_offer.escalate_button.click()
    wait(lambda: window.case_view.escalation_offer.dialog is not None)
    save(window.case_view.escalation_offer.dialog, "escalation-dialog.png")
    window.case_view.escalation_offer.dialog.reject()

if hasattr(window.tools, "details_action"):
    window.tools.details_action.trigger()
    wait(lambda: any(d.isVisible() for d in window.findChildren(NewCaseDialog)))
    [details] = [d for d in window.findChildren(NewCaseDialog) if d.isVisible()]
    details.lead.social_worker_edit.setText("Jo Socialworker-Invented")
    save(details, "case-details.png")
    details.reject()

shots.finish(alex)
