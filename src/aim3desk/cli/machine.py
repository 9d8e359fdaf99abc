"""The commands about this machine rather than a profile's records: the GUI (the default when
no command is given) and `selftest`."""

from __future__ import annotations

import argparse
import json
import sys

from aim3desk import __version__
from aim3desk.cli.console import EXIT_OK, EXIT_USER_ERROR, say
from aim3desk.cli.unlock import profile_dir


def cmd_selftest(args: argparse.Namespace) -> int:
    from aim3desk.services.selftest import run_selftest

    checks = run_selftest()
    ok = all(c.ok for c in checks)
    if args.json:
        document = {"ok": ok, "version": __version__, "checks": [c.as_dict() for c in checks]}
        say(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for check in checks:
            say(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
        say("All checks passed." if ok else "Some checks FAILED.")
    return EXIT_OK if ok else EXIT_USER_ERROR


def cmd_gui(args: argparse.Namespace) -> int:
    from aim3desk.app import run_gui

    return int(run_gui(profile_dir(args), [sys.argv[0] if sys.argv else "aim3desk"]) or 0)
