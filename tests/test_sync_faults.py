"""Faults on the shared folder, with real folders and real profiles: a write that fails part-way,
the share going away between deliveries, two writers at once, and a round killed outright."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import pytest

from aim3desk.config import load_settings
from aim3desk.services.profile import ProfileService
from aim3desk.services.session import Session
from aim3desk.services.sync import FileClashError, SyncBusyError, write_once
from aim3desk.services.sync.write_once import rename_without_replacing
from bundle_people import FAST_KDF, PASSPHRASE, introduce, new_person
from sync_people import Pair, make_pair, queue_assessment, share_files


@pytest.fixture
def pair(tmp_path: Path):
    made = make_pair(tmp_path)
    yield made
    made.close()


def failing_after(limit: int):
    """A write function that puts `limit` bytes into the file, then fails as a full disk."""

    def write(handle: BinaryIO, data: bytes) -> None:
        handle.write(data[:limit])
        handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    return write


def test_a_write_failing_after_n_bytes_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "to"
    folder.mkdir()
    data = os.urandom(200_000)
    for limit in (0, 1, 4095, 4096, 65_536, 199_999, 200_000):
        with pytest.raises(OSError, match="No space"):
            write_once(folder, "x.aim3bundle", data, failing_after(limit))
        assert list(folder.iterdir()) == []  # no final file and no temporary left behind
    placed = write_once(folder, "x.aim3bundle", data)
    assert not placed.already_there and placed.path.read_bytes() == data
    assert write_once(folder, "x.aim3bundle", data).already_there
    with pytest.raises(FileClashError, match="different file"):
        write_once(folder, "x.aim3bundle", data[:-1])
    assert placed.path.read_bytes() == data  # never replaced


def test_the_rename_fallback_never_replaces(tmp_path: Path) -> None:
    source, target = tmp_path / "a", tmp_path / "b"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        rename_without_replacing(source, target)
    assert target.read_bytes() == b"old" and source.exists()
    target.unlink()
    rename_without_replacing(source, target)
    assert target.read_bytes() == b"new" and not source.exists()


def test_a_delivery_failing_part_way_stays_queued(pair: Pair, tmp_path: Path) -> None:
    queue_assessment(pair, tmp_path / "out")
    [entry] = pair.alex.sync.outbox()
    queued_hash = entry.sha256
    now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    limits = (0, 10, 1000, 50_000, 10**9)  # the last writes everything, then fails
    for attempt, limit in enumerate(limits, start=1):
        pair.alex.sync.file_writer = failing_after(limit)
        [failure] = pair.alex.sync.round(pair.share, now=now).failures
        assert "No space left" in failure.message
        assert [f for f in share_files(pair.share) if "/to/" in f] == []  # no file, no temp
        [entry] = pair.alex.sync.outbox()
        assert entry.delivered_at is None and entry.attempts == attempt
        now += timedelta(hours=2)
    pair.alex.sync.file_writer = lambda handle, data: handle.write(data)
    [delivered] = pair.alex.sync.round(pair.share, now=now).delivered
    [path] = [pair.share / f for f in share_files(pair.share) if "/to/" in f]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == queued_hash
    assert delivered.bundle_id == entry.bundle_id
    [entry] = pair.alex.sync.outbox()
    assert entry.delivered_at is not None


def test_the_share_going_away_between_deliveries(pair: Pair, tmp_path: Path) -> None:
    for index in range(3):
        queue_assessment(pair, tmp_path / "out", demo_index=index)
    moved = tmp_path / "elsewhere"
    calls = []

    def unmount_on_second(handle: BinaryIO, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) == 2:
            pair.share.rename(moved)  # the drive goes away while a file is being written
        handle.write(data)

    pair.alex.sync.file_writer = unmount_on_second
    result = pair.alex.sync.round(pair.share)
    assert len(result.delivered) == 1 and result.stopped and result.offline
    assert not result.failures  # the share's absence is not the entries' fault
    pending = [e for e in pair.alex.sync.outbox() if e.delivered_at is None]
    assert len(pending) == 2 and all(e.attempts == 0 for e in pending)
    visible = [f for f in share_files(moved) if "/to/" in f and not Path(f).name.startswith(".")]
    assert len(visible) == 1  # the delivered one; a write cut off is only a hidden temp file
    moved.rename(pair.share)
    leftovers = [pair.share / f for f in share_files(pair.share) if f.endswith(".part")]
    for leftover in leftovers:  # left by the write the unmount cut off, long ago
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    pair.alex.sync.file_writer = lambda handle, data: handle.write(data)
    assert len(pair.alex.sync.round(pair.share).delivered) == 2
    assert not [f for f in share_files(pair.share) if f.endswith(".part")]  # cleaned up
    taken = pair.sam.sync.round(pair.share)
    assert sorted(o.status for o in taken.collected) == ["imported"] * 3


def test_two_profiles_deliver_at_once(pair: Pair, tmp_path: Path) -> None:
    casey = new_person(tmp_path, "Casey Fictionalperson")
    try:
        sam_for_casey = introduce(casey, pair.sam)
        introduce(pair.sam, casey)
        queue_assessment(pair, tmp_path / "out")
        from aim3desk.services.demo import add_demo_cases

        case = add_demo_cases(casey, count=1)[0]
        exported = casey.bundles.export_assessment(case.reference, [sam_for_casey], tmp_path)
        casey.sync.queue(
            exported.path.read_bytes(), exported.path.name, exported.manifest.bundle_id,
            [sam_for_casey],
        )  # fmt: skip
        results: dict[str, object] = {}
        start = threading.Barrier(3)

        def run(name: str, session) -> None:
            start.wait()
            results[name] = session.sync.round(pair.share)

        threads = [
            threading.Thread(target=run, args=("alex", pair.alex)),
            threading.Thread(target=run, args=("casey", casey)),
            threading.Thread(target=run, args=("sam", pair.sam)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results["alex"].delivered) == len(results["casey"].delivered) == 1
        pair.sam.sync.round(pair.share)
        assert len(pair.sam.bundles.received()) == 2
        # one profile cannot run two rounds at once
        queue_assessment(pair, tmp_path / "out", demo_index=1)
        gate, release = threading.Event(), threading.Event()

        def slow(handle: BinaryIO, data: bytes) -> None:
            gate.set()
            release.wait()
            handle.write(data)

        pair.alex.sync.file_writer = slow
        first = threading.Thread(target=pair.alex.sync.round, args=(pair.share,))
        first.start()
        gate.wait()
        with pytest.raises(SyncBusyError):
            pair.alex.sync.round(pair.share)
        release.set()
        first.join()
    finally:
        casey.close()


def test_the_same_file_written_by_racing_writers(tmp_path: Path) -> None:
    data = os.urandom(300_000)
    outcomes: list[object] = []
    start = threading.Barrier(6)

    def write(payload: bytes) -> None:
        start.wait()
        try:
            outcomes.append(write_once(tmp_path, "race.aim3bundle", payload).already_there)
        except FileClashError:
            outcomes.append("clash")

    payloads = [data] * 4 + [data[::-1]] * 2
    threads = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = (tmp_path / "race.aim3bundle").read_bytes()
    assert written in (data, data[::-1])
    assert outcomes.count(False) == 1  # exactly one writer created it
    assert [p.name for p in tmp_path.iterdir()] == ["race.aim3bundle"]


def _sync_process(profile: Path, share: Path | str, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "AIM3DESK_PASSPHRASE": PASSPHRASE,
        "AIM3DESK_POLICY": str(tmp_path / "no-policy.toml"),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aim3desk",
            "--profile",
            str(profile),
            "sync",
            "--share",
            str(share),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_a_round_killed_at_several_points(pair: Pair, tmp_path: Path) -> None:
    """SIGKILL the `aim3desk sync` process of each side at growing moments, then run normal
    rounds: every queued bundle is on the share once, whole, and imported once."""
    queued = {queue_assessment(pair, tmp_path / "out", demo_index=i) for i in range(3)}
    alex_dir, sam_dir = pair.alex.profile_dir, pair.sam.profile_dir
    pair.close()
    for delay in (0.3, 0.8, 1.2, 1.6, 2.0, 2.5, 3.0):
        for profile in (alex_dir, sam_dir):
            process = _sync_process(profile, str(pair.share), tmp_path)
            time.sleep(delay)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait()
    alex = reopen_at(alex_dir)
    sam = reopen_at(sam_dir)
    try:
        alex.sync.round(pair.share)
        sam.sync.round(pair.share)
        entries = alex.sync.outbox()
        assert {e.bundle_id for e in entries} == queued
        assert all(e.delivered_at is not None for e in entries)
        on_share = [pair.share / f for f in share_files(pair.share) if "/to/" in f]
        assert len(on_share) == 3  # nothing duplicated
        by_hash = {e.sha256 for e in entries}
        assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in on_share} == by_hash
        received = [b.bundle_id for b in sam.bundles.received()]
        assert sorted(received) == sorted(queued)  # nothing lost, nothing twice
        assert alex.audit.verify().ok and sam.audit.verify().ok
    finally:
        alex.close()
        sam.close()


def reopen_at(folder: Path) -> Session:
    return ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF).unlock(PASSPHRASE)
