"""Gates that keep the record honest, at the services: "Finish version", the status
"Assessment completed" and a share report of an unsigned version pass only when the
readiness check passes (completion: when the version is signed off), or with a written
reason that is recorded and audited in the same transaction as the change, and shown in the
report (share reports and the command line's --override-reason: tests/test_reports.py and
tests/test_sign_off.py). Real encrypted profiles, a real bundle and a real signing review."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk.domain.cases import (
    CaseStatus,
)
from aim3desk.domain.gates import Gate, GateClosed
from aim3desk.services.session import Session
from review_people import make_ready
from signed_off import new_case, sign_off_current_version

TODAY = date.today()
REASON = "The court hearing is tomorrow morning"


def actions(session: Session) -> list[str]:
    return [e.action for e in session.audit.entries()]


def test_finishing_an_unready_version_needs_a_reason_kept_with_it(signing_pair) -> None:
    session, _ = signing_pair
    case = new_case(session, "GAT-0001")
    current = case.current_assessment
    assert session.assessments.readiness(current.id)  # an empty version is not ready
    before = actions(session)
    for too_little in ("", "   ", "because"):
        with pytest.raises(GateClosed, match="at least 3"):
            session.assessments.finish(current.id, override_reason=too_little)
    assert actions(session) == before  # nothing written, not even the audit
    assert not session.assessments.assessment(current.id).finished
    finished = session.assessments.finish(current.id, override_reason=f"  {REASON}\n")
    assert finished.finished
    [override] = session.cases.sign_off_records(case.id).overrides
    assert (override.gate, override.reason, override.assessment_id) == (
        Gate.FINISH,
        REASON,
        current.id,
    )
    entries = session.audit.entries()[len(before) :]
    assert [e.action for e in entries] == ["gate.override", "assessment.finish"]
    assert entries[0].detail == {"assessment_id": current.id, "version": 1, "gate": "finish"}
    assert entries[1].detail["override"] is True and entries[1].detail["ready"] is False
    assert REASON not in str([e.detail for e in entries])  # the words stay out of the trail


def test_a_ready_version_finishes_without_a_reason(signing_pair) -> None:
    session, _ = signing_pair
    case = new_case(session, "GAT-0002")
    current = case.current_assessment
    make_ready(session, current.id)
    assert session.assessments.readiness(current.id) == []
    session.assessments.finish(current.id)
    assert session.cases.sign_off_records(case.id).overrides == ()
    assert "gate.override" not in actions(session)


def test_completed_needs_a_sign_off_or_a_reason(signing_pair, tmp_path: Path) -> None:
    practitioner, supervisor = signing_pair
    unsigned = new_case(practitioner, "GAT-0003")
    practitioner.assessments.finish(unsigned.current_assessment.id, override_reason=REASON)
    with pytest.raises(GateClosed, match="Marked completed"):
        practitioner.cases.set_status(unsigned.id, CaseStatus.COMPLETED)
    assert practitioner.cases.get_case(unsigned.id).status is CaseStatus.IN_ASSESSMENT
    reason = "Supervisor on long-term leave, manager agreed"
    done = practitioner.cases.set_status(unsigned.id, CaseStatus.COMPLETED, override_reason=reason)
    assert done.status is CaseStatus.COMPLETED
    gates = [(o.gate, o.reason) for o in practitioner.cases.sign_off_records(unsigned.id).overrides]
    assert gates == [(Gate.FINISH, REASON), (Gate.COMPLETE, reason)]

    signed = new_case(practitioner, "GAT-0004")
    sign_off_current_version(practitioner, supervisor, signed.id, tmp_path / "share")
    before = len(practitioner.audit.entries())
    practitioner.cases.set_status(signed.id, CaseStatus.COMPLETED)  # no reason needed
    assert [e.action for e in practitioner.audit.entries()[before:]] == ["case.edit"]


def test_the_full_report_shows_every_override_of_the_version(signing_pair, tmp_path: Path) -> None:
    session, _ = signing_pair
    case = new_case(session, "GAT-0005")
    session.assessments.finish(case.current_assessment.id, override_reason=REASON)
    session.cases.set_status(
        case.id, CaseStatus.COMPLETED, override_reason="Manager agreed it today"
    )
    done = session.reports.produce(case.id, "full", tmp_path / "full.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(done.path).pages).split())
    assert f"Finished without passing the readiness check: {REASON}" in text
    assert "Marked completed without a supervisor's sign-off: Manager agreed it today" in text
