"""Retention, legal hold and deletion: the rules the organisation's duties rest on.

One place decides each of these, and every screen, command and count asks it:
- `retain_until`: the day a case may be kept to under the organisation's rule and any
  decision to keep it longer (None while the case is open or its closure day is unknown);
- `retention_status`: whether a case is due for review (past that day, not on hold, and no
  decision yet taken on it since);
- `deletion_refusal`: whether a case may be deleted now (never while on legal hold).

Pure Python: no Qt, no SQL.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from aim3desk.domain.cases import Case, CaseStatus
from aim3desk.domain.dates import years_after
from aim3desk.domain.gates import reason_problem

DEFAULT_YEARS_AFTER_CLOSURE = 7
DEFAULT_UNTIL_AGE = 25


class RetentionError(ValueError):
    """A retention, hold or deletion request that the rules refuse; str() says why."""


class CaseOnHold(RetentionError):  # noqa: N818 - reads as what happened
    """The case is on legal hold: it may not be deleted or expire."""


class Decision(enum.StrEnum):
    DELETE = "delete"
    KEEP = "keep"
    HOLD = "hold"

    @property
    def label(self) -> str:
        return _DECISION_LABELS[self]


_DECISION_LABELS = {
    Decision.DELETE: "Delete",
    Decision.KEEP: "Keep for a further period",
    Decision.HOLD: "Place on legal hold",
}


class DeletionRule(enum.StrEnum):
    """Why a case was deleted: recorded (content free) in the audit trail."""

    RETENTION = "retention"  # a manager's decision on a case past its retention date
    REQUEST = "request"  # deleted on request (created in error, an erasure decision)


@dataclass(frozen=True)
class RetentionRule:
    """The organisation's rule: a closed case is kept `years_after_closure` years after it
    was closed, or until the young person's `until_age` birthday, whichever is later."""

    years_after_closure: int = DEFAULT_YEARS_AFTER_CLOSURE
    until_age: int = DEFAULT_UNTIL_AGE

    def describe(self) -> str:
        years = "1 year" if self.years_after_closure == 1 else f"{self.years_after_closure} years"
        return (
            f"kept {years} after closure or until the young "
            f"person's {ordinal(self.until_age)} birthday, whichever is later"
        )


@dataclass(frozen=True)
class LegalHold:
    id: str
    case_id: str
    set_at: datetime
    set_by: str
    reason: str
    lifted_at: datetime | None = None
    lifted_by: str | None = None
    lift_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.lifted_at is None


@dataclass(frozen=True)
class RetentionDecision:
    id: str
    case_id: str
    decision: Decision
    reason: str
    authorised_by: str  # the manager who decided (the profile's owner may record it)
    decided_at: datetime
    decided_by: str
    keep_until: date | None = None  # with KEEP: the new retention date


@dataclass(frozen=True)
class RetentionStatus:
    """One case as the retention review sees it."""

    case_id: str
    reference: str
    status: CaseStatus
    closed_on: date | None
    retain_until: date | None
    due: bool
    on_hold: bool
    latest_decision: RetentionDecision | None
    explanation: str


def ordinal(number: int) -> str:
    """21 -> "21st", 22 -> "22nd", 25 -> "25th", 111 -> "111th"."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March in a common year (28 February
    would end retention a day early)."""
    return years_after(day, years)


def active_hold(holds: list[LegalHold] | tuple[LegalHold, ...]) -> LegalHold | None:
    return next((hold for hold in holds if hold.active), None)


def retain_until(
    case: Case, rule: RetentionRule, decisions: list[RetentionDecision] | tuple = ()
) -> date | None:
    """The last day the case is kept, or None when retention has not started (the case is
    not closed, or its closure day is not recorded)."""
    if case.status is not CaseStatus.CLOSED or case.closed_on is None:
        return None
    base = max(
        add_years(case.closed_on, rule.years_after_closure),
        add_years(case.date_of_birth, rule.until_age),
    )
    kept = [d.keep_until for d in decisions if d.decision is Decision.KEEP and d.keep_until]
    return max([base, *kept])


def retention_status(
    case: Case,
    rule: RetentionRule,
    holds: list[LegalHold] | tuple[LegalHold, ...],
    decisions: list[RetentionDecision] | tuple[RetentionDecision, ...],
    today: date,
) -> RetentionStatus:
    """Where the case stands. Due means: closed, past its retention date, not on hold."""
    until = retain_until(case, rule, list(decisions))
    hold = active_hold(holds)
    latest = max(decisions, key=lambda d: d.decided_at, default=None)
    due = until is not None and today > until and hold is None
    if hold is not None:
        explanation = f"On legal hold since {hold.set_at:%d %b %Y}: never due while held."
    elif case.status is not CaseStatus.CLOSED:
        explanation = "Open: retention starts when the case is closed."
    elif until is None:
        explanation = "Closed, but the day it was closed is not recorded."
    elif due:
        explanation = f"Past its retention date ({until:%d %b %Y}): a decision is needed."
    else:
        explanation = f"Kept until {until:%d %b %Y}."
    return RetentionStatus(
        case.id,
        case.reference,
        case.status,
        case.closed_on,
        until,
        due,
        hold is not None,
        latest,
        explanation,
    )


def deletion_refusal(holds: list[LegalHold] | tuple[LegalHold, ...]) -> str | None:
    """Why the case may not be deleted now, or None. The one rule: a case on legal hold is
    deleted by no one, by no rule, until the hold is lifted."""
    hold = active_hold(holds)
    if hold is None:
        return None
    return (
        f"This case is on legal hold (set {hold.set_at:%d %b %Y} by {hold.set_by}). "
        "It cannot be deleted until the hold is lifted with a reason."
    )


def check_reason(reason: str, what: str) -> str:
    """The reason, tidied; RetentionError when it is missing or too short."""
    tidy = " ".join(reason.split())
    problem = reason_problem(tidy)
    if problem:
        raise RetentionError(f"{what}: {problem}")
    return tidy


def check_decision(decision: Decision, keep_until: date | None, today: date) -> None:
    """A keep decision needs a later day; the others take none."""
    if decision is Decision.KEEP:
        if keep_until is None:
            raise RetentionError("Say until when the case is to be kept.")
        if keep_until <= today:
            raise RetentionError("The new retention date must be after today.")
    elif keep_until is not None:
        raise RetentionError("Only a decision to keep the case takes a new date.")
