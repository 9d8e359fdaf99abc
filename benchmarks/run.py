"""AIM3 Desk benchmarks: every figure is a ratio against a baseline measured in the same run,
or a latency with its workload named. Run with `make bench`; the table goes to
docs/benchmarks.md (--write).

Workload: a profile with 1,000 invented demo cases (services/demo/); for the assessment
workspace, one full invented assessment (benchmarks/domain_switch.py); for bundles, 100
invented demo cases sent from one profile to another (benchmarks/bundle_bench.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = 1000
PASSPHRASE = "bench correct horse battery staple 42"
TODAY = date(2026, 11, 24)


def _median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1 if len(times) > 1 else 0]


def _time_to_first_window(script: Path, env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith("shown "):
            return (float(line.split()[1]) - start) * 1000
    raise RuntimeError(f"{script.name} showed no window: {out.stderr[-500:]}")


def bench_startup(profile_dir: Path, rounds: int) -> dict[str, float]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        AIM3DESK_PROFILE=str(profile_dir),
    )
    bare, ours = [], []
    _time_to_first_window(ROOT / "benchmarks" / "bare_window.py", env)  # warm the file cache
    _time_to_first_window(ROOT / "benchmarks" / "first_window.py", env)
    for _ in range(rounds):  # alternate so drift affects both equally
        bare.append(_time_to_first_window(ROOT / "benchmarks" / "bare_window.py", env))
        ours.append(_time_to_first_window(ROOT / "benchmarks" / "first_window.py", env))
    b, o = statistics.median(bare), statistics.median(ours)
    return {"bare_qt_ms": b, "aim3desk_ms": o, "ratio": o / b}


def _fill(cases_service, count: int, settings) -> list:
    import random
    from dataclasses import replace

    from aim3desk.domain.cases import CaseStatus
    from aim3desk.services.demo import NOT_COMPLETED_REASONS, make_demo_case

    rng = random.Random(7)
    weeks = settings.values.assessment_deadline_weeks
    added = []
    for n in range(1, count + 1):
        case = make_demo_case(rng, n, TODAY, weeks)
        if case.status is CaseStatus.NOT_COMPLETED:  # such a case must say why
            case = replace(
                case,
                not_completed_reason=NOT_COMPLETED_REASONS[n % len(NOT_COMPLETED_REASONS)],
                not_completed_on=TODAY,
            )
        added.append(cases_service.add_case(case, today=TODAY))
    return added


def _evidence(assessment_id: str, text: str):
    """One evidence entry per assessment, rewritten each time (an autosave of its text)."""
    from aim3desk.domain.assessment import EvidenceEntry

    return EvidenceEntry(
        id=f"bench-{assessment_id}",
        domain_id="developmental",
        factor_slot=None,
        text=text,
        date=TODAY,
        source="practitioner_observation",
        category="background",
        sharing="practitioner_reflection",
    )


def _workload(cases_service, assessments_service, added: list) -> Callable[[], None]:
    """Read and write mix a practitioner makes: list, search, open, save evidence."""
    editable = [c for c in added if not c.current_assessment.finished]
    ids = [c.id for c in editable[:: max(1, len(editable) // 50)]]

    def run() -> None:
        cases_service.list_cases()
        cases_service.list_cases(search="demo-00")
        for n, case_id in enumerate(ids):
            case = cases_service.get_case(case_id)
            assessment_id = case.current_assessment.id
            assessments_service.save_item(
                assessment_id, _evidence(assessment_id, f"bench text {n} " * 40)
            )

    return run


def bench_store(work: Path) -> dict[str, float]:
    from aim3desk.config import load_settings
    from aim3desk.services.profile import ProfileService

    profile = work / "profile"
    service = ProfileService(profile)
    start = time.perf_counter()
    session, _recovery = service.create(PASSPHRASE, "Bench Practitioner")  # calibrated KDF
    create_ms = (time.perf_counter() - start) * 1000
    added = _fill(session.cases, CASES, session.settings)
    session.close()

    unlock_ms, _ = _median_ms(lambda: service.unlock(PASSPHRASE).close(), 3)
    session = service.unlock(PASSPHRASE)
    cases = session.cases
    editable = [c for c in added if not c.current_assessment.finished]
    target = editable[len(editable) // 2]
    open_ms, _ = _median_ms(lambda: cases.get_case(target.id), 50)
    list_ms, _ = _median_ms(lambda: cases.list_cases(), 10)
    assessment_id = target.current_assessment.id
    counter = iter(range(10**6))
    save_ms, save_p95 = _median_ms(
        lambda: session.assessments.save_item(
            assessment_id, _evidence(assessment_id, f"edit {next(counter)}")
        ),
        100,
    )
    encrypted_ms, _ = _median_ms(_workload(cases, session.assessments, added), 5)
    sizes = _large_and_empty_assessment(session)
    session.close()

    plain_ms = _plain_workload_ms(work / "plain", load_settings(profile))
    return {
        "create_profile_ms": create_ms,
        **sizes,
        "unlock_ms": unlock_ms,
        "open_case_ms": open_ms,
        "list_1000_ms": list_ms,
        "save_ms": save_ms,
        "save_p95_ms": save_p95,
        "encrypted_workload_ms": encrypted_ms,
        "plain_workload_ms": plain_ms,
        "encrypted_vs_plain": encrypted_ms / plain_ms,
    }


def _large_and_empty_assessment(session) -> dict[str, float]:
    """Load, and save one evidence entry in, a full assessment (25 factors, 200 entries,
    50,000 words) against an empty one: a save writes one row, so it must not grow."""
    from benchmarks.large_assessment import content_items, make_large_assessment

    large = make_large_assessment(seed=1)
    entry = large.evidence[100]
    large_load, large_save = _load_and_save_ms(session, CASES + 1, content_items(large), entry)
    empty_load, empty_save = _load_and_save_ms(session, CASES + 2, [], entry)
    return {
        "large_load_ms": large_load,
        "empty_load_ms": empty_load,
        "large_save_ms": large_save,
        "empty_save_ms": empty_save,
        "save_large_vs_empty": large_save / empty_save,
    }


def _load_and_save_ms(session, number: int, items: list[object], entry) -> tuple[float, float]:
    import random
    from dataclasses import replace

    from aim3desk.domain.cases import CaseStatus, start_assessment
    from aim3desk.services.demo import make_demo_case

    case = make_demo_case(random.Random(number), number, TODAY)
    case = replace(case, status=CaseStatus.REQUESTED, assessments=(start_assessment(case),))
    case = session.cases.add_case(case, today=TODAY)
    assessment_id = case.current_assessment.id
    if items:
        session.assessments.save_items(assessment_id, items)
    counter = iter(range(10**6))
    load_ms, _ = _median_ms(lambda: session.assessments.load(assessment_id), 10)
    save_ms, _ = _median_ms(
        lambda: session.assessments.save_item(
            assessment_id, replace(entry, text=f"{entry.text} {next(counter)}")
        ),
        50,
    )
    return load_ms, save_ms


def _plain_workload_ms(folder: Path, settings) -> float:
    """The same services on the same SQLite build (SQLCipher without a key is plain SQLite)."""
    import sqlcipher3.dbapi2 as sqlcipher
    from sqlalchemy import create_engine, event, pool

    from aim3desk.services.assessments import AssessmentService
    from aim3desk.services.cases import CaseService
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.store import db, migrate
    from aim3desk.store.unit_of_work import UnitOfWork

    folder.mkdir()
    path = folder / "plain.db"

    def connect() -> sqlcipher.Connection:
        conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
        for pragma in (
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
            "temp_store = MEMORY",
            f"busy_timeout = {db.BUSY_TIMEOUT_MS}",
        ):
            conn.execute(f"PRAGMA {pragma}")
        return conn

    engine = create_engine(
        "sqlite://",
        creator=connect,
        module=sqlcipher,
        poolclass=pool.SingletonThreadPool,  # as the encrypted Store
        pool_size=db.MAX_THREAD_CONNECTIONS,
        hide_parameters=True,
    )
    event.listen(engine, "begin", db._emit_begin)

    class PlainStore:  # what migrate needs of a Store
        pass

    plain = PlainStore()
    plain.engine = engine
    migrate._run(plain, "head")
    uow = UnitOfWork(engine)
    cases = CaseService(uow, settings, "Bench Practitioner")
    assessments = AssessmentService(uow, settings, "Bench Practitioner", load_form_set)
    added = _fill(cases, CASES, settings)
    ms, _ = _median_ms(_workload(cases, assessments, added), 5)
    engine.dispose()
    return ms


def bench_domain_switch() -> dict[str, float]:
    """benchmarks/domain_switch.py in its own process (its own offscreen Qt application)."""
    import json

    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.domain_switch"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"domain_switch.py gave no result: {out.stderr[-500:]}")
    return json.loads(lines[-1])


def render(results: dict[str, dict[str, float]]) -> str:
    s, st, ui = results["startup"], results["store"], results["assessment"]
    size = f"{ui['entries']:.0f} evidence entries, {ui['words']:,.0f} words"
    rows = [
        (
            "Time to first window: AIM3 Desk / bare PySide6 window",
            f"{s['ratio']:.2f}x",
            f"{s['aim3desk_ms']:.0f} ms vs {s['bare_qt_ms']:.0f} ms",
            "within 1.3x",
        ),
        (
            "Unlock (Argon2id at the calibrated cost, open + integrity check + migrations check)",
            f"{st['unlock_ms']:.0f} ms",
            "",
            "0.5-1 s by design",
        ),
        (
            "Create a profile (calibrate Argon2id, write the key file, create the store)",
            f"{st['create_profile_ms']:.0f} ms",
            "",
            "",
        ),
        ("Open a case (1,000 cases in the profile)", f"{st['open_case_ms']:.2f} ms", "", ""),
        (
            "Load a full assessment (25 factors, 200 evidence entries, 50,000 words)",
            f"{st['large_load_ms']:.1f} ms",
            f"empty assessment {st['empty_load_ms']:.1f} ms",
            "under 1 s",
        ),
        (
            "Save one evidence entry: full / empty assessment",
            f"{st['save_large_vs_empty']:.2f}x",
            f"{st['large_save_ms']:.2f} ms vs {st['empty_save_ms']:.2f} ms",
            "about 1x (one row written)",
        ),
        ("List all 1,000 cases", f"{st['list_1000_ms']:.1f} ms", "", ""),
        (
            "Save evidence (one autosave, fsync'd)",
            f"{st['save_ms']:.2f} ms",
            f"p95 {st['save_p95_ms']:.2f} ms",
            "under 20 ms",
        ),
        (
            "Encrypted store / plain SQLite, same workload",
            f"{st['encrypted_vs_plain']:.2f}x",
            f"{st['encrypted_workload_ms']:.0f} ms vs {st['plain_workload_ms']:.0f} ms",
            "",
        ),
        (
            f"Switch domain page, full assessment (25 factors, {size})",
            f"{ui['large_switch_ms']:.1f} ms",
            f"p95 {ui['large_switch_p95_ms']:.1f} ms; first visit "
            f"{ui['large_first_visit_ms']:.1f} ms",
            "under 100 ms",
        ),
        (
            "Switch domain page: full / empty assessment",
            f"{ui['switch_ratio']:.2f}x",
            f"{ui['large_switch_ms']:.1f} ms vs {ui['empty_switch_ms']:.1f} ms",
            "",
        ),
        (
            "Open the assessment workspace: full / empty assessment",
            f"{ui['open_ratio']:.2f}x",
            f"{ui['large_open_ms']:.0f} ms vs {ui['empty_open_ms']:.0f} ms (load, decrypt, "
            "build pages, first paint)",
            "",
        ),
    ]
    rp = results.get("reports")
    if rp:
        rows.append(
            (
                "Full report of the large demo case (50,000 words) / bare reportlab platypus",
                f"{rp['ratio']:.2f}x",
                f"{rp['report_ms']:.0f} ms vs {rp['bare_ms']:.0f} ms; {rp['pages']:.0f} pages, "
                f"{rp['pages_per_second']:.0f} pages/s",
                "within 1.3x",
            )
        )
    rows += _bundle_rows(results.get("bundles"))
    lines = [
        "| measure | result | detail | target |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
    ]
    return "\n".join(lines)


def _bundle_rows(b: dict[str, float] | None) -> list[tuple[str, str, str, str]]:
    if not b:
        return []
    n = f"{b['bundles']:.0f}"
    return [
        (
            f"Export {n} assessment bundles (build the full report, sign, ZIP, age-encrypt, "
            "write, record) / write the same member bytes to plain files",
            f"{b['export_ratio']:.0f}x",
            f"{b['export_ms']:.0f} ms vs {b['plain_write_ms']:.0f} ms; "
            f"{b['export_per_bundle_ms']:.0f} ms a bundle, of which building its report "
            f"{b['render_per_report_ms']:.0f} ms; without the reports "
            f"{b['export_without_render_ratio']:.0f}x (median {b['export_own_median_ms']:.1f} ms "
            "a bundle)",
            "",
        ),
        (
            f"Import {n} bundles (decrypt, verify signature and hashes, store, audit) / read "
            "the same member bytes from plain files",
            f"{b['import_ratio']:.0f}x",
            f"{b['import_ms']:.0f} ms vs {b['plain_read_ms']:.1f} ms; "
            f"{b['import_per_bundle_ms']:.1f} ms a bundle; {b['member_mib']:.1f} MiB of "
            f"members, {b['bundle_mib']:.1f} MiB as bundles",
            "",
        ),
    ]


BUNDLE_NOTE = (
    "The bundle rows (benchmarks/bundle_bench.py) use two real profiles and one invented demo "
    "case per bundle (its content, versions and records); each bundle holds the case's full "
    "report PDF and its case document. The baseline writes and reads exactly those member "
    "bytes as plain files with plain Python, each written durably (flushed and fsynced, as a "
    "bundle is) and read back, with no signature, no encryption and no store, so the ratio is "
    "the whole price of a signed, encrypted, recorded bundle. Each "
    "report is also built alone just before its bundle, which splits the export's time "
    "between building the report and making the bundle."
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="update this Markdown file with the table")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aim3desk-bench-") as tmp:
        work = Path(tmp)
        results = {"store": bench_store(work)}
        results["startup"] = bench_startup(work / "profile", args.rounds)
    from benchmarks.report_bench import bench_reports

    results["reports"] = bench_reports()
    from benchmarks.bundle_bench import bench_bundles

    results["bundles"] = bench_bundles()
    results["assessment"] = bench_domain_switch()
    table = render(results)
    print(table)
    if args.write:
        _write(args.write, table)
    return 0


def _write(path: Path, table: str) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    path.write_text(
        "# Benchmarks\n\n"
        "Command: `make bench` (runs `python -m benchmarks.run --write docs/benchmarks.md`).\n"
        "Ratios are measured against a baseline in the same run; latencies are medians.\n\n"
        f"Latest run: {date.today().isoformat()} on {machine}, offscreen Qt.\n\n"
        f"{table}\n\n{BUNDLE_NOTE}\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    sys.exit(main())
