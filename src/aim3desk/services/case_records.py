"""The shared machinery of the services that keep a case's records beside its assessments
(supervision.py, intervention.py, case_logs.py): load a case's records in one query, save or
delete records in one transaction with an audit entry.

The audit names the record kinds and the case, never text. Autosave writes a record every
second or so while typing, so an edit is audited at most once per case and kinds per quarter
hour (as assessment.edit is); a deletion is always audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from aim3desk.config import EffectiveSettings
from aim3desk.domain.case_codec import CASE_ITEM_KINDS, case_item_kind
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.record_limits import check_limits
from aim3desk.services.errors import CaseNotFound
from aim3desk.store.unit_of_work import StoreReader, StoreWriter, UnitOfWork

EDIT_AUDIT_INTERVAL = timedelta(minutes=15)


class CaseRecordService:
    """Reads every record of a case (`session.case_records`), and the base of the record
    services; `area` names their audit actions (<area>.edit and <area>.delete)."""

    area = "case_record"
    kinds: tuple[str, ...] = CASE_ITEM_KINDS

    def __init__(
        self,
        uow: UnitOfWork,
        settings: EffectiveSettings,
        actor: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._uow = uow
        self._settings = settings
        self.actor = actor
        self._clock = clock
        self._edits_audited: dict[tuple[str, tuple[str, ...]], datetime] = {}

    def _today(self, today: date | None) -> date:
        return today or self._clock().date()

    def load(self, case_id: str) -> CaseRecords:
        """Every record of the case this service keeps (one query). Supervision sessions
        carry their well-being responses here: exports and reports leave them out."""
        return self._records(case_id)

    def _records(self, case_id: str) -> CaseRecords:
        """This service's kinds of record of one case (one query); CaseNotFound if no case."""
        with self._uow.read() as tx:
            return self._records_in(tx, case_id)

    def _records_in(self, tx: StoreReader, case_id: str) -> CaseRecords:
        records = tx.case_items.load(case_id, self.kinds)
        if records.is_empty:
            case_reference(tx, case_id)
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
        for item in upserts:
            check_limits(item)  # ValidationError naming the field: nothing is written
        kinds = {case_item_kind(item) for item in upserts} | {kind for kind, _ in deletes}
        wrong = kinds - set(self.kinds)
        if wrong:
            raise TypeError(f"not a record this service keeps: {', '.join(sorted(wrong))}")
        with self._uow.write() as tx:
            reference = case_reference(tx, case_id)
            now = tx.now_text()
            deleted = [ref for ref in deletes if tx.case_items.delete(case_id, *ref)]
            saved = [item for item in upserts if tx.case_items.save(case_id, item, now)]
            if not deleted and not saved:
                return False
            detail = {"case_id": case_id, "kinds": sorted(kinds)}
            if deleted:
                tx.audit(
                    self.actor,
                    f"{self.area}.delete",
                    reference,
                    detail | {"count": len(deleted)},
                )
            if saved:
                self._audit_edit(tx, reference, case_id, tuple(sorted(kinds)))
        return True

    def _audit_edit(
        self, tx: StoreWriter, reference: str, case_id: str, kinds: tuple[str, ...]
    ) -> None:
        now = self._clock()
        key = (case_id, kinds)
        last = self._edits_audited.get(key)
        if last is not None and now - last < EDIT_AUDIT_INTERVAL:
            return
        tx.audit(
            self.actor, f"{self.area}.edit", reference, {"case_id": case_id, "kinds": list(kinds)}
        )
        self._edits_audited[key] = now


def case_reference(tx: StoreReader, case_id: str) -> str:
    """The case's reference (what its audit entries name); CaseNotFound if there is none."""
    reference = tx.case_reference(case_id)
    if reference is None:
        raise CaseNotFound("That case is not in this profile (it may have been removed).")
    return reference
