"""Does saving one evidence entry grow with the assessment? Load, and save one entry in, a full
assessment (benchmarks/large_assessment.py: 25 factors, 200 entries, about 50,000 words)
against an empty one, in an open session (two cases are added to its profile)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date

TODAY = date(2026, 11, 24)


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _load_and_save_ms(session, number: int, items: list[object], entry) -> tuple[float, float]:
    from aim3desk.domain.cases import CaseStatus, start_assessment
    from aim3desk.services.demo import make_demo_case

    case = make_demo_case(random.Random(number), number, TODAY)
    case = replace(case, status=CaseStatus.REQUESTED, assessments=(start_assessment(case),))
    case = session.cases.add_case(case, today=TODAY)
    assessment_id = case.current_assessment.id
    if items:
        session.assessments.save_items(assessment_id, items)
    counter = iter(range(10**6))
    load_ms = _median_ms(lambda: session.assessments.load(assessment_id), 10)
    save_ms = _median_ms(
        lambda: session.assessments.save_item(
            assessment_id, replace(entry, text=f"{entry.text} {next(counter)}")
        ),
        50,
    )
    return load_ms, save_ms


def bench_large_and_empty(session, first_number: int) -> dict[str, float]:
    from benchmarks.large_assessment import content_items, make_large_assessment

    large = make_large_assessment(seed=1)
    entry = large.evidence[100]
    large_load, large_save = _load_and_save_ms(session, first_number, content_items(large), entry)
    empty_load, empty_save = _load_and_save_ms(session, first_number + 1, [], entry)
    return {
        "large_load_ms": large_load,
        "empty_load_ms": empty_load,
        "large_save_ms": large_save,
        "empty_save_ms": empty_save,
        "save_large_vs_empty": large_save / empty_save,
    }
