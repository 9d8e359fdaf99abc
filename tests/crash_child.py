"""The child side of the crash-safety harness (tests/crash_harness.py).

Run as a program it is a warm "zygote": it imports the app once, then for each job read from
standard input (one JSON line) forks a worker, prints the worker's pid, waits for the line
"reap", reaps the worker and prints its wait status. The parent kills the worker with SIGKILL
in between, so each run costs a fork, not a fresh interpreter. The zygote has no threads and
no open store when it forks.

A worker opens the profile with the real services and does one path's work, appending
"begin X" before and "ack X" after each step to the job's ack file (unbuffered writes, so
a line written survives the kill). Every "ack" marks a call that returned: its work must be
found afterwards.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from aim3desk.config import load_settings
from aim3desk.domain.cases import Case, LeadAgency, Requester, new_id
from aim3desk.security.keyfile import KdfParams
from aim3desk.services.profile import ProfileService
from aim3desk.services.session import Session

FAST_KDF = KdfParams(8192, 1, 1)

Job = dict[str, Any]


def open_profile(folder: Path, passphrase: str) -> Session:
    return ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF).unlock(passphrase)


class Acks:
    def __init__(self, path: str):
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def begin(self, what: str) -> None:
        os.write(self._fd, f"begin {what}\n".encode())

    def ack(self, what: str) -> None:
        os.write(self._fd, f"ack {what}\n".encode())


def harness_case(reference: str) -> Case:
    return Case(
        id=new_id(),
        reference=reference,
        young_person_name="Invented Crashtest",
        date_of_birth=date(2010, 3, 4),
        lead_agency=LeadAgency.YOS,
        lead_worker="Harness Worker",
        requested_by=Requester.SERVICE_MANAGER,
        request_date=date(2024, 5, 6),
    )


def save_path(job: Job, acks: Acks) -> None:
    session = open_profile(Path(job["profile"]), job["passphrase"])
    for step in range(job["steps"]):
        reference = f"CR-{job['run']:04d}-{step:03d}"
        acks.begin(reference)
        session.cases.add_case(harness_case(reference))
        acks.ack(reference)
    session.close()


def passphrase_path(job: Job, acks: Acks) -> None:
    current = job["passphrase"]
    session = open_profile(Path(job["profile"]), current)
    for step in range(job["steps"]):
        new = f"harness passphrase {job['run']:04d} {step:03d}"
        acks.begin(new)
        session.change_passphrase(current, new)
        acks.ack(new)
        current = new
    session.close()


def migration_path(job: Job, acks: Acks) -> None:
    acks.begin("migration")
    open_profile(Path(job["profile"]), job["passphrase"]).close()
    acks.ack("migration")


def import_path(job: Job, acks: Acks) -> None:
    session = open_profile(Path(job["profile"]), job["passphrase"])
    for name in job["files"]:
        acks.begin(name)
        result = session.exchange.import_case(Path(name))
        acks.ack(result.case.reference)
    session.close()


def bundle_path(job: Job, acks: Acks) -> None:
    session = open_profile(Path(job["profile"]), job["passphrase"])
    for name in job["files"]:
        acks.begin(name)
        outcome = session.bundles.import_bundle(Path(name).read_bytes())
        acks.ack(outcome.manifest.bundle_id)
    session.close()


def sync_path(job: Job, acks: Acks) -> None:
    share = Path(job["share"])
    for who in ("sender", "receiver"):
        session = open_profile(Path(job[who]), job["passphrase"])
        acks.begin(who)
        done = session.sync.round(share)
        if who == "sender":
            ids = [item.bundle_id for item in done.delivered]
        else:
            ids = [item.manifest.bundle_id for item in done.collected if item.manifest]
        acks.ack(f"{who} {' '.join(ids)}")
        session.close()


WORKERS: dict[str, Callable[[Job, Acks], None]] = {
    "save": save_path,
    "passphrase": passphrase_path,
    "migration": migration_path,
    "import": import_path,
    "bundle": bundle_path,
    "sync": sync_path,
}


def work(job: Job) -> int:
    os.dup2(2, 1)  # the worker's stdout is the zygote's protocol: keep it clean
    try:
        WORKERS[job["path"]](job, Acks(job["acks"]))
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


def zygote() -> None:
    print("ready", flush=True)  # imported: the parent's timings start from here
    while line := sys.stdin.readline():
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os._exit(work(job))
        print(pid, flush=True)
        sys.stdin.readline()  # "reap": the parent has killed it, or found it finished
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)


if __name__ == "__main__":
    zygote()
