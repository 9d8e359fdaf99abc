"""One profile used by several processes at once, for the concurrent-use tests: a real
encrypted profile in a folder, case files it does not hold yet, and the command line started
as separate processes on it (each unlocks the profile for itself, as a person's would)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import aim3desk
from aim3desk.security.kdf import KdfParams
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService, Session

FAST_KDF = KdfParams(8192, 1, 1)
PASSPHRASE = "ochre lantern tidal quibble meadow"
BUSY_WAIT = "2"  # seconds a command waits for another's change before saying it is busy
HANG_GUARD = 300  # seconds: a command still running then has hung (no assertion on time)
SOURCE = str(Path(aim3desk.__file__).resolve().parents[1])


@dataclass(frozen=True)
class SharedProfile:
    folder: Path  # the profile every process opens
    held: str  # the reference of a case the profile holds
    files: tuple[Path, ...]  # plain exports of cases it does not hold yet
    env: dict[str, str]  # what each command runs with


@dataclass(frozen=True)
class Finished:
    code: int
    out: str
    err: str


def make_shared_profile(root: Path, files: int) -> SharedProfile:
    """A profile holding one invented case, and `files` export files of other invented
    cases (from a second profile) to import into it."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([SOURCE, os.environ.get("PYTHONPATH", "")]),
        "AIM3DESK_PASSPHRASE": PASSPHRASE,
        "AIM3DESK_POLICY": str(root / "no-policy.toml"),
        "AIM3DESK_BUSY_WAIT": BUSY_WAIT,
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("AIM3DESK_PROFILE", None)
    target, _recovery = ProfileService(root / "profile", kdf=FAST_KDF).create(
        PASSPHRASE, "Alex Testworker"
    )
    with target:
        held = add_demo_cases(target, 1)[0].reference
    source, _recovery = ProfileService(root / "source", kdf=FAST_KDF).create(
        PASSPHRASE, "Sam Sourceworker"
    )
    folder = root / "files"
    folder.mkdir()
    with source:  # seeded apart from the profile's own case, and numbered after it
        cases = add_demo_cases(source, files + 1, seed=7)[1:]
        paths = tuple(
            source.exchange.export_case(case.reference, folder / f"{n}.json")[1]
            for n, case in enumerate(cases)
        )
    return SharedProfile(root / "profile", held, paths, env)


def start(shared: SharedProfile, *args: str | Path) -> subprocess.Popen[str]:
    """`aim3desk --profile PROFILE ARGS...` as a process of its own."""
    command = [sys.executable, "-m", "aim3desk", "--profile", str(shared.folder)]
    return subprocess.Popen(
        [*command, *map(str, args)],
        env=shared.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> Finished:
    out, err = process.communicate(timeout=HANG_GUARD)
    return Finished(process.returncode, out, err)


def run_together(shared: SharedProfile, commands: list[tuple[str | Path, ...]]) -> list[Finished]:
    """Start every command at once and wait for them all."""
    processes = [start(shared, *args) for args in commands]
    return [finish(p) for p in processes]


def crash_reports(shared: SharedProfile) -> list[Path]:
    return sorted((shared.folder / "logs").glob("crash-*"))


@dataclass(frozen=True)
class ProfileState:
    references: frozenset[str]
    imports: Counter[str]  # case.import entries per case reference
    actions: Counter[str]  # every audit entry's action
    trail_ok: bool
    trail_message: str


def profile_state(shared: SharedProfile) -> ProfileState:
    """What the profile holds, read by opening it once more (its head checked as it opens)."""
    with ProfileService(shared.folder).unlock(PASSPHRASE) as session:
        return _state_of(session)


def _state_of(session: Session) -> ProfileState:
    entries = session.audit.entries()
    check = session.audit.verify()
    return ProfileState(
        frozenset(s.reference for s in session.cases.list_cases()),
        Counter(e.target for e in entries if e.action == "case.import"),
        Counter(e.action for e in entries),
        check.ok,
        check.message,
    )
