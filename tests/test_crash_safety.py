"""Crash safety: each path of the app killed with SIGKILL at random moments in a real child
process, the profile checked after each kill (tests/crash_harness.py says what is checked).
20 runs per path here; 200 in the slow suite (AIM3DESK_CRASH_RUNS chooses another count,
AIM3DESK_CRASH_SEED another seed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crash_harness import runs_wanted
from crash_paths import PATHS, run_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="fork and SIGKILL are POSIX")


@pytest.fixture(autouse=True)
def no_machine_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))


def _run(name: str, tmp_path: Path, runs: int) -> None:
    tally = run_path(name, tmp_path, runs)
    print(tally.line())
    assert tally.failures == [], "\n".join(tally.failures)
    assert tally.runs == runs


@pytest.mark.parametrize("name", list(PATHS))
def test_killed_at_random_moments(name: str, tmp_path: Path) -> None:
    _run(name, tmp_path, runs_wanted(20))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PATHS))
def test_killed_at_random_moments_long(name: str, tmp_path: Path) -> None:
    _run(name, tmp_path, runs_wanted(200))
