"""Bundle benchmark: 100 assessment bundles exported by one real profile and imported by
another, in-process through session.bundles, against a baseline that writes and reads the
same member bytes (each bundle's full report PDF and case document) as plain files with plain
Python: open, write, fsync, close (a saved file is on disk, as a bundle is); open, read,
close; no signing, no encryption, no store.

Each bundle holds a realistic invented demo case (services/demo: content, versions, records),
so export includes building its full report; the time building those reports takes alone is
measured too (rendered again, outside any bundle), so the bundle's own cost can be read off.

    python -m benchmarks.bundle_bench
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BUNDLES = 100
PASSPHRASE = "bench correct horse battery staple 42"


def _profile(folder: Path, name: str, role: str):
    from aim3desk.config import load_settings
    from aim3desk.security.kdf import KdfParams
    from aim3desk.services.profile import ProfileService

    # A light key-derivation cost: unlocking is not what is measured here.
    service = ProfileService(folder, settings=load_settings(folder), kdf=KdfParams(8192, 1, 1))
    session, _recovery = service.create(PASSPHRASE, name, role=role)
    return session


def _introduce(reader, owner) -> str:
    added = reader.identity.add_card(owner.identity.card_bytes())
    reader.identity.confirm(added.contact.fingerprint)
    return added.contact.fingerprint


def _plain_write(folder: Path, members: list[dict[str, bytes]]) -> float:
    folder.mkdir()
    gc.collect()
    start = time.perf_counter()
    for n, bundle in enumerate(members):
        for name, data in bundle.items():
            with open(folder / f"{n:03d}-{name}", "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())  # on disk, as a saved export must be
    return time.perf_counter() - start


def _plain_read(folder: Path) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    total = 0
    for path in sorted(folder.iterdir()):
        with open(path, "rb") as handle:
            total += len(handle.read())
    return time.perf_counter() - start, total


def bench_bundles(count: int = BUNDLES) -> dict[str, float]:
    from aim3desk.services.demo import add_demo_cases

    with tempfile.TemporaryDirectory(prefix="aim3desk-bundle-bench-") as tmp:
        work = Path(tmp)
        author = _profile(work / "author", "Bench Practitioner", "practitioner")
        reader = _profile(work / "reader", "Bench Supervisor", "supervisor")
        try:
            cases = add_demo_cases(author, count=count, seed=3)
            to = [_introduce(author, reader)]
            _introduce(reader, author)
            outbox = work / "outbox"
            outbox.mkdir()
            reports = author.reports
            reports.render(reports.prepare(cases[0].id, "full"))  # warm fonts and imports

            # Each case's report is built alone just before its bundle is exported, so
            # drift on a busy machine affects both alike.
            exports, renders, paths = [], [], []
            gc.collect()
            for case in cases:
                start = time.perf_counter()
                reports.render(reports.prepare(case.id, "full"))
                renders.append(time.perf_counter() - start)
                start = time.perf_counter()
                paths.append(author.bundles.export_assessment(case.id, to, outbox).path)
                exports.append(time.perf_counter() - start)
            export_s, render_s = sum(exports), sum(renders)
            own_s = [e - r for e, r in zip(exports, renders, strict=True)]

            gc.collect()
            start = time.perf_counter()
            outcomes = reader.bundles.import_files(paths)
            import_s = time.perf_counter() - start
            if any(o.status != "imported" for o in outcomes):
                raise RuntimeError("a bundle was not imported: " + outcomes[0].message)

            # The baseline's bytes are exactly the bundles' members.
            members = [reader.bundles.open_file(p).members for p in paths]
            bundle_bytes = sum(p.stat().st_size for p in paths)
        finally:
            author.close()
            reader.close()
        write_s = _plain_write(work / "plain", members)
        read_s, member_bytes = _plain_read(work / "plain")
    return {
        "bundles": count,
        "export_ms": export_s * 1000,
        "import_ms": import_s * 1000,
        "render_ms": render_s * 1000,
        "plain_write_ms": write_s * 1000,
        "plain_read_ms": read_s * 1000,
        "export_ratio": export_s / write_s,
        "import_ratio": import_s / read_s,
        "export_without_render_ratio": max(export_s - render_s, 0.0) / write_s,
        "export_per_bundle_ms": export_s * 1000 / count,
        "export_own_median_ms": statistics.median(own_s) * 1000,
        "import_per_bundle_ms": import_s * 1000 / count,
        "render_per_report_ms": render_s * 1000 / count,
        "member_mib": member_bytes / 2**20,
        "bundle_mib": bundle_bytes / 2**20,
    }


def main() -> int:
    r = bench_bundles()
    print(
        f"{r['bundles']:.0f} bundles ({r['member_mib']:.1f} MiB of members, "
        f"{r['bundle_mib']:.1f} MiB as bundles)\n"
        f"export {r['export_ms']:.0f} ms ({r['export_per_bundle_ms']:.0f} ms each, of which "
        f"report building {r['render_per_report_ms']:.0f} ms; the bundle itself, median "
        f"{r['export_own_median_ms']:.1f} ms) vs plain write "
        f"{r['plain_write_ms']:.1f} ms: {r['export_ratio']:.0f}x "
        f"({r['export_without_render_ratio']:.0f}x without building the reports)\n"
        f"import {r['import_ms']:.0f} ms ({r['import_per_bundle_ms']:.1f} ms each) vs plain read "
        f"{r['plain_read_ms']:.1f} ms: {r['import_ratio']:.0f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
