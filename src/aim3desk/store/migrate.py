"""Bring an open store to the schema this version of the app expects.

Alembic runs programmatically on the store's own keyed connection; nothing reads alembic.ini
at run time. An existing database is backed up (still encrypted) before any migration, so a
failed or regretted upgrade can be undone by restoring that file. The whole database is
integrity-checked before the backup (a damaged store is neither copied nor migrated) and after
the migration (a migration must not leave damage behind); the backup is checked as it is taken.
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from aim3desk.atomic_file import TEMP_SUFFIX
from aim3desk.store.db import Store, StoreError, intend_write

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BACKUPS_DIR_NAME = "backups"  # in the profile folder: the copies taken before migrations


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    """The migration scripts ship with the app, so one process reads them once (every unlock
    asks for the head)."""
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _is_empty(store: Store) -> bool:
    with store.engine.connect() as conn:
        return not inspect(conn).get_table_names()


def backup_name(target: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"store-before-{target}-{stamp}.db"


def free_backup_path(backups_dir: Path, target: str) -> Path:
    """The backup's path, with a number added if a backup of that name is already there (a
    migration killed after its backup and retried within the same second)."""
    name = backup_name(target)
    path = Path(backups_dir) / name
    number = 1
    while path.exists():
        number += 1
        path = path.with_name(f"{name.removesuffix('.db')}-{number}.db")
    return path


def remove_partial_backups(backups_dir: Path) -> None:
    """Remove the temporary files of backups a kill interrupted (Store.backup)."""
    folder = Path(backups_dir)
    if folder.is_dir():
        # With the rollback journal SQLite keeps beside it while the copy is written.
        for partial in folder.glob(f".store-before-*{TEMP_SUFFIX}*"):
            partial.unlink(missing_ok=True)


def upgrade(store: Store, backups_dir: Path, target: str = "head") -> Path | None:
    """Migrate `store` to `target`; return the backup taken first, or None if none was needed.

    A fresh (empty) database is created at the target without a backup. A database stamped
    with a revision this version does not know was made by a newer version: refuse it.
    """
    # Every unlock comes here: a half backup left by a kill holds case data the deletion of
    # a case would not reach, so it goes now.
    remove_partial_backups(backups_dir)
    script = _scripts()
    wanted = script.get_current_head() if target == "head" else target
    assert wanted is not None
    current = current_revision(store)
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise StoreError(
            "This profile's database was written by a newer version of AIM3 Desk. "
            "Install that version (or newer) to open it."
        )
    if current == wanted:
        return None
    with store.write_lock.held():  # another process opening the profile waits, then skips
        current = current_revision(store)  # as it is now that no one else can migrate it
        if current == wanted:
            return None
        return _upgrade_alone(store, backups_dir, current, wanted)


def _upgrade_alone(
    store: Store, backups_dir: Path, current: str | None, wanted: str
) -> Path | None:
    """The backup, the migration and the checks, holding the profile's write lock."""
    backup: Path | None = None
    existing = current is not None or not _is_empty(store)
    if existing:
        store.check_integrity()
        store.checkpoint()
        backup = store.backup(free_backup_path(backups_dir, wanted))
        log.info("backup before migration %s -> %s taken", current, wanted)
    _run(store, wanted)
    if existing:
        store.check_integrity()
    log.info("store migrated %s -> %s", current, wanted)
    return backup


def _run(store: Store, target: str) -> None:
    config = _config()
    with store.engine.connect() as conn:
        # Foreign keys off while tables are rebuilt (SQLite's documented procedure for schema
        # changes); it must be set outside a transaction, so on the raw connection.
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            intend_write(conn)
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, target)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreError(
                        f"The migration to {target} left {len(broken)} broken link(s) between "
                        "records; nothing was changed."
                    )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
