"""Run one benchmark function in this (child) process and print its result as one JSON line,
with the process's peak resident memory beside it (`peak_rss_mb`), so one figure's memory never
leaks into the next. With a profile folder, the function is called as fn(profile_dir,
passphrase) and the passphrase comes from AIM3DESK_BENCH_PASSPHRASE.

    python -m benchmarks.part_child MODULE FUNCTION [PROFILE_DIR]
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

from benchmarks.gui_session import PASSPHRASE_VARIABLE, peak_rss_mb


def main(argv: list[str]) -> int:
    module, function = argv[0], argv[1]
    fn = getattr(importlib.import_module(module), function)
    found = fn(Path(argv[2]), os.environ[PASSPHRASE_VARIABLE]) if len(argv) > 2 else fn()
    found = dict(found)
    found["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(found), flush=True)
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    os._exit(code)  # skip the teardown of whatever Qt objects the function left
