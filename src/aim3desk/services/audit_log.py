"""The open profile's audit trail (`session.audit`): read it, check its chain, and add an
entry that stands alone. A change's own entry is written with the change, inside the same
unit of work (StoreWriter.audit), never through here."""

from __future__ import annotations

from typing import Any

from aim3desk.store.audit import AuditCheck, AuditEntry
from aim3desk.store.unit_of_work import UnitOfWork

__all__ = ["AuditCheck", "AuditEntry", "AuditLog"]


class AuditLog:
    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    def append(
        self, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None
    ) -> AuditEntry:
        with self._uow.write() as tx:
            return tx.audit(actor, action, target, detail)

    def entries(self, limit: int | None = None, *, newest_first: bool = False) -> list[AuditEntry]:
        """Entries oldest first (or newest first); `limit` keeps the newest `limit`."""
        with self._uow.read() as tx:
            return tx.audit_entries(limit, newest_first=newest_first)

    def verify(self) -> AuditCheck:
        """Walk the whole chain: the first entry missing, edited or mislinked, if any."""
        with self._uow.read() as tx:
            return tx.verify_audit()
