"""The gates in the app: the status dialog says whether the version is signed off and asks
for the reason in place before "Assessment completed"; the case's status line shows the
sign-off or the overrides kept. Real encrypted profiles, a real bundle and review."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog

from aim3desk.domain.cases import (
    Case,
    CaseStatus,
)
from aim3desk.domain.gates import Gate
from aim3desk.ui.status_dialog import StatusDialog
from signed_off import UNREADY_REASON, new_case, sign_off_current_version

TODAY = date.today()


def finished_case(session, reference: str) -> Case:
    """Awaiting sign-off: its version finished (with a reason: it is not ready)."""
    added = new_case(session, reference, status=CaseStatus.AWAITING_SIGN_OFF)
    session.assessments.finish(added.current_assessment.id, override_reason=UNREADY_REASON)
    return session.cases.get_case(added.id)


def open_status_dialog(qtbot, session, runner, case: Case) -> StatusDialog:
    dialog = StatusDialog(case, session, runner, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert runner.wait_for_idle(15_000)  # the sign-off read
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("completed"))
    return dialog


def test_completing_an_unsigned_version_asks_for_the_reason_in_place(qtbot, signing_pair, runner):
    session, _ = signing_pair
    case = finished_case(session, "GUI-0001")
    dialog = open_status_dialog(qtbot, session, runner, case)
    box = dialog.gate_box
    assert box.isVisibleTo(dialog) and box.reason_edit.isVisibleTo(dialog)
    assert "not been signed off" in box.result_label.text()
    assert "Finished without passing the readiness check" in box.earlier_label.text()
    dialog.save()  # no reason: refused in the dialog, nothing written
    assert "at least 3" in dialog.error_label.text()
    assert runner.wait_for_idle(15_000)
    assert session.cases.get_case(case.id).status is CaseStatus.AWAITING_SIGN_OFF
    box.reason_edit.setPlainText("Supervisor on leave; the manager agreed")
    dialog.save()
    assert runner.wait_for_idle(15_000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert session.cases.get_case(case.id).status is CaseStatus.COMPLETED
    overrides = session.cases.sign_off_records(case.id).overrides
    assert [o.gate for o in overrides] == [Gate.FINISH, Gate.COMPLETE]


def test_completing_a_signed_off_version_needs_no_reason(qtbot, signing_pair, runner, tmp_path):
    practitioner, supervisor = signing_pair
    case = finished_case(practitioner, "GUI-0002")
    sign_off_current_version(practitioner, supervisor, case.id, tmp_path / "share")
    dialog = open_status_dialog(qtbot, practitioner, runner, case)
    assert not dialog.gate_box.reason_edit.isVisibleTo(dialog)
    dialog.save()
    assert runner.wait_for_idle(15_000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert practitioner.cases.get_case(case.id).status is CaseStatus.COMPLETED


def test_the_case_status_line_shows_the_sign_off_and_the_overrides(
    qtbot, signing_pair, runner, tmp_path
):
    from aim3desk.ui.case_view import CaseView

    practitioner, supervisor = signing_pair
    overridden = finished_case(practitioner, "GUI-0003")
    view = CaseView(overridden, practitioner, practitioner.assessments.form_set, runner, 50)
    qtbot.addWidget(view)
    assert runner.wait_for_idle(15_000)
    status = next(label for label in view.detail_labels if "Status" in label.text())
    assert "(override recorded)" in status.text()
    assert UNREADY_REASON in status.toolTip() and UNREADY_REASON in status.accessibleName()

    signed = finished_case(practitioner, "GUI-0004")
    sign_off_current_version(practitioner, supervisor, signed.id, tmp_path / "share")
    view = CaseView(signed, practitioner, practitioner.assessments.form_set, runner, 50)
    qtbot.addWidget(view)
    assert runner.wait_for_idle(15_000)
    status = next(label for label in view.detail_labels if "Status" in label.text())
    assert "signed off by Percival Samplesby" in status.text()
