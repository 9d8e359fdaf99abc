"""Import benchmark: `count` realistic invented demo cases (services/demo: content, versions,
records) exported as plain JSON case files by one real profile, then imported into a fresh
one, in-process through session.exchange, against an independent baseline that only reads
and json.loads the same files with plain Python (no app code).

A second, also independent, reference is printed beside it: reading, parsing and writing each
file's bytes to a new file with one fsync per case, since the import keeps one durable
transaction per case (a failure leaves the earlier cases imported). Then the same files go
through the command line in one `aim3desk import FOLDER` (one process, one unlock), timed
by the wall clock.

    python -m benchmarks.import_bench [COUNT]
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

CASES = 100
PASSPHRASE = "bench correct horse battery staple 42"
TODAY = date(2026, 11, 24)
ROUNDS = 3  # the baselines are a few milliseconds: the best of a few runs


def _profile(folder: Path, name: str):
    from aim3desk.config import load_settings
    from aim3desk.security.kdf import KdfParams
    from aim3desk.services.profile import ProfileService

    # A light key-derivation cost: unlocking is not what is measured here.
    service = ProfileService(folder, settings=load_settings(folder), kdf=KdfParams(8192, 1, 1))
    session, _recovery = service.create(PASSPHRASE, name)
    return session


def _export_files(work: Path, count: int) -> list[Path]:
    from aim3desk.services.demo import add_demo_cases

    author = _profile(work / "author", "Bench Practitioner")
    try:
        cases = add_demo_cases(author, count=count, seed=3, today=TODAY)
        outbox = work / "files"
        outbox.mkdir()
        return [author.exchange.export_case_into(c.id, outbox)[1] for c in cases]
    finally:
        author.close()


def _read_and_parse(paths: list[Path]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        gc.collect()
        start = time.perf_counter()
        for path in paths:
            with open(path, "rb") as handle:
                json.loads(handle.read())
        best = min(best, time.perf_counter() - start)
    return best


def _read_parse_and_write_durably(paths: list[Path], folder: Path) -> float:
    best = float("inf")
    for round_number in range(ROUNDS):
        target = folder / str(round_number)
        target.mkdir(parents=True)
        gc.collect()
        start = time.perf_counter()
        for path in paths:
            with open(path, "rb") as handle:
                raw = handle.read()
            json.loads(raw)
            with open(target / path.name, "wb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())  # one durable write a case, as a transaction is
        best = min(best, time.perf_counter() - start)
    return best


def _import_in_process(paths: list[Path], folder: Path) -> float:
    reader = _profile(folder, "Bench Receiver")
    try:
        gc.collect()
        start = time.perf_counter()
        for path in paths:
            reader.exchange.import_case(path, today=TODAY)
        took = time.perf_counter() - start
        if len(reader.cases.list_cases()) != len(paths):
            raise RuntimeError("not every case was imported")
        return took
    finally:
        reader.close()


def _import_by_command(files: Path, folder: Path) -> float:
    _profile(folder, "Bench Command Line").close()
    source = Path(__import__("aim3desk").__file__).resolve().parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")])),
        "AIM3DESK_PASSPHRASE": PASSPHRASE,
    }
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "aim3desk", "--profile", str(folder), "import", str(files)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    took = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"the import command failed: {out.stderr[-500:]}")
    return took


def bench_import(count: int = CASES) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="aim3desk-import-bench-") as tmp:
        work = Path(tmp)
        paths = _export_files(work, count)
        file_bytes = sum(p.stat().st_size for p in paths)
        parse_s = _read_and_parse(paths)
        durable_s = _read_parse_and_write_durably(paths, work / "plain")
        import_s = _import_in_process(paths, work / "reader")
        command_s = _import_by_command(paths[0].parent, work / "command")
    return {
        "cases": count,
        "file_mib": file_bytes / 2**20,
        "import_ms": import_s * 1000,
        "read_parse_ms": parse_s * 1000,
        "import_ratio": import_s / parse_s,
        "import_per_case_ms": import_s * 1000 / count,
        "read_parse_fsync_ms": durable_s * 1000,
        "import_vs_fsync_ratio": import_s / durable_s,
        "command_import_ms": command_s * 1000,
        "command_per_case_ms": command_s * 1000 / count,
    }


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else CASES
    r = bench_import(count)
    print(
        f"{r['cases']:.0f} case files ({r['file_mib']:.1f} MiB of JSON)\n"
        f"in-process import {r['import_ms']:.0f} ms ({r['import_per_case_ms']:.1f} ms a case) "
        f"vs read and json.loads {r['read_parse_ms']:.1f} ms: {r['import_ratio']:.0f}x\n"
        f"  (vs read, parse and one fsync'd write a case {r['read_parse_fsync_ms']:.0f} ms: "
        f"{r['import_vs_fsync_ratio']:.1f}x)\n"
        f"command line, one 'aim3desk import FOLDER': {r['command_import_ms'] / 1000:.2f} s "
        f"({r['command_per_case_ms']:.0f} ms a case, start-up and unlock included)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
