"""What someone holding the key could do to a profile behind the app's back, done through the
store on the real encrypted file (shared by the command-line and GUI tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from aim3desk.security.keyfile import KEY_FILE_NAME, KeyFile, wipe
from aim3desk.services.profile import STORE_FILE_NAME
from aim3desk.services.session import Session
from aim3desk.store.audit import append_entry
from aim3desk.store.db import Store


def tamper_with_audit_entry(session: Session, seq: int) -> None:
    """Lift the append-only guard, edit an entry's actor, put the guard back."""
    with session.store.engine.begin() as conn:
        guard = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'")
        ).scalar_one()
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        changed = conn.execute(
            text("UPDATE audit_log SET actor = 'Someone Else' WHERE seq = :seq"), {"seq": seq}
        )
        assert changed.rowcount == 1
        conn.execute(text(guard))


@contextmanager
def raw_store(profile_dir: Path, passphrase: str) -> Iterator[Store]:
    """The profile's database opened with its key and nothing else: no migration, no
    session, no audit head written afterwards (as a copy of the key and the file would)."""
    key = KeyFile.load(profile_dir / KEY_FILE_NAME).unlock(passphrase)
    store = Store(profile_dir / STORE_FILE_NAME, key)
    try:
        yield store
    finally:
        store.close()
        wipe(key)


def remove_last_audit_entries(profile_dir: Path, passphrase: str, count: int) -> None:
    """Lift the delete guard, cut the chain's last `count` entries, put the guard back: the
    chain left behind is whole, only shorter."""
    with raw_store(profile_dir, passphrase) as store, store.engine.begin() as conn:
        guard = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'")
        ).scalar_one()
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        last = conn.execute(text("SELECT max(seq) FROM audit_log")).scalar_one()
        removed = conn.execute(
            text("DELETE FROM audit_log WHERE seq > :keep"), {"keep": last - count}
        )
        assert removed.rowcount == count
        conn.execute(text(guard))


def append_audit_entries(profile_dir: Path, passphrase: str, count: int) -> None:
    """Well-formed entries added behind the app's back (as work done on a restored copy)."""
    with raw_store(profile_dir, passphrase) as store, store.engine.begin() as conn:
        for _ in range(count):
            append_entry(conn, "Someone Else", "case.edit", "REF-1", {"fields": ["status"]})
