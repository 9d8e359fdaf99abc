"""Key file changes: every one audited, no copy left that opens with a retired secret, and a
change cut short between the store and the key file reconciled at the next unlock. The cuts
are made here by stopping between the steps; tests/test_crash_safety.py kills real processes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from aim3desk.security.keyfile import KdfParams, KeyFile
from aim3desk.services.key_changes import (
    CHANGE_NOT_MADE_ACTION,
    CHANGED_UNRECORDED_ACTION,
    INSTALLED_FACT,
    PENDING_FACT,
    announce,
)
from aim3desk.services.profile import ProfileService
from key_probe import files_opening_with

FAST_KDF = KdfParams(8192, 1, 1)
OLD = "first passphrase of the test"
NEW = "second passphrase of the test"


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProfileService:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    made = ProfileService(tmp_path / "profile", kdf=FAST_KDF)
    made.create(OLD, "Keystone Tester")[0].close()
    return made


def actions(service: ProfileService, passphrase: str) -> list[str]:
    with service.unlock(passphrase) as session:
        return [entry.action for entry in session.audit.entries()]


def announced_change(service: ProfileService) -> KeyFile:
    """The first step of a passphrase change alone (services/key_changes.py): its audit entry
    and the key file it announces committed; the draft, not yet installed."""
    with service.unlock(OLD) as session:
        draft = KeyFile.load(service.key_path).with_passphrase(session._key, NEW)
        with session._uow.write() as tx:
            tx.audit(session.practitioner, "passphrase.change", session.profile_id, {})
            announce(tx, draft)
    return draft


def test_a_change_is_audited_and_leaves_no_copy_under_the_old_passphrase(
    service: ProfileService,
) -> None:
    with service.unlock(OLD) as session:
        session.change_passphrase(OLD, NEW)
        entries = [e.action for e in session.audit.entries()]
    assert entries[-1] == "passphrase.change"
    assert files_opening_with(service.profile_dir, OLD) == []
    assert {p.name for p in files_opening_with(service.profile_dir, NEW)} == {
        "profile.key",
        "profile.key.bak",
    }
    assert not [p for p in service.profile_dir.iterdir() if p.name.endswith(".aim3tmp")]


def test_old_copies_left_beside_the_key_file_are_removed_at_unlock(
    service: ProfileService,
) -> None:
    """What a killed change of an earlier version left: a backup and temporary copies that
    still open with the retired passphrase."""
    old_bytes = service.key_path.read_bytes()
    with service.unlock(OLD) as session:
        session.change_passphrase(OLD, NEW)
    service.key_path.with_name("profile.key.bak").write_bytes(old_bytes)
    for stem in ("profile.key", "profile.key.bak"):
        (service.profile_dir / f".{stem}.x1y2z3.aim3tmp").write_bytes(old_bytes)
    assert len(files_opening_with(service.profile_dir, OLD)) == 3

    with service.unlock(NEW):
        pass
    assert files_opening_with(service.profile_dir, OLD) == []
    assert KeyFile.load(service.key_path.with_name("profile.key.bak")).unlock(NEW)


def test_a_change_announced_but_never_written_is_said_not_made(
    service: ProfileService,
) -> None:
    """Killed after the audit entry committed, before the key file was switched."""
    announced_change(service)
    trail = actions(service, OLD)
    assert trail[-3:] == ["passphrase.change", "profile.unlock", CHANGE_NOT_MADE_ACTION]
    with service.unlock(OLD) as session, session._uow.read() as tx:
        assert tx.profile_facts()[PENDING_FACT] == ""


def test_a_change_written_but_not_confirmed_needs_no_second_entry(
    service: ProfileService,
) -> None:
    """Killed after the switch, before the store recorded the key file as installed."""
    announced_change(service).install()
    trail = actions(service, NEW)
    assert trail[-2:] == ["passphrase.change", "profile.unlock"]
    with service.unlock(NEW) as session, session._uow.read() as tx:
        facts = tx.profile_facts()
    assert facts[INSTALLED_FACT] == KeyFile.load(service.key_path).fingerprint
    assert facts[PENDING_FACT] == ""


def test_a_key_file_changed_behind_the_apps_back_is_recorded(
    service: ProfileService, tmp_path: Path
) -> None:
    """An older key file restored by hand (here: the one from before a change)."""
    kept = tmp_path / "kept.key"
    shutil.copyfile(service.key_path, kept)
    with service.unlock(OLD) as session:
        session.change_passphrase(OLD, NEW)
    shutil.copyfile(kept, service.key_path)
    with service.unlock(OLD) as session:
        last = session.audit.entries()[-1]
    assert last.action == CHANGED_UNRECORDED_ACTION
    assert last.detail == {"parts": ["passphrase"]}
    assert files_opening_with(service.profile_dir, NEW) == []  # the backup follows the key


def test_a_recovery_unlock_audits_its_new_passphrase(service: ProfileService) -> None:
    recovery_dir = service.profile_dir.parent / "second"
    other = ProfileService(recovery_dir, kdf=FAST_KDF)
    session, recovery = other.create(OLD, "Second Tester")
    session.close()
    with other.unlock_with_recovery(recovery, NEW) as session:
        last = session.audit.entries()[-1]
    assert (last.action, last.detail) == ("passphrase.change", {"via": "recovery"})
    assert files_opening_with(recovery_dir, OLD) == []


def test_other_temporary_files_left_by_a_kill_go_once_stale(service: ProfileService) -> None:
    stale = service.profile_dir / ".audit-head.json.k9j8h7.aim3tmp"
    fresh = service.profile_dir / ".settings.json.a1b2c3.aim3tmp"  # another window's write
    for leftover in (stale, fresh):
        leftover.write_text("{}")
    os.utime(stale, (1_000_000_000, 1_000_000_000))
    with service.unlock(OLD):
        pass
    assert not stale.exists()
    assert fresh.exists()
