"""Retention review and legal hold on a real encrypted profile (`session.retention`): a case
past its date under the policy is due, a hold keeps it from being due or deleted, decisions
are recorded and audited without their reasons, and closing a case records its day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aim3desk.domain.cases import CaseStatus
from aim3desk.domain.retention import CaseOnHold, Decision, RetentionError, RetentionRule
from aim3desk.security.kdf import KdfParams
from aim3desk.services.errors import CaseNotFound
from aim3desk.services.profile import ProfileService
from aim3desk.services.retention import AUDIT_DECIDE, AUDIT_HOLD, AUDIT_HOLD_LIFT
from aim3desk.services.session import Session
from retention_cases import RETENTION_SETTINGS, TODAY, add_case, closed_case

HOLD_REASON = "Civil claim notified by the council's legal team"
LIFT_REASON = "Claim settled; legal confirmed no further need"
KEEP_REASON = "Sibling's case still open; records needed together"


@pytest.fixture
def session(tmp_path: Path):
    opened, _ = ProfileService(tmp_path / "p", RETENTION_SETTINGS).create(
        "quill lantern orchard seventeen", "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    yield opened
    opened.close()


def _entries(session: Session, *actions: str):
    return [e for e in session.audit.entries() if e.action in actions]


def test_the_rule_comes_from_settings(session: Session) -> None:
    assert session.retention.rule() == RetentionRule(years_after_closure=6, until_age=18)


def test_a_case_closed_long_ago_is_due_and_others_are_not(session: Session) -> None:
    old = closed_case(session, "RET-OLD")
    recent = closed_case(session, "RET-NEW", closed_on=date(2025, 6, 1))
    open_case = add_case(session, "RET-OPEN")

    statuses = {s.reference: s for s in session.retention.statuses(TODAY)}
    assert statuses["RET-OLD"].due and statuses["RET-OLD"].retain_until == date(2021, 5, 1)
    assert statuses["RET-OLD"].closed_on == date(2015, 5, 1)
    assert not statuses["RET-NEW"].due and statuses["RET-NEW"].retain_until == date(2031, 6, 1)
    assert not statuses["RET-OPEN"].due and statuses["RET-OPEN"].retain_until is None
    assert [s.case_id for s in session.retention.due(TODAY)] == [old.id]
    # due first, then by date, open cases last
    assert [s.case_id for s in session.retention.statuses(TODAY)] == [
        old.id,
        recent.id,
        open_case.id,
    ]


def test_closing_records_the_day_and_reopening_clears_it(session: Session) -> None:
    case = add_case(session, "RET-CLOSE")
    closed = session.cases.set_status(case.id, CaseStatus.CLOSED, on=date(2019, 2, 3))
    assert closed.closed_on == date(2019, 2, 3)
    reopened = session.cases.set_status(case.id, CaseStatus.IN_INTERVENTION)
    assert reopened.closed_on is None
    today_closed = session.cases.set_status(case.id, CaseStatus.CLOSED)
    assert today_closed.closed_on == date.today()


def test_a_held_case_is_not_due_until_the_hold_is_lifted(session: Session) -> None:
    case = closed_case(session, "RET-HOLD")
    hold = session.retention.set_hold(case.id, HOLD_REASON)
    assert hold.active and hold.reason == HOLD_REASON and hold.set_by == "Ottoline Samplewright"
    status = session.retention.status(case.id, TODAY)
    assert status.on_hold and not status.due
    assert session.retention.due(TODAY) == []
    assert [held.reference for held in session.retention.held_cases()] == ["RET-HOLD"]

    with pytest.raises(CaseOnHold, match="already on legal hold"):
        session.retention.set_hold(case.id, "A second reason for a second hold")
    with pytest.raises(CaseOnHold, match="cannot be deleted"):
        session.retention.decide(case.id, Decision.DELETE, "Past its date", "Mo Manager", None)

    with pytest.raises(RetentionError, match="Reason for lifting"):
        session.retention.lift_hold(case.id, "  ")
    lifted = session.retention.lift_hold(case.id, LIFT_REASON)
    assert not lifted.active and lifted.lift_reason == LIFT_REASON
    assert session.retention.status(case.id, TODAY).due
    assert session.retention.held_cases() == []
    with pytest.raises(RetentionError, match="not on legal hold"):
        session.retention.lift_hold(case.id, LIFT_REASON)
    assert [h.id for h in session.retention.holds(case.id)] == [hold.id]

    entries = _entries(session, AUDIT_HOLD, AUDIT_HOLD_LIFT)
    assert [e.action for e in entries] == [AUDIT_HOLD, AUDIT_HOLD_LIFT]
    assert all(e.detail == {"case_id": case.id, "hold_id": hold.id} for e in entries)
    trail = repr([e.detail for e in session.audit.entries()])
    assert "Civil claim" not in trail and "settled" not in trail
    assert session.audit.verify().ok


def test_a_keep_decision_moves_the_date_and_takes_the_case_off_the_list(
    session: Session,
) -> None:
    case = closed_case(session, "RET-KEEP")
    with pytest.raises(RetentionError, match="until when"):
        session.retention.decide(
            case.id, Decision.KEEP, KEEP_REASON, "Mo Manager", None, today=TODAY
        )
    decided = session.retention.decide(
        case.id, Decision.KEEP, KEEP_REASON, "Mo Manager", date(2028, 1, 31), today=TODAY
    )
    decision = decided.decision
    assert decided.deletion is None
    status = session.retention.status(case.id, TODAY)
    assert status.retain_until == date(2028, 1, 31) and not status.due
    assert status.latest_decision == decision
    assert decision.authorised_by == "Mo Manager" and decision.decided_by == "Ottoline Samplewright"
    assert session.retention.due(TODAY) == []
    # a case that is not due takes no decision
    with pytest.raises(RetentionError, match="not yet due: kept until 31 Jan 2028"):
        session.retention.decide(
            case.id, Decision.KEEP, KEEP_REASON, "Mo Manager", date(2030, 1, 1), today=TODAY
        )
    # ... and is due again once the new date has passed
    assert session.retention.status(case.id, date(2028, 2, 1)).due

    (entry,) = _entries(session, AUDIT_DECIDE)
    assert entry.detail == {"case_id": case.id, "decision": "keep", "decision_id": decision.id}


def test_a_hold_decision_places_a_hold_with_the_same_reason(session: Session) -> None:
    case = closed_case(session, "RET-HOLD2")
    session.retention.decide(case.id, Decision.HOLD, HOLD_REASON, "Mo Manager", today=TODAY)
    (hold,) = session.retention.holds(case.id)
    assert hold.active and hold.reason == HOLD_REASON
    assert [e.action for e in _entries(session, AUDIT_DECIDE, AUDIT_HOLD)] == [
        AUDIT_DECIDE,
        AUDIT_HOLD,
    ]
    assert not session.retention.status(case.id, TODAY).due


def test_decisions_need_a_reason_and_who_authorised_them(session: Session) -> None:
    case = closed_case(session, "RET-WHO")
    with pytest.raises(RetentionError, match="Reason for the decision"):
        session.retention.decide(case.id, Decision.HOLD, "", "Mo Manager", today=TODAY)
    with pytest.raises(RetentionError, match="who authorised"):
        session.retention.decide(case.id, Decision.HOLD, HOLD_REASON, "  ", today=TODAY)
    with pytest.raises(RetentionError, match="Only a decision to keep"):
        session.retention.decide(
            case.id, Decision.HOLD, HOLD_REASON, "Mo", date(2030, 1, 1), today=TODAY
        )
    open_case = add_case(session, "RET-OPEN2")
    with pytest.raises(RetentionError, match="not yet due"):
        session.retention.decide(open_case.id, Decision.HOLD, HOLD_REASON, "Mo", today=TODAY)
    assert session.retention.decisions(case.id) == []


def test_a_handed_over_closed_case_keeps_its_retention_date(
    session: Session, tmp_path: Path
) -> None:
    case = closed_case(session, "RET-MOVE")
    out = tmp_path / "RET-MOVE.json"
    session.exchange.export_case(case.id, out)
    other, _ = ProfileService(tmp_path / "q", RETENTION_SETTINGS).create(
        "quill lantern orchard seventeen", "Pim Otherworker", kdf=KdfParams(8192, 1, 1)
    )
    with other:
        other.exchange.import_case(out, today=TODAY)
        (status,) = other.retention.statuses(TODAY)
    assert status.closed_on == date(2015, 5, 1) and status.due


def test_a_decision_to_delete_deletes_the_case_under_the_retention_rule(
    session: Session,
) -> None:
    from aim3desk.services.deletion import AUDIT_DELETE

    case = closed_case(session, "RET-GONE")
    kept = closed_case(session, "RET-STAYS")
    decided = session.retention.decide(
        case.id, Decision.DELETE, "Past its date and nothing outstanding", "Mo Manager", today=TODAY
    )
    assert decided.deletion is not None and decided.deletion.case_id == case.id
    assert decided.deletion.rule.value == "retention"
    assert [s.case_id for s in session.retention.statuses(TODAY)] == [kept.id]
    # the decision and its reason went with the case; the audit trail keeps ids only
    assert session.retention.decisions(kept.id) == []
    with pytest.raises(CaseNotFound):
        session.retention.decisions(case.id)
    (decide_entry,) = _entries(session, AUDIT_DECIDE)
    (delete_entry,) = _entries(session, AUDIT_DELETE)
    assert decide_entry.detail["decision"] == "delete"
    assert delete_entry.target == case.id and delete_entry.detail["rule"] == "retention"
    assert "nothing outstanding" not in repr([e.detail for e in session.audit.entries()])
    assert session.audit.verify().ok
