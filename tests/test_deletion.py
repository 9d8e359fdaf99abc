"""Deletion that deletes (issue 14): after `session.deletion.delete_case` no trace of the case's
canary strings is left in the database file, its WAL, any backup, the search or anywhere in the
profile folder, scanning the raw bytes both with the key applied (every page decrypted,
tests/sqlcipher_pages.py) and as they lie on disk; a legal hold refuses it; the erase covers
every table keyed by a case."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aim3desk.domain.retention import CaseOnHold, DeletionRule, LegalHold, RetentionError
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.errors import ReadOnlyVersion
from aim3desk.services.session import Session
from aim3desk.store import erase
from aim3desk.store.db import connect_keyed
from aim3desk.store.schema import metadata
from aim3desk.store.unit_of_work import UnitOfWork
from bundle_people import new_person
from canary import files_containing, needles_for
from deletion_kit import TODAY, CanaryCase, add_canary_case, data_key
from sqlcipher_pages import found_in

READ_ONLY_TRIGGERS = {
    "assessment_items_read_only_insert",
    "assessment_items_read_only_update",
    "assessment_items_read_only_delete",
    "assessments_stay_finished",
}


@pytest.fixture
def alex(tmp_path: Path):
    session = new_person(tmp_path, "Alex Inventedworker")
    yield session
    session.close()


def _needles(case: CanaryCase) -> list[bytes]:
    return [value.encode("utf-8") for value in case.strings]


def _triggers(path: Path, key: bytearray) -> set[str]:
    db = connect_keyed(path, key)
    try:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    finally:
        db.close()
    return {name for (name,) in rows}


def _older_backup(session: Session, key: bytearray) -> Path:
    """A backup at an older schema: the tables of migrations 0006 and 0007 are missing and
    cases has no closed_on column (as before migration 0007)."""
    path = session.profile_dir / "backups" / "store-before-0006-20250101T000000Z.db"
    session.store.backup(path)
    db = connect_keyed(path, key)
    try:
        for table in (
            "outbox",
            "share_files",
            "reviews",
            "review_todos",
            "gate_overrides",
            "legal_holds",
            "retention_decisions",
            "deletion_copies",
            "share_withdrawals",
        ):
            db.execute(f"DROP TABLE {table}")
        db.execute("ALTER TABLE cases DROP COLUMN closed_on")
    finally:
        db.close()
    return path


def test_no_trace_of_the_case_is_left_anywhere(alex: Session) -> None:
    key = data_key(alex)
    kept = add_demo_cases(alex, count=1)[0]
    target = add_canary_case(alex)
    needles = _needles(target)
    profile = alex.profile_dir
    database, wal = profile / "store.db", profile / "store.db-wal"

    # Not vacuous: the decryptor finds every canary where SQLite wrote it, first the WAL...
    assert sorted(found_in(wal, key, needles)) == sorted(needles)
    backups = [
        alex.store.backup(profile / "backups" / "store-before-0008-20250101T000000Z.db"),
        _older_backup(alex, key),
    ]
    # ...then the main file once the WAL is folded in, and each backup.
    alex.store.checkpoint()
    assert sorted(found_in(database, key, needles)) == sorted(needles)
    for backup in backups:
        assert sorted(found_in(backup, key, needles)) == sorted(needles)
    # More writes after the checkpoint, so the WAL is not empty when the deletion starts.
    stored = alex.cases.get_case(target.case.id)
    alex.cases.update_case(replace(stored, lead_worker="Another Invented"), today=TODAY)
    assert alex.cases.list_cases(search=target.name)

    result = alex.deletion.delete_case(target.case.reference, "Opened in error for a test.")

    assert result.case_id == target.case.id and result.reference == "DEL-0001"
    assert result.rule is DeletionRule.REQUEST
    assert {"cases", "assessments", "assessment_items", "case_items"} <= set(result.rows)
    assert [b.outcome for b in result.backups] == ["cleaned", "cleaned"]
    for path in [database, wal, *backups]:
        assert found_in(path, key, needles) == [], path.name
    assert not wal.exists() or wal.stat().st_size == 0
    # The encrypted bytes as they lie on disk, and every other file of the profile.
    assert files_containing(profile, needles_for(*target.strings)) == []
    # The search (a query of the cases table; there is no separate index).
    assert alex.cases.list_cases(search=target.name) == []
    assert [s.id for s in alex.cases.list_cases()] == [kept.id]
    # The read-only guards are back, in the store and in each backup.
    for path in [database, *backups]:
        assert _triggers(path, key) >= READ_ONLY_TRIGGERS
    # One content-free audit entry; the chain still verifies.
    entries = alex.audit.entries()
    deleted = [e for e in entries if e.action == "case.delete"]
    assert len(deleted) == 1 and deleted[0].target == target.case.id
    assert deleted[0].detail["rule"] == "request"
    assert deleted[0].detail["rows"] == result.rows_removed
    assert not any(s in str(e) for e in entries for s in [*target.strings, "Opened in error"])
    assert alex.audit.verify().ok


def test_the_kept_case_is_untouched_and_its_finished_version_still_read_only(
    alex: Session,
) -> None:
    other = add_canary_case(alex, "DEL-0002")
    target = add_canary_case(alex, "DEL-0003")
    alex.deletion.delete_case(target.case.id, "Opened in error for a test.")
    finished = other.case.assessments[0]
    assert alex.assessments.load(finished.id).evidence  # still there, whole
    with pytest.raises(ReadOnlyVersion):
        alex.assessments.delete_item(finished.id, "evidence", "ev-1")
    assert alex.assessments.load(finished.id).evidence


def _hold(session: Session, case_id: str) -> LegalHold:
    hold = LegalHold(uuid.uuid4().hex, case_id, datetime.now(UTC), "Pat Manager", "Litigation.")
    with UnitOfWork.for_store(session.store).write() as tx:
        tx.retention.add_hold(hold)
    return hold


def test_a_legal_hold_refuses_deletion_and_nothing_changes(alex: Session) -> None:
    target = add_canary_case(alex)
    hold = _hold(alex, target.case.id)
    before = len(alex.audit.entries())

    with pytest.raises(CaseOnHold, match="legal hold"):
        alex.deletion.delete_case(target.case.id, "Opened in error for a test.")
    with pytest.raises(CaseOnHold):
        alex.deletion.delete_case(
            target.case.id, "Past its retention date.", DeletionRule.RETENTION
        )

    assert alex.cases.get_case(target.case.id).young_person_name == target.name
    assert len(alex.audit.entries()) == before
    assert alex.deletion.preview(target.case.id).refusal
    with UnitOfWork.for_store(alex.store).write() as tx:
        tx.retention.lift_hold(hold.id, datetime.now(UTC), "Pat Manager", "Case settled.")
    assert alex.deletion.preview(target.case.id).refusal is None
    result = alex.deletion.delete_case(
        target.case.id, "Past its retention date.", DeletionRule.RETENTION
    )
    assert result.rows["legal_holds"] == 1
    assert alex.audit.entries()[-1].detail["rule"] == "retention"


def test_a_reason_is_required(alex: Session) -> None:
    target = add_canary_case(alex)
    with pytest.raises(RetentionError):
        alex.deletion.delete_case(target.case.id, "  ")
    assert alex.cases.get_case(target.case.id)


def test_a_damaged_backup_is_removed_and_said_so(alex: Session) -> None:
    target = add_canary_case(alex)
    backups = alex.profile_dir / "backups"
    backups.mkdir(exist_ok=True)
    damaged = backups / "store-before-0005-20240101T000000Z.db"
    damaged.write_bytes(b"\x00" * 8192)
    result = alex.deletion.delete_case(target.case.id, "Opened in error for a test.")
    [cleaning] = result.backups
    assert cleaning.outcome == "removed" and "damaged" in cleaning.message
    assert not damaged.exists()


# -- every table keyed by a case is covered ---------------------------------------------------


def test_every_table_with_a_case_key_is_erased_or_kept_on_purpose(alex: Session) -> None:
    key = data_key(alex)
    db = connect_keyed(alex.store.path, key)
    try:
        assert erase.unplanned_key_columns(db) == []
        planned = {table for table, _column, _kind in erase.erase_plan(db)}
    finally:
        db.close()
    keyed = {
        table.name
        for table in metadata.sorted_tables
        if any(c.name.endswith(("case_id", "assessment_id", "bundle_id")) for c in table.c)
    }
    assert keyed - set(erase.KEPT_TABLES) <= planned
    assert {"cases", "assessments", "assessment_items", "bundles", "outbox"} <= planned


def test_a_new_column_naming_a_case_by_another_name_is_caught() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE cases (id TEXT PRIMARY KEY)")
    db.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, case_id TEXT)")
    db.execute("CREATE TABLE letters (id TEXT PRIMARY KEY, source_case_id TEXT)")
    assert erase.unplanned_key_columns(db) == ["letters.source_case_id"]  # type: ignore[arg-type]
    assert ("notes", "case_id", "case") in erase.erase_plan(db)  # type: ignore[arg-type]
