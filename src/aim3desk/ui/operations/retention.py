"""Operations of the retention review and legal hold, through `session.retention`: every
case's retention status, one case's holds, a decision, and a hold set or lifted.

A hold or a decision changes the case's row in the case list (its legal-hold mark) and may
remove the case (a decision to delete), so each publishes `case_list`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.domain.retention import (
        Decision,
        LegalHold,
        RetentionRule,
        RetentionStatus,
    )
    from aim3desk.services.retention import Decided
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


@dataclass(frozen=True)
class RetentionView:
    """What the review window shows: the rule and where every case stands."""

    rule: RetentionRule
    statuses: list[RetentionStatus]


@dataclass(frozen=True)
class HoldView:
    """What the legal hold dialog shows: the case's retention status and its holds."""

    status: RetentionStatus
    holds: list[LegalHold]


def read_retention(runner: TaskRunner, session: Session, today: date) -> Query[RetentionView]:
    retention = session.retention
    return Query(
        runner,
        lambda: RetentionView(retention.rule(), retention.statuses(today)),
        "reading the retention review",
    )


def read_holds(runner: TaskRunner, session: Session, case_id: str) -> Query[HoldView]:
    retention = session.retention
    return Query(
        runner,
        lambda: HoldView(retention.status(case_id), retention.holds(case_id)),
        "reading the case's legal holds",
    )


def change_hold(
    runner: TaskRunner, session: Session, case_id: str, reason: str, *, lift: bool
) -> Change[LegalHold]:
    """Place the case on legal hold, or (`lift`) lift its hold, with the reason."""
    retention = session.retention
    work = retention.lift_hold if lift else retention.set_hold
    return Change(
        runner,
        lambda: work(case_id, reason),
        "lifting the legal hold" if lift else "placing the case on legal hold",
        Changes(case_id=case_id, case_list=True),
    )


def decide(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    decision: Decision,
    reason: str,
    authorised_by: str,
    keep_until: date | None,
) -> Change[Decided]:
    """Record the decision (a decision to delete also deletes the case, on the same
    worker, so nothing reads the case half-deleted)."""
    retention = session.retention
    return Change(
        runner,
        lambda: retention.decide(case_id, decision, reason, authorised_by, keep_until),
        "recording the retention decision",
        Changes(case_id=case_id, case_details=True, case_list=True),
    )
