"""Report benchmark: the full assessment report of the large demo case (large_assessment.py
make_large_assessment: 200 evidence entries, 50,000 words) built by AIM3 Desk against the
same paragraphs and tables built with bare reportlab platypus (SimpleDocTemplate, plain
canvas: no marking, DRAFT mark, page n of N, contents or bookmarks). Both render to memory;
medians of alternating rounds.

    python -m benchmarks.report_bench
"""

from __future__ import annotations

import gc
import io
import statistics
import sys
import time
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

ROUNDS = 5


def large_request():
    from aim3desk.domain.cases import (
        AssessmentModel,
        Case,
        CaseStatus,
        LeadAgency,
        Requester,
        new_id,
        start_assessment,
    )
    from aim3desk.services.forms_loader import (
        load_evidence_rules,
        load_form_set,
        load_sharing_policy,
    )
    from aim3desk.services.reports import ReportKind, ReportRequest
    from benchmarks.large_assessment import make_large_assessment

    rules = load_evidence_rules()
    case = Case(
        id=new_id(),
        reference="BENCH-0001",
        young_person_name="Invented Benchmark Person",
        date_of_birth=date(2010, 4, 2),
        lead_agency=LeadAgency.YOS,
        lead_worker="Bench Practitioner",
        requested_by=Requester.CASE_WORKER,
        request_date=date(2025, 1, 6),
        status=CaseStatus.IN_ASSESSMENT,
    )
    from dataclasses import replace

    case = replace(case, assessments=(start_assessment(case, AssessmentModel.AIM3),))
    return ReportRequest(
        kind=ReportKind.FULL,
        case=case,
        form_set=load_form_set(),
        rules=rules,
        author="Bench Practitioner",
        content=make_large_assessment(rules=rules),
        policy=load_sharing_policy(rules=rules),
        produced=date(2026, 1, 1),
    )


def _ours(request) -> tuple[float, int]:
    from pypdf import PdfReader

    from aim3desk.services.reports.build import render_bytes

    gc.collect()  # earlier benchmarks in the same run leave garbage; time the build only
    start = time.perf_counter()
    data = render_bytes(request)
    elapsed = time.perf_counter() - start
    return elapsed, len(PdfReader(io.BytesIO(data)).pages)


def _bare(request) -> float:
    """The same story without our page machinery: contents lines dropped, plain canvas."""
    from aim3desk.services.reports.build import story_for
    from aim3desk.services.reports.document import ContentsLine
    from aim3desk.services.reports.style import register_fonts

    register_fonts()
    gc.collect()  # earlier benchmarks in the same run leave garbage; time the build only
    start = time.perf_counter()
    story = [f for f in story_for(request) if not isinstance(f, ContentsLine)]
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story)
    return time.perf_counter() - start


def bench_reports(rounds: int = ROUNDS) -> dict[str, float]:
    request = large_request()
    _ours(request)  # warm fonts and imports
    _bare(request)
    ours, bare, pages = [], [], 0
    for _ in range(rounds):  # alternate so drift affects both equally
        bare.append(_bare(request))
        elapsed, pages = _ours(request)
        ours.append(elapsed)
    o, b = statistics.median(ours), statistics.median(bare)
    return {
        "report_ms": o * 1000,
        "bare_ms": b * 1000,
        "ratio": o / b,
        "pages": pages,
        "pages_per_second": pages / o,
    }


def main() -> int:
    result = bench_reports()
    print(
        f"full report, large demo case: {result['report_ms']:.0f} ms for {result['pages']:.0f} "
        f"pages ({result['pages_per_second']:.0f} pages/s); bare platypus "
        f"{result['bare_ms']:.0f} ms; ratio {result['ratio']:.2f}x (target within 1.3x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
