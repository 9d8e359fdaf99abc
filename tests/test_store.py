"""The encrypted store: opening, integrity, migrations, audit trail, repository (real SQLCipher)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from aim3desk.domain.cases import (
    UNRECORDED_LEAD_REASON,
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
    start_assessment,
)
from aim3desk.security.identity import SecretIdentity, signature_matches
from aim3desk.services.audit_log import AuditLog
from aim3desk.store import migrate
from aim3desk.store.audit import AuditDetailError, append_entry, verify_chain
from aim3desk.store.db import Store, StoreClosed, StoreCorrupt, StoreKeyError
from aim3desk.store.items import ItemRepository
from aim3desk.store.people import PeopleRepository
from aim3desk.store.repository import CaseRepository
from aim3desk.store.schema import is_full_text_table, metadata
from aim3desk.store.unit_of_work import UnitOfWork


@pytest.fixture
def key() -> bytearray:
    return bytearray(os.urandom(32))


@pytest.fixture
def store(tmp_path: Path, key: bytearray):
    opened = Store(tmp_path / "store.db", key, create=True)
    migrate.upgrade(opened, tmp_path / "backups")
    yield opened
    opened.close()


def make_case(reference: str = "YOS-24-001", name: str = "Ashling Vantreece", **changes) -> Case:
    case = Case(
        id=new_id(),
        reference=reference,
        young_person_name=name,
        date_of_birth=date(2010, 5, 17),
        lead_agency=LeadAgency.YOS,
        lead_worker="Morwen Tallis",
        requested_by=Requester.CASE_WORKER,
        request_date=date(2024, 3, 1),
        co_workers=("Idris Pellow",),
    )
    case = replace(case, **changes)
    return replace(case, assessments=(start_assessment(case),))


# -- opening ------------------------------------------------------------------------------


def test_fresh_store_is_created_at_head_without_backup(store: Store, tmp_path: Path) -> None:
    assert migrate.current_revision(store) == migrate.head_revision()
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())
    assert (tmp_path / "store.db").stat().st_mode & 0o777 == 0o600
    with store.engine.connect() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "temp_store")
        }
    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "temp_store": 2}


def test_migrated_schema_matches_schema_module(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                # FTS5 tables (and their shadow tables) are made by migrations only.
                "include_name": lambda name, kind, _parents: (
                    kind != "table" or not is_full_text_table(name or "")
                )
            },
        )
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_file_is_encrypted(store: Store, tmp_path: Path) -> None:
    store.close()
    header = (tmp_path / "store.db").read_bytes()[:16]
    assert header != b"SQLite format 3\x00"


def test_wrong_key_is_a_plain_sentence_and_quiet(
    store: Store, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    store.close()
    with pytest.raises(StoreKeyError, match="could not be opened with this profile's key"):
        Store(tmp_path / "store.db", bytearray(os.urandom(32)))
    assert "hmac" not in capfd.readouterr().err


def test_not_a_database_raises_store_key_error(tmp_path: Path, key: bytearray) -> None:
    junk = tmp_path / "store.db"
    junk.write_bytes(os.urandom(8192))
    with pytest.raises(StoreKeyError):
        Store(junk, key)


def test_integrity_check_catches_a_damaged_page(
    store: Store, tmp_path: Path, key: bytearray
) -> None:
    with store.engine.begin() as conn:
        repo = CaseRepository(conn)
        for n in range(40):  # spread over several pages
            repo.add(make_case(f"REF-{n:03d}", name=f"Person Number{n} " + "x" * 200))
    store.close()
    path = tmp_path / "store.db"
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[5 * page + 200] ^= 0xFF  # a data page, not page 1 (page 1 is read to test the key)
    path.write_bytes(bytes(data))
    damaged = Store(path, key)  # opening checks the key only (tests/test_store_integrity.py)
    try:
        with pytest.raises(StoreCorrupt, match="integrity check"):
            damaged.check_integrity()
    finally:
        damaged.close()


def test_closed_store_refuses_work(store: Store) -> None:
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreClosed), store.engine.connect():
        pass


def test_backup_is_an_encrypted_copy(store: Store, tmp_path: Path, key: bytearray) -> None:
    with store.engine.begin() as conn:
        CaseRepository(conn).add(make_case())
    dest = store.backup(tmp_path / "backups" / "copy.db")
    assert dest.stat().st_mode & 0o777 == 0o600
    assert b"Ashling" not in dest.read_bytes()
    copy = Store(dest, key)
    try:
        with copy.engine.connect() as conn:
            assert CaseRepository(conn).by_reference("YOS-24-001") is not None
    finally:
        copy.close()


# -- migrations -----------------------------------------------------------------------------


def test_migration_from_first_schema_backs_up_and_keeps_data(
    tmp_path: Path, key: bytearray
) -> None:
    path, backups = tmp_path / "store.db", tmp_path / "backups"
    old = Store(path, key, create=True)
    assert migrate.upgrade(old, backups, target="0001") is None  # fresh: no backup
    with old.engine.begin() as conn:
        conn.execute(text("INSERT INTO meta VALUES ('practitioner_name', 'Rowan Ellery')"))
        conn.execute(
            text(
                "INSERT INTO cases VALUES ('c1', 'OLD-1', 'Tamsin Orrel', '2011-02-03', 'yos', "
                "'Wren Abbot', '[\"Kit Morrow\"]', 'case_worker', '2024-01-05', 1, "
                "'in_assessment', '2024-01-05T10:00:00+00:00', '2024-01-05T10:00:00+00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO assessments VALUES ('a1', 'c1', 'aim3', '2024-01-05', "
                "'2024-02-16', 1, 0, :evidence, '2024-01-05T10:00:00+00:00', "
                "'2024-01-05T10:00:00+00:00')"
            ),
            {
                "evidence": json.dumps(
                    {"sexual_behaviours": "First text", "health": "Second\n  kept ", "empty": " "}
                )
            },
        )
        append_entry(conn, "Rowan Ellery", "case.create", "OLD-1")
    old.close()

    reopened = Store(path, key)
    try:
        backup = migrate.upgrade(reopened, backups)
        assert backup is not None and backup.exists()
        assert (
            backup.name.startswith(f"store-before-{migrate.head_revision()}-")
            and backup.suffix == ".db"
        )
        assert migrate.current_revision(reopened) == migrate.head_revision()
        with reopened.engine.connect() as conn:
            case = CaseRepository(conn).get("c1")
            info = dict(conn.execute(text("SELECT key, value FROM profile_info")).all())
        assert info == {"practitioner_name": "Rowan Ellery", "role": "practitioner"}
        assert case is not None and case.reference == "OLD-1"
        assert case.co_workers == ("Kit Morrow",) and case.joint_with_social_worker
        current = case.current_assessment
        assert current is not None and current.based_on_id is None
        with reopened.engine.connect() as conn:
            content = ItemRepository(conn).load(current.id)
        assert {e.id: e.text for e in content.evidence} == {
            "notes-health": "Second\n  kept ",
            "notes-sexual_behaviours": "First text",
        }
        assert all(e.date == date(2024, 1, 5) for e in content.evidence)
        with reopened.engine.connect() as conn:
            assert verify_chain(conn).ok
        assert migrate.upgrade(reopened, backups) is None  # already at head: no new backup
    finally:
        reopened.close()
    assert_backup_at(backup, key, "0001")


def assert_backup_at(backup: Path, key: bytearray, revision: str) -> None:
    """The backup is the old database: still encrypted with the same key, at `revision`."""
    old_copy = Store(backup, key)
    try:
        assert migrate.current_revision(old_copy) == revision
    finally:
        old_copy.close()


def _store_at(path: Path, key: bytearray, revision: str) -> Store:
    opened = Store(path, key, create=True)
    migrate.upgrade(opened, path.parent / "backups", target=revision)
    return opened


def test_migration_from_0002_turns_domain_texts_into_internal_evidence_items(
    tmp_path: Path, key: bytearray
) -> None:
    path = tmp_path / "store.db"
    texts = {
        "developmental": "Line one\r\nLine two\twith tab  \n\n  trailing  ",
        "self_regulation": "Ünïcödé ✓ Текст 中文 🙂" * 300,
        "family_environment": "",
        "other_domain": "Kept even for a domain the forms do not know.",
    }
    old = _store_at(path, key, "0002")
    with old.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases VALUES ('c1', 'OLD-2', 'Tamsin Orrel', '2011-02-03', 'yos', "
                "'Wren Abbot', '[]', 'case_worker', '2024-01-05', 0, "
                "'in_assessment', '2024-01-05T10:00:00+00:00', '2024-01-05T10:00:00+00:00')"
            )
        )
        for number, finished in ((1, 1), (2, 0)):
            conn.execute(
                text(
                    "INSERT INTO assessments VALUES (:id, 'c1', 'aim3', '2024-01-05', "
                    "'2024-02-16', :version, :finished, '2024-01-05T10:00:00+00:00', "
                    "'2024-01-05T10:00:00+00:00')"
                ),
                {"id": f"a{number}", "version": number, "finished": finished},
            )
            for domain_id, body in texts.items():
                conn.execute(
                    text("INSERT INTO domain_evidence VALUES (:a, :d, :t, :u)"),
                    {
                        "a": f"a{number}",
                        "d": domain_id,
                        "t": body,
                        "u": f"2024-03-0{number}T23:59:59.000001+00:00",
                    },
                )
    old.close()

    reopened = Store(path, key)
    try:
        backup = migrate.upgrade(reopened, tmp_path / "backups")
        assert backup is not None and backup.name.startswith(
            f"store-before-{migrate.head_revision()}-"
        )
        with reopened.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            items = ItemRepository(conn)
            contents = {a: items.load(a) for a in ("a1", "a2")}
            finished = CaseRepository(conn).get_assessment("a1")
        assert "domain_evidence" not in tables and "assessment_items" in tables
        assert finished is not None and finished.finished and finished.finished_at is None
        for number, content in ((1, contents["a1"]), (2, contents["a2"])):
            expected = {d: t for d, t in texts.items() if t.strip()}
            assert {e.domain_id: e.text for e in content.evidence} == expected
            for entry in content.evidence:
                assert entry.id == f"notes-{entry.domain_id}"
                assert (entry.source, entry.category, entry.sharing) == (
                    "practitioner_observation",
                    "background",
                    "practitioner_reflection",
                )
                assert entry.date == date(2024, 3, number)
                assert entry.factor_slot is None and entry.unknown_id is None
        # The migrated finished version is read-only in the database itself.
        with pytest.raises(DBAPIError, match="read-only"), reopened.engine.begin() as conn:
            conn.execute(text("DELETE FROM assessment_items WHERE assessment_id = 'a1'"))
        with pytest.raises(DBAPIError, match="read-only"), reopened.engine.begin() as conn:
            conn.execute(text("UPDATE assessments SET finished = 0 WHERE id = 'a1'"))
        with reopened.engine.begin() as conn:  # the open version is not
            conn.execute(text("DELETE FROM assessment_items WHERE assessment_id = 'a2'"))
    finally:
        reopened.close()


def test_items_of_a_finished_assessment_cannot_change_in_sql(store: Store) -> None:
    case = make_case()
    assessment = case.assessments[0]
    with store.engine.begin() as conn:
        CaseRepository(conn).add(case)
        conn.execute(
            text("INSERT INTO assessment_items VALUES (:a, 'chronology', 'e1', '{}', 'now')"),
            {"a": assessment.id},
        )
        conn.execute(
            text("UPDATE assessments SET finished = 1 WHERE id = :a"), {"a": assessment.id}
        )
    for statement in (
        "INSERT INTO assessment_items VALUES (:a, 'chronology', 'e2', '{}', 'now')",
        "UPDATE assessment_items SET data = '[]' WHERE assessment_id = :a",
        "DELETE FROM assessment_items WHERE assessment_id = :a",
    ):
        with pytest.raises(DBAPIError, match="read-only"), store.engine.begin() as conn:
            conn.execute(text(statement), {"a": assessment.id})


# -- audit trail ------------------------------------------------------------------------------


@pytest.fixture
def trail(store: Store) -> AuditLog:
    audit = AuditLog(UnitOfWork(store.engine))
    for n in range(1, 5):
        audit.append("Morwen Tallis", "case.edit", f"REF-{n}", {"fields": ["lead_worker"]})
    return audit


def test_audit_chain_verifies(trail: AuditLog) -> None:
    check = trail.verify()
    assert check.ok and check.bad_seq is None
    entries = trail.entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert all(b.prev_hash == a.hash for a, b in pairwise(entries))
    assert [e.seq for e in trail.entries(limit=2)] == [3, 4]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = 'Someone Else' WHERE seq = 2", "DELETE FROM audit_log"],
)
def test_triggers_block_update_and_delete(trail: AuditLog, store: Store, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert trail.verify().ok


def test_audit_catches_an_edited_entry(trail: AuditLog, store: Store) -> None:
    with store.engine.begin() as conn:  # as an attacker with the key would
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET target = 'REF-99' WHERE seq = 2"))
    check = trail.verify()
    assert not check.ok and check.bad_seq == 2 and "altered" in check.message


def test_audit_catches_a_deleted_entry(trail: AuditLog, store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    check = trail.verify()
    assert not check.ok and check.bad_seq == 3 and "missing" in check.message


def test_audit_catches_a_rehashed_entry_by_its_broken_link(trail: AuditLog, store: Store) -> None:
    from aim3desk.store.audit import entry_hash

    entry = trail.entries()[1]
    forged = entry_hash(
        entry.prev_hash, entry.seq, entry.at, "Forger", entry.action, entry.target, entry.detail
    )
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(
            text("UPDATE audit_log SET actor = 'Forger', hash = :h WHERE seq = 2"), {"h": forged}
        )
    check = trail.verify()
    assert not check.ok and check.bad_seq == 3 and "link" in check.message


def test_audit_notices_a_removed_guard(trail: AuditLog, store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))
    check = trail.verify()
    assert not check.ok and check.bad_seq is None and "guard" in check.message


def test_audit_refuses_free_text_in_detail(trail: AuditLog) -> None:
    with pytest.raises(AuditDetailError):
        trail.append("Morwen Tallis", "case.edit", "REF-1", {"note": "long text\nwith lines"})
    with pytest.raises(AuditDetailError):
        trail.append("Morwen Tallis", "case.edit", "REF-1", {"note": "x" * 200})


# -- repository ---------------------------------------------------------------------------------


def test_repository_round_trip_and_search(store: Store) -> None:
    today = date(2024, 6, 1)
    first = make_case("YOS-24-001", "Ashling Vantreece")
    second = make_case(
        "CSC-24-002",
        "Émile Østergård",
        lead_worker="Bryony Quill",
        request_date=date(2024, 5, 20),
        status=CaseStatus.IN_ASSESSMENT,
    )
    closed = make_case("YOS-23-900", "Corin Haddow", status=CaseStatus.CLOSED)
    with store.engine.begin() as conn:
        repo = CaseRepository(conn)
        for case in (first, second, closed):
            repo.add(case)
        assert repo.set_model(first.assessments[0].id, AssessmentModel.AIM_U12)
    with store.engine.connect() as conn:
        repo = CaseRepository(conn)
        loaded = repo.get(first.id)
        assert loaded == first  # assessments are not part of equality; check them apart
        assert loaded is not None and loaded.current_assessment is not None
        assert loaded.current_assessment.model is AssessmentModel.AIM_U12
        assert repo.by_reference("csc-24-002") == second
        assert [s.reference for s in repo.summaries("émile")] == ["CSC-24-002"]
        assert [s.reference for s in repo.summaries("ØSTERGÅRD")] == ["CSC-24-002"]
        assert [s.reference for s in repo.summaries("bryony")] == ["CSC-24-002"]
        assert [s.reference for s in repo.summaries("yos-24")] == ["YOS-24-001"]
        assert {s.reference for s in repo.summaries(status=CaseStatus.CLOSED)} == {"YOS-23-900"}
        due_soon = repo.summaries(due_before=date(2024, 4, 30))
        assert {s.reference for s in due_soon} == {"YOS-24-001", "YOS-23-900"}
        overdue = repo.summaries(overdue_on=today)
        assert [s.reference for s in overdue] == ["YOS-24-001"]  # closed cases are not overdue
        assert overdue[0].due_date == date(2024, 3, 1) + timedelta(weeks=6)


def test_repository_update_reports_changed_field_names(store: Store) -> None:
    case = make_case()
    with store.engine.begin() as conn:
        repo = CaseRepository(conn)
        repo.add(case)
        assert repo.update(case) == []
        changed = repo.update(replace(case, lead_worker="Someone New", co_workers=()))
    assert changed == ["lead_worker", "co_workers"]


def test_errors_never_show_bound_values(store: Store) -> None:
    case = make_case(name="Thessaly Brookmere")
    with store.engine.begin() as conn:
        CaseRepository(conn).add(case)
    duplicate = replace(make_case(name="Thessaly Brookmere"), reference=case.reference)
    with pytest.raises(DBAPIError) as raised, store.engine.begin() as conn:
        CaseRepository(conn).add(duplicate)
    assert "UNIQUE" in str(raised.value)
    assert "Thessaly" not in str(raised.value) and "Thessaly" not in repr(raised.value)


def test_migration_to_0004_gives_old_not_completed_cases_a_reason(
    tmp_path: Path, key: bytearray
) -> None:
    path = tmp_path / "store.db"
    old = _store_at(path, key, "0003")
    with old.engine.begin() as conn:
        for case_id, status in (("c1", "not_completed"), ("c2", "in_assessment")):
            conn.execute(
                text(
                    "INSERT INTO cases VALUES (:id, :ref, 'Tamsin Orrel', '2011-02-03', 'yos', "
                    "'Wren Abbot', '[]', 'case_worker', '2024-01-05', 0, "
                    ":status, '2024-01-05T10:00:00+00:00', '2024-03-07T10:00:00+00:00')"
                ),
                {"id": case_id, "ref": f"OLD-{case_id}", "status": status},
            )
    old.close()
    reopened = Store(path, key)
    try:
        backup = migrate.upgrade(reopened, tmp_path / "backups")
        assert backup is not None and backup.name.startswith(
            f"store-before-{migrate.head_revision()}-"
        )
        with reopened.engine.connect() as conn:
            marked = CaseRepository(conn).get("c1")
            other = CaseRepository(conn).get("c2")
        assert marked.not_completed_reason == "Reason not recorded"
        assert marked.not_completed_on == date(2024, 3, 7)
        assert other.not_completed_reason == "" and other.not_completed_on is None
    finally:
        reopened.close()


def test_migration_to_0005_gives_an_existing_profile_its_own_identity(
    tmp_path: Path, key: bytearray
) -> None:
    path = tmp_path / "store.db"
    old = _store_at(path, key, "0004")
    with old.engine.begin() as conn:
        conn.execute(text("INSERT INTO profile_info VALUES ('practitioner_name', 'Wren Abbot')"))
    old.close()
    reopened = Store(path, key)
    try:
        backup = migrate.upgrade(reopened, tmp_path / "backups")
        assert backup is not None and backup.name.startswith(
            f"store-before-{migrate.head_revision()}-"
        )
        with reopened.engine.connect() as conn:
            signing, age_identity = PeopleRepository(conn).secret_identity_text()
            role = conn.execute(
                text("SELECT value FROM profile_info WHERE key = 'role'")
            ).scalar_one()
        secret = SecretIdentity.from_stored(signing, age_identity)
        assert role == "practitioner"
        assert secret.age_identity_text.startswith("AGE-SECRET-KEY-1")
        assert signature_matches(secret.signing_public, secret.sign(b"x"), b"x")
        # only one identity per profile, ever
        with pytest.raises(DBAPIError), reopened.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO identity VALUES (2, :s, :a, '2026-01-01')"),
                {"s": signing, "a": age_identity},
            )
    finally:
        reopened.close()
    assert_backup_at(backup, key, "0004")


def test_migration_to_0007_dates_closed_cases_no_earlier_than_their_last_change(
    tmp_path: Path, key: bytearray
) -> None:
    path = tmp_path / "store.db"
    old = _store_at(path, key, "0006")
    with old.engine.begin() as conn:
        for case_id, status in (("c1", "closed"), ("c2", "in_intervention")):
            conn.execute(
                text(
                    "INSERT INTO cases VALUES (:id, :ref, 'Tamsin Orrel', '2011-02-03', 'yos', "
                    "'Wren Abbot', '[]', 'case_worker', '2024-01-05', 0, "
                    ":status, '2024-01-05T10:00:00+00:00', '2024-09-12T10:00:00+00:00', "
                    "'', NULL)"
                ),
                {"id": case_id, "ref": f"OLD-{case_id}", "status": status},
            )
    old.close()
    reopened = Store(path, key)
    try:
        migrate.upgrade(reopened, tmp_path / "backups")
        with reopened.engine.connect() as conn:
            closed = CaseRepository(conn).get("c1")
            open_case = CaseRepository(conn).get("c2")
        assert closed.closed_on == date(2024, 9, 12)
        assert open_case.closed_on is None
    finally:
        reopened.close()


def test_migration_to_0008_marks_an_older_court_case_led_elsewhere_as_unrecorded(
    tmp_path: Path, key: bytearray
) -> None:
    """The lead-agency rule asks why a court request is not YOS-led; a case recorded before
    the question existed gets 'not recorded' (as an older export does), never a refusal."""
    path = tmp_path / "store.db"
    old = _store_at(path, key, "0007")
    with old.engine.begin() as conn:
        for case_id, lead, requester in (
            ("c1", "childrens_social_care", "criminal_court"),
            ("c2", "yos", "criminal_court"),
            ("c3", "early_help", "case_worker"),
        ):
            conn.execute(
                text(
                    "INSERT INTO cases VALUES (:id, :ref, 'Tamsin Orrel', '2011-02-03', :lead, "
                    "'Wren Abbot', '[]', :requester, '2024-01-05', 0, "
                    "'in_assessment', '2024-01-05T10:00:00+00:00', "
                    "'2024-09-12T10:00:00+00:00', '', NULL, NULL)"
                ),
                {"id": case_id, "ref": f"OLD-{case_id}", "lead": lead, "requester": requester},
            )
    old.close()
    reopened = Store(path, key)
    try:
        migrate.upgrade(reopened, tmp_path / "backups")
        with reopened.engine.connect() as conn:
            reasons = {
                c: CaseRepository(conn).get(c).lead_agency_reason for c in ("c1", "c2", "c3")
            }
            social_worker = CaseRepository(conn).get("c1").social_worker
        assert reasons == {"c1": UNRECORDED_LEAD_REASON, "c2": "", "c3": ""}
        assert social_worker == ""
    finally:
        reopened.close()
