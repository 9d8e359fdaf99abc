"""The whole-database integrity check: not on every unlock, but after an unclean shutdown (a
real process killed with the store open), around a migration, in selftest and on demand
(session.check_integrity, which the GUI runs in the background). Real SQLCipher files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import aim3desk
from aim3desk.security.kdf import KdfParams
from aim3desk.security.keyfile import KeyFile
from aim3desk.services.profile import ProfileService
from aim3desk.services.selftest import check_profile_store
from aim3desk.store import migrate
from aim3desk.store.db import Store, StoreClosed, StoreCorrupt, StoreKeyError
from sqlcipher_pages import PAGE_SIZE, database_pages

PASSPHRASE = "quill lantern orchard seventeen ribbon"
MARKER = "Damageable Rowname"


@pytest.fixture
def key() -> bytearray:
    return bytearray(os.urandom(32))


def fill(store: Store, rows: int = 60) -> None:
    """Rows of a table of their own, spread over many pages, each naming MARKER."""
    with store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS filler (n INTEGER, body TEXT)")
        for n in range(rows):
            conn.exec_driver_sql(
                "INSERT INTO filler VALUES (?, ?)", (n, f"{MARKER} {n:04d} " + "x" * 300)
            )


def filled_store(path: Path, key: bytearray, revision: str | None = None) -> Path:
    """A store at `path` (at `revision`, if given) with the filler rows, cleanly closed."""
    store = Store(path, key, create=True)
    if revision is not None:
        migrate.upgrade(store, path.parent / f"{path.stem}-backups", target=revision)
    fill(store)
    store.close()
    return path


def damage_a_page_holding(path: Path, key: bytes, marker: str) -> int:
    """Flip one byte in the middle of a (not the first) page whose plaintext holds `marker`."""
    wanted = marker.encode()
    number = next(n for n, page in enumerate(database_pages(path, key)) if n > 0 and wanted in page)
    data = bytearray(path.read_bytes())
    data[number * PAGE_SIZE + 200] ^= 0xFF
    path.write_bytes(bytes(data))
    return number


def wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def open_write_and_die(path: Path, key: bytes) -> None:
    """A real process opens the store, writes, and exits without closing it (a crash)."""
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from aim3desk.store.db import Store
        store = Store(Path({str(path)!r}), bytearray.fromhex({key.hex()!r}))
        with store.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS crashed (n INTEGER)")
            conn.exec_driver_sql("INSERT INTO crashed VALUES (1)")
        os._exit(0)
        """
    )
    source = str(Path(aim3desk.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120, env=env)


def test_opening_an_intact_store_checks_the_key_but_not_every_page(
    tmp_path: Path, key: bytearray
) -> None:
    path = filled_store(tmp_path / "store.db", key)
    assert not wal(path).exists()  # a clean close leaves no log behind
    reopened = Store(path, key)
    assert not reopened.unclean_at_open and not reopened.integrity_checked
    reopened.close()
    with pytest.raises(StoreKeyError, match="could not be opened with this profile's key"):
        Store(path, bytearray(os.urandom(32)))


def test_a_damaged_page_opens_but_the_full_check_finds_it(tmp_path: Path, key: bytearray) -> None:
    path = filled_store(tmp_path / "store.db", key)
    damage_a_page_holding(path, bytes(key), MARKER)
    damaged = Store(path, key)  # the key opens it: only pages 1 and the schema are read
    try:
        assert not damaged.integrity_checked
        with pytest.raises(StoreCorrupt, match="failed its integrity check"):
            damaged.check_integrity()
        assert not damaged.integrity_checked
    finally:
        damaged.close()


def test_a_killed_process_makes_the_next_open_run_the_full_check(
    tmp_path: Path, key: bytearray
) -> None:
    path = filled_store(tmp_path / "store.db", key)
    open_write_and_die(path, bytes(key))
    assert wal(path).stat().st_size > 0
    after_crash = Store(path, key)
    assert after_crash.unclean_at_open and after_crash.integrity_checked
    with after_crash.engine.connect() as conn:  # what the killed process committed is there
        assert conn.exec_driver_sql("SELECT n FROM crashed").scalar() == 1
    after_crash.close()
    clean = Store(path, key)  # that open's own clean close: no check the next time
    assert not clean.unclean_at_open and not clean.integrity_checked
    clean.close()


def test_damage_found_at_the_open_after_a_crash(tmp_path: Path, key: bytearray) -> None:
    path = filled_store(tmp_path / "store.db", key)
    open_write_and_die(path, bytes(key))  # writes to a table of its own, not the filler
    damage_a_page_holding(path, bytes(key), MARKER)
    with pytest.raises(StoreCorrupt, match="failed its integrity check"):
        Store(path, key)


def test_a_migration_checks_the_whole_store_and_refuses_a_damaged_one(
    tmp_path: Path, key: bytearray
) -> None:
    path = filled_store(tmp_path / "store.db", key, revision="0001")
    intact = Store(path, key)
    assert not intact.integrity_checked
    backup = migrate.upgrade(intact, tmp_path / "store-backups")
    assert backup is not None and intact.integrity_checked
    intact.close()

    other = filled_store(tmp_path / "other.db", key, revision="0001")
    damage_a_page_holding(other, bytes(key), MARKER)
    damaged = Store(other, key)
    try:
        with pytest.raises(StoreCorrupt):
            migrate.upgrade(damaged, tmp_path / "other-backups")
        assert not list((tmp_path / "other-backups").glob("*.db"))  # nothing copied
        assert migrate.current_revision(damaged) == "0001"  # nor migrated
    finally:
        damaged.close()


def test_closing_stops_a_check_in_progress_and_still_closes_cleanly(
    tmp_path: Path, key: bytearray
) -> None:
    path = tmp_path / "store.db"
    store = Store(path, key, create=True)
    fill(store, rows=3000)
    outcome: list[BaseException | None] = []

    def check() -> None:
        try:
            store.check_integrity()
        except BaseException as exc:  # the outcome is what is tested
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=check)
    worker.start()
    store.close()
    worker.join(timeout=60)
    assert len(outcome) == 1
    assert outcome[0] is None or isinstance(outcome[0], StoreClosed)
    assert not wal(path).exists() or wal(path).stat().st_size == 0
    with pytest.raises(StoreClosed):
        store.check_integrity()


def test_a_profile_check_through_the_session_and_selftest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    folder = tmp_path / "profile"
    session, _recovery = ProfileService(folder).create(
        PASSPHRASE, "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    with session:
        fill(session.store)
    with ProfileService(folder).unlock(PASSPHRASE) as session:
        assert not session.integrity_checked  # the unlock did not read every page
        found = check_profile_store(session)
        assert found.ok and found.name == "integrity"
        assert session.integrity_checked
    data_key = KeyFile.load(folder / "profile.key").unlock(PASSPHRASE)
    damage_a_page_holding(folder / "store.db", bytes(data_key), MARKER)
    with ProfileService(folder).unlock(PASSPHRASE) as session:
        found = check_profile_store(session)
        assert not found.ok
        # A young profile has no backup of its own: the advice says so, and what to do.
        assert "failed its integrity check" in found.detail
        assert "This profile has no backup of its own yet" in found.detail
