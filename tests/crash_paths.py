"""The paths the crash-safety harness kills (tests/crash_harness.py), each with what it sets
up, the job a worker does (tests/crash_child.py) and what must hold afterwards.

The save and passphrase paths keep one profile across their runs, so each run starts from
whatever the kill before it left. The migration, import, bundle import and sync paths start
each run from a fresh copy of a prepared profile (or pair of profiles and share).
"""

from __future__ import annotations

import contextlib
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from aim3desk.services.cases import CaseNotFound
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.errors import CaseAlreadyExists
from aim3desk.services.key_changes import CHANGE_NOT_MADE_ACTION, CHANGED_UNRECORDED_ACTION
from aim3desk.services.session import Session
from aim3desk.store import migrate
from aim3desk.store.db import Store
from bundle_people import PASSPHRASE, introduce, new_person
from crash_child import open_profile
from crash_harness import Tally, delays, measure, open_checked, read_acks, seed, zygote
from sync_people import make_pair, queue_assessment

Fail = Callable[[str], None]


class CrashPath:
    name = ""
    passphrase = PASSPHRASE

    def prepare(self, root: Path) -> None:
        raise NotImplementedError

    def job(self, run: int, work: Path) -> dict[str, Any]:
        raise NotImplementedError

    def check(self, work: Path, begun: list[str], acked: list[str], fail: Fail) -> None:
        raise NotImplementedError


class SavePath(CrashPath):
    """Cases added through the case service, one profile across all runs."""

    name = "save"

    def prepare(self, root: Path) -> None:
        self.profile = root / "profile"
        new_person(root, "Profile Savetester").close()

    def job(self, run: int, work: Path) -> dict[str, Any]:
        return {"profile": str(self.profile), "passphrase": self.passphrase, "steps": 4}

    def check(self, work: Path, begun: list[str], acked: list[str], fail: Fail) -> None:
        session, _ = open_checked(self.profile, [self.passphrase], fail)
        if session is None:
            return
        with session:
            for reference in acked:
                try:
                    session.cases.find_case(reference)
                except CaseNotFound:
                    fail(f"acknowledged case {reference} is missing")


class PassphrasePath(CrashPath):
    """Passphrase changes one after another, one profile across all runs; every change that
    took effect must have its audit entry, and no other passphrase may open any copy."""

    name = "passphrase"

    def prepare(self, root: Path) -> None:
        self.profile = root / "profile"
        new_person(root, "Profile Keytester").close()
        self.current = self.passphrase
        self.switches = 0

    def job(self, run: int, work: Path) -> dict[str, Any]:
        return {"profile": str(self.profile), "passphrase": self.current, "steps": 2}

    def check(self, work: Path, begun: list[str], acked: list[str], fail: Fail) -> None:
        sequence = [self.current, *begun]
        session, current = open_checked(self.profile, sequence, fail)
        if session is None or current is None:
            return
        with session:
            last_acked = acked[-1] if acked else self.current
            allowed = sequence[sequence.index(last_acked) : sequence.index(last_acked) + 2]
            if current not in allowed:
                fail("the profile opens with neither the acknowledged passphrase nor the next")
            self.switches += sequence.index(current)
            self.current = current
            actions = [entry.action for entry in session.audit.entries()]
        made = actions.count("passphrase.change") - actions.count(CHANGE_NOT_MADE_ACTION)
        if made != self.switches:
            fail(f"{self.switches} passphrase changes took effect; the trail records {made}")
        if CHANGED_UNRECORDED_ACTION in actions:
            fail("the key file changed without its change being recorded")


