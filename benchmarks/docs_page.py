"""docs/benchmarks.md as the run writes it: the machine, the command, the tables, and what each
figure measures and against what."""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

from benchmarks.table import render_content, render_other, render_scale

EXPLANATIONS = """\
## What each figure measures, and against what

All times are wall-clock medians unless said otherwise; a stall is the longest time the UI
thread did not answer (benchmarks/stall_watch.py: a 5 ms timer on the UI thread, the longest
gap between two ticks less one tick), the worst seen in any round.

**Scale profiles.** Two real profiles are made in the run: a profile created with the
passphrase (its Argon2id cost calibrated on this machine, as a new user's is), then filled with
services/demo add_demo_cases (seed 3, day 2026-11-24, so every run holds the same invented
cases). Cases past "requested" carry a full assessment's content and case records (see above).

**In the real app** (benchmarks/gui_session.py, a child process per round, offscreen Qt): the
app starts as `run_gui` does (from compiled bytecode, as installed); after three seconds (the
preloading a person's typing hides: the heavy imports and the form files) the passphrase is
typed into the unlock window and Unlock is clicked; the main window is built while the key is
derived. *Passphrase to painted case
list* runs from the click to the first Paint event of the case table's viewport with rows in
it (an event filter on Paint events), and is shown beside the key derivation alone
(KeyFile.unlock on the same profile in the same run); the target is the key derivation plus
300 ms. Then a surname is typed into the search box (*search*: from the last keystroke to the
first paint of the filtered rows), the search is cleared
(*refresh*: to the full list painted again), Enter is pressed on a row in the middle (*open a
case*: to the first paint inside the case view once the worker has nothing left to do, its
assessment loaded) and the case is closed (*close*: to the list painted again). *Peak memory*
is the process's VmHWM: over the whole session (the 256 MiB the key derivation works in
included), and from the painted list on (the peak reset once the list shows), covering list,
search, open and close.

**Unlock in-process** is ProfileService.unlock (key derivation, opening the store and the
checks it runs, recording the unlock); the **deadlines dashboard** is
session.deadlines.dashboard() for the whole profile.

**Encrypted / plain.** The baseline is independent of our code: a plaintext copy of the same
database, made in the run's temp folder with SQLCipher's `sqlcipher_export` into a database
attached with an empty key (invented data; deleted with the temp folder), read and written by
Python's own sqlite3 module with hand-written SQL, WAL and synchronous=FULL. Our side is the
services on the encrypted store, as the app calls them. The two sides alternate, one run each
per round:
- *list*: ours `cases.list_cases()` (case summaries, each with its current assessment); plain,
  one SELECT of the cases joined to their newest assessment version, ordered by reference, and
  the set of cases on legal hold;
- *find*: ours `list_cases(search=surname)`; plain, the same SELECT filtered in SQL by the
  lower-cased reference, name or lead worker containing the word;
- *open*: ours `get_case` then `assessments.load` of its current assessment (domain objects);
  plain, the case row, its assessment rows and the current assessment's item rows, each item's
  JSON parsed;
- *content search*: ours `session.search.search(word)` (grouped into places); plain, the same
  FTS5 MATCH with snippets and bm25 ranking, limited to the current versions, best 200 rows;
- *save*: ours `assessments.save_item` of one evidence entry (it checks the assessment can be
  edited and audits the first edit in a while); plain, one INSERT ... ON CONFLICT UPDATE of the
  same entry's JSON in its own transaction. Both fsync (synchronous=FULL) and both fire the
  full-text index's triggers.
So each ratio is the whole price of encryption, SQLAlchemy, the services and the domain
objects, against the least work that gets the same rows.

**Start-up** runs AIM3 Desk (its unlock window) and a bare PySide6 window (a label and a line
edit) in fresh processes, alternating rounds, each timed from just before the process starts
to its first Paint event of a top-level window's widget. Both children install the same hook
(benchmarks/paint_probe.py: an application event filter, installed right after the
QApplication is made and before anything else is imported or built, which prints the time at
the first paint and ends the process), so both pay the same overhead.

**Other figures.** The assessment workspace (benchmarks/domain_switch.py: open and switch
domain pages, a full assessment against an empty one, each switch timed to a synchronous
repaint); loading and saving in a full against an empty assessment (benchmarks/save_size.py,
in the 500-case profile); and, where their modules are present, the other parts' benchmarks
(reports, import, bundles; and at each scale the case list and opening a case), each run in a
child process of its own with its peak memory (`peak_rss_mb`) beside it. The bundle figures
(benchmarks/bundle_bench.py) send invented demo cases from one real profile to another, each
bundle holding the case's full report and case document, against writing and reading exactly
those member bytes as plain files (each flushed and fsynced, as a bundle is): the whole price
of a signed, encrypted, recorded bundle.
"""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return "RAM unknown"


def machine() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    plugin = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, {_ram_gib()}; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Qt {qVersion()} "
        f"(PySide6 {pyside_version}), platform plugin `{plugin}`"
    )


def _load(values: tuple[float, ...]) -> str:
    return " / ".join(f"{n:.2f}" for n in values)


def render_page(results: dict, minutes: float) -> str:
    scale = results["scale"]
    start = results.get("load_at_start")
    load = (f"from {_load(start)} at the start " if start else "") + (
        f"to {_load(os.getloadavg())} at the end"
    )
    return (
        "# Benchmarks\n\n"
        "Command: `make bench` (runs `python -m benchmarks.run --write docs/benchmarks.md`).\n\n"
        f"Latest run: {date.today().isoformat()}, {minutes:.1f} minutes, on {machine()}. "
        f"Load average (1 / 5 / 15 minutes) {load}: how busy the machine was.\n\n"
        "## At scale\n\n"
        f"{render_content(scale)}\n\n"
        f"{render_scale(scale, results.get('scale_parts', {}))}\n\n"
        "## Whatever the caseload\n\n"
        f"{render_other(results)}\n\n"
        f"{EXPLANATIONS}"
    )


def write_page(results: dict, minutes: float, path: Path | None) -> str:
    page = render_page(results, minutes)
    if path is not None:
        path.write_text(page, encoding="utf-8")
    return page
