"""One unit of work for the whole store, under one read/write lock.

    with uow.read() as tx:   # a consistent snapshot: many readers at once
        case = tx.cases.get(case_id)
    with uow.write() as tx:  # one transaction, one writer, no readers
        tx.cases.update(case)
        tx.audit(actor, "case.edit", case.reference, {...})  # saved with the change or not

Every service of an open profile reads and writes only through here, so the lock is the one
place that says who may touch the store at a time (as calibre's db.cache does with its
readers-writer lock). Each thread has its own SQLite connection (the store's pool), so
readers on different threads really run side by side under WAL. A read or write inside
another one on the same thread joins it rather than waiting for itself; a read cannot
become a write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from aim3desk.domain.cases import Assessment, Case
from aim3desk.domain.deadlines import CaseDeadlineData
from aim3desk.domain.sign_off import SignOffRecords
from aim3desk.store import deadline_rows, queries
from aim3desk.store.audit import (
    AuditCheck,
    AuditEntry,
    AuditHead,
    append_entry,
    has_action,
    hash_at,
    read_entries,
    read_head,
    verify_chain,
)
from aim3desk.store.bundle_log import BundleLog
from aim3desk.store.case_items import CaseItemRepository
from aim3desk.store.db import Store, busy_as_store_busy, intend_write
from aim3desk.store.erase import ErasedCase, compact, erase_case
from aim3desk.store.errors import DuplicateRecord, ReadOnlyRow
from aim3desk.store.items import ItemRepository
from aim3desk.store.people import PeopleRepository
from aim3desk.store.repository import CaseRepository, utc_now_text
from aim3desk.store.retention_log import RetentionLog
from aim3desk.store.review_log import ReviewLog
from aim3desk.store.search import TextMatch, search_content
from aim3desk.store.sync_log import SyncLog
from aim3desk.store.write_lock import WriteLock


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers so a stream of
    reads cannot starve a save."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class StoreReader:
    """What may be read inside one unit of work (one snapshot)."""

    def __init__(self, conn: Connection):
        self._conn = conn

    @cached_property
    def cases(self) -> CaseRepository:
        return CaseRepository(self._conn)

    @cached_property
    def items(self) -> ItemRepository:
        """Assessment content, one row per item."""
        return ItemRepository(self._conn)

    @cached_property
    def case_items(self) -> CaseItemRepository:
        """A case's records beside its assessments, one row per record."""
        return CaseItemRepository(self._conn)

    @cached_property
    def people(self) -> PeopleRepository:
        """The profile's own keys and its contacts."""
        return PeopleRepository(self._conn)

    @cached_property
    def bundles(self) -> BundleLog:
        """Bundles this profile wrote or took in."""
        return BundleLog(self._conn)

    @cached_property
    def sync(self) -> SyncLog:
        """The outbox for the shared folder and the share files already dealt with."""
        return SyncLog(self._conn)

    @cached_property
    def reviews(self) -> ReviewLog:
        """Supervisors' reviews, returned reviews' things to do, and gate overrides."""
        return ReviewLog(self._conn)

    @cached_property
    def retention(self) -> RetentionLog:
        """Legal holds, retention decisions, and the copies and share files a deletion
        leaves to deal with."""
        return RetentionLog(self._conn)

    def case_reference(self, case_id: str) -> str | None:
        return queries.case_reference(self._conn, case_id)

    def assessment_with_reference(self, assessment_id: str) -> tuple[Assessment, str] | None:
        return queries.assessment_with_reference(self._conn, assessment_id)

    def all_cases(self) -> list[Case]:
        return queries.all_cases(self._conn)

    def deadline_data(self) -> list[CaseDeadlineData]:
        return deadline_rows.deadline_data(self._conn)

    def search_content(self, match: str, limit: int, marks: tuple[str, str]) -> list[TextMatch]:
        """Items of cases whose text matches the FTS5 query `match`, best first."""
        return search_content(self._conn, match, limit, marks)

    def sign_off_records(self, case_id: str | None = None) -> SignOffRecords:
        """Reviews received, bundles sent and gate overrides (of one case, or all)."""
        return queries.sign_off_records(self._conn, case_id)

    def profile_facts(self) -> dict[str, str]:
        return queries.profile_facts(self._conn)

    def audit_entries(
        self, limit: int | None = None, *, newest_first: bool = False
    ) -> list[AuditEntry]:
        return read_entries(self._conn, limit, newest_first=newest_first)

    def verify_audit(self) -> AuditCheck:
        return verify_chain(self._conn)

    def audit_head(self) -> AuditHead | None:
        """The end of the audit chain as stored now (None: no entries yet)."""
        return read_head(self._conn)

    def audit_hash_at(self, seq: int) -> str | None:
        return hash_at(self._conn, seq)

    def audit_has_action(self, action: str) -> bool:
        return has_action(self._conn, action)


