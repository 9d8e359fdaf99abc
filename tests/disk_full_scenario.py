"""Disk-full fault injection, run as a script inside a private mount namespace whose small
tmpfs folders the caller (tests/test_disk_faults.py) mounted: `python disk_full_scenario.py
ROOMY TINY CRAMPED`. ROOMY has room; TINY (a few hundred KiB) is filled to the last byte;
CRAMPED holds a profile and is filled around it.

It prints one JSON object of what it saw (exit codes, messages, files left, whether each
profile opens whole afterwards); the test asserts on it. Real profiles, real files, real
full disks: nothing of our own is replaced or mocked.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from aim3desk import cli
from aim3desk.cli.errors import user_error_sentence
from aim3desk.config import load_settings
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService
from bundle_people import FAST_KDF, PASSPHRASE, introduce

EXPORT_PASSPHRASE = "amber kettle northern willow ninety"
FILLER = "filler.bin"


def make_profile(folder: Path, name: str, cases: int) -> Path:
    service = ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF)
    session, _recovery = service.create(PASSPHRASE, name)
    try:
        if cases:
            add_demo_cases(session, count=cases, seed=15)
    finally:
        session.close()
    return folder


def run(*args: str) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def fill(folder: Path, leave_kib: int = 0) -> None:
    """Take every free byte of `folder`'s file system but `leave_kib` KiB."""
    filler = folder / FILLER
    filler.unlink(missing_ok=True)
    stats = os.statvfs(folder)
    room = stats.f_bavail * stats.f_frsize - leave_kib * 1024
    # ENOSPC at the very end (or as the file closes) is the point.
    with contextlib.suppress(OSError), filler.open("wb") as handle:
        while room > 0:
            handle.write(b"\0" * min(room, 65536))
            room -= 65536


def free(folder: Path) -> None:
    (folder / FILLER).unlink(missing_ok=True)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != FILLER)


def opens_whole(folder: Path) -> dict[str, object]:
    """Unlock, check every page, list the cases."""
    service = ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF)
    with service.unlock(PASSPHRASE) as session:
        session.check_integrity()
        return {"cases": sorted(c.reference for c in session.cases.list_cases())}


def outputs_on_a_full_disk(roomy: Path, tiny: Path) -> dict[str, object]:
    """Report, export and bundle written to a full disk; the profile has room."""
    author = make_profile(roomy / "author", "Ida Testmoor", cases=2)
    os.environ["AIM3DESK_PROFILE"] = str(author)
    old = tiny / "old.pdf"
    old.write_bytes(b"the report written last week")
    fill(tiny)
    seen: dict[str, object] = {
        "report": run("report", "DEMO-0001", "--out", str(tiny / "new.pdf")),
        "report_over_old": run("report", "DEMO-0001", "--out", str(old), "--force"),
        "export": run("export", "DEMO-0001", "--out", str(tiny / "case.age")),
        "old_kept": old.read_bytes() == b"the report written last week",
    }
    service = ProfileService(author, settings=load_settings(author), kdf=FAST_KDF)
    reader = make_profile(roomy / "reader", "Osric Samplewell", cases=0)
    with (
        service.unlock(PASSPHRASE) as sender,
        ProfileService(reader, kdf=FAST_KDF).unlock(PASSPHRASE) as receiver,
    ):
        fingerprint = introduce(sender, receiver)
        try:
            sender.bundles.export_assessment("DEMO-0001", [fingerprint], tiny)
            seen["bundle"] = {"error": None}
        except OSError as exc:
            seen["bundle"] = {
                "error": user_error_sentence(exc),
                "errno": exc.errno,
            }
        seen["bundles_recorded"] = [
            e.action for e in sender.audit.entries() if e.action.startswith("bundle.")
        ]
    seen["left_in_tiny"] = listing(tiny)
    free(tiny)
    seen["after"] = opens_whole(author)
    return seen


def saving_on_a_full_disk(roomy: Path, cramped: Path) -> dict[str, object]:
    """Import, list and save with the profile's own disk full."""
    source = make_profile(roomy / "source", "Tamsin Quillfeather", cases=3)
    exports = roomy / "exports"
    os.environ["AIM3DESK_PROFILE"] = str(source)
    run("export", "--all", "--out-dir", str(exports))
    profile = make_profile(cramped / "profile", "Ida Testmoor", cases=1)
    before = opens_whole(profile)
    os.environ["AIM3DESK_PROFILE"] = str(profile)
    seen: dict[str, object] = {"before": before}
    fill(cramped, leave_kib=64)  # issue 15: at 64 KiB free, import crashed
    seen["import_64k"] = run("import", *(str(p) for p in sorted(exports.iterdir())))
    fill(cramped, leave_kib=8)  # below 16 KiB `cases` said "belongs to another profile"
    seen["cases_8k"] = run("cases")
    free(cramped)
    service = ProfileService(profile, settings=load_settings(profile), kdf=FAST_KDF)
    session = service.unlock(PASSPHRASE)
    fill(cramped)
    try:
        add_demo_cases(session, count=2, seed=99)
        seen["save"] = {"error": None}
    except Exception as exc:  # what the app's save would meet
        seen["save"] = {"type": type(exc).__name__, "error": str(exc)}
    try:  # locking with the disk still full: the closing checkpoint has no room
        session.close()
        seen["lock_while_full"] = None
    except Exception as exc:
        seen["lock_while_full"] = f"{type(exc).__name__}: {exc}"
    free(cramped)
    seen["left_in_profile"] = [p for p in listing(profile) if p.endswith(".aim3tmp")]
    seen["after"] = opens_whole(profile)
    return seen


def main() -> None:
    roomy, tiny, cramped = (Path(a) for a in sys.argv[1:4])
    os.environ["AIM3DESK_PASSPHRASE"] = PASSPHRASE
    os.environ["AIM3DESK_EXPORT_PASSPHRASE"] = EXPORT_PASSPHRASE
    os.environ["AIM3DESK_POLICY"] = str(roomy / "no-policy.toml")
    result = {
        "outputs": outputs_on_a_full_disk(roomy, tiny),
        "saving": saving_on_a_full_disk(roomy, cramped),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
