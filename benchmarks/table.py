"""The Markdown tables benchmarks/run.py prints and writes to docs/benchmarks.md: the scale
figures side by side (500 cases, 5,000 cases, growth), then the figures that do not depend on
the caseload."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from benchmarks.part_rows import OTHER_PART_ROWS, scale_part_rows
from benchmarks.part_rows import fmt_figure as _fmt

Results = Mapping[str, float]
# A row: what is measured, the figure from one size's results, a detail, the target.
ScaleRow = tuple[str, Callable[[Results], float | None], str, Callable[[Results], str], str]


def _get(key: str) -> Callable[[Results], float | None]:
    return lambda r: r.get(key)


def _pair(a: str, b: str) -> Callable[[Results], str]:
    return lambda r: f"{_fmt(r.get(a), 'ms')} vs {_fmt(r.get(b), 'ms')}" if a in r else ""


def _beyond_kdf(r: Results) -> float | None:
    if "unlock_to_list_ms" not in r or "kdf_ms" not in r:
        return None
    return r["unlock_to_list_ms"] - r["kdf_ms"]


def _none(_r: Results) -> str:
    return ""


SCALE_ROWS: list[ScaleRow] = [
    (
        "Passphrase to painted case list (press Unlock to the list's first painted rows)",
        _get("unlock_to_list_ms"),
        "ms",
        lambda r: f"key derivation {_fmt(r.get('kdf_ms'), 'ms')}",
        "key derivation + 300 ms",
    ),
    ("... of which beyond the key derivation", _beyond_kdf, "ms", _none, "under 300 ms"),
    (
        "Key derivation alone (KeyFile.unlock, Argon2id at the profile's cost)",
        _get("kdf_ms"),
        "ms",
        _none,
        "0.5-1 s by design",
    ),
    (
        "Unlock in-process (ProfileService.unlock: key, open the store, its checks, audit)",
        _get("unlock_ms"),
        "ms",
        _none,
        "",
    ),
    (
        "Longest UI stall, Unlock to painted list",
        _get("unlock_stall_ms"),
        "ms",
        _none,
        "under 50 ms",
    ),
    (
        "Longest UI stall once the list shows, until the worker is idle",
        _get("after_list_stall_ms"),
        "ms",
        _none,
        "under 50 ms",
    ),
    (
        "Search the list by a surname: last keystroke to painted rows",
        _get("search_to_paint_ms"),
        "ms",
        lambda r: f"stall {_fmt(r.get('search_stall_ms'), 'ms')}",
        "under 100 ms",
    ),
    ("Longest UI stall, searching", _get("search_stall_ms"), "ms", _none, "under 50 ms"),
    (
        "Clear the search: full list painted again (a refresh)",
        _get("refresh_to_paint_ms"),
        "ms",
        lambda r: f"stall {_fmt(r.get('refresh_stall_ms'), 'ms')}",
        "",
    ),
    ("Longest UI stall, refreshing the list", _get("refresh_stall_ms"), "ms", _none, "under 50 ms"),
    (
        "Open a case (Enter on a row to its view painted, assessment loaded)",
        _get("open_case_to_paint_ms"),
        "ms",
        lambda r: f"stall {_fmt(r.get('open_case_stall_ms'), 'ms')}",
        "",
    ),
    ("Longest UI stall, opening a case", _get("open_case_stall_ms"), "ms", _none, "under 50 ms"),
    (
        "Close the case: list painted again",
        _get("close_case_to_paint_ms"),
        "ms",
        lambda r: f"stall {_fmt(r.get('close_case_stall_ms'), 'ms')}",
        "",
    ),
    (
        "Peak memory of the app after list, search and open (from the painted list on)",
        _get("peak_rss_after_unlock_mb"),
        "MB",
        _none,
        "under 300 MB",
    ),
    (
        "Peak memory of the app, whole session (incl. the key derivation's working memory)",
        _get("peak_rss_mb"),
        "MB",
        _none,
        "",
    ),
    (
        "Deadlines dashboard (session.deadlines.dashboard)",
        _get("dashboard_ms"),
        "ms",
        lambda r: f"{r.get('deadlines', 0):,.0f} deadlines",
        "",
    ),
    (
        "Encrypted / plain: list every case with its current assessment",
        _get("list_ratio"),
        "x",
        _pair("list_ms", "list_plain_ms"),
        "",
    ),
    (
        "Encrypted / plain: find cases by a surname",
        _get("find_ratio"),
        "x",
        _pair("find_ms", "find_plain_ms"),
        "",
    ),
    (
        "Encrypted / plain: open one case with its assessment items",
        _get("open_ratio"),
        "x",
        _pair("open_ms", "open_plain_ms"),
        "",
    ),
    (
        "Encrypted / plain: content search (FTS5), one word",
        _get("content_search_ratio"),
        "x",
        _pair("content_search_ms", "content_search_plain_ms"),
        "",
    ),
    (
        "Encrypted / plain: save one evidence entry (fsync'd, FTS triggers)",
        _get("save_ratio"),
        "x",
        _pair("save_ms", "save_plain_ms"),
        "",
    ),
    (
        "Save one evidence entry (one autosave)",
        _get("save_ms"),
        "ms",
        lambda r: f"p95 {_fmt(r.get('save_p95_ms'), 'ms')}",
        "under 20 ms",
    ),
    (
        "Create the profile (calibrate Argon2id, key file, empty store)",
        _get("create_profile_ms"),
        "ms",
        _none,
        "",
    ),
    ("Fill it with the demo cases (services/demo add_demo_cases)", _get("fill_s"), "s", _none, ""),
    (
        "Store size",
        _get("store_mb"),
        "MB",
        lambda r: f"{r.get('store_mb', 0) / max(r.get('cases', 1), 1) * 1000:.0f} kB a case",
        "",
    ),
]


def _growth(small: float | None, large: float | None, unit: str) -> str:
    if unit in ("", "x") or not small or large is None:
        return ""
    return f"{large / small:.1f}x"


def render_scale(by_size: Mapping[int, Results], parts: Mapping[int, Mapping[str, Results]]) -> str:
    sizes = sorted(by_size)
    head = " | ".join(f"{n:,} cases" for n in sizes)
    growth_head = " | growth" if len(sizes) == 2 else ""
    lines = [
        f"| measure | {head}{growth_head} | detail (at {sizes[-1]:,}) | target |",
        "|---|" + "---|" * len(sizes) + ("---|" if growth_head else "") + "---|---|",
    ]

    def add(name: str, values: list[float | None], unit: str, detail: str, target: str) -> None:
        cells = " | ".join(_fmt(v, unit) for v in values)
        growth = f" | {_growth(values[0], values[-1], unit)}" if growth_head else ""
        lines.append(f"| {name} | {cells}{growth} | {detail} | {target} |")

    for name, figure, unit, detail, target in SCALE_ROWS:
        values = [figure(by_size[n]) for n in sizes]
        if all(v is None for v in values):
            continue
        add(name, values, unit, detail(by_size[sizes[-1]]), target)
    for what, cells, target in scale_part_rows(sizes, parts):
        growth = " | " if growth_head else ""
        lines.append(f"| {what} | {' | '.join(cells)}{growth} |  | {target} |")
    return "\n".join(lines)


def render_content(by_size: Mapping[int, Results]) -> str:
    r = by_size[max(by_size)]
    return (
        f"One demo case holds on average {r['items_per_case']:.1f} assessment items "
        f"({r['rating_per_case']:.1f} ratings, {r['evidence_per_case']:.1f} evidence entries, "
        f"{r['chronology_per_case']:.1f} chronology events, and unknowns, voices, notes, "
        f"formulation, safety plan) and {r['records_per_case']:.1f} case records "
        f"({r['supervision_per_case']:.1f} supervision sessions, {r['track_per_case']:.1f} "
        f"intervention tracks, {r['goal_per_case']:.1f} goals, and consultations, "
        f"escalations, risk meetings, keeping-safe plans): {r['words_per_case']:,.0f} words, "
        f"{r['store_mb'] / r['cases'] * 1000:.0f} kB of encrypted store."
    )


def render_other(results: Mapping[str, Results | None]) -> str:
    rows: list[tuple[str, str, str, str]] = []
    s = results.get("startup")
    if s:
        rows.append(
            (
                "Start-up to the first paint of the unlock window: AIM3 Desk / bare PySide6 window",
                f"{s['ratio']:.2f}x",
                f"{s['aim3desk_ms']:.0f} ms vs {s['bare_qt_ms']:.0f} ms",
                "within 1.3x",
            )
        )
    ui = results.get("assessment")
    if ui:
        size = f"{ui['entries']:.0f} evidence entries, {ui['words']:,.0f} words"
        rows += [
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
                f"{ui['large_open_ms']:.0f} ms vs {ui['empty_open_ms']:.0f} ms (load, build "
                "pages, first paint)",
                "",
            ),
        ]
    size = results.get("save_size")
    if size:
        rows += [
            (
                "Load a full assessment (25 factors, 200 evidence entries, 50,000 words)",
                f"{size['large_load_ms']:.1f} ms",
                f"empty {size['empty_load_ms']:.1f} ms",
                "under 1 s",
            ),
            (
                "Save one evidence entry: full / empty assessment",
                f"{size['save_large_vs_empty']:.2f}x",
                f"{size['large_save_ms']:.2f} ms vs {size['empty_save_ms']:.2f} ms",
                "about 1x (one row written)",
            ),
        ]
    rows += _bundle_rows(results.get("bundles"))
    for label, rows_of in OTHER_PART_ROWS.items():
        if found := results.get(label):
            rows += rows_of(found)
    lines = ["| measure | result | detail | target |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def _bundle_rows(b: Results | None) -> list[tuple[str, str, str, str]]:
    if not b or "export_ratio" not in b:
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
            f"members, {b['bundle_mib']:.1f} MiB as bundles; peak memory "
            f"{b.get('peak_rss_mb', 0):.0f} MB",
            "",
        ),
    ]