class StoreWriter(StoreReader):
    """A reader that may also change the store, inside one transaction."""

    def __init__(self, conn: Connection, clock: Callable[[], datetime]):
        super().__init__(conn)
        self._clock = clock
        self.last_audit: AuditEntry | None = None  # this transaction's newest entry

    def audit(
        self, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None
    ) -> AuditEntry:
        """An audit entry saved with this transaction's changes or not at all."""
        self.last_audit = append_entry(self._conn, actor, action, target, detail, self._clock)
        return self.last_audit

    def erase_case(self, case_id: str) -> ErasedCase:
        """Remove every row of the case (store/erase.py); inside `UnitOfWork.erase()` the
        pages they filled are overwritten and vacuumed away once it commits."""
        return erase_case(self._conn.connection.driver_connection, case_id)

    def add_profile_facts(self, facts: dict[str, str]) -> None:
        queries.add_profile_facts(self._conn, facts)

    def set_profile_fact(self, key: str, value: str) -> None:
        queries.set_profile_fact(self._conn, key, value)

    @staticmethod
    def now_text() -> str:
        """The time a row is stamped with (UTC ISO text)."""
        return utc_now_text()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class UnitOfWork:
    def __init__(
        self,
        engine: Engine,
        close: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = _utc_now,
        write_lock: WriteLock | None = None,
    ):
        """`close` releases the store; close() calls it once no read or write is running.
        `write_lock`: the store's lock across processes, held by each write from before it
        begins until its after-audit hook has run (store/write_lock.py)."""
        self._engine = engine
        self._write_lock = write_lock
        self._close = close or engine.dispose
        self._clock = clock
        self._lock = ReadWriteLock()
        self._local = threading.local()
        self._after_audit: Callable[[AuditHead], None] | None = None

    @classmethod
    def for_store(cls, store: Store) -> UnitOfWork:
        """The unit of work of an open store; close() closes the store."""
        return cls(store.engine, store.close, write_lock=store.write_lock)

    def after_audit(self, hook: Callable[[AuditHead], None] | None) -> None:
        """Call `hook` with the chain's new head after every write that appended audit entries
        has committed. It runs still holding the write lock (this process's and the one
        across processes), so heads are written in commit order whoever commits, and no
        reader of this process sees the store ahead of them."""
        self._after_audit = hook

    def _current(self) -> StoreReader | None:
        return getattr(self._local, "unit", None)

    @contextmanager
    def read(self) -> Iterator[StoreReader]:
        current = self._current()
        if current is not None:
            yield current
            return
        with self._lock.shared(), busy_as_store_busy(), self._engine.connect() as conn:
            self._local.unit = reader = StoreReader(conn)
            try:
                yield reader
            finally:
                self._local.unit = None

    @contextmanager
    def write(self) -> Iterator[StoreWriter]:
        """One transaction: committed when the block ends, rolled back if it raises.
        DuplicateRecord if a row's id is already stored, ReadOnlyRow if a finished version's
        rows were to change, StoreBusy if another process keeps the profile's write lock
        past the wait (nothing was changed)."""
        current = self._current()
        if isinstance(current, StoreWriter):
            yield current
            return
        if current is not None:
            raise RuntimeError("A read cannot become a write: start the write first.")
        with self._lock.exclusive(), self._held(), self._engine.connect() as conn:
            yield from self._transaction(conn)

    @contextmanager
    def erase(self) -> Iterator[StoreWriter]:
        """A write that removes data for good: secure_delete on for its transaction, and once
        it has committed, still alone with the store (the exclusive lock: every other
        connection idle), VACUUM and a truncating WAL checkpoint, so neither the main file's
        free pages nor the WAL keep a page of what was removed."""
        if self._current() is not None:
            raise RuntimeError("An erase runs on its own, not inside another read or write.")
        with self._lock.exclusive(), self._held(), self._engine.connect() as conn:
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA secure_delete = ON")  # SQLCipher's default; said, not assumed
            yield from self._transaction(conn)
            compact(raw)

    def _held(self) -> AbstractContextManager[None]:
        return self._write_lock.held() if self._write_lock is not None else nullcontext()

    def _transaction(self, conn: Connection) -> Iterator[StoreWriter]:
        """One transaction on `conn`, begun IMMEDIATE (a write from its start); once it has
        committed with audit entries, the after-audit hook (still under the caller's locks)."""
        intend_write(conn)
        try:
            with busy_as_store_busy(), conn.begin():
                self._local.unit = writer = StoreWriter(conn, self._clock)
                try:
                    yield writer
                finally:
                    self._local.unit = None
        except IntegrityError as exc:
            message = str(exc.orig)
            if "read-only" in message:
                raise ReadOnlyRow("A finished assessment version cannot change.") from None
            if "UNIQUE" in message:
                raise DuplicateRecord("A record with this id is already stored.") from None
            raise
        if writer.last_audit is not None and self._after_audit is not None:
            self._after_audit(AuditHead.of(writer.last_audit))

    def close(self) -> None:
        """Wait for the running read or write, then release the store."""
        with self._lock.exclusive():
            self._close()
