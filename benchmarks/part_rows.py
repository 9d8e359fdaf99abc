"""Named rows for the figures other benchmark modules return (case list, opening a case, the
full report, importing case files), so the table says what each measures and its target
instead of printing raw keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping

Results = Mapping[str, float]
# (label of the part, key, what is measured, unit, target)
PartRow = tuple[str, str, str, str, str]

SCALE_PART_ROWS: list[PartRow] = [
    (
        "case list",
        "listed_after_unlock_ms",
        "Case list painted after unlock (case_list_bench)",
        "ms",
        "",
    ),
    (
        "case list",
        "listed_after_unlock_stall_ms",
        "Longest UI stall, listing after unlock",
        "ms",
        "under 50 ms",
    ),
    (
        "case list",
        "keystroke_paint_median_ms",
        "Search as you type: keystroke to painted case rows, median",
        "ms",
        "under 100 ms",
    ),
    (
        "case list",
        "keystroke_paint_max_ms",
        "Search as you type: keystroke to painted case rows, worst key",
        "ms",
        "under 100 ms",
    ),
    ("case list", "keystroke_stall_ms", "Longest UI stall, typing a search", "ms", "under 50 ms"),
    (
        "case list",
        "found_paint_median_ms",
        "Matches in what was written (FTS5) painted after the last key, median (150 ms quiet "
        "first)",
        "ms",
        "",
    ),
    (
        "case list",
        "sort_stall_ms",
        "Longest UI stall, sorting by a column header",
        "ms",
        "under 50 ms",
    ),
    (
        "case list",
        "clear_search_stall_ms",
        "Longest UI stall, clearing the search",
        "ms",
        "under 50 ms",
    ),
    (
        "case list",
        "status_filter_stall_ms",
        "Longest UI stall, changing the status filter",
        "ms",
        "under 50 ms",
    ),
    (
        "case list",
        "store_changed_stall_ms",
        "Longest UI stall, list refreshed after a change",
        "ms",
        "under 50 ms",
    ),
    (
        "case list",
        "close_case_stall_ms",
        "Longest UI stall, closing a case back to the list",
        "ms",
        "under 50 ms",
    ),
    (
        "case list",
        "peak_rss_mb",
        "Peak memory of the case-list run, whole process (incl. the key derivation's 256 MiB)",
        "MB",
        "",
    ),
    (
        "open case",
        "first_paint_ms",
        "Open a typical case: to the workspace's first paint",
        "ms",
        "",
    ),
    (
        "open case",
        "stall_ms",
        "Longest UI stall opening a typical case, median of rounds",
        "ms",
        "under 50 ms",
    ),
    (
        "open case",
        "stall_max_ms",
        "Longest UI stall opening a typical case, worst round",
        "ms",
        "under 50 ms",
    ),
    (
        "open huge",
        "first_paint_ms",
        "Open the 50,000-item assessment (50,000 evidence entries): to first paint",
        "ms",
        "",
    ),
    (
        "open huge",
        "stall_ms",
        "Longest UI stall opening the 50,000-item assessment, median",
        "ms",
        "under 50 ms",
    ),
    ("open huge", "peak_rss_mb", "Peak memory, opening the 50,000-item assessment", "MB", ""),
]


def fmt_figure(value: float | None, unit: str) -> str:
    """A figure with its unit, as the tables print it."""
    if value is None:
        return "n/a"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.1f} s"
    if unit == "MB":
        return f"{value:,.0f} MB" if value >= 10 else f"{value:.2f} MB"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def scale_part_rows(
    sizes: list[int], parts: Mapping[int, Mapping[str, Results]]
) -> list[tuple[str, list[str], str]]:
    """(what, one cell per size, target) for every part figure that was measured."""
    rows = []
    for label, key, what, unit, target in SCALE_PART_ROWS:
        values = [parts.get(n, {}).get(label, {}).get(key) for n in sizes]
        if any(v is not None for v in values):
            rows.append(
                (what, [fmt_figure(v, unit) if v is not None else "" for v in values], target)
            )
    return rows


def _report_rows(r: Results) -> list[tuple[str, str, str, str]]:
    rows = []
    for size, what in (
        ("large", "the large demo case (200 evidence entries, 50,000 words)"),
        ("huge", "the 50,000-item assessment (50,000 evidence entries, 750,000 words)"),
    ):
        if f"{size}_ratio" not in r:
            continue
        rows.append(
            (
                f"Full report of {what} / an independent platypus build of the same words "
                "(benchmarks/report_baseline.py), processor time",
                f"{r[f'{size}_ratio']:.2f}x",
                f"{r[f'{size}_ms']:,.0f} ms vs {r[f'{size}_baseline_ms']:,.0f} ms; "
                f"{r[f'{size}_pages']:,.0f} pages vs {r[f'{size}_baseline_pages']:,.0f}; "
                f"peak memory growth {r[f'{size}_peak_mb']:,.0f} MB",
                "within 1.3x, no more pages",
            )
        )
    return rows


def _import_rows(r: Results) -> list[tuple[str, str, str, str]]:
    if "import_ratio" not in r:
        return []
    n = f"{r['cases']:.0f}"
    return [
        (
            f"Import {n} case files in-process (check, decode, store, audit; one durable "
            "transaction a case) / read and json.loads the same files",
            f"{r['import_ratio']:.0f}x",
            f"{r['import_per_case_ms']:.1f} ms a case vs {r['read_parse_ms'] / r['cases']:.2f} "
            f"ms; against read, parse and one fsync'd write a case "
            f"{r['import_vs_fsync_ratio']:.0f}x",
            "within 5x",
        ),
        (
            f"Import the same {n} files with one 'aim3desk import FOLDER' (one process, one "
            "unlock)",
            f"{r['command_import_ms'] / 1000:.1f} s",
            f"{r['command_per_case_ms']:.0f} ms a case, start-up and unlock included",
            "",
        ),
    ]


OTHER_PART_ROWS: dict[str, Callable[[Results], list[tuple[str, str, str, str]]]] = {
    "reports": _report_rows,
    "import": _import_rows,
}
