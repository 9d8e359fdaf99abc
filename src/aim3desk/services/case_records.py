"""The shared machinery of the services that keep a case's records beside its assessments
(supervision.py, intervention.py, case_logs.py): load a case's records in one query, save or
delete records in one transaction with an audit entry.

The audit names the record kinds and the case, never text. Autosave writes a record every
second or so while typing, so an edit is audited at most once per case and kinds per quarter
hour (as assessment.edit is); a deletion is always audited.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Engine, select

from aim3desk.config import EffectiveSettings
from aim3desk.domain.case_codec import CASE_ITEM_KINDS, case_item_kind
from aim3desk.domain.case_records import CaseRecords
from aim3desk.services.cases import CaseNotFound
from aim3desk.store.audit import AuditTrail
from aim3desk.store.case_items import CaseItemRepository
from aim3desk.store.repository import utc_now_text
from aim3desk.store.schema import cases

EDIT_AUDIT_INTERVAL = timedelta(minutes=15)


class CaseRecordService:
    """Base of the record services; `area` names their audit actions (<area>.edit and
    <area>.delete)."""

    area = "case_record"
    kinds: tuple[str, ...] = CASE_ITEM_KINDS

    def __init__(
        self,
        engine: Engine,
        audit: AuditTrail,
        settings: EffectiveSettings,
        actor: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._engine = engine
        self._audit = audit
        self._settings = settings
        self.actor = actor
        self._clock = clock
        self._lock = threading.RLock()
        self._edits_audited: dict[tuple[str, tuple[str, ...]], datetime] = {}

    def _today(self, today: date | None) -> date:
        return today or self._clock().date()

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._lock, self._engine.connect() as conn:
            yield conn

    def _records(self, case_id: str) -> CaseRecords:
        """This service's kinds of record of one case (one query); CaseNotFound if no case."""
        with self._reading() as conn:
            records = CaseItemRepository(conn).load(case_id, self.kinds)
            if records.is_empty:
                _reference(conn, case_id)
        return records

    def _write(
        self,
        case_id: str,
        upserts: Iterable[object] = (),
        deletes: Iterable[tuple[str, str]] = (),
    ) -> bool:
        """Deletes then upserts in one transaction with its audit entry; False if nothing
        changed."""
        upserts, deletes = list(upserts), list(deletes)
        kinds = {case_item_kind(item) for item in upserts} | {kind for kind, _ in deletes}
        wrong = kinds - set(self.kinds)
        if wrong:
            raise TypeError(f"not a record this service keeps: {', '.join(sorted(wrong))}")
        with self._lock, self._engine.begin() as conn:
            reference = _reference(conn, case_id)
            repo = CaseItemRepository(conn)
            now = utc_now_text()
            deleted = [ref for ref in deletes if repo.delete(case_id, *ref)]
            saved = [item for item in upserts if repo.save(case_id, item, now)]
            if not deleted and not saved:
                return False
            detail = {"case_id": case_id, "kinds": sorted(kinds)}
            if deleted:
                self._audit.append(
                    self.actor,
                    f"{self.area}.delete",
                    reference,
                    detail | {"count": len(deleted)},
                    conn=conn,
                )
            if saved:
                self._audit_edit(conn, reference, case_id, tuple(sorted(kinds)))
        return True

    def _audit_edit(
        self, conn: Connection, reference: str, case_id: str, kinds: tuple[str, ...]
    ) -> None:
        now = self._clock()
        key = (case_id, kinds)
        last = self._edits_audited.get(key)
        if last is not None and now - last < EDIT_AUDIT_INTERVAL:
            return
        self._audit.append(
            self.actor,
            f"{self.area}.edit",
            reference,
            {"case_id": case_id, "kinds": list(kinds)},
            conn=conn,
        )
        self._edits_audited[key] = now


def _reference(conn: Connection, case_id: str) -> str:
    reference = conn.execute(select(cases.c.reference).where(cases.c.id == case_id)).scalar()
    if reference is None:
        raise CaseNotFound("That case is not in this profile (it may have been removed).")
    return reference
