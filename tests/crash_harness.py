"""The crash-safety harness: a real child process does one path of the app (a save, a
passphrase change, a migration, an import, a bundle import, a sync round) and is killed with
SIGKILL at a random moment; then the profile is opened again and checked:

- every write the child acknowledged (an "ack" line, written after the call returned) is there;
- the database passes PRAGMA integrity_check and the audit chain (and its signed head)
  verifies;
- profile.key opens with exactly one of the passphrases in play (the old or the new);
- no file in the profile folder opens with a retired one, even before that unlock, and after
  it none opens with any passphrase but the current one (every file that reads as a key file
  is tried: backups, temporary copies, anything left behind); no temporary copy of the key
  file is left.

Delays are drawn from a seeded generator (AIM3DESK_CRASH_SEED, recorded with each failure)
over the length of an unkilled run of the same path, measured first. The child is forked from
a warm process (tests/crash_child.py), so a run costs a fork rather than a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aim3desk.security.key_copies import temporary_copies
from aim3desk.security.keyfile import KEY_FILE_NAME, KeyFile, KeyFileError, wipe
from aim3desk.services.session import Session
from crash_child import open_profile
from key_probe import files_opening_with

CHILD = Path(__file__).with_name("crash_child.py")
SRC = Path(__file__).resolve().parents[1] / "src"
RUNS_ENV = "AIM3DESK_CRASH_RUNS"
SEED_ENV = "AIM3DESK_CRASH_SEED"


def runs_wanted(default: int) -> int:
    return int(os.environ.get(RUNS_ENV, default))


def seed() -> int:
    return int(os.environ.get(SEED_ENV, "15"))


@dataclass
class Tally:
    """What one path's runs found."""

    path: str
    runs: int = 0
    mid_write: int = 0  # killed between a step's begin and its ack, or while opening
    finished: int = 0  # the work was over before the kill came
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def fail(self, run: int, delay: float, what: str) -> None:
        self.failures.append(f"run {run} (delay {delay:.4f}s, seed {seed()}): {what}")

    def line(self) -> str:
        per_run = self.seconds / self.runs if self.runs else 0.0
        return (
            f"{self.path}: {self.runs} runs, {self.mid_write} killed mid-write, "
            f"{self.finished} finished first, {len(self.failures)} failures, "
            f"{per_run:.3f} s per run"
        )


class Zygote:
    """The warm child process that forks one worker per run."""

    def __init__(self, log: Path):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(SRC), str(CHILD.parent)])
        self._log = log.open("ab")
        self._proc = subprocess.Popen(
            [sys.executable, str(CHILD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=env,
            text=True,
        )
        assert self._proc.stdout is not None
        if self._proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the crash-harness child did not start; see its log")

    def run(self, job: dict[str, Any], delay: float | None) -> bool:
        """Run `job` in a fresh worker and SIGKILL it after `delay` seconds (None: let it
        finish). True if the worker was still running when the kill came."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(job) + "\n")
        self._proc.stdin.flush()
        pid = int(self._proc.stdout.readline())
        running = False
        if delay is not None:  # else "reap" below waits for the worker to finish
            time.sleep(delay)
            running = _still_running(pid)
            os.kill(pid, signal.SIGKILL)  # not yet reaped, so the pid is still this worker
        self._proc.stdin.write("reap\n")
        self._proc.stdin.flush()
        status = int(self._proc.stdout.readline())
        if delay is None and os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"the unkilled {job['path']} run failed; see the child log")
        return running

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait()
        self._log.close()


def _still_running(pid: int) -> bool:
    """Whether the worker has not yet exited (a zombie, waiting to be reaped, has)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@contextmanager
def zygote(log: Path) -> Iterator[Zygote]:
    started = Zygote(log)
    try:
        yield started
    finally:
        started.close()


def read_acks(path: Path) -> tuple[list[str], list[str]]:
    """(begun, acknowledged) steps of a run, in order."""
    begun, acked = [], []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, _, what = line.partition(" ")
            (begun if kind == "begin" else acked).append(what)
    return begun, acked


def opens_with(key_path: Path, passphrase: str) -> bool:
    try:
        wipe(KeyFile.load(key_path).unlock(passphrase))
    except KeyFileError:
        return False
    return True


def open_checked(
    folder: Path, candidates: list[str], fail: Any
) -> tuple[Session, str] | tuple[None, None]:
    """Open the profile as the next unlock would and check it (see the module's notes);
    `fail(what)` records each problem. The open session (caller closes) and its passphrase."""
    opening = [p for p in dict.fromkeys(candidates) if opens_with(folder / KEY_FILE_NAME, p)]
    if len(opening) != 1:
        fail(f"profile.key opens with {len(opening)} of the {len(candidates)} passphrases")
        return None, None
    current = opening[0]
    # `candidates` in the order they were set: those before the current one are retired, and
    # the order of writes leaves them no copy even before the next unlock tidies. (One after
    # it was being set when the kill came: never acknowledged, its copies go at the unlock.)
    for retired in candidates[: candidates.index(current)]:
        if opened := files_opening_with(folder, retired):
            fail(f"before the next unlock, a retired passphrase opens {[p.name for p in opened]}")
    try:
        session = open_profile(folder, current)
    except Exception as exc:
        fail(f"unlock failed: {type(exc).__name__}: {exc}")
        return None, None
    try:
        session.check_integrity()
        verified = session.audit.verify()
        if not verified.ok:
            fail(f"audit trail: {verified.message}")
    except Exception as exc:
        fail(f"check failed: {type(exc).__name__}: {exc}")
    for retired in set(candidates) - {current}:
        if opened := files_opening_with(folder, retired):
            fail(f"a retired passphrase still opens {[p.name for p in opened]}")
    if leftovers := temporary_copies(folder / KEY_FILE_NAME):
        fail(f"temporary key copies left: {[p.name for p in leftovers]}")
    return session, current


def delays(rng: random.Random, longest: float, runs: int) -> list[float]:
    return [rng.uniform(0.0, longest) for _ in range(runs)]


def measure(zyg: Zygote, job: dict[str, Any]) -> float:
    """How long an unkilled run of `job` takes (the range the kill delays are drawn from)."""
    started = time.perf_counter()
    zyg.run(job, None)
    return time.perf_counter() - started
