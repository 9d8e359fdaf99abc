"""Report benchmark: the full assessment report built by AIM3 Desk against an independent
baseline (report_baseline.py: the same words as plain platypus paragraphs in a
SimpleDocTemplate, written from the same inputs without the app's report code), at two sizes:

- large: the large demo case (large_assessment.py: 200 evidence entries, 50,000 words);
- huge: a 50,000-item assessment: 50,000 evidence entries (the item a practitioner adds one
  by one, and the one a long case piles up), one 12-word sentence each, 750,000 words in all.

Both render to memory. Times are processor times (the build is single-threaded; on a shared
machine wall time would also count other work), medians of alternating rounds; the peak
memory of each build is measured alone in a child process (its maximum resident set less the
resident set before the build), so one build's garbage never counts against the other's.

    python -m benchmarks.report_bench
"""

from __future__ import annotations

import gc
import io
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

LARGE_ROUNDS = 5
HUGE_ROUNDS = 1
HUGE_ENTRIES = 50_000
HUGE_WORDS = 750_000  # 80% in the evidence: 12 words an entry


def large_request(*, evidence_entries: int = 200, words: int = 50_000):
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
    case = replace(case, assessments=(start_assessment(case, AssessmentModel.AIM3),))
    content = make_large_assessment(rules=rules, evidence_entries=evidence_entries, words=words)
    return ReportRequest(
        kind=ReportKind.FULL,
        case=case,
        form_set=load_form_set(),
        rules=rules,
        author="Bench Practitioner",
        content=content,
        policy=load_sharing_policy(rules=rules),
        produced=date(2026, 1, 1),
    )


def huge_request():
    return large_request(evidence_entries=HUGE_ENTRIES, words=HUGE_WORDS)


def baseline_inputs(request):
    """The baseline's inputs, taken from the report request by name."""
    from benchmarks.report_baseline import BaselineInputs

    return BaselineInputs(**{f.name: getattr(request, f.name) for f in fields(BaselineInputs)})


def ours_pdf(request) -> bytes:
    from aim3desk.services.reports.build import render_bytes

    return render_bytes(request)


def baseline_pdf(request) -> bytes:
    from benchmarks.report_baseline import baseline_pdf as build

    return build(baseline_inputs(request))


BUILDERS = {"ours": ours_pdf, "baseline": baseline_pdf}


def _timed(build, request) -> tuple[float, bytes]:
    """The build's processor time: on a shared machine wall time also counts other work."""
    gc.collect()  # earlier benchmarks in the same run leave garbage; time the build only
    start = time.process_time()
    data = build(request)
    return time.process_time() - start, data


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def page_texts(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


# Words each page of ours carries besides its text (and the two page numbers): the case
# reference and the marking at the top, the DRAFT mark across it, and at the foot the marking
# again, "Case <ref> · DRAFT assessment report" and "Page n of N".
RUNNING_WORDS = ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE", "DRAFT", "Case", "·", "DRAFT")
RUNNING_WORDS += ("assessment", "report", "Page", "of")


def word_difference(ours: bytes, baseline: bytes, reference: str) -> dict[str, Counter]:
    """Word multisets of the two PDFs' text: what only ours prints, once the running header
    and footer of every page and the contents page are taken out, and what only the baseline
    prints."""
    pages = page_texts(ours)
    words: Counter = Counter()
    for number, page in enumerate(pages, start=1):
        if "Contents" in page.split():
            continue  # the contents page is ours alone, running lines and all
        words.update(page.split())
        words.subtract([*RUNNING_WORDS, reference, reference, str(number), str(len(pages))])
    theirs = Counter(w for text in page_texts(baseline) for w in text.split())
    only_ours = Counter({w: n for w, n in (words - theirs).items() if n > 0})
    only_baseline = Counter({w: n for w, n in (theirs - words).items() if n > 0})
    return {"only_ours": only_ours, "only_baseline": only_baseline}


def _child_peak(size: str, builder: str) -> tuple[float, int]:
    """(peak MB, pages) of one build alone in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.report_bench", "--peak", size, builder],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    found = json.loads(out.stdout.strip().splitlines()[-1])
    return found["peak_mb"], found["pages"]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_in_this_process(size: str, builder: str) -> dict[str, float]:
    request = huge_request() if size == "huge" else large_request()
    BUILDERS[builder](large_request(evidence_entries=2, words=200))  # fonts and imports
    gc.collect()
    before = _rss_mb()
    data = BUILDERS[builder](request)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"peak_mb": peak - before, "pages": page_count(data)}


def _measure(size: str, request, rounds: int) -> dict[str, float]:
    ours, baseline = [], []
    ours_data = baseline_data = b""
    for _ in range(rounds):  # alternate so drift affects both equally
        elapsed, baseline_data = _timed(baseline_pdf, request)
        baseline.append(elapsed)
        elapsed, ours_data = _timed(ours_pdf, request)
        ours.append(elapsed)
    o, b = statistics.median(ours), statistics.median(baseline)
    pages = page_count(ours_data)
    peak_mb, _ = _child_peak(size, "ours")
    return {
        f"{size}_ms": o * 1000,
        f"{size}_baseline_ms": b * 1000,
        f"{size}_ratio": o / b,
        f"{size}_pages": pages,
        f"{size}_baseline_pages": page_count(baseline_data),
        f"{size}_pages_per_second": pages / o,
        f"{size}_peak_mb": peak_mb,
    }


def bench_reports(
    large_rounds: int = LARGE_ROUNDS, huge_rounds: int = HUGE_ROUNDS
) -> dict[str, float]:
    """Keys, for size "large" and "huge": {size}_ms, {size}_baseline_ms, {size}_ratio,
    {size}_pages, {size}_baseline_pages, {size}_pages_per_second, {size}_peak_mb."""
    request = large_request()
    ours_pdf(request)  # warm fonts and imports
    baseline_pdf(request)
    result = _measure("large", request, large_rounds)
    result.update(_measure("huge", huge_request(), huge_rounds))
    return result


def _summary(counter: Counter, limit: int = 12) -> str:
    top = ", ".join(f"{w} x{n}" for w, n in counter.most_common(limit))
    return f"{sum(counter.values())} words ({top})"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--peak"]:
        print(json.dumps(_peak_in_this_process(argv[1], argv[2])))
        return 0
    if argv[:1] == ["--words"]:
        request = large_request()
        diff = word_difference(ours_pdf(request), baseline_pdf(request), request.case.reference)
        print("only in ours:", _summary(diff["only_ours"]))
        print("only in the baseline:", _summary(diff["only_baseline"]))
        return 0
    r = bench_reports()
    for size, label in (("large", "large demo case"), ("huge", "50,000-item assessment")):
        print(
            f"full report, {label}: {r[f'{size}_ms']:.0f} ms for {r[f'{size}_pages']:.0f} pages; "
            f"baseline {r[f'{size}_baseline_ms']:.0f} ms for "
            f"{r[f'{size}_baseline_pages']:.0f} pages; ratio {r[f'{size}_ratio']:.2f}x "
            f"(target within 1.3x, no more pages); peak {r[f'{size}_peak_mb']:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
