"""The open profile's audit trail (`session.audit`): read it, check it, and add an entry that
stands alone. A change's own entry is written with the change, inside the same unit of work
(StoreWriter.audit), never through here.

With a head file (services/audit_head.py) the check covers the end of the trail as well: the
head is compared with the database as the profile opens (check_head_on_open, before the
unlock's own entry is written) and again by verify(), which the GUI runs after unlock and
`aim3desk selftest --audit` runs from the command line.
"""

from __future__ import annotations

import logging
from typing import Any

from aim3desk.services.audit_head import (
    HEAD_KEPT_FACT,
    HEAD_MISMATCH_ACTION,
    HEAD_START_ACTION,
    AuditHeadFile,
    HeadFinding,
)
from aim3desk.store.audit import AuditCheck, AuditEntry
from aim3desk.store.unit_of_work import UnitOfWork

__all__ = ["AuditCheck", "AuditEntry", "AuditLog", "HeadFinding"]

log = logging.getLogger(__name__)


class AuditLog:
    def __init__(
        self,
        uow: UnitOfWork,
        head: AuditHeadFile | None = None,
        actor: str = "",
        profile_id: str = "",
    ):
        """`head`: the profile's signed head file, written after every audited commit and
        checked with the chain (None: the chain alone is checked)."""
        self._uow = uow
        self._head = head
        self._actor = actor
        self._profile_id = profile_id
        self._found_on_open: HeadFinding | None = None
        if head is not None:
            uow.after_audit(head.write)

    def append(
        self, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None
    ) -> AuditEntry:
        with self._uow.write() as tx:
            return tx.audit(actor, action, target, detail)

    def entries(self, limit: int | None = None, *, newest_first: bool = False) -> list[AuditEntry]:
        """Entries oldest first (or newest first); `limit` keeps the newest `limit`."""
        with self._uow.read() as tx:
            return tx.audit_entries(limit, newest_first=newest_first)

    def check_head_on_open(self) -> HeadFinding | None:
        """Compare the head file with the database as the profile opens, before anything new
        is written. A mismatch is recorded (`audit.head_mismatch`, counts only) and kept for
        verify() to report; it never stops the profile opening. A profile that has no head
        yet starts keeping one (`audit.head_start`). Writing either entry rewrites the head."""
        if self._head is None:
            return None
        with self._uow.write() as tx:
            found = self._head.check(tx)
            if not found.ok:
                log.warning("audit head mismatch (%s)", found.problem)
                tx.audit(self._actor, HEAD_MISMATCH_ACTION, self._profile_id, found.audit_detail())
            if not tx.profile_facts().get(HEAD_KEPT_FACT):
                tx.set_profile_fact(HEAD_KEPT_FACT, "1")
                tx.audit(self._actor, HEAD_START_ACTION, self._profile_id)
        self._found_on_open = found
        return found

    def verify(self) -> AuditCheck:
        """Walk the whole chain (the first entry missing, edited or mislinked, if any), then
        compare its end with the signed head; a mismatch found as the profile opened is
        reported for the rest of the session."""
        # The head file before the snapshot: see AuditHeadFile.read.
        read = self._head.read() if self._head is not None else None
        with self._uow.read() as tx:
            chain = tx.verify_audit()
            if not chain.ok or self._head is None:
                return chain
            found = self._found_on_open
            if found is None or found.ok:
                found = self._head.check(tx, read)
        if not found.ok:
            return AuditCheck(False, None, found.message)
        return AuditCheck(
            True, None, f"{chain.message.removesuffix('.')} and matches its signed head."
        )
