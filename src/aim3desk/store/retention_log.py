"""Legal holds, retention decisions, and what a deletion leaves to do (tables legal_holds,
retention_decisions, deletion_copies and share_withdrawals, migration 0007)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from aim3desk.domain.retention import Decision, LegalHold, RetentionDecision
from aim3desk.store.schema import (
    deletion_copies,
    legal_holds,
    retention_decisions,
    share_withdrawals,
)


@dataclass(frozen=True)
class HeldCopy:
    """A copy of a deleted case's bundle that another person holds."""

    deleted_case_id: str
    bundle_id: str
    holder_fingerprint: str
    holder_name: str
    how: str  # "sent" (this profile sent it to them) or "received" (they sent it here)
    listed_at: str
    asked_at: str | None


@dataclass(frozen=True)
class Withdrawal:
    path: str  # relative to the share, "/" separated
    bundle_id: str
    queued_at: str
    done_at: str | None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _hold(row) -> LegalHold:
    return LegalHold(
        row.id,
        row.case_id,
        datetime.fromisoformat(row.set_at),
        row.set_by,
        row.reason,
        _time(row.lifted_at),
        row.lifted_by,
        row.lift_reason,
    )


def _decision(row) -> RetentionDecision:
    return RetentionDecision(
        row.id,
        row.case_id,
        Decision(row.decision),
        row.reason,
        row.authorised_by,
        datetime.fromisoformat(row.decided_at),
        row.decided_by,
        row.keep_until,
    )


class RetentionLog:
    def __init__(self, conn: Connection):
        self._conn = conn

    # -- legal holds ----------------------------------------------------------------------

    def holds(self, case_id: str | None = None) -> list[LegalHold]:
        """Holds of one case (or all), oldest first; lifted ones included."""
        query = select(legal_holds).order_by(legal_holds.c.set_at)
        if case_id is not None:
            query = query.where(legal_holds.c.case_id == case_id)
        return [_hold(row) for row in self._conn.execute(query)]

    def add_hold(self, hold: LegalHold) -> None:
        self._conn.execute(
            insert(legal_holds).values(
                id=hold.id,
                case_id=hold.case_id,
                set_at=hold.set_at.isoformat(),
                set_by=hold.set_by,
                reason=hold.reason,
            )
        )

    def lift_hold(self, hold_id: str, lifted_at: datetime, lifted_by: str, reason: str) -> bool:
        result = self._conn.execute(
            update(legal_holds)
            .where(legal_holds.c.id == hold_id, legal_holds.c.lifted_at.is_(None))
            .values(lifted_at=lifted_at.isoformat(), lifted_by=lifted_by, lift_reason=reason)
        )
        return result.rowcount > 0

    # -- retention decisions ----------------------------------------------------------------

    def decisions(self, case_id: str | None = None) -> list[RetentionDecision]:
        query = select(retention_decisions).order_by(retention_decisions.c.decided_at)
        if case_id is not None:
            query = query.where(retention_decisions.c.case_id == case_id)
        return [_decision(row) for row in self._conn.execute(query)]

    def add_decision(self, decision: RetentionDecision) -> None:
        self._conn.execute(
            insert(retention_decisions).values(
                id=decision.id,
                case_id=decision.case_id,
                decision=decision.decision.value,
                reason=decision.reason,
                authorised_by=decision.authorised_by,
                keep_until=decision.keep_until,
                decided_at=decision.decided_at.isoformat(),
                decided_by=decision.decided_by,
            )
        )

    # -- after a deletion ---------------------------------------------------------------------

    def add_copy(self, copy: HeldCopy) -> None:
        self._conn.execute(
            insert(deletion_copies)
            .prefix_with("OR IGNORE")
            .values(
                deleted_case_id=copy.deleted_case_id,
                bundle_id=copy.bundle_id,
                holder_fingerprint=copy.holder_fingerprint,
                holder_name=copy.holder_name,
                how=copy.how,
                listed_at=copy.listed_at,
                asked_at=copy.asked_at,
            )
        )

    def copies(self, deleted_case_id: str | None = None) -> list[HeldCopy]:
        query = select(deletion_copies).order_by(
            deletion_copies.c.listed_at, deletion_copies.c.holder_name
        )
        if deleted_case_id is not None:
            query = query.where(deletion_copies.c.deleted_case_id == deleted_case_id)
        return [
            HeldCopy(
                r.deleted_case_id,
                r.bundle_id,
                r.holder_fingerprint,
                r.holder_name,
                r.how,
                r.listed_at,
                r.asked_at,
            )
            for r in self._conn.execute(query)
        ]

    def mark_asked(self, deleted_case_id: str, holder_fingerprint: str, at: str) -> int:
        """Record that the holder was asked to delete their copies; returns rows marked."""
        result = self._conn.execute(
            update(deletion_copies)
            .where(
                deletion_copies.c.deleted_case_id == deleted_case_id,
                deletion_copies.c.holder_fingerprint == holder_fingerprint,
                deletion_copies.c.asked_at.is_(None),
            )
            .values(asked_at=at)
        )
        return result.rowcount

    def add_withdrawal(self, path: str, bundle_id: str, queued_at: str) -> None:
        self._conn.execute(
            insert(share_withdrawals)
            .prefix_with("OR IGNORE")
            .values(path=path, bundle_id=bundle_id, queued_at=queued_at)
        )

    def withdrawals(self, *, pending_only: bool = True) -> list[Withdrawal]:
        query = select(share_withdrawals).order_by(share_withdrawals.c.queued_at)
        if pending_only:
            query = query.where(share_withdrawals.c.done_at.is_(None))
        return [
            Withdrawal(r.path, r.bundle_id, r.queued_at, r.done_at)
            for r in self._conn.execute(query)
        ]

    def withdrawal_done(self, path: str, at: str) -> None:
        self._conn.execute(
            update(share_withdrawals).where(share_withdrawals.c.path == path).values(done_at=at)
        )


__all__ = ["HeldCopy", "RetentionLog", "Withdrawal"]
