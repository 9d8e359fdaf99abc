"""The atheris fuzz targets, one per parser of outside data (fuzz_target.py, fuzz_runner.py),
seeded from valid files made at run time: no input may raise anything but the parser's own
clear error, and none may hang.

CI runs a short smoke run of every parser in one process; the slow suite runs each target
for FUZZ_INPUTS inputs (`make fuzz FUZZ_INPUTS=1000000` for the long run).
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import pytest

from fuzz_runner import run_all, smoke
from outside_parsers import PARSER_NAMES

pytestmark = pytest.mark.skipif(
    not (sys.platform == "linux" and platform.machine() == "x86_64"),
    reason="atheris is installed on Linux x86-64 only (pyproject's test extra)",
)
SMOKE_INPUTS = 2_000
SLOW_INPUTS = int(os.environ.get("FUZZ_INPUTS", "100000"))


def test_a_smoke_run_of_every_parser_finds_nothing(tmp_path: Path) -> None:
    result = smoke(SMOKE_INPUTS, tmp_path)
    assert result.exit_code == 0, (tmp_path / "all.log").read_text("utf-8")[-2000:]
    assert result.inputs == SMOKE_INPUTS
    assert result.findings == () and result.hangs == ()
    assert set(result.per_parser) == set(PARSER_NAMES)  # every parser was given inputs


@pytest.mark.slow
def test_every_target_runs_its_inputs_without_a_finding_or_a_hang(tmp_path: Path) -> None:
    results = run_all(SLOW_INPUTS, tmp_path)
    report = "\n".join(r.line() for r in results)
    print(report)  # inputs, seconds and rate per parser, for the reliability figures
    assert [r.name for r in results] == sorted(PARSER_NAMES)
    assert all(r.inputs == SLOW_INPUTS for r in results), report
    assert all(r.clean for r in results), report + "".join(
        f"\n{p}" for r in results for p in (*r.findings, *r.hangs)
    )
