"""Issue 15, damaged stores: a key file with a missing, empty or cut-short store.db is damage,
never a new empty profile; the messages say only what is known (never "belongs to another
profile" as a guess) and offer a backup only when the profile has one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from aim3desk import cli
from aim3desk.services.errors import StoreCorrupt, StoreKeyError
from aim3desk.services.profile import ProfileService
from aim3desk.services.store_advice import newest_backup
from bundle_people import FAST_KDF, PASSPHRASE

NO_BACKUP = "This profile has no backup of its own yet"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("damage") / "pristine"
    ProfileService(folder, kdf=FAST_KDF).create(PASSPHRASE, "Ida Testmoor")[0].close()
    return folder


@pytest.fixture
def profile(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profile"
    shutil.copytree(pristine, folder)
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    return folder


def unlock_error(folder: Path) -> Exception:
    with pytest.raises((StoreCorrupt, StoreKeyError)) as raised:
        ProfileService(folder).unlock(PASSPHRASE)
    return raised.value


@pytest.mark.parametrize("size", [0, 1, 5000])
def test_a_cut_short_store_is_damage_not_a_new_profile(
    profile: Path, size: int, capsys: pytest.CaptureFixture[str]
) -> None:
    store = profile / "store.db"
    with store.open("r+b") as handle:
        handle.truncate(size)
    error = unlock_error(profile)
    assert isinstance(error, StoreCorrupt)
    assert "is damaged" in str(error) and "another profile" not in str(error)
    assert NO_BACKUP in str(error) and "do not create a new profile there" in str(error)
    code = cli.main(["--profile", str(profile), "cases"])
    err = capsys.readouterr().err
    assert code == 1 and "No cases yet" not in err and "is damaged" in err
    assert store.stat().st_size == size  # nothing was made in its place


def test_a_missing_store_is_damage_and_nothing_is_created(profile: Path) -> None:
    (profile / "store.db").unlink()
    error = unlock_error(profile)
    assert isinstance(error, StoreCorrupt)
    assert f"The profile's database (store.db) is missing from {profile}." in str(error)
    assert NO_BACKUP in str(error)
    assert not (profile / "store.db").exists()


def test_a_backup_is_named_only_when_there_is_one(profile: Path) -> None:
    backup = profile / "backups" / "store-before-0009-20260101T000000Z.db"
    shutil.copyfile(profile / "store.db", backup)
    assert newest_backup(profile) == backup
    (profile / "store.db").write_bytes(b"")
    error = str(unlock_error(profile))
    assert f"The newest backup is {backup}" in error and NO_BACKUP not in error
    # The advice is true: the backup, copied over store.db, opens with this profile's key.
    shutil.copyfile(backup, profile / "store.db")
    ProfileService(profile).unlock(PASSPHRASE).close()


def test_another_database_is_not_guessed_to_be_another_profile(
    profile: Path, pristine: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    ProfileService(other, kdf=FAST_KDF).create(PASSPHRASE, "Osric Samplewell")[0].close()
    shutil.copyfile(other / "store.db", profile / "store.db")
    error = unlock_error(profile)
    assert isinstance(error, StoreKeyError)
    assert "it is damaged, or it is not this profile's database" in str(error)
    plain = profile / "store.db"
    plain.unlink()
    with sqlite3.connect(plain) as conn:  # a plain SQLite file, page-sized
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert "is a database that is not encrypted" in str(unlock_error(profile))
