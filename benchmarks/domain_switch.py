"""Opening a case's assessment workspace and switching between its domain pages, offscreen:
a full assessment (benchmarks/large_assessment.py: 25 factors rated with rationales, 200 evidence
entries, about 50,000 words) against an empty one. Each switch is timed until the new page has
been laid out and painted (a synchronous repaint). Prints one JSON line; benchmarks/run.py runs
this as a child process so its Qt application stays apart from the store benchmark.

    python -m benchmarks.domain_switch
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

PASSPHRASE = "bench correct horse battery staple 42"
TODAY = date(2026, 3, 2)
OPEN_ROUNDS = 5
SWITCH_ROUNDS = 8  # passes over the five domains after the first visit


def _settle(app: QApplication, widget) -> None:
    app.processEvents()
    widget.repaint()  # paint now, so the time includes drawing the page


def _open(app, case, session, form_set, runner):
    from aim3desk.ui.assessment.workspace import AssessmentWorkspace

    start = time.perf_counter()
    workspace = AssessmentWorkspace(case, session, form_set, runner, 1000)
    workspace.resize(1200, 850)
    workspace.show()
    while workspace.editor is None:
        app.processEvents()
        time.sleep(0.0005)
    _settle(app, workspace)
    return workspace, (time.perf_counter() - start) * 1000


def _close(app, workspace, runner) -> None:
    workspace.flush()
    runner.wait_for_idle()
    workspace.clear_sensitive()
    workspace.close()
    workspace.deleteLater()
    app.processEvents()


def _measure(app, case, session, form_set, runner) -> dict[str, float]:
    opens = []
    for _ in range(OPEN_ROUNDS):
        workspace, ms = _open(app, case, session, form_set, runner)
        opens.append(ms)
        _close(app, workspace, runner)
    workspace, _ms = _open(app, case, session, form_set, runner)
    keys = [f"domain:{d.id}" for d in form_set.domains_for(workspace.context.model.id)]
    first_visits, switches = [], []
    for round_number in range(SWITCH_ROUNDS + 1):
        for key in keys[1:] + keys[:1]:
            start = time.perf_counter()
            workspace.go_to(key)
            _settle(app, workspace)
            elapsed = (time.perf_counter() - start) * 1000
            (first_visits if round_number == 0 and key != keys[0] else switches).append(elapsed)
    _close(app, workspace, runner)
    switches.sort()
    return {
        "open_ms": statistics.median(opens),
        "switch_ms": statistics.median(switches),
        "switch_p95_ms": switches[int(len(switches) * 0.95) - 1],
        "first_visit_ms": max(first_visits),
    }


def run() -> dict[str, float]:
    from aim3desk.domain.cases import AssessmentModel, CaseStatus, start_assessment
    from aim3desk.security.kdf import KdfParams
    from aim3desk.services.demo import make_demo_case
    from aim3desk.services.forms_loader import load_evidence_rules, load_form_set
    from aim3desk.services.profile import ProfileService
    from aim3desk.ui.tasks import TaskRunner
    from benchmarks.large_assessment import content_words, make_large_assessment

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="aim3desk-bench-ui-") as tmp:
        # The KDF cost is not what is measured here: the cheapest allowed keeps it out.
        service = ProfileService(Path(tmp) / "profile", kdf=KdfParams(8192, 1, 1))
        session, _recovery = service.create(PASSPHRASE, "Bench Practitioner")
        form_set = load_form_set()
        large_content = make_large_assessment(rules=load_evidence_rules())
        cases = {}
        for number, content in ((1, large_content), (2, None)):
            case = make_demo_case(random.Random(number), number, TODAY)
            first = start_assessment(case, AssessmentModel.AIM_U12)
            case = replace(case, status=CaseStatus.REQUESTED, assessments=(first,))
            contents = {first.id: content} if content is not None else None
            cases[number] = session.cases.add_case(case, today=TODAY, contents=contents)
        stored = session.assessments.load(cases[1].current_assessment.id)
        words, entries = content_words(stored), len(stored.evidence)
        runner = TaskRunner()
        large = _measure(app, cases[1], session, form_set, runner)
        empty = _measure(app, cases[2], session, form_set, runner)
        runner.shutdown()
        session.close()
    return {
        "words": words,
        "entries": entries,
        "large_open_ms": large["open_ms"],
        "empty_open_ms": empty["open_ms"],
        "open_ratio": large["open_ms"] / empty["open_ms"],
        "large_switch_ms": large["switch_ms"],
        "large_switch_p95_ms": large["switch_p95_ms"],
        "large_first_visit_ms": large["first_visit_ms"],
        "empty_switch_ms": empty["switch_ms"],
        "switch_ratio": large["switch_ms"] / empty["switch_ms"],
    }


if __name__ == "__main__":
    print(json.dumps(run()), flush=True)
