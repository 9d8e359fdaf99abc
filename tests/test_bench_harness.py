"""The benchmark harness's pieces run at a tiny scale (5 demo cases, the cheapest key
derivation) and give every figure the table shows; the full run is `make bench` only."""

from __future__ import annotations

import pytest
from benchmarks.docs_page import render_page
from benchmarks.run import bench_scale
from benchmarks.startup import bench_startup
from benchmarks.table import SCALE_ROWS

from aim3desk.security.kdf import KdfParams

pytestmark = pytest.mark.gui

GUI_FIGURES = (
    "unlock_to_list_ms",
    "unlock_stall_ms",
    "after_list_stall_ms",
    "search_to_paint_ms",
    "search_stall_ms",
    "refresh_to_paint_ms",
    "refresh_stall_ms",
    "open_case_to_paint_ms",
    "open_case_stall_ms",
    "close_case_to_paint_ms",
    "close_case_stall_ms",
    "peak_rss_mb",
    "peak_rss_after_unlock_mb",
)
STORE_FIGURES = (
    "kdf_ms",
    "unlock_ms",
    "dashboard_ms",
    "create_profile_ms",
    "store_mb",
    "words_per_case",
    "items_per_case",
    *(
        f"{name}_{side}"
        for name in ("list", "find", "open", "content_search", "save")
        for side in ("ms", "plain_ms", "ratio")
    ),
    "save_p95_ms",
)


def test_every_figure_comes_out_of_a_tiny_run(tmp_path):
    found, parts = bench_scale(
        tmp_path, 5, kdf=KdfParams(8192, 1, 1), gui_rounds=1, paired_rounds=1, parts=False
    )
    assert parts == {}
    missing = [key for key in (*GUI_FIGURES, *STORE_FIGURES) if key not in found]
    assert missing == []
    assert found["rows"] == 5
    assert found["items_per_case"] > 0 and found["words_per_case"] > 0
    # Every row of the scale table has its figure: none is left "n/a".
    assert all(figure(found) is not None for _name, figure, *_rest in SCALE_ROWS)

    startup = bench_startup(tmp_path / "profile-5", rounds=1)
    assert startup["aim3desk_ms"] > 0 and startup["bare_qt_ms"] > 0

    page = render_page({"scale": {5: found}, "startup": startup}, minutes=0.1)
    assert "| 5 cases |" in page
    assert "n/a" not in page
    assert "Start-up to the first paint" in page
