"""One atheris (libFuzzer) target for one parser of outside data, or for all of them at once.

    python tests/fuzz_target.py NAME WORK_DIR RUNS [libFuzzer options] CORPUS_DIR

NAME "all" fuzzes every parser in one process (the first byte of an input picks the parser):
the short smoke run, which pays the start-up once. Runs as its own process (libFuzzer exits
when it is done). Every input must be accepted or refused with the parser's own clear error
(outside_parsers.outcome); anything else is a finding: the input and its traceback are
written to WORK_DIR/findings/ and fuzzing goes on, so one run counts them all. The inputs
each parser was given are counted in WORK_DIR/counts-NAME.json. A hang is libFuzzer's
-timeout, reported by fuzz_runner.py.
"""

from __future__ import annotations

import hashlib
import json
import sys
import traceback
from collections import Counter
from pathlib import Path

import atheris

# Coverage guides the fuzzer through our code (the hardened reader and every parser on it);
# the standard library's json and tomllib are not instrumented: they run 3x faster, and the
# reader's own checks before and after them are what is under test.
with atheris.instrument_imports(include=["aim3desk", "outside_parsers"]):
    from outside_parsers import CONTEXT_FILE, Parser, SeedContext, outcome, parsers

ALL = "all"
_FLUSH_EVERY = 200


def main() -> None:
    name, work, runs = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    context = SeedContext.from_json((work / CONTEXT_FILE).read_text(encoding="utf-8"))
    table = parsers(context)
    chosen = sorted(table) if name == ALL else [name]
    findings = work / "findings"
    findings.mkdir(exist_ok=True)
    counts_file = work / f"counts-{name}.json"
    counts: Counter[str] = Counter()

    def pick(data: bytes) -> tuple[Parser, bytes]:
        if name != ALL:
            return table[name], data
        return table[chosen[data[0] % len(chosen)]] if data else table[chosen[0]], data[1:]

    def one_input(data: bytes) -> None:
        parser, data = pick(data)
        counts[parser.name] += 1
        try:
            outcome(parser, data)
        except Exception:  # a finding: recorded, and the run goes on to count the rest
            digest = hashlib.sha1(data).hexdigest()[:16]
            (findings / f"{parser.name}-{digest}.bin").write_bytes(data)
            (findings / f"{parser.name}-{digest}.txt").write_text(traceback.format_exc(), "utf-8")
        total = counts.total()
        if total % _FLUSH_EVERY == 0 or total >= runs:  # libFuzzer exits without Python's atexit
            counts_file.write_text(json.dumps(counts), encoding="utf-8")

    atheris.Setup([sys.argv[0], f"-runs={runs}", *sys.argv[4:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
