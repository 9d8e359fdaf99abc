"""Run every atheris target (tests/fuzz_target.py) for N inputs each and record, per parser,
the inputs tried, the rate, the findings (inputs that raised anything but the parser's own
clear error) and the hangs (one input over the time limit).

    python tests/fuzz_runner.py --inputs 100000 [--only export] [--work DIR]

The seed corpus is made at run time (outside_parsers.make_seeds: a demo profile, the shipped
forms). Exit status 1 if any target has a finding or a hang. Used by test_fuzz.py (a short
smoke run in CI, a long one in the slow suite) and by `make fuzz`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SOURCE = TESTS.parent / "src"
HANG_SECONDS = 10  # one input taking longer than this is a hang
ALL = "all"  # fuzz_target.py's name for every parser in one process
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")


@dataclass(frozen=True)
class FuzzResult:
    name: str
    inputs: int
    seconds: float
    findings: tuple[Path, ...]
    hangs: tuple[Path, ...]
    exit_code: int
    per_parser: dict[str, int]  # the inputs each parser was given

    @property
    def rate(self) -> float:
        return self.inputs / self.seconds if self.seconds else 0.0

    @property
    def clean(self) -> bool:
        return not self.findings and not self.hangs and self.exit_code == 0

    def line(self) -> str:
        return (
            f"{self.name:15} {self.inputs:>10,} inputs {self.seconds:>8.1f} s "
            f"{self.rate:>9,.0f}/s  findings {len(self.findings)}  hangs {len(self.hangs)}"
        )


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE), str(TESTS), env.get("PYTHONPATH", "")])
    env["AIM3DESK_POLICY"] = str(Path(tempfile.gettempdir()) / "aim3desk-fuzz-no-policy.toml")
    env.pop("AIM3DESK_PROFILE", None)
    env.pop("AIM3DESK_PASSPHRASE", None)
    return env


def prepare(work: Path) -> dict[str, list[bytes]]:
    """The seed corpus, one folder per target under work/corpus, and the context file."""
    sys.path[:0] = [str(SOURCE), str(TESTS)]
    os.environ["AIM3DESK_POLICY"] = _environment()["AIM3DESK_POLICY"]
    from outside_parsers import make_seeds

    _context, seeds = make_seeds(work)
    combined = work / "corpus" / ALL
    combined.mkdir(parents=True, exist_ok=True)
    for number, (name, items) in enumerate(sorted(seeds.items())):
        folder = work / "corpus" / name
        folder.mkdir(parents=True, exist_ok=True)
        for index, data in enumerate(items):
            (folder / f"seed-{index}").write_bytes(data)
            (combined / f"{name}-{index}").write_bytes(bytes([number]) + data)
    return seeds


def run_target(name: str, inputs: int, work: Path, seed: int = 1) -> FuzzResult:
    """One target (or ALL: every parser in one process) for `inputs` inputs, in its own
    process (libFuzzer exits when done)."""
    artifacts = work / "artifacts" / name
    artifacts.mkdir(parents=True, exist_ok=True)
    before = (
        set((work / "findings").glob(f"{name}-*.bin")) if (work / "findings").exists() else set()
    )
    command = [
        sys.executable,
        str(TESTS / "fuzz_target.py"),
        name,
        str(work),
        str(inputs),
        f"-seed={seed}",
        f"-timeout={HANG_SECONDS}",
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
        f"-artifact_prefix={artifacts}/",
        str(work / "corpus" / name),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=_environment(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started  # start-up included: the honest figure
    log = done.stdout + done.stderr
    (work / f"{name}.log").write_text(log, encoding="utf-8")
    match = _DONE.search(log)
    tried = int(match[1]) if match else 0
    counts_file = work / f"counts-{name}.json"
    counts = json.loads(counts_file.read_text("utf-8")) if counts_file.exists() else {}
    findings = tuple(sorted(set((work / "findings").glob(f"{name}-*.bin")) - before))
    hangs = tuple(sorted(artifacts.glob("timeout-*"))) + tuple(sorted(artifacts.glob("oom-*")))
    return FuzzResult(name, tried, seconds, findings, hangs, done.returncode, counts)


def run_all(inputs: int, work: Path, only: list[str] | None = None) -> list[FuzzResult]:
    """Each target in turn for `inputs` inputs each (only those named, if any)."""
    seeds = prepare(work)
    return [run_target(name, inputs, work) for name in sorted(seeds) if not only or name in only]


def smoke(inputs: int, work: Path) -> FuzzResult:
    """Every parser in one process for `inputs` inputs in all (the CI smoke run)."""
    prepare(work)
    return run_target(ALL, inputs, work)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=int(os.environ.get("FUZZ_INPUTS", "100000")))
    parser.add_argument("--only", action="append", help="run only this target (repeatable)")
    parser.add_argument("--work", type=Path, help="folder for the corpus, logs and findings")
    parser.add_argument("--smoke", action="store_true", help="every parser in one process")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="aim3desk-fuzz-"))
    work.mkdir(parents=True, exist_ok=True)
    results = [smoke(args.inputs, work)] if args.smoke else run_all(args.inputs, work, args.only)
    for result in results:
        print(result.line())
        if result.name == ALL:
            print("    " + ", ".join(f"{k} {v:,}" for k, v in sorted(result.per_parser.items())))
        for finding in result.findings:
            print(f"    finding: {finding} (traceback beside it)")
        for hang in result.hangs:
            print(f"    hang or memory blow-up: {hang}")
    print(f"corpus, logs and findings in {work}")
    return 0 if all(r.clean for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
