"""Erasing one case from a database: the live store, or an encrypted backup at an older schema.

What goes is worked out from the database's own schema, not from a list written here, so a
table added later with a column naming the case (or one of its assessments, bundles or
reviews) is erased too without anyone remembering to add it:

- the case's own row (cases.id) and its assessments (assessments.id);
- every row of every table with a column in KEY_COLUMNS naming the case, one of its
  assessments, one of its bundles or one of its reviews;
- except the tables in KEPT_TABLES, which are content free and outlive the case on purpose.

A full-text (FTS5) table is erased like any other by its case_id column; its index is then
merged ('optimize') so no segment keeps the erased words (the shadow tables "<name>_data",
"_idx", "_content", "_docsize", "_config" hold no key column of their own).

A table or column that does not exist in an older backup is skipped. tests/test_deletion.py
fails when the live schema has a column that looks like such a key (`*_case_id`,
`*assessment_id`, `*bundle_id`, `*review_id`) that is neither erased nor kept on purpose.

Finished assessment versions are read-only: triggers (migration 0003) abort any DELETE of
their items, whatever code asks. Erasing is the one documented exemption: the triggers that
guard a table being erased against DELETE are dropped inside the erase's own transaction and
re-created from their own stored SQL before it commits (checked), so no other connection ever
sees them missing, and a failure anywhere rolls back with them in place.

Everything here works on the SQLite DB-API connection (sqlcipher3), inside a transaction the
caller began: the live store's unit of work (`StoreWriter.erase_case`) or `clean_backup`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from aim3desk.store.db import connect_keyed, probe
from aim3desk.store.errors import StoreError

# column name -> which kind of id it holds
KEY_COLUMNS: dict[str, str] = {
    "case_id": "case",
    "assessment_id": "assessment",
    "based_on_id": "assessment",
    "bundle_id": "bundle",
    "reviewed_bundle_id": "bundle",
    "review_id": "review",
}
# tables whose own primary key is one of those ids under another name
OWN_ID_COLUMNS: dict[str, tuple[str, str]] = {
    "cases": ("id", "case"),
    "assessments": ("id", "assessment"),
}
# Kept on purpose, each with why. Other tables without a key column (profile_info, identity,
# contacts, alembic_version) hold nothing of any case.
KEPT_TABLES: dict[str, str] = {
    "audit_log": "append-only hash chain of ids, counts and actions, never content; the "
    "deletion adds its own entry",
    "deletion_copies": "who holds copies of a deleted case's bundles: content free, kept so a "
    "person can ask them to delete",
    "share_withdrawals": "this profile's own share files still to delete: content free",
}
# Parents go after their children, so no cascade or foreign key acts half way.
PARENTS_LAST = ("reviews", "bundles", "assessments", "cases")
_KEY_SUFFIXES = ("case_id", "assessment_id", "bundle_id", "review_id")


@dataclass(frozen=True)
class ErasedCase:
    """What an erase removed: rows per table (tables with none left out)."""

    case_id: str
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables(db: sqlcipher.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def _columns(db: sqlcipher.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()]


def erase_plan(db: sqlcipher.Connection) -> list[tuple[str, str, str]]:
    """(table, column, id kind) for every column a case's rows are found by, parents last."""
    plan = []
    for table in _tables(db):
        if table in KEPT_TABLES:
            continue
        columns = _columns(db, table)
        plan += [(table, c, KEY_COLUMNS[c]) for c in columns if c in KEY_COLUMNS]
        own = OWN_ID_COLUMNS.get(table)
        if own and own[0] in columns:
            plan.append((table, *own))
    order = {name: i for i, name in enumerate(PARENTS_LAST)}
    return sorted(plan, key=lambda step: order.get(step[0], -1))


def unplanned_key_columns(db: sqlcipher.Connection) -> list[str]:
    """table.column for each column that looks like a case's key but is neither erased nor in
    a table kept on purpose: a new table someone forgot to tell the erase about."""
    planned = {(table, column) for table, column, _kind in erase_plan(db)}
    return [
        f"{table}.{column}"
        for table in _tables(db)
        if table not in KEPT_TABLES
        for column in _columns(db, table)
        if column.endswith(_KEY_SUFFIXES) and (table, column) not in planned
    ]


def _ids(db: sqlcipher.Connection, sql: str, params: Sequence[str]) -> list[str]:
    return [row[0] for row in db.execute(sql, tuple(params)).fetchall()]


def _marks(values: Sequence[str]) -> str:
    """Placeholders for an IN list: values are always bound, never put in the SQL."""
    return ", ".join("?" * len(values))


def _case_ids(db: sqlcipher.Connection, case_id: str) -> dict[str, list[str]]:
    """Every id that belongs to the case, by kind (tables missing in an old schema: none)."""
    tables = set(_tables(db))
    found: dict[str, list[str]] = {"case": [case_id], "assessment": [], "bundle": [], "review": []}
    if "assessments" in tables:
        found["assessment"] = _ids(db, "SELECT id FROM assessments WHERE case_id = ?", [case_id])
    if "bundles" in tables:
        found["bundle"] = _ids(db, "SELECT bundle_id FROM bundles WHERE case_id = ?", [case_id])
    if "reviews" in tables:
        assessments = found["assessment"]
        among = _marks(assessments) or "NULL"
        sql = f"SELECT review_id FROM reviews WHERE case_id = ? OR assessment_id IN ({among})"  # noqa: S608
        found["review"] = _ids(db, sql, [case_id, *assessments])
    return found


