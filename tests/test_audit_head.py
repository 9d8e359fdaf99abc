"""The signed end of the audit trail outside the database (audit-head.json): kept after every
audited write, and compared with the database at unlock, by the trail check after unlock and
by `aim3desk selftest --audit`. Real profiles, real SQLCipher files, real signatures."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from aim3desk import cli
from aim3desk.config import load_settings
from aim3desk.security.identity import SecretIdentity
from aim3desk.services.audit_head import (
    HEAD_FILE_NAME,
    HEAD_KEPT_FACT,
    HEAD_MISMATCH_ACTION,
    HEAD_START_ACTION,
    head_document,
)
from aim3desk.services.profile import ProfileService
from aim3desk.services.selftest import check_audit_trail
from aim3desk.services.session import Session
from aim3desk.store.audit import AuditHead
from bundle_people import FAST_KDF, PASSPHRASE
from tampering import append_audit_entries, raw_store, remove_last_audit_entries

NAME = "Wrenna Calloway-Test"
STORE_FILES = ("store.db", "store.db-wal", "store.db-shm")


def service(folder: Path) -> ProfileService:
    return ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF)


def do_work(session: Session, entries: int) -> None:
    for n in range(entries):
        session.audit.append(session.practitioner, "case.edit", f"REF-{n}", {"fields": ["x"]})


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    profile = tmp_path / "profile"
    session, _recovery = service(profile).create(PASSPHRASE, NAME)
    with session:
        do_work(session, 4)
    return profile


def head_of(folder: Path) -> dict:
    return json.loads((folder / HEAD_FILE_NAME).read_text(encoding="utf-8"))


def mismatches(session: Session) -> list[dict]:
    return [e.detail for e in session.audit.entries() if e.action == HEAD_MISMATCH_ACTION]


def failed_check(folder: Path) -> tuple[str, dict]:
    """Unlock: the trail check must fail; what it says, and the one mismatch recorded."""
    with service(folder).unlock(PASSPHRASE) as session:
        found = session.audit.verify()
        assert not found.ok
        assert not check_audit_trail(session).ok  # selftest --audit says the same
        assert session.cases.list_cases() == []  # never kept from their cases
        (recorded,) = mismatches(session)
    return found.message, recorded


def test_a_clean_profile_keeps_a_signed_content_free_head(folder: Path) -> None:
    head_file = folder / HEAD_FILE_NAME
    assert head_file.stat().st_mode & 0o777 == 0o600
    with service(folder).unlock(PASSPHRASE) as session:
        found = session.audit.verify()
        assert found.ok, found.message
        assert found.message.endswith("entries) and matches its signed head.")
        assert mismatches(session) == []
        assert session.store.engine  # the profile opened as usual
        entries = session.audit.entries()
        head = head_of(folder)
        assert (head["count"], head["seq"], head["hash"]) == (
            len(entries),
            entries[-1].seq,
            entries[-1].hash,
        )
        assert head["profile_id"] == session.profile_id
        do_work(session, 1)  # every audited commit moves the head
        assert head_of(folder)["count"] == len(entries) + 1
        assert check_audit_trail(session).ok
    text_of_head = head_file.read_text(encoding="utf-8")
    assert NAME not in text_of_head and "REF-" not in text_of_head
    assert set(head_of(folder)) == {
        "format",
        "profile_id",
        "count",
        "seq",
        "hash",
        "written_at",
        "signature",
    }


def test_removed_last_entries_are_reported_at_unlock_and_recorded(folder: Path) -> None:
    remove_last_audit_entries(folder, PASSPHRASE, 2)
    message, recorded = failed_check(folder)
    assert message == (
        "The last 2 audit entries have been removed, or an older copy of the database has "
        "been restored."
    )
    assert recorded["problem"] == "removed"
    assert recorded["expected"] - recorded["found"] == 2
    with service(folder).unlock(PASSPHRASE) as session:  # recorded once; the head moved on
        assert session.audit.verify().ok
        assert len(mismatches(session)) == 1


def put_back(aside: Path, folder: Path) -> None:
    for name in STORE_FILES:
        (folder / name).unlink(missing_ok=True)
        if (aside / name).exists():
            shutil.copy2(aside / name, folder / name)


def copy_aside(folder: Path, aside: Path) -> None:
    aside.mkdir()
    for name in STORE_FILES:
        if (folder / name).exists():
            shutil.copy2(folder / name, aside / name)


def test_an_older_copy_of_the_database_put_back_is_reported(folder: Path, tmp_path: Path) -> None:
    copy_aside(folder, tmp_path / "aside")
    with service(folder).unlock(PASSPHRASE) as session:
        do_work(session, 3)
    put_back(tmp_path / "aside", folder)
    message, recorded = failed_check(folder)
    # the unlock and 3 entries of work since the copy
    assert message == (
        "The last 4 audit entries have been removed, or an older copy of the database has "
        "been restored."
    )
    assert recorded["problem"] == "removed"


def test_an_older_copy_used_for_more_work_is_still_reported(folder: Path, tmp_path: Path) -> None:
    copy_aside(folder, tmp_path / "aside")
    with service(folder).unlock(PASSPHRASE) as session:
        do_work(session, 3)
    put_back(tmp_path / "aside", folder)
    append_audit_entries(folder, PASSPHRASE, 6)  # more entries than the head counts
    message, recorded = failed_check(folder)
    assert message == (
        "The database is not the one this profile last wrote (an older copy was restored and used)."
    )
    assert recorded["problem"] == "replaced"
    assert recorded["found"] > recorded["expected"]


def test_an_edited_head_file_is_reported(folder: Path) -> None:
    head = head_of(folder)
    head["count"] -= 1
    (folder / HEAD_FILE_NAME).write_text(json.dumps(head), encoding="utf-8")
    message, recorded = failed_check(folder)
    assert "damaged or has been altered" in message and recorded["problem"] == "damaged"


def test_a_head_signed_with_another_key_is_reported(folder: Path) -> None:
    head = head_of(folder)
    forged = AuditHead(head["count"], head["seq"], head["hash"])
    text_of_head = head_document(
        forged, head["profile_id"], SecretIdentity.generate(), datetime.now(UTC)
    )
    (folder / HEAD_FILE_NAME).write_text(text_of_head, encoding="utf-8")
    assert "does not carry this profile's signature" in failed_check(folder)[0]


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[]", b"\xff\xfe" * 5000])
def test_a_damaged_head_file_is_reported(folder: Path, garbage: bytes) -> None:
    (folder / HEAD_FILE_NAME).write_bytes(garbage)
    assert "damaged or has been altered" in failed_check(folder)[0]


def test_a_removed_head_file_is_reported(folder: Path) -> None:
    (folder / HEAD_FILE_NAME).unlink()
    message, recorded = failed_check(folder)
    assert "is missing from the profile folder" in message and recorded["problem"] == "missing"
    assert (folder / HEAD_FILE_NAME).exists()  # kept again from here on


def test_a_kill_just_after_the_head_started_is_no_false_alarm(tmp_path: Path) -> None:
    """The head file is written just after the commit of `audit.head_start`: a process killed
    in between leaves none, with nothing committed since that could be hidden."""
    fresh = tmp_path / "started"
    session, _recovery = service(fresh).create(PASSPHRASE, NAME)
    with session:
        assert session.audit.entries()[-1].action == HEAD_START_ACTION
    (fresh / HEAD_FILE_NAME).unlink()  # as a kill before the file was written leaves it
    with service(fresh).unlock(PASSPHRASE) as session:
        assert session.audit.verify().ok
        assert mismatches(session) == []


def test_a_profile_from_before_the_head_gets_its_first_one(folder: Path) -> None:
    """As a profile made before this change: a whole chain, no head file, no fact saying one
    is kept and no entry saying one was started."""
    (folder / HEAD_FILE_NAME).unlink()
    with raw_store(folder, PASSPHRASE) as store, store.engine.begin() as conn:
        guard = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_delete'")
        ).scalar_one()
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        conn.execute(text("DELETE FROM audit_log WHERE seq > 1"))  # from the head's start on
        conn.execute(text("DELETE FROM profile_info WHERE key = :k"), {"k": HEAD_KEPT_FACT})
        conn.execute(text(guard))
    with service(folder).unlock(PASSPHRASE) as session:
        found = session.audit.verify()
        assert found.ok, found.message
        assert mismatches(session) == []
        actions = [e.action for e in session.audit.entries()]
        assert actions == ["profile.create", HEAD_START_ACTION, "profile.unlock"]
    assert head_of(folder)["count"] == 3
    with service(folder).unlock(PASSPHRASE) as session:
        assert session.audit.verify().ok


def run_selftest(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str]:
    code = cli.main(["--profile", str(folder), "selftest", "--audit", *args])
    return code, capsys.readouterr().out


def test_selftest_audit_reports_removed_entries(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    code, out = run_selftest(capsys, folder)
    assert code == 0, out
    assert re.search(r"^PASS  audit: .* and matches its signed head\.$", out, re.MULTILINE)

    remove_last_audit_entries(folder, PASSPHRASE, 1)
    code, out = run_selftest(capsys, folder, "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    audit = next(c for c in report["checks"] if c["name"] == "audit")
    assert audit == {
        "name": "audit",
        "ok": False,
        "detail": "The last audit entry has been removed, or an older copy of the database "
        "has been restored.",
    }
