"""Start-up to the first paint: AIM3 Desk's unlock window against a bare PySide6 window, each in
a fresh process with the same measuring hook (benchmarks/paint_probe.py), alternating rounds.
Each round's time runs from just before the process is started to the wall-clock time the
child prints at its first paint."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.children import ROOT, child_env
from benchmarks.paint_probe import PAINTED


def time_to_first_paint(module: str, env: dict[str, str]) -> float:
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    for line in out.stdout.splitlines():
        if line.startswith(PAINTED + " "):
            return (float(line.split()[1]) - start) * 1000
    raise RuntimeError(f"{module} painted no window: {out.stderr[-500:]}")


def bench_startup(profile_dir: Path, rounds: int) -> dict[str, float]:
    env = child_env(AIM3DESK_PROFILE=str(profile_dir))
    bare_module, ours_module = "benchmarks.bare_window", "benchmarks.first_window"
    time_to_first_paint(bare_module, env)  # warm the file cache for both
    time_to_first_paint(ours_module, env)
    bare, ours = [], []
    for _ in range(rounds):  # alternate so drift on the machine affects both equally
        bare.append(time_to_first_paint(bare_module, env))
        ours.append(time_to_first_paint(ours_module, env))
    b, o = statistics.median(bare), statistics.median(ours)
    return {"bare_qt_ms": b, "aim3desk_ms": o, "ratio": o / b}
