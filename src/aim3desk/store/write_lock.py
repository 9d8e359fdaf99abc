"""One writer at a time across processes: the profile's write lock.

SQLite itself lets one connection write at a time, but the app's work around a write is
wider than SQLite's lock: after each audited commit the signed audit head is written beside
the store (services/audit_head.py), and two processes that commit one after the other must
not write their heads the other way round. So every write of the unit of work holds an OS
file lock (`store.db.lock` beside the store) from before its BEGIN IMMEDIATE until its head
is written. The OS drops the lock when a process dies, so a killed command never leaves the
profile locked.

Waiting is bounded: past `timeout` seconds StoreBusy says the profile is in use by another
window or command, and nothing was changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from aim3desk.store.errors import BUSY_MESSAGE, StoreBusy

LOCK_SUFFIX = ".lock"


class WriteLock:
    """The OS lock held around each write of one store, shared by every process."""

    def __init__(self, store_path: Path, timeout: float):
        self.path = Path(store_path).with_name(Path(store_path).name + LOCK_SUFFIX)
        self._timeout = timeout
        # An OS lock only (released when the process dies), never a lock file whose mere
        # presence would keep the profile locked after a crash.
        self._lock = FileLock(self.path, mode=0o600, fallback_to_soft=False)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the block; StoreBusy if another process keeps it too long."""
        try:
            self._lock.acquire(timeout=self._timeout)
        except Timeout:
            raise StoreBusy(BUSY_MESSAGE) from None
        try:
            yield
        finally:
            self._lock.release()
