"""Opening a case in a real main window on a scale profile: from the person's "open" to the
first paint of the workspace's page, and the longest UI-thread stall meanwhile (StallWatch),
until the case is fully open (its first page painted, the other domain pages built on idle,
every read delivered). Medians over a few opens of the same case.

`bench_open_case(profile_dir, passphrase)` opens a typical case (the middle of the case list);
`bench_open_huge_assessment(profile_dir, passphrase)` first adds a case holding a
50,000-item assessment (50,000 evidence entries of about 12 words, as the report benchmark
uses), so give it a COPY of a profile. Both unlock the profile themselves and need a
QApplication (made if there is none). From the command line, one JSON line:

    python -m benchmarks.open_case_bench PROFILE_DIR [--huge]
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

ROUNDS = 5
HUGE_ROUNDS = 3
HUGE_ENTRIES = 50_000
HUGE_WORDS = 750_000  # 80% in the evidence: 12 words an entry (as benchmarks/report_bench.py)
HUGE_REFERENCE = "HUGE-50000"
WINDOW_SIZE = (1366, 768)
TIMEOUT_S = 120.0
DEMO_PASSPHRASE = "bench correct horse battery staple 42"  # the demo profiles'


class _FirstPaint(QObject):
    """Notes the time of the first Paint event of a widget `target()` names (or of a widget
    inside it)."""

    def __init__(self, target: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self.target = target
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self.at is None and event.type() == QEvent.Type.Paint:
            page = self.target()
            inside = isinstance(watched, QWidget) and page is not None
            if inside and (watched is page or page.isAncestorOf(watched)):
                self.at = time.perf_counter()
        return False


def _pump(app: QApplication, until: Callable[[], bool]) -> None:
    end = time.monotonic() + TIMEOUT_S
    while not until():
        app.processEvents()
        time.sleep(0.001)
        if time.monotonic() > end:
            raise TimeoutError("the case did not open in time")


def _fully_open(window, runner) -> bool:
    """The workspace shown, every domain page built and nothing left on the worker."""
    view = window.case_view
    if view is None or view.workspace.editor is None:
        return False
    workspace = view.workspace
    domains = workspace.form_set.domains_for(workspace.context.model.id)
    built = all(f"domain:{d.id}" in workspace.pages for d in domains)
    return built and runner.pending == 0


def _measure(profile_dir: Path, passphrase: str, pick, rounds: int) -> dict[str, float]:
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.services.profile import ProfileService
    from aim3desk.ui.main_window import MainWindow
    from aim3desk.ui.tasks import TaskRunner
    from benchmarks.stall_watch import StallWatch

    app = QApplication.instance() or QApplication(sys.argv[:1])
    session = ProfileService(Path(profile_dir)).unlock(passphrase)
    runner = TaskRunner()
    window = MainWindow(runner)
    window.resize(*WINDOW_SIZE)
    window.attach(session, load_form_set())
    window.sync.timer.stop()
    window.show()
    watch = StallWatch()

    def visible_page() -> QWidget | None:
        view = window.case_view
        if view is None or view.workspace.editor is None:
            return None
        return view.workspace.current_page()

    spy = _FirstPaint(visible_page)
    app.installEventFilter(spy)
    try:
        case_id = pick(session)
        _pump(app, lambda: runner.pending == 0)
        opens, stalls = [], []
        for number in range(rounds):
            spy.at = None
            phase = f"open {number}"
            with watch.phase(phase):
                start = time.perf_counter()
                window.open_case(case_id)
                _pump(app, lambda: spy.at is not None and _fully_open(window, runner))
            opens.append((spy.at - start) * 1000)
            stalls.append(watch.longest(phase))
            window.close_case()
            _pump(app, lambda: runner.pending == 0)
    finally:
        app.removeEventFilter(spy)
        window.flush_saves()
        runner.wait_for_idle()
        window.detach()
        runner.shutdown()
        window.deleteLater()
        session.close()
    return {
        "first_paint_ms": statistics.median(opens),
        "stall_ms": statistics.median(stalls),
        "stall_max_ms": max(stalls),
    }


def bench_open_case(
    profile_dir: Path, passphrase: str, case_reference: str | None = None
) -> dict[str, float]:
    """Open a typical case (the middle of the case list, or `case_reference`) ROUNDS times:
    {"first_paint_ms", "stall_ms" (medians), "stall_max_ms"}."""

    def pick(session) -> str:
        if case_reference is not None:
            return session.cases.find_case(case_reference).id
        rows = session.cases.list_cases()
        return rows[len(rows) // 2].id

    return _measure(profile_dir, passphrase, pick, ROUNDS)


def add_huge_case(session) -> str:
    """Add (once) a case whose assessment has HUGE_ENTRIES evidence entries; its id."""
    from aim3desk.domain.cases import AssessmentModel, CaseStatus, start_assessment
    from aim3desk.services.demo import make_demo_case
    from aim3desk.services.errors import CaseNotFound
    from aim3desk.services.forms_loader import load_evidence_rules
    from benchmarks.large_assessment import make_large_assessment

    try:
        return session.cases.find_case(HUGE_REFERENCE).id
    except CaseNotFound:
        pass
    today = date.today()
    case = make_demo_case(random.Random(50_000), 1, today)
    first = start_assessment(case, AssessmentModel.AIM3)
    case = replace(
        case,
        reference=HUGE_REFERENCE,
        status=CaseStatus.REQUESTED,
        closed_on=None,
        assessments=(first,),
    )
    content = make_large_assessment(
        7, evidence_entries=HUGE_ENTRIES, words=HUGE_WORDS, rules=load_evidence_rules()
    )
    return session.cases.add_case(case, today=today, contents={first.id: content}).id


def bench_open_huge_assessment(profile_dir: Path, passphrase: str) -> dict[str, float]:
    """Add the 50,000-item case to the profile (a copy!) if it is not there, then open it
    HUGE_ROUNDS times: {"first_paint_ms", "stall_ms" (medians), "stall_max_ms"}."""
    from aim3desk.services.profile import ProfileService

    session = ProfileService(Path(profile_dir)).unlock(passphrase)
    try:
        case_id = add_huge_case(session)
    finally:
        session.close()
    return _measure(profile_dir, passphrase, lambda _session: case_id, HUGE_ROUNDS)


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    secret = os.environ.get("AIM3DESK_BENCH_PASSPHRASE", DEMO_PASSPHRASE)
    bench = bench_open_huge_assessment if "--huge" in sys.argv[2:] else bench_open_case
    print(json.dumps(bench(folder, secret)), flush=True)
