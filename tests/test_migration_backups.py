"""Backups taken before a migration, when a migration is killed and retried: a half-written
copy never carries a backup's name and is removed at the next open, and a retry within the
same second takes a free name instead of failing."""

from __future__ import annotations

import os
from pathlib import Path

from aim3desk.store import migrate
from aim3desk.store.db import Store


def test_half_backups_left_by_a_kill_are_removed_at_the_next_open(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    partial = backups / ".store-before-0009-20260101T000000Z.db.1a2b3c4d.aim3tmp"
    journal = partial.with_name(partial.name + "-journal")
    for leftover in (partial, journal):
        leftover.write_bytes(b"half a copy")
    kept = backups / "store-before-0009-20260101T000000Z.db"
    kept.write_bytes(b"a finished backup is never touched here")
    store = Store(tmp_path / "store.db", bytearray(os.urandom(32)), create=True)
    try:
        migrate.upgrade(store, backups)
    finally:
        store.close()
    assert sorted(p.name for p in backups.iterdir()) == [kept.name]


def test_a_retried_migration_takes_a_free_backup_name(tmp_path: Path) -> None:
    first = migrate.free_backup_path(tmp_path, "0009")
    first.write_bytes(b"taken by the killed attempt")
    second = migrate.free_backup_path(tmp_path, "0009")
    assert second != first and not second.exists()
    assert second.name.startswith("store-before-0009-") and second.suffix == ".db"
