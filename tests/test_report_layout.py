"""The full report of a long case wastes no pages and loses no entry: no more pages than a plain
platypus flow of the same words (the benchmark's independent baseline), every evidence entry
read back in full and in order, and no entry head left at the foot of a page without its
text. Checked on the text pypdf extracts from real PDFs; no timings here (see benchmarks/)."""

from __future__ import annotations

import io
import itertools
from dataclasses import replace

import pytest
from benchmarks.report_baseline import baseline_pdf
from benchmarks.report_bench import baseline_inputs, large_request
from pypdf import PdfReader

from aim3desk.services.reports.build import render_bytes

ENTRIES = 900


def entry_words(n: int) -> list[str]:
    """Unique invented words for entry n: 8 to 47 of them, so some entries take one line and
    some several."""
    return [f"e{n}w{i}" for i in range(8 + n * 7 % 40)]


@pytest.fixture(scope="module")
def request_with_many_entries():
    request = large_request(evidence_entries=ENTRIES, words=40_000)
    evidence = tuple(
        replace(entry, text=" ".join(entry_words(n)))
        for n, entry in enumerate(request.content.evidence)
    )
    return replace(request, content=replace(request.content, evidence=evidence))


@pytest.fixture(scope="module")
def pages(request_with_many_entries) -> list[str]:
    data = render_bytes(request_with_many_entries)
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_no_more_pages_than_a_plain_flow_of_the_same_words(
    request_with_many_entries, pages: list[str]
) -> None:
    plain = baseline_pdf(baseline_inputs(request_with_many_entries))
    plain_pages = len(PdfReader(io.BytesIO(plain)).pages)
    assert len(pages) > 30  # a long report, not a trivial one
    assert len(pages) <= plain_pages


def test_every_evidence_entry_is_read_back_in_full(pages: list[str]) -> None:
    tokens = [t for page in pages for t in page.split() if t.startswith("e") and "w" in t]
    by_entry: dict[int, list[str]] = {}
    for token in tokens:
        entry, _, _ = token[1:].partition("w")
        if entry.isdigit():
            by_entry.setdefault(int(entry), []).append(token)
    assert sorted(by_entry) == list(range(ENTRIES))
    for n, words in by_entry.items():
        assert words == entry_words(n), n


def body_lines(page: str) -> list[str]:
    """A page's lines without its running header and footer."""
    return [
        line
        for line in page.splitlines()
        if line.strip()
        and "OFFICIAL-SENSITIVE" not in line
        and not line.startswith(("Page ", "Case ", "BENCH-", "DRAFT"))
    ]


def test_no_entry_head_is_left_at_the_foot_of_a_page(pages: list[str]) -> None:
    for number, (page, following) in enumerate(itertools.pairwise(pages), start=1):
        lines, next_lines = body_lines(page), body_lines(following)
        if not lines or not next_lines or not next_lines[0].startswith("e"):
            continue
        first = next_lines[0].split()[0]
        if first.endswith("w0"):  # the next page opens with the first words of an entry
            assert " · " not in lines[-1], f"page {number} ends with a head: {lines[-1]}"
