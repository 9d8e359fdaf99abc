"""Running a benchmark in a child process of its own (its own Qt application, its own memory)
and reading the one JSON line it prints last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.update(extra)
    return env


def run_json_child(
    args: list[str], env: dict[str, str] | None = None, timeout_s: float = 600
) -> dict[str, float]:
    """`python -m ...args` from the repository root; the last line starting with "{"."""
    out = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{args[0]} gave no result: {out.stderr[-800:]}")
    return json.loads(lines[-1])