class MigrationPath(CrashPath):
    """A profile whose database is at the first schema, opened (and so migrated)."""

    name = "migration"

    def prepare(self, root: Path) -> None:
        self.template = folder = root / "template"
        new_person(root, "Template Migrator").close()
        data_key = _data_key(folder)
        store_path = folder / "store.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        old = Store(store_path, data_key, create=True)
        migrate.upgrade(old, folder / "backups", target="0001")
        with old.engine.begin() as conn:
            conn.execute(text("INSERT INTO meta VALUES ('practitioner_name', 'Old Migrator')"))
            conn.execute(
                text(
                    "INSERT INTO cases VALUES ('c1', 'OLD-7', 'Invented Oldcase', '2010-01-01', "
                    "'yos', 'Old Migrator', '[]', 'case_worker', '2024-02-01', 0, "
                    "'requested', '2024-02-01T09:00:00+00:00', '2024-02-01T09:00:00+00:00')"
                )
            )
        old.close()
        (folder / "audit-head.json").unlink()  # the head of the newer trail now gone

    def job(self, run: int, work: Path) -> dict[str, Any]:
        shutil.copytree(self.template, work / "profile")
        return {"profile": str(work / "profile"), "passphrase": self.passphrase}

    def check(self, work: Path, begun: list[str], acked: list[str], fail: Fail) -> None:
        folder = work / "profile"
        session, _ = open_checked(folder, [self.passphrase], fail)
        if session is None:
            return
        with session:
            if migrate.current_revision(session.store) != migrate.head_revision():
                fail("the database is not at the newest schema after the next unlock")
            try:
                session.cases.find_case("OLD-7")
            except CaseNotFound:
                fail("the case saved before the migration is missing")
        data_key = _data_key(folder)
        for backup in sorted((folder / "backups").iterdir()):
            try:
                copy = Store(backup, data_key)
                try:
                    copy.check_integrity()
                finally:
                    copy.close()
            except Exception as exc:
                fail(f"backup {backup.name} does not open: {type(exc).__name__}")


class FilesIntoCopy(CrashPath):
    """Files taken in one after another by a fresh copy of a prepared profile each run; the
    acknowledged ones must be held, and every file must go in again after the kill (what was
    cut short imports, what was done is refused or already held)."""

    files: list[str]
    template: Path

    def job(self, run: int, work: Path) -> dict[str, Any]:
        shutil.copytree(self.template, work / "profile")
        return {
            "profile": str(work / "profile"),
            "passphrase": self.passphrase,
            "files": self.files,
        }

    def check(self, work: Path, begun: list[str], acked: list[str], fail: Fail) -> None:
        session, _ = open_checked(work / "profile", [self.passphrase], fail)
        if session is None:
            return
        with session:
            held = self.held(session)
            if missing := [what for what in acked if what not in held]:
                fail(f"acknowledged {self.name} missing: {missing}")
            for name in self.files:
                try:
                    self.retry(session, Path(name))
                except Exception as exc:
                    fail(f"a retried {self.name} failed: {type(exc).__name__}: {exc}")

    def held(self, session: Session) -> set[str]:
        raise NotImplementedError

    def retry(self, session: Session, path: Path) -> None:
        raise NotImplementedError


class ImportPath(FilesIntoCopy):
    """Export files (plain JSON) imported one after another."""

    name = "import"

    def prepare(self, root: Path) -> None:
        source = new_person(root, "Source Exporter")
        exports = root / "exports"
        exports.mkdir()
        self.files = []
        for case in add_demo_cases(source, count=3):
            _, path = source.exchange.export_case_into(case.reference, exports)
            self.files.append(str(path))
        source.close()
        new_person(root, "Template Importer").close()
        self.template = root / "template"

    def held(self, session: Session) -> set[str]:
        return {case.reference for case in session.cases.list_cases()}

    def retry(self, session: Session, path: Path) -> None:
        with contextlib.suppress(CaseAlreadyExists):
            session.exchange.import_case(path)


class BundlePath(FilesIntoCopy):
    """Assessment bundles from a known contact imported one after another."""

    name = "bundle"

    def prepare(self, root: Path) -> None:
        sender = new_person(root, "Bundle Sender")
        receiver = new_person(root, "Template Receiver")
        receiver_fp = introduce(sender, receiver)
        introduce(receiver, sender)
        out = root / "bundles"
        out.mkdir()
        self.files = []
        for case in add_demo_cases(sender, count=2):
            exported = sender.bundles.export_assessment(case.reference, [receiver_fp], out)
            self.files.append(str(exported.path))
        sender.close()
        receiver.close()
        self.template = root / "template"

    def held(self, session: Session) -> set[str]:
        return {record.bundle_id for record in session.bundles.received()}

    def retry(self, session: Session, path: Path) -> None:
        outcome = session.bundles.import_bundle(path.read_bytes())
        if outcome.status not in ("imported", "already-held"):
            raise AssertionError(f"the bundle was {outcome.status}")