def _guarding_triggers(db: sqlcipher.Connection, tables: Iterable[str]) -> list[tuple[str, str]]:
    names = sorted(set(tables))
    among = _marks(names)
    sql = f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({among})"  # noqa: S608
    rows = db.execute(sql + " ORDER BY name", tuple(names)).fetchall()
    return [(name, sql) for name, sql in rows if " DELETE " in " ".join(sql.upper().split())]


def full_text_tables(db: sqlcipher.Connection) -> list[str]:
    """The FTS5 tables of the database (their shadow tables are ordinary tables)."""
    rows = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
    ).fetchall()
    return [name for name, sql in rows if "USING FTS5" in " ".join(sql.upper().split())]


def _merge_full_text_indexes(db: sqlcipher.Connection) -> None:
    """FTS5 keeps a deleted row's words in its older index segments, marked deleted, until
    they merge: 'optimize' merges them all now, so the erased words leave the index and
    their pages become free pages for VACUUM."""
    for name in full_text_tables(db):
        # the name comes from the database's own schema
        db.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'optimize\')')  # noqa: S608


def erase_case(db: sqlcipher.Connection, case_id: str) -> ErasedCase:
    """Remove every row of the case, inside the caller's open transaction. StoreError (and
    nothing removed, once the caller rolls back) if a link to the case would be left."""
    ids = _case_ids(db, case_id)
    plan = erase_plan(db)
    db.execute("PRAGMA defer_foreign_keys = ON")  # checked once, at the end, below
    triggers = _guarding_triggers(db, {table for table, _c, _k in plan})
    for name, _sql in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    rows: dict[str, int] = {}
    try:
        for table, column, kind in plan:
            values = ids[kind]
            if not values:
                continue
            # table and column come from the database's own schema (erase_plan)
            sql = f'DELETE FROM "{table}" WHERE "{column}" IN ({_marks(values)})'  # noqa: S608
            cursor = db.execute(sql, tuple(values))
            if cursor.rowcount > 0:
                rows[table] = rows.get(table, 0) + cursor.rowcount
        _merge_full_text_indexes(db)
    finally:
        for _name, sql in triggers:
            db.execute(sql)
    if _guarding_triggers(db, {table for table, _c, _k in plan}) != triggers:
        raise StoreError("The read-only guards could not be put back; nothing was deleted.")
    if db.execute("PRAGMA foreign_key_check").fetchall():
        raise StoreError(
            "Deleting the case would leave records pointing at it; nothing was deleted."
        )
    return ErasedCase(case_id, rows)


def compact(db: sqlcipher.Connection) -> None:
    """Rebuild the database so no free page keeps what was deleted, then fold the WAL (if
    any) into it and truncate the WAL to nothing. Outside any transaction; every other
    connection idle."""
    db.execute("VACUUM")
    busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise StoreError(
            "The database was busy, so the write-ahead log could not be emptied; lock and "
            "unlock the profile to finish."
        )


# -- backups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupCleaning:
    """What became of one backup file."""

    name: str
    outcome: str  # "cleaned", "removed" (damaged: it could not be cleaned or restored), "failed"
    rows: int = 0
    message: str = ""  # for "removed" and "failed": what happened and what to do


def clean_backup(path: Path, key: bytearray | bytes, case_id: str) -> BackupCleaning:
    """Erase the case from one backup (same data key, possibly an older schema), then rebuild
    it (secure_delete and VACUUM) in rollback-journal mode.

    A backup that does not open with the key or fails its integrity check cannot be cleaned,
    and cannot be restored either (a restore checks the same), but it may still hold the case:
    it is removed, and said so. A backup that cannot be reached (permissions, a lock) is left
    and reported, with the file to delete by hand."""
    name = path.name
    try:
        probe(path, key)
    except StoreError:
        return _remove_damaged(path)
    except OSError as exc:
        return _failed(name, exc)
    try:
        db = connect_keyed(path, key)
    except (OSError, sqlcipher.Error) as exc:
        return _failed(name, exc)
    try:
        db.execute("PRAGMA secure_delete = ON")
        db.execute("BEGIN IMMEDIATE")
        try:
            erased = erase_case(db, case_id)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        compact(db)
        db.execute("PRAGMA journal_mode = DELETE")
    except (OSError, sqlcipher.OperationalError, sqlcipher.IntegrityError, StoreError) as exc:
        db.close()  # locked, unwritable, or a link the erase would leave: not damage
        return _failed(name, exc)
    except sqlcipher.DatabaseError:  # malformed pages found while erasing
        db.close()
        return _remove_damaged(path)
    db.close()
    return BackupCleaning(name, "cleaned", erased.total)


def _remove_damaged(path: Path) -> BackupCleaning:
    try:
        path.unlink()
    except OSError as exc:
        return _failed(path.name, exc)
    return BackupCleaning(
        path.name,
        "removed",
        message="It was damaged, so the case could not be removed from it and it could not "
        "have been restored; it was deleted.",
    )


def _failed(name: str, exc: BaseException) -> BackupCleaning:
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return BackupCleaning(
        name,
        "failed",
        message=f"It could not be cleaned ({why}) and may still hold the case: delete the "
        f"file {name} from the profile's backups folder.",
    )


def clean_backups(folder: Path, key: bytearray | bytes, case_id: str) -> list[BackupCleaning]:
    """Every encrypted backup (*.db) in the profile's backups folder, oldest name first."""
    if not folder.is_dir():
        return []
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".db" and p.is_file())
    return [clean_backup(path, key, case_id) for path in paths if not os.path.islink(path)]


__all__ = [
    "KEPT_TABLES",
    "KEY_COLUMNS",
    "BackupCleaning",
    "ErasedCase",
    "clean_backup",
    "clean_backups",
    "compact",
    "erase_case",
    "erase_plan",
    "full_text_tables",
    "unplanned_key_columns",
]
