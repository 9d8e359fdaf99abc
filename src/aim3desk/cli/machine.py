"""The commands about this machine rather than a profile's records: the GUI (the default when
no command is given) and `selftest`, which with --audit also checks a profile's database and
its audit trail."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from aim3desk import __version__
from aim3desk.cli.console import EXIT_OK, EXIT_USER_ERROR, say
from aim3desk.cli.errors import user_error_sentence
from aim3desk.cli.unlock import open_session, profile_dir

if TYPE_CHECKING:
    from aim3desk.services.selftest import Check


def cmd_selftest(args: argparse.Namespace) -> int:
    from aim3desk.services.selftest import run_selftest

    checks = run_selftest(profile_dir(args))
    if args.audit:
        checks.extend(_profile_checks(args))
    ok = all(c.ok for c in checks)
    if args.json:
        document = {"ok": ok, "version": __version__, "checks": [c.as_dict() for c in checks]}
        say(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for check in checks:
            say(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
        say("All checks passed." if ok else "Some checks FAILED.")
    return EXIT_OK if ok else EXIT_USER_ERROR


def _profile_checks(args: argparse.Namespace) -> list[Check]:
    """Unlock the profile, check its whole database and walk its audit trail; a profile that
    cannot be opened (a wrong key, damage found at open) fails with the same sentence the
    other commands give."""
    from aim3desk.services.selftest import Check, check_audit_trail, check_profile_store

    try:
        with open_session(args) as session:
            return [check_profile_store(session), check_audit_trail(session)]
    except Exception as exc:
        sentence = user_error_sentence(exc)
        if sentence is None:
            raise
        return [Check("audit", False, sentence)]


def cmd_gui(args: argparse.Namespace) -> int:
    from aim3desk.app import run_gui

    return int(run_gui(profile_dir(args), [sys.argv[0] if sys.argv else "aim3desk"]) or 0)
