"""Issue 15, fault injection: a full disk (real small tmpfs mounts) during save, import,
report, export and bundle writing, and a file-size limit (RLIMIT_FSIZE, EFBIG) during an
atomic write: a clear message naming the path, nothing half-written visible, the previous
file and the profile's data intact (it unlocks, passes its integrity check, holds its cases).

The tmpfs mounts are made in a private mount and user namespace (`unshare -rm`), so no root
is needed and nothing is left mounted if the run is killed; where the system forbids that,
the test is skipped saying so.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SOURCE = HERE.parent / "src"
SIZES = {"roomy": "32m", "tiny": "256k", "cramped": "3m"}


def _namespaces_usable() -> str | None:
    """None if `unshare -rm` can mount a tmpfs here, else why not."""
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return "needs Linux with unshare(1)"
    tried = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>&1 || true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if tried.returncode != 0 or tried.stdout.strip():
        return f"unprivileged mount namespaces are not allowed here ({tried.stdout.strip()})"
    return None


@pytest.fixture(scope="module")
def full_disk_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict[str, Path]]:
    why_not = _namespaces_usable()
    if why_not:
        pytest.skip(why_not)
    base = tmp_path_factory.mktemp("full-disk")
    folders = {name: base / name for name in SIZES}
    mounts = " && ".join(
        f"mount -t tmpfs -o size={SIZES[name]},mode=0700 tmpfs {folder}"
        for name, folder in folders.items()
    )
    for folder in folders.values():
        folder.mkdir()
    script = HERE / "disk_full_scenario.py"
    command = f'{mounts} && exec "$0" "$@"'
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", command, sys.executable, str(script)]
        + [str(folders[name]) for name in SIZES],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SOURCE), "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout), folders


def _disk_full_sentence(path: Path) -> str:
    return (
        f"Could not write {path}: the disk is full. Nothing was saved; your records and any "
        "file already there are as they were. Free some space and try again."
    )


def test_reports_exports_and_bundles_on_a_full_disk(full_disk_run) -> None:
    seen, folders = full_disk_run
    outputs, tiny = seen["outputs"], folders["tiny"]
    assert outputs["report"]["code"] == 1
    assert outputs["report"]["err"].strip() == _disk_full_sentence(tiny / "new.pdf")
    assert outputs["report_over_old"]["err"].strip() == _disk_full_sentence(tiny / "old.pdf")
    assert outputs["old_kept"]  # --force over a full disk: the old report is whole
    assert outputs["export"]["err"].strip() == _disk_full_sentence(tiny / "case.age")
    bundle = outputs["bundle"]
    assert bundle["errno"] == errno.ENOSPC and bundle["error"].startswith(
        f"Could not write {tiny}/"
    )
    assert "the disk is full. Nothing was saved" in bundle["error"]
    assert outputs["bundles_recorded"] == []  # no bundle the profile does not have
    assert outputs["left_in_tiny"] == ["old.pdf"]  # no temporary or half-written file
    assert outputs["after"]["cases"] == ["DEMO-0001", "DEMO-0002"]


def test_saving_on_a_full_disk_says_so_and_loses_nothing(full_disk_run) -> None:
    seen, folders = full_disk_run
    saving = seen["saving"]
    profile = folders["cramped"] / "profile"
    said = f"Your records could not be saved or read in {profile}:"
    for step in ("import_64k", "cases_8k"):
        result = saving[step]
        assert "internal error" not in result["err"] and "another profile" not in result["err"]
    # At 64 KiB free the import either fits or says the disk is full, never crashes.
    assert saving["import_64k"]["code"] == 0 or "the disk is full" in saving["import_64k"]["err"]
    assert saving["cases_8k"]["code"] == 1 and said in saving["cases_8k"]["err"]
    assert saving["save"]["type"] == "StoreStorageFailed"
    assert saving["save"]["error"].startswith(f"{said} the disk is full. Nothing was saved")
    assert saving["lock_while_full"] is None
    assert saving["left_in_profile"] == []
    assert set(saving["before"]["cases"]) <= set(saving["after"]["cases"])


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
def test_a_file_size_limit_leaves_the_previous_file_whole(tmp_path: Path) -> None:
    """EFBIG part-way through an atomic write (SIGXFSZ is ignored by Python, so the write
    fails with the error): the message names the path, the old file is as it was, and no
    temporary file is left beside it."""
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the previous report")
    child = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from aim3desk.atomic_file import failure_sentence
        from aim3desk.output_path import write_output
        resource.setrlimit(resource.RLIMIT_FSIZE, (32768, 32768))
        try:
            write_output(Path({str(target)!r}), b"%PDF" + bytes(200_000), None, replace=True)
        except OSError as exc:
            print(exc.errno, failure_sentence(exc))
            sys.exit(0)
        sys.exit("the write was not stopped")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", child],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SOURCE)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    number, sentence = done.stdout.strip().split(" ", 1)
    assert int(number) == errno.EFBIG
    assert sentence.startswith(f"Could not write {target}: the file is larger than")
    assert "Nothing was saved" in sentence
    assert target.read_bytes() == b"the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
