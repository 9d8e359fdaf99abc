"""Retention review and legal hold for the open profile (`session.retention`).

The rules themselves live in domain/retention.py (the retention date, due for review, no
deletion under hold); this service reads what they need in one unit of work, records
decisions and holds with their audit entries, and hands a decision to delete to the
deletion service. Reasons are kept in the retention tables only; the audit trail gets ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar

from aim3desk.config import EffectiveSettings
from aim3desk.domain.cases import Case, new_id
from aim3desk.domain.retention import (
    CaseOnHold,
    Decision,
    DeletionRule,
    LegalHold,
    RetentionDecision,
    RetentionError,
    RetentionRule,
    RetentionStatus,
    active_hold,
    check_authoriser,
    check_decision,
    check_reason,
    deletion_refusal,
    retention_status,
)
from aim3desk.services.deletion import DeletionResult, DeletionService
from aim3desk.services.errors import CaseNotFound
from aim3desk.store.unit_of_work import StoreReader, StoreWriter, UnitOfWork

__all__ = [
    "AUDIT_DECIDE",
    "AUDIT_HOLD",
    "AUDIT_HOLD_LIFT",
    "Decided",
    "HeldCase",
    "RetentionService",
]

AUDIT_HOLD = "case.hold"
AUDIT_HOLD_LIFT = "case.hold_lift"
AUDIT_DECIDE = "retention.decide"

Held = TypeVar("Held", LegalHold, RetentionDecision)


@dataclass(frozen=True)
class Decided:
    """A recorded decision; with DELETE, what the deletion removed and left to do (the
    decision's row goes with the case, its audit entry stays)."""

    decision: RetentionDecision
    deletion: DeletionResult | None = None


@dataclass(frozen=True)
class HeldCase:
    """A case on legal hold, as the hold list shows it."""

    reference: str
    hold: LegalHold


def _date_text(day: date) -> str:
    return f"{day:%d %b %Y}"


class RetentionService:
    def __init__(
        self,
        uow: UnitOfWork,
        settings: Callable[[], EffectiveSettings],
        actor: str,
        deletion: DeletionService,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        """`settings` is looked up when used: Preferences may change it while the profile
        is open. A decision to delete is carried out by `deletion`."""
        self._uow = uow
        self._settings = settings
        self.actor = actor
        self._deletion = deletion
        self._clock = clock

    # -- read API ----------------------------------------------------------------------

    def rule(self) -> RetentionRule:
        """The organisation's rule, from settings (policy may lock it)."""
        values = self._settings().values
        return RetentionRule(values.retention_years_after_closure, values.retention_until_age)

    def statuses(self, today: date | None = None) -> list[RetentionStatus]:
        """Where every case in the profile stands, read in one unit of work; due ones first,
        then by retention date (open cases last), then by reference."""
        rule, today = self.rule(), today or date.today()
        with self._uow.read() as tx:
            cases = tx.all_cases()
            holds = _by_case(tx.retention.holds())
            decisions = _by_case(tx.retention.decisions())
        found = [
            retention_status(case, rule, holds.get(case.id, ()), decisions.get(case.id, ()), today)
            for case in cases
        ]
        return sorted(found, key=_review_order)

    def due(self, today: date | None = None) -> list[RetentionStatus]:
        """The cases past their retention date and not on hold: each needs a decision."""
        return [status for status in self.statuses(today) if status.due]

    def status(self, case_id: str, today: date | None = None) -> RetentionStatus:
        with self._uow.read() as tx:
            case = _case(tx, case_id)
            return self._status_in(tx, case, today or date.today())

    def holds(self, case_id: str) -> list[LegalHold]:
        """Every hold of the case, oldest first, lifted ones included."""
        with self._uow.read() as tx:
            _case(tx, case_id)
            return tx.retention.holds(case_id)

    def decisions(self, case_id: str) -> list[RetentionDecision]:
        with self._uow.read() as tx:
            _case(tx, case_id)
            return tx.retention.decisions(case_id)

    def held_cases(self) -> list[HeldCase]:
        """Every case on legal hold now, by reference."""
        with self._uow.read() as tx:
            active = [hold for hold in tx.retention.holds() if hold.active]
            found = [HeldCase(tx.case_reference(h.case_id) or h.case_id, h) for h in active]
        return sorted(found, key=lambda held: held.reference.lower())

    # -- write API ---------------------------------------------------------------------

    def set_hold(self, case_id: str, reason: str) -> LegalHold:
        """Place the case on legal hold: it is never due and cannot be deleted until the
        hold is lifted with a reason. Refused while it is already on hold."""
        reason = check_reason(reason, "Reason for the legal hold")
        with self._uow.write() as tx:
            case = _case(tx, case_id)
            return self._add_hold(tx, case, reason)

    def lift_hold(self, case_id: str, reason: str) -> LegalHold:
        """Lift the case's hold; the reason is required and kept with the hold."""
        reason = check_reason(reason, "Reason for lifting the legal hold")
        with self._uow.write() as tx:
            case = _case(tx, case_id)
            hold = active_hold(tx.retention.holds(case.id))
            if hold is None:
                raise RetentionError(f"Case {case.reference} is not on legal hold.")
            now = self._clock()
            tx.retention.lift_hold(hold.id, now, self.actor, reason)
            tx.audit(
                self.actor,
                AUDIT_HOLD_LIFT,
                case.reference,
                {"case_id": case.id, "hold_id": hold.id},
            )
            lifted = next(h for h in tx.retention.holds(case.id) if h.id == hold.id)
        return lifted

    def decide(
        self,
        case_id: str,
        decision: Decision,
        reason: str,
        authorised_by: str,
        keep_until: date | None = None,
        today: date | None = None,
    ) -> Decided:
        """Record a decision on a case past its retention date: keep it until a later day,
        place it on legal hold (with the same reason), or delete it (the decision is recorded,
        then the deletion service deletes the case, refusing under hold). Refused when the
        case is not due."""
        today = today or date.today()
        reason = check_reason(reason, "Reason for the decision")
        authorised_by = check_authoriser(authorised_by)
        check_decision(decision, keep_until, today)
        with self._uow.write() as tx:
            case = _case(tx, case_id)
            self._check_due(tx, case, decision, today)
            recorded = RetentionDecision(
                new_id(),
                case.id,
                decision,
                reason,
                authorised_by,
                self._clock(),
                self.actor,
                keep_until,
            )
            tx.retention.add_decision(recorded)
            tx.audit(
                self.actor,
                AUDIT_DECIDE,
                case.reference,
                {"case_id": case.id, "decision": decision.value, "decision_id": recorded.id},
            )
            if decision is Decision.HOLD:
                self._add_hold(tx, case, reason)
        if decision is Decision.DELETE:  # refused under a hold set since, nothing deleted
            deleted = self._deletion.delete_case(case.id, reason, DeletionRule.RETENTION)
            return Decided(recorded, deleted)
        return Decided(recorded)

    # -- helpers -----------------------------------------------------------------------

    def _status_in(self, tx: StoreReader, case: Case, today: date) -> RetentionStatus:
        return retention_status(
            case, self.rule(), tx.retention.holds(case.id), tx.retention.decisions(case.id), today
        )

    def _check_due(self, tx: StoreReader, case: Case, decision: Decision, today: date) -> None:
        status = self._status_in(tx, case, today)
        if status.due:
            return
        if status.on_hold:
            refusal = deletion_refusal(tx.retention.holds(case.id))
            if decision is Decision.DELETE and refusal:
                raise CaseOnHold(refusal)
            raise CaseOnHold(
                f"Case {case.reference} is on legal hold: no decision is due while it is held."
            )
        if status.retain_until is not None:
            raise RetentionError(
                f"Case {case.reference} is not yet due: kept until "
                f"{_date_text(status.retain_until)}."
            )
        raise RetentionError(f"Case {case.reference} is not yet due: {status.explanation}")

    def _add_hold(self, tx: StoreWriter, case: Case, reason: str) -> LegalHold:
        current = active_hold(tx.retention.holds(case.id))
        if current is not None:
            raise CaseOnHold(
                f"Case {case.reference} is already on legal hold (set "
                f"{_date_text(current.set_at.date())} by {current.set_by}); lift that hold "
                "before setting another."
            )
        hold = LegalHold(new_id(), case.id, self._clock(), self.actor, reason)
        tx.retention.add_hold(hold)
        tx.audit(self.actor, AUDIT_HOLD, case.reference, {"case_id": case.id, "hold_id": hold.id})
        return hold


def _case(tx: StoreReader, case_id: str) -> Case:
    case = tx.cases.get(case_id)
    if case is None:
        raise CaseNotFound("That case is not in this profile (it may have been removed).")
    return case


def _by_case(rows: list[Held]) -> dict[str, list[Held]]:
    grouped: dict[str, list[Held]] = {}
    for row in rows:
        grouped.setdefault(row.case_id, []).append(row)
    return grouped


def _review_order(status: RetentionStatus) -> tuple[bool, bool, date, str]:
    return (
        not status.due,
        status.retain_until is None,
        status.retain_until or date.max,
        status.reference.lower(),
    )
