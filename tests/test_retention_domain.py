"""The retention, hold and deletion rules (domain/retention.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from aim3desk.domain.cases import Case, CaseStatus, LeadAgency, Requester
from aim3desk.domain.retention import (
    Decision,
    LegalHold,
    RetentionDecision,
    RetentionError,
    RetentionRule,
    add_years,
    check_decision,
    check_reason,
    deletion_refusal,
    retain_until,
    retention_status,
)

RULE = RetentionRule(years_after_closure=6, until_age=25)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _case(status=CaseStatus.CLOSED, closed_on=date(2015, 5, 1), born=date(1995, 3, 2)) -> Case:
    return Case(
        id="c1",
        reference="RT-001",
        young_person_name="Invented Person",
        date_of_birth=born,
        lead_agency=LeadAgency.YOS,
        lead_worker="Sam Worker",
        requested_by=Requester.CASE_WORKER,
        request_date=date(2010, 1, 4),
        status=status,
        closed_on=closed_on,
    )


def _hold(lifted: bool = False) -> LegalHold:
    return LegalHold(
        "h1",
        "c1",
        NOW,
        "Mo Manager",
        "Civil claim notified",
        lifted_at=NOW if lifted else None,
        lifted_by="Mo Manager" if lifted else None,
        lift_reason="Claim settled in full" if lifted else None,
    )


def test_the_later_of_years_after_closure_and_age_wins() -> None:
    # closed 2015-05-01 + 6 = 2021-05-01; 25th birthday 2020-03-02: the later one.
    assert retain_until(_case(), RULE) == date(2021, 5, 1)
    young = _case(born=date(2000, 3, 2))
    assert retain_until(young, RULE) == date(2025, 3, 2)


def test_open_or_undated_cases_have_no_retention_date() -> None:
    assert retain_until(_case(status=CaseStatus.IN_INTERVENTION), RULE) is None
    assert retain_until(_case(closed_on=None), RULE) is None


def test_a_case_past_its_date_is_due_unless_held() -> None:
    status = retention_status(_case(), RULE, [], [], date(2026, 11, 30))
    assert status.due and "decision is needed" in status.explanation
    held = retention_status(_case(), RULE, [_hold()], [], date(2026, 11, 30))
    assert not held.due and held.on_hold
    lifted = retention_status(_case(), RULE, [_hold(lifted=True)], [], date(2026, 11, 30))
    assert lifted.due and not lifted.on_hold


def test_a_keep_decision_moves_the_date() -> None:
    keep = RetentionDecision(
        "d1", "c1", Decision.KEEP, "Sibling case still open", "Mo", NOW, "Sam", date(2028, 1, 1)
    )
    status = retention_status(_case(), RULE, [], [keep], date(2026, 11, 30))
    assert status.retain_until == date(2028, 1, 1) and not status.due
    assert status.latest_decision == keep


def test_hold_refuses_deletion() -> None:
    assert deletion_refusal([]) is None
    assert "legal hold" in deletion_refusal([_hold()])
    assert deletion_refusal([_hold(lifted=True)]) is None


def test_reasons_and_decisions_are_checked() -> None:
    with pytest.raises(RetentionError):
        check_reason("no", "Lift the hold")
    assert check_reason("  claim   settled in full ", "x") == "claim settled in full"
    with pytest.raises(RetentionError):
        check_decision(Decision.KEEP, None, date(2026, 11, 30))
    with pytest.raises(RetentionError):
        check_decision(Decision.KEEP, date(2026, 11, 30), date(2026, 11, 30))
    with pytest.raises(RetentionError):
        check_decision(Decision.DELETE, date(2027, 1, 1), date(2026, 11, 30))
    check_decision(Decision.HOLD, None, date(2026, 11, 30))


def test_leap_day_is_never_early() -> None:
    assert add_years(date(2008, 2, 29), 1) == date(2009, 3, 1)


def test_the_rule_reads_as_english() -> None:
    assert RetentionRule(1, 18).describe().startswith("kept 1 year after closure")
    assert "7 years after closure" in RetentionRule(7, 25).describe()
    assert "25th birthday" in RetentionRule(7, 25).describe()
    assert "21st birthday" in RetentionRule(7, 21).describe()
    assert "22nd birthday" in RetentionRule(7, 22).describe()
