"""The argument parser: every command, its options and the handler that runs it.

Importing this module imports the command modules, which keep their heavy imports inside the
handlers, so building the parser stays cheap.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from aim3desk import __version__
from aim3desk.cli.annual_return import cmd_annual_return
from aim3desk.cli.cases import cmd_cases, cmd_demo, cmd_export, cmd_import
from aim3desk.cli.machine import cmd_selftest
from aim3desk.cli.profile import cmd_init
from aim3desk.cli.reports import REPORT_KINDS, cmd_report
from aim3desk.cli.unlock import PASSPHRASE_ENV, PROFILE_ENV

if TYPE_CHECKING:
    from typing import TypeAlias

    # What add_subparsers() returns; argparse names its class only privately.
    Commands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def positive_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("give a number from 1 to 100000")
    return value


def iso_date(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write it as YYYY-MM-DD, for example 2025-04-01"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aim3desk",
        allow_abbrev=False,  # "--passphrase X" must not be read as "--passphrase-file X"
        description="AIM3 Desk: encrypted workspace for AIM3 assessments. "
        "Without a command, opens the app.",
        epilog=f"The passphrase comes from --passphrase-file, else ${PASSPHRASE_ENV}, else a "
        "prompt; it is never accepted as an argument (other users could read it). "
        "Exit codes: 0 done, 1 a problem to fix, 2 wrong usage, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"aim3desk {__version__}")
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help=f"the profile folder (default: ${PROFILE_ENV}, else your user data folder)",
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the passphrase from the first line of FILE ('-' for standard input)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_profile_commands(sub)
    _add_case_commands(sub)
    _add_report_command(sub)
    _add_annual_return_command(sub)
    selftest = sub.add_parser("selftest", help="check that this machine can run AIM3 Desk")
    selftest.add_argument("--json", action="store_true", help="print JSON")
    selftest.add_argument(
        "--audit",
        action="store_true",
        help="also unlock the profile and check that its audit trail has not been altered",
    )
    selftest.set_defaults(handler=cmd_selftest)
    return parser


def _add_profile_commands(sub: Commands) -> None:
    init = sub.add_parser("init", help="create a new encrypted profile")
    init.add_argument("--name", help="your name, shown as the author of reports")
    init.set_defaults(handler=cmd_init)


def _add_case_commands(sub: Commands) -> None:
    demo = sub.add_parser("demo", help="add invented demo cases")
    demo.add_argument("--count", type=positive_count, default=8, help="how many (default 8)")
    demo.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    demo.set_defaults(handler=cmd_demo)

    cases = sub.add_parser("cases", help="list the cases in the profile")
    cases.add_argument("--json", action="store_true", help="print JSON instead of a table")
    cases.set_defaults(handler=cmd_cases)

    export = sub.add_parser("export", help="export a whole case to a JSON file (not encrypted)")
    export.add_argument("case", metavar="CASE", help="case reference or id")
    export.add_argument("--out", required=True, metavar="FILE.json", help="file to write")
    export.set_defaults(handler=cmd_export)

    imp = sub.add_parser("import", help="import a case from an export file")
    imp.add_argument("file", metavar="FILE.json")
    imp.set_defaults(handler=cmd_import)


def _add_report_command(sub: Commands) -> None:
    report = sub.add_parser(
        "report",
        help="write a report of a case as a PDF: the full assessment, a share report for "
        "another agency, the young person's version or the ending report",
    )
    report.add_argument("case", metavar="CASE", help="case reference or id")
    report.add_argument(
        "--audience",
        choices=REPORT_KINDS,
        default="full",
        help="which report (default full); social-care, police, education, health and "
        "voluntary are share reports and need --recipient, --reason and --lawful-basis",
    )
    report.add_argument("--out", metavar="FILE.pdf", help="file (or folder) to write")
    report.add_argument("--recipient", metavar="TEXT", help="who receives a share report")
    report.add_argument("--reason", metavar="TEXT", help="why sharing is necessary")
    report.add_argument(
        "--lawful-basis",
        metavar="TEXT",
        help="public-task, safeguarding, criminal-offence, legal-obligation, or the basis "
        "written out",
    )
    report.add_argument(
        "--not-shared",
        action="store_true",
        help="record a decision NOT to share with the audience (no file is written)",
    )
    report.set_defaults(handler=cmd_report)


def _add_annual_return_command(sub: Commands) -> None:
    annual = sub.add_parser(
        "annual-return",
        help="write the annual return (counts of assessments, no names) as CSV or PDF",
    )
    annual.add_argument(
        "--from",
        dest="date_from",
        required=True,
        type=iso_date,
        metavar="DATE",
        help="first day of the period (YYYY-MM-DD)",
    )
    annual.add_argument(
        "--to",
        dest="date_to",
        required=True,
        type=iso_date,
        metavar="DATE",
        help="last day of the period (YYYY-MM-DD)",
    )
    annual.add_argument("--out", required=True, metavar="FILE", help="file to write: .csv or .pdf")
    annual.set_defaults(handler=cmd_annual_return)