class SyncPath(CrashPath):
    """One sync round of the sender, then one of the receiver, over a real share folder;
    a fresh copy of the pair and the share each run."""

    name = "sync"

    def prepare(self, root: Path) -> None:
        (root / "template").mkdir()
        pair = make_pair(root / "template")
        out = root / "out"
        self.queued = {queue_assessment(pair, out, 0), queue_assessment(pair, out, 1)}
        self.sender_name, self.receiver_name = pair.alex.profile_dir.name, pair.sam.profile_dir.name
        pair.close()
        self.template = root / "template"

    def job(self, run: int, work: Path) -> dict[str, Any]:
        shutil.copytree(self.template, work / "pair")
        pair = work / "pair"
        return {
            "sender": str(pair / self.sender_name),
            "receiver": str(pair / self.receiver_name),
            "share": str(pair / "share"),
            "passphrase": self.passphrase,
        }

    def check(self, work: Path, begun: list[str], acked: list[str], fail: Fail) -> None:
        pair = work / "pair"
        acked_received = {
            bundle_id
            for line in acked
            if line.startswith("receiver")
            for bundle_id in line.split()[1:]
        }
        for who in (self.sender_name, self.receiver_name):
            session, _ = open_checked(pair / who, [self.passphrase], fail)
            if session is None:
                return
            with session:
                if who == self.receiver_name:
                    held = {record.bundle_id for record in session.bundles.received()}
                    if missing := acked_received - held:
                        fail(f"acknowledged collected bundles missing: {sorted(missing)}")
                session.sync.round(pair / "share")  # the next round finishes the work
        with open_profile(pair / self.receiver_name, self.passphrase) as receiver:
            received = [record.bundle_id for record in receiver.bundles.received()]
        if sorted(received) != sorted(self.queued):
            fail(f"after the next rounds the receiver holds {len(received)} of 2 bundles")


def _data_key(folder: Path) -> bytearray:
    from aim3desk.security.keyfile import KeyFile

    return KeyFile.load(folder / "profile.key").unlock(PASSPHRASE)


PATHS: dict[str, type[CrashPath]] = {
    path.name: path
    for path in (SavePath, PassphrasePath, MigrationPath, ImportPath, BundlePath, SyncPath)
}


def run_path(name: str, root: Path, runs: int) -> Tally:
    """Prepare the path, measure an unkilled run, then `runs` runs each killed at a random
    moment within that length, checking after each."""
    driver = PATHS[name]()
    tally = Tally(name)
    rng = random.Random(f"{seed()}-{name}")
    driver.prepare(root)
    with zygote(root / "child.log") as child:
        work = root / "unkilled"
        work.mkdir()
        job = {"path": name, "run": 0, "acks": str(work / "acks"), **driver.job(0, work)}
        longest = measure(child, job)
        begun, acked = read_acks(work / "acks")
        driver.check(work, begun, acked, lambda what: tally.fail(-1, 0.0, what))
        for run, delay in enumerate(delays(rng, longest, runs), start=1):
            work = root / f"run-{run:04d}"
            work.mkdir()
            started = time.perf_counter()
            job = {"path": name, "run": run, "acks": str(work / "acks"), **driver.job(run, work)}
            killed = child.run(job, delay)
            begun, acked = read_acks(work / "acks")
            if not killed:
                tally.finished += 1
            elif len(begun) > len(acked):
                tally.mid_write += 1
            failures_before = len(tally.failures)
            driver.check(work, begun, acked, lambda what, r=run, d=delay: tally.fail(r, d, what))
            tally.seconds += time.perf_counter() - started
            tally.runs += 1
            if len(tally.failures) == failures_before:
                shutil.rmtree(work)
    return tally
