"""The encrypted database: SQLCipher 4 through sqlcipher3, driven by SQLAlchemy 2.

Every connection is keyed with the profile's raw 256-bit data key before anything else runs, so
no page is ever read or written in the clear. Settings chosen for this data:

- WAL with synchronous=FULL: a save the app has acknowledged survives a crash or power cut.
- temp_store=MEMORY: sorts and temporary tables never spill to plaintext temp files.
- hide_parameters: bound values (names, evidence) never appear in exceptions or logs.

Opening checks only that the key opens the file (page 1 and the schema), not the whole
database: SQLite's integrity_check reads every page (seconds at thousands of cases). The full
check runs when it is needed: at open after an unclean shutdown, before and after a migration
(migrate.py), on every backup taken, in `selftest`, and in the GUI once per unlock in the
background (`Store.check_integrity`, on a connection of its own).

The unclean-shutdown signal is a non-empty write-ahead log (store.db-wal) when the store is
opened. A clean close() folds the log into the file and truncates it, and the last connection
to close deletes it; a process that dies with the store open leaves it with frames in it (every
session writes at least its unlock audit entry, and a crash during the closing checkpoint
leaves the log whole). Another process with the store open (the CLI while the app runs) also
leaves a non-empty log, so the check then runs although nothing crashed: running too often is
safe, too rarely is not. A marker file of our own was not chosen: a clean close by one process
would remove it while another, later killed, still had the store open.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event, pool
from sqlalchemy.exc import OperationalError

from aim3desk.atomic_file import TEMP_SUFFIX, fsync_directory
from aim3desk.store import errors
from aim3desk.store.damage import key_failure, missing_or_short, storage_failure
from aim3desk.store.errors import StoreClosed, StoreCorrupt, StoreError, StoreKeyError
from aim3desk.store.write_lock import WriteLock

__all__ = [
    "Store",
    "StoreClosed",
    "StoreCorrupt",
    "StoreError",
    "StoreKeyError",
    "busy_as_store_busy",
    "intend_write",
    "probe",
]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
_WRITE_INTENT = "aim3desk_write_intent"  # connection info key: the next BEGIN is IMMEDIATE
MAX_THREAD_CONNECTIONS = 16  # far above the threads that use one store


def _pragma_key(key: bytearray | bytes) -> str:
    # A raw key (x'..') skips SQLCipher's own PBKDF2: the key is already random and wrapped by
    # Argon2id in the key file. The hex string is immutable and cannot be wiped; it lives only
    # for the duration of this call.
    return f"PRAGMA key = \"x'{bytes(key).hex()}'\""


def _check_key_length(key: bytearray | bytes) -> None:
    if len(key) != 32:
        raise StoreKeyError("The data key has the wrong length; the store cannot be opened.")


def create_private_file(path: Path) -> None:
    """Create an empty file readable only by its owner (SQLite's -wal/-shm inherit the mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def connect_keyed(path: Path, key: bytearray | bytes) -> sqlcipher.Connection:
    """One keyed, configured DB-API connection. Transactions are begun explicitly (see Store)."""
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute(_pragma_key(key))
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA synchronous = FULL")
    except Exception:
        conn.close()
        raise
    return conn


@contextmanager
def _quiet_sqlcipher(conn: sqlcipher.Connection) -> Iterator[None]:
    """Silence SQLCipher's global stderr log while probing the key (a wrong key logs three
    lines of 'hmac check failed'); the caller words the failure instead."""
    previous = conn.execute("PRAGMA cipher_log_level").fetchone()[0]
    conn.execute("PRAGMA cipher_log_level = NONE")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cipher_log_level = {previous}")


def probe(path: Path, key: bytearray | bytes) -> None:
    """Check that `key` opens `path` and the whole database is intact; raise StoreKeyError or
    StoreCorrupt otherwise. A missing or empty file counts as a new database."""
    _probe(path, key, whole=True)


def _probe(path: Path, key: bytearray | bytes, whole: bool) -> None:
    """The key check, and with `whole` the integrity check, on a connection of its own."""
    _check_key_length(key)
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with _quiet_sqlcipher(conn):
            _check_opens(conn, key, path)
            if whole:
                _check_intact(conn, path.parent)
    finally:
        conn.close()


def _check_opens(conn: sqlcipher.Connection, key: bytearray | bytes, path: Path) -> None:
    """Page 1 and the schema read with the key: a wrong key, a damaged file or a file that
    is not a database fails here, on a few pages whatever the database's size; a full or
    failing disk is said as such (store/damage.py words each truthfully)."""
    try:
        conn.execute(_pragma_key(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.OperationalError as exc:
        if is_busy(exc):  # another process is recovering or checkpointing the log
            raise errors.StoreBusy(errors.BUSY_MESSAGE) from None
        raise storage_failure(exc, path.parent) or key_failure(path) from exc
    except sqlcipher.DatabaseError as exc:
        raise key_failure(path) from exc


_CORRUPT = "The database is damaged: it failed its integrity check{problems}."


def _check_intact(conn: sqlcipher.Connection, folder: Path) -> None:
    """SQLite's integrity_check over every page of an opened, keyed connection."""
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlcipher.OperationalError as exc:
        if "interrupt" in str(exc).lower():  # Store.close() stopped a background check
            raise StoreClosed("The profile is locked; unlock it to continue.") from exc
        raise storage_failure(exc, folder) or StoreCorrupt(_CORRUPT.format(problems="")) from exc
    except sqlcipher.DatabaseError as exc:
        raise StoreCorrupt(_CORRUPT.format(problems="")) from exc
    if [r[0] for r in rows] != ["ok"]:
        raise StoreCorrupt(_CORRUPT.format(problems=f" ({len(rows)} problem(s))"))


def left_unclean(path: Path) -> bool:
    """Whether the store at `path` was last left without a clean close (or is open in another
    process): its write-ahead log is there and not empty. See the module docstring."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


class Store:
    """An open, keyed database. Holds a reference to the caller's key bytearray (not a copy),
    so wiping that bytearray after close() leaves no key behind here.

    Opening checks the key; the whole-database integrity check runs at open only after an
    unclean shutdown (`unclean_at_open`), else on demand (`check_integrity`).
    `integrity_checked` says whether a full check has passed since this store was opened."""

    def __init__(
        self,
        path: Path,
        key: bytearray,
        write_wait: float = BUSY_TIMEOUT_MS / 1000,
        *,
        create: bool = False,
    ):
        """Open the store at `path`; with `create` (a new profile, a scratch store) a
        missing file is made. Without it a missing, empty or cut-short file is damage
        (StoreCorrupt), never a new empty database: only a new profile makes a store.
        `write_wait`: seconds a write waits for another process's write (write_lock.py)
        before StoreBusy."""
        self.path = Path(path)
        self._key = key
        if create and not self.path.exists():
            create_private_file(self.path)
        elif not create and (damaged := missing_or_short(self.path)) is not None:
            raise damaged
        # Read before any connection of ours opens (and possibly recovers) the log.
        self.unclean_at_open = left_unclean(self.path)
        _probe(self.path, key, whole=self.unclean_at_open)
        if self.unclean_at_open:
            log.info("store left unclean: integrity checked at open")
        self.integrity_checked = self.unclean_at_open
        self._checks_lock = threading.Lock()
        self._running_checks: set[sqlcipher.Connection] = set()
        try:
            first = connect_keyed(self.path, key)
            try:
                mode = first.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            finally:
                first.close()
        except sqlcipher.OperationalError as exc:
            mapped = storage_failure(exc, self.path.parent)
            if mapped is None:
                raise
            raise mapped from exc
        if mode != "wal":
            raise StoreError(
                "The database could not switch to write-ahead logging; is it on a network drive?"
            )
        # One connection per thread, kept open so each is keyed once: the GUI's store worker
        # and whoever else reads (the CLI, a test) never share a connection's transaction.
        # The unit of work's lock (unit_of_work.py) says who may read or write when.
        self._closed = False
        self.engine: Engine = create_engine(
            "sqlite://",
            creator=self._connect,
            module=sqlcipher,
            poolclass=pool.SingletonThreadPool,
            pool_size=MAX_THREAD_CONNECTIONS,
            hide_parameters=True,
        )
        event.listen(self.engine, "begin", _emit_begin)
        # Held by every write from before its BEGIN until its audit head is written.
        self.write_lock = WriteLock(self.path, write_wait)

    def _connect(self) -> sqlcipher.Connection:
        if self._closed:
            raise StoreClosed("The profile is locked; unlock it to continue.")
        return connect_keyed(self.path, self._key)

    @property
    def closed(self) -> bool:
        return self._closed

    def check_integrity(self) -> None:
        """The whole-database integrity check on a connection of its own (not the pool's), so
        any thread may run it beside the unit of work: in WAL a reader neither waits for the
        writer nor holds it up. Raises StoreCorrupt if damaged, StoreClosed if the store is
        closed, or closes while the check runs (close() interrupts it)."""
        with self._checks_lock:
            if self._closed:
                raise StoreClosed("The profile is locked; unlock it to continue.")
            conn = connect_keyed(self.path, self._key)
            self._running_checks.add(conn)
        try:
            _check_intact(conn, self.path.parent)
        except StoreCorrupt:
            log.error("store integrity check failed")
            raise
        finally:
            with self._checks_lock:
                self._running_checks.discard(conn)
            conn.close()
        self.integrity_checked = True

    def checkpoint(self) -> None:
        """Fold the WAL into the main file and truncate it to zero bytes."""
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()

    def backup(self, dest: Path) -> Path:
        """Write an encrypted copy (same key) to `dest` using SQLite's online backup API."""
        dest = Path(dest)
        if dest.exists():
            raise FileExistsError(f"A backup named {dest.name} already exists.")
        dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written under a temporary name and renamed once checked, so a kill mid-copy never
        # leaves a half backup under a backup's name (remove_partial_backups clears it).
        temp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        create_private_file(temp)
        try:
            raw = self.engine.raw_connection()
            target = connect_keyed(temp, self._key)
            try:
                raw.driver_connection.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
                raw.close()
            probe(temp, self._key)
            os.replace(temp, dest)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        fsync_directory(dest.parent)
        return dest

    def close(self) -> None:
        """Checkpoint and release the connection. Idempotent."""
        with self._checks_lock:
            if self._closed:
                return
            self._closed = True
            for running in self._running_checks:
                running.interrupt()  # its reader would hold up the truncating checkpoint
        try:
            # Under the write lock: a truncating checkpoint takes SQLite's write lock while it
            # waits for other processes' readers, and a write of theirs must not meet it there.
            with self.write_lock.held():
                # On a connection of its own: the pool no longer hands out connections.
                last = connect_keyed(self.path, self._key)
                try:
                    last.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
                finally:
                    last.close()
        except errors.StoreBusy:  # others keep writing: the log is folded in by whoever closes last
            log.info("store closed without a checkpoint: the profile is in use elsewhere")
        finally:
            self.engine.dispose()


def intend_write(conn: Connection) -> None:
    """Make the next transaction begun on `conn` a write: BEGIN IMMEDIATE takes SQLite's
    write lock at once, waiting up to the busy timeout for it. A deferred BEGIN that later
    writes fails at once with "database is locked" (no wait) if another process committed
    since its first read: in WAL its snapshot can no longer become a write."""
    conn.info[_WRITE_INTENT] = True


def _emit_begin(conn: Connection) -> None:
    # The DB-API runs in autocommit mode (isolation_level=None); SQLAlchemy's begin issues a
    # real BEGIN so DDL is transactional too and a failed migration rolls back whole. Reads
    # stay deferred: in WAL they neither wait for a writer nor hold one up.
    write = conn.info.pop(_WRITE_INTENT, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` is SQLite's "busy" (another connection holds the lock past the wait)."""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlcipher.OperationalError) and "locked" in str(orig).lower()


@contextmanager
def busy_as_store_busy() -> Iterator[None]:
    """SQLite's busy error inside the block raised as StoreBusy, worded for a person."""
    try:
        yield
    except (sqlcipher.OperationalError, OperationalError) as exc:
        if is_busy(exc):
            raise errors.StoreBusy(errors.BUSY_MESSAGE) from None
        raise
