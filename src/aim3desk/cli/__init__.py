"""The `aim3desk` command: the GUI by default, and headless commands for set-up, support and
moving records.

Exit codes: 0 done; 1 a problem the user can fix (wrong passphrase, missing case, bad file,
no profile, disk full), told in one sentence on stderr; 2 wrong usage; 3 an internal error
(a crash report without any case data goes to the profile's logs folder); 4 offline (`sync`:
the shared folder missing, unmounted, unmarked or another share); 5 busy (the profile is in
use by another window or command past the wait; nothing was changed); 130 interrupted.

Heavy modules (Qt, SQLAlchemy, reportlab, jsonschema-rs) are imported inside the commands so
that `aim3desk --version` and `--help` answer at once.

The package along its seams: `parser` (commands and options), `unlock` (profile and
passphrase, and an export file's passphrase), one module of commands per area (`profile`,
`cases`, `exchange`, `identity`, `contacts`, `bundles`, `reports`, `annual_return`,
`sync`, `escrow`, `machine`), `errors` (the table from exceptions to sentences and exit
codes) and `console` (exit codes and output).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from aim3desk.cli.console import (
    EXIT_BUSY,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_USER_ERROR,
    UserError,
    warn,
)
from aim3desk.cli.errors import DEBUG_ENV, is_busy, report_internal_error, user_error_sentence
from aim3desk.cli.machine import cmd_gui
from aim3desk.cli.parser import build_parser

__all__ = [
    "EXIT_BUSY",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_USER_ERROR",
    "UserError",
    "build_parser",
    "main",
]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version or a usage error: argparse has printed
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", cmd_gui)
    try:
        return handler(args)
    except KeyboardInterrupt:
        warn("Stopped.")
        return EXIT_INTERRUPTED
    except Exception as exc:
        if is_busy(exc):
            warn(str(exc))
            return EXIT_BUSY
        sentence = user_error_sentence(exc)
        if sentence is not None:
            warn(sentence)
            return EXIT_USER_ERROR
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        return report_internal_error(exc)
