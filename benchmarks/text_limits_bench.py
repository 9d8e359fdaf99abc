"""Text limits benchmark: how long the full assessment report takes to lay out as one written
field grows (typed as one unbroken paragraph, the worst case for the layout, and as ordinary
paragraphs), and for the worst case domain/limits.py allows: a whole assessment with every
long text at MAX_TEXT_CHARS.

Processor times of one build in memory (render_bytes), after a warm-up build.

    python -m benchmarks.text_limits_bench            # the table
    python -m benchmarks.text_limits_bench --maxed    # the worst case alone
"""

from __future__ import annotations

import dataclasses
import enum
import gc
import random
import sys
import time
from dataclasses import replace

from benchmarks.large_assessment import _words
from benchmarks.report_bench import large_request, page_count

FIELD_SIZES = (50_000, 100_000, 200_000, 300_000, 1_000_000)
# The maxed case: the large demo assessment cut down to this many entries of each list, then
# every long text in it filled to the limit.
MAXED_ENTRIES = 20


def prose(chars: int, *, paragraphs: bool, seed: int = 1) -> str:
    """`chars` characters of invented sentences: one paragraph, or paragraphs of 80 to 200
    words separated by blank lines."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < chars:
        part = _words(rng, rng.randint(80, 200))
        parts.append(part)
        total += len(part) + 2
    return ("\n\n" if paragraphs else " ").join(parts)[:chars]


def _small_request():
    return large_request(evidence_entries=MAXED_ENTRIES, words=4_000)


def one_field_request(chars: int, *, paragraphs: bool):
    """The small assessment with its first factor's rationale `chars` long."""
    request = _small_request()
    content = request.content
    first = replace(content.ratings[0], rationale=prose(chars, paragraphs=paragraphs))
    return replace(request, content=replace(content, ratings=(first, *content.ratings[1:])))


def _filled(value: object, text: str) -> object:
    """`value` with every long text field (record_limits.text_limit) replaced by `text`,
    cut to that field's limit; ids, names and vocabularies are left as they are."""
    from aim3desk.domain.limits import MAX_TEXT_CHARS
    from aim3desk.domain.record_limits import text_limit

    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        return tuple(_filled(item, text) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for part in dataclasses.fields(value):
        current = getattr(value, part.name)
        is_text = isinstance(current, str) and not isinstance(current, enum.Enum)
        if is_text and text_limit(part.name) == MAX_TEXT_CHARS:
            changes[part.name] = text[:MAX_TEXT_CHARS]
        else:
            changes[part.name] = _filled(current, text)
    return replace(value, **changes)


def maxed_request():
    """A whole assessment with every long text at the limit (one unbroken paragraph each)."""
    from aim3desk.domain.limits import MAX_TEXT_CHARS

    request = _small_request()
    content = _filled(request.content, prose(MAX_TEXT_CHARS, paragraphs=False))
    return replace(request, content=content)


def long_texts(content: object) -> int:
    """How many long texts `content` holds at the limit."""
    from aim3desk.domain.limits import MAX_TEXT_CHARS

    count = 0

    def walk(value: object) -> None:
        nonlocal count
        if isinstance(value, str):
            count += len(value) == MAX_TEXT_CHARS
        elif isinstance(value, tuple):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for part in dataclasses.fields(value):
                walk(getattr(value, part.name))

    walk(content)
    return count


def timed_build(request) -> tuple[float, int]:
    """(processor seconds, pages) of one build in memory."""
    from aim3desk.services.reports.build import render_bytes

    gc.collect()
    start = time.process_time()
    data = render_bytes(request)
    return time.process_time() - start, page_count(data)


def main(argv: list[str]) -> None:
    timed_build(_small_request())  # fonts and imports
    if "--maxed" in argv:
        request = maxed_request()
        seconds, pages = timed_build(request)
        print(
            f"maxed: {long_texts(request.content)} long texts at the limit: "
            f"{seconds:.1f} s, {pages} pages"
        )
        return
    print("characters in one field | one paragraph (s, pages) | paragraphs (s, pages)")
    for chars in FIELD_SIZES:
        one = timed_build(one_field_request(chars, paragraphs=False))
        many = timed_build(one_field_request(chars, paragraphs=True))
        print(f"{chars:>9,} | {one[0]:6.2f} s {one[1]:5} | {many[0]:6.2f} s {many[1]:5}")


if __name__ == "__main__":
    main(sys.argv[1:])
