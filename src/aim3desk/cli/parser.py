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
from aim3desk.cli.bundles import (
    cmd_bundle_export,
    cmd_bundle_import,
    cmd_bundle_open,
    cmd_bundle_verify,
)
from aim3desk.cli.cases import cmd_cases, cmd_demo
from aim3desk.cli.console import EXIT_BUSY, EXIT_OFFLINE
from aim3desk.cli.contacts import (
    cmd_contacts_add,
    cmd_contacts_confirm,
    cmd_contacts_list,
    cmd_contacts_supervisor,
)
from aim3desk.cli.deletion import add_case_commands
from aim3desk.cli.escrow import add_escrow_commands
from aim3desk.cli.exchange import cmd_export, cmd_import
from aim3desk.cli.identity import (
    ROLES,
    cmd_identity_card,
    cmd_identity_contact,
    cmd_identity_export_age_key,
    cmd_identity_role,
    cmd_identity_show,
)
from aim3desk.cli.machine import cmd_selftest
from aim3desk.cli.profile import cmd_init
from aim3desk.cli.reports import REPORT_KINDS, SHARE_AUDIENCES, cmd_access_export, cmd_report
from aim3desk.cli.retention import add_retention_commands
from aim3desk.cli.review import add_review_commands
from aim3desk.cli.sync import cmd_sync
from aim3desk.cli.unlock import EXPORT_PASSPHRASE_ENV, PASSPHRASE_ENV, PROFILE_ENV
from aim3desk.config import BUSY_WAIT_ENV, DEFAULT_BUSY_WAIT_SECONDS
from aim3desk.domain.limits import EARLIEST_DATE, LATEST_DATE, date_in_range

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
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write it as YYYY-MM-DD, for example 2025-04-01"
        ) from None
    if not date_in_range(value):
        raise argparse.ArgumentTypeError(
            f"'{text}' is outside the dates AIM3 Desk takes "
            f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})"
        )
    return value


def _command(
    commands: Commands, name: str, summary: str, description: str | None = None
) -> argparse.ArgumentParser:
    """A command whose --help says what it does: the summary from the list of commands,
    unless a longer description is given."""
    return commands.add_parser(
        name, help=summary, description=description or summary[:1].upper() + summary[1:] + "."
    )


def _case_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case", metavar="CASE", help="case reference or id")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aim3desk",
        allow_abbrev=False,  # "--passphrase X" must not be read as "--passphrase-file X"
        description="AIM3 Desk: encrypted workspace for AIM3 assessments. "
        "Without a command, opens the app.",
        epilog=f"The passphrase comes from --passphrase-file, else ${PASSPHRASE_ENV}, else a "
        "prompt; it is never accepted as an argument (other users could read it). "
        "Exit codes: 0 done, 1 a problem to fix, 2 wrong usage, 3 internal error, "
        f"{EXIT_OFFLINE} offline (sync), {EXIT_BUSY} the profile is in use by another window "
        f"or command (nothing was changed; a change waits ${BUSY_WAIT_ENV} seconds, default "
        f"{DEFAULT_BUSY_WAIT_SECONDS:g}, for the other one to finish).",
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
    _add_exchange_commands(sub)
    _add_identity_commands(sub)
    _add_contacts_commands(sub)
    _add_bundle_commands(sub)
    _add_review_commands(sub)
    _add_retention_commands(sub)
    _add_report_command(sub)
    _add_access_export_command(sub)
    _add_annual_return_command(sub)
    _add_sync_command(sub)
    _add_escrow_commands(sub)
    selftest = _command(sub, "selftest", "check that this machine can run AIM3 Desk")
    selftest.add_argument("--json", action="store_true", help="print JSON")
    selftest.add_argument(
        "--audit",
        action="store_true",
        help="also unlock the profile, check its whole database for damage and that its "
        "audit trail has not been altered",
    )
    selftest.set_defaults(handler=cmd_selftest)
    return parser


def _add_profile_commands(sub: Commands) -> None:
    init = _command(sub, "init", "create a new encrypted profile")
    init.add_argument(
        "--name",
        help="your name, shown as the author of reports and on your card; asked for when "
        "run at a terminal, needed when not",
    )
    init.add_argument(
        "--role",
        choices=ROLES,
        default="practitioner",
        help="your role, shown on your card (default practitioner)",
    )
    init.set_defaults(handler=cmd_init)


def _add_case_commands(sub: Commands) -> None:
    demo = _command(sub, "demo", "add invented demo cases")
    demo.add_argument("--count", type=positive_count, default=8, help="how many (default 8)")
    demo.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    demo.set_defaults(handler=cmd_demo)

    cases = _command(sub, "cases", "list the cases in the profile")
    cases.add_argument("--json", action="store_true", help="print JSON instead of a table")
    cases.set_defaults(handler=cmd_cases)
    actions = _group(
        sub,
        "case",
        "delete a case for good; the copies of deleted cases others hold",
        description="Deleting a case removes its records, their pages in the database, its "
        "rows in every backup and your files of it on the shared folder, and keeps one "
        "content-free audit entry. It is refused while the case is on legal hold. Copies "
        "other people hold are listed so you can ask them to delete theirs.",
    )
    add_case_commands(actions, _command)


def _add_exchange_commands(sub: Commands) -> None:
    export = _command(
        sub,
        "export",
        "export whole cases, encrypted: handed over to a contact, or protected by a passphrase",
        description="Export whole cases with every version and record, in one unlock. With "
        "--to, a signed bundle that only that confirmed contact (and you) can open, which "
        "hands the case over when they import it; otherwise a file protected by a passphrase "
        f"(the standard 'age -d' opens it) from --export-passphrase-file, else "
        f"${EXPORT_PASSPHRASE_ENV}, else a prompt. --plaintext writes JSON that is NOT "
        "encrypted. One case goes to --out FILE; any number (or --all) go into --out-dir, "
        "one file per case named by its reference. Each file is written whole or not at all; "
        "a case that cannot be exported is reported and the rest carry on, and a file "
        "already in the folder is never overwritten.",
    )
    export.add_argument("cases", nargs="*", metavar="CASE", help="case reference or id")
    export.add_argument("--all", action="store_true", help="export every case in the profile")
    where = export.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="FILE", help="file (or, with --to, folder) to write")
    where.add_argument("--out-dir", metavar="FOLDER", help="folder to write one file per case into")
    how = export.add_mutually_exclusive_group()
    how.add_argument(
        "--to", metavar="FINGERPRINT", help="hand the case over to this confirmed contact"
    )
    how.add_argument(
        "--plaintext", action="store_true", help="write plain JSON, NOT encrypted (as before)"
    )
    how.add_argument("--export-passphrase-file", metavar="FILE", help=_EXPORT_PASSPHRASE_HELP)
    export.set_defaults(handler=cmd_export)

    imp = _command(
        sub,
        "import",
        "import cases: export files (protected or plain) and bundles",
        description="Import each file, in one unlock: a bundle (a handover or an assessment "
        "version) as 'bundle import' does, a passphrase-protected export with its passphrase "
        "(asked for once), or a plain JSON export. A folder stands for its case files and "
        "bundles; a pattern such as 'cases/*.age' is expanded. Each case is added in one "
        "transaction; a file that cannot be imported is reported and the rest carry on.",
    )
    imp.add_argument("files", nargs="+", metavar="FILE_OR_FOLDER")
    imp.add_argument("--export-passphrase-file", metavar="FILE", help=_EXPORT_PASSPHRASE_HELP)
    imp.set_defaults(handler=cmd_import)


_EXPORT_PASSPHRASE_HELP = (
    "read the export file's passphrase from the first line of FILE ('-' for standard input); "
    f"else ${EXPORT_PASSPHRASE_ENV}, else a prompt"
)


def _group(commands: Commands, name: str, summary: str, description: str) -> Commands:
    """A command made of actions (`aim3desk contacts add ...`); an action is required, so
    a bare `aim3desk contacts` is a usage error, not the app."""
    parser = _command(commands, name, summary, description)
    return parser.add_subparsers(dest="action", metavar="ACTION", required=True)


def _fingerprint_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "fingerprint",
        metavar="FINGERPRINT",
        help="the contact's fingerprint as shown (case, spaces and dashes do not matter)",
    )


def _add_identity_commands(sub: Commands) -> None:
    actions = _group(
        sub,
        "identity",
        "your name, role and fingerprint; your card for colleagues",
        description="This profile's identity: a signing key and an encryption (age) key, "
        "summed up by a fingerprint that colleagues compare with you.",
    )
    show = _command(actions, "show", "print your name, role, fingerprint and public encryption key")
    show.add_argument(
        "--json", action="store_true", help="print JSON (adds your signing key as PEM)"
    )
    show.set_defaults(handler=cmd_identity_show)
    card = _command(actions, "card", "write your card, to give to colleagues")
    card.add_argument("--out", required=True, metavar="FILE", help="file to write (never replaced)")
    card.set_defaults(handler=cmd_identity_card)
    key = _command(
        actions,
        "export-age-key",
        "write your SECRET age identity, for the 'age' command (IT recovery)",
    )
    key.add_argument("--out", required=True, metavar="FILE", help="file to write (never replaced)")
    key.set_defaults(handler=cmd_identity_export_age_key)
    role = _command(actions, "role", "change your role, shown on your card")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=cmd_identity_role)
    contact = _command(
        actions,
        "contact",
        "print your contact details, or set them with --set",
        description="Your contact details (phone, email) are printed in share reports where "
        "the reader is told to ask the lead worker; they are kept in the encrypted profile.",
    )
    contact.add_argument(
        "--set", dest="details", metavar="TEXT", help="your new contact details ('' clears them)"
    )
    contact.set_defaults(handler=cmd_identity_contact)


def _add_contacts_commands(sub: Commands) -> None:
    actions = _group(
        sub,
        "contacts",
        "colleagues' cards: add, confirm, list, name your supervisor",
        description="Colleagues' cards. A card is added unconfirmed; confirm it only after "
        "comparing its fingerprint with its owner. Bundles go only to, and are accepted only "
        "from, confirmed contacts.",
    )
    add = _command(actions, "add", "add colleagues' card files (unconfirmed)")
    add.add_argument("files", nargs="+", metavar="FILE")
    add.set_defaults(handler=cmd_contacts_add)
    confirm = _command(
        actions, "confirm", "confirm a contact after comparing the fingerprint with them"
    )
    _fingerprint_argument(confirm)
    confirm.set_defaults(handler=cmd_contacts_confirm)
    listing = _command(actions, "list", "list your contacts and whether each is confirmed")
    listing.add_argument(
        "--json",
        action="store_true",
        help="print JSON (adds their public keys, signing key as PEM)",
    )
    listing.set_defaults(handler=cmd_contacts_list)
    supervisor = _command(
        actions, "supervisor", "name a confirmed contact as one of your supervisors"
    )
    _fingerprint_argument(supervisor)
    supervisor.add_argument(
        "--remove", action="store_true", help="stop naming them as your supervisor"
    )
    supervisor.set_defaults(handler=cmd_contacts_supervisor)


def _add_bundle_commands(sub: Commands) -> None:
    actions = _group(
        sub,
        "bundle",
        "signed, encrypted bundles of an assessment: export, verify, open, import",
        description="A bundle is one file holding an assessment version (the full report, "
        "the case document and any share reports chosen), signed by its author and encrypted "
        "to confirmed contacts, the author and any escrow key set by policy.",
    )
    export = _command(
        actions,
        "export",
        "write the current assessment version of a case for confirmed contacts; "
        "prints the file written",
    )
    _case_argument(export)
    export.add_argument(
        "--to",
        required=True,
        nargs="+",
        action="extend",
        metavar="FINGERPRINT",
        help="the confirmed contacts to send it to",
    )
    export.add_argument(
        "--share",
        nargs="+",
        action="extend",
        choices=SHARE_AUDIENCES,
        metavar="AUDIENCE",
        help=f"also include these share reports ({', '.join(SHARE_AUDIENCES)}) for review; "
        "this is not a decision to share",
    )
    export.add_argument("--note", metavar="TEXT", help="a short note for the recipients")
    export.add_argument(
        "--out", metavar="DIR", help="folder to write into (default: the current folder)"
    )
    export.set_defaults(handler=cmd_bundle_export)
    verify = _command(
        actions, "verify", "check a bundle and say who signed it, for whom and what it holds"
    )
    verify.add_argument("file", metavar="FILE")
    verify.set_defaults(handler=cmd_bundle_verify)
    opening = _command(
        actions, "open", "check a bundle and write its members (NOT encrypted) into a folder"
    )
    opening.add_argument("file", metavar="FILE")
    opening.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    opening.set_defaults(handler=cmd_bundle_open)
    imp = _command(
        actions,
        "import",
        "import bundles into this profile; a bad one is set aside with its reason",
    )
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.set_defaults(handler=cmd_bundle_import)


def _add_review_commands(sub: Commands) -> None:
    actions = _group(
        sub,
        "review",
        "supervisor review: send a version, the inbox, comment, sign off or return",
        description="A practitioner sends a version to their supervisors for review; a "
        "supervisor comments on it and signs it off or returns it for amendments. Both travel "
        "as signed, encrypted bundles through the shared folder ('aim3desk sync').",
    )
    add_review_commands(actions, _command)


def _add_retention_commands(sub: Commands) -> None:
    retention = _group(
        sub,
        "retention",
        "retention review: the closed cases past their retention date, and decisions on them",
        description="A closed case is kept for the organisation's retention period (set by "
        "machine policy); once past it, a manager decides to delete it, keep it longer or "
        "place it on legal hold. Nothing is deleted without such a decision.",
    )
    hold = _group(
        sub,
        "hold",
        "legal hold: set or lift a case's hold, with a reason",
        description="A case on legal hold cannot be deleted or fall due for retention review, "
        "by anyone, until the hold is lifted with a reason.",
    )
    add_retention_commands(retention, hold, _command, iso_date)


def _add_escrow_commands(sub: Commands) -> None:
    actions = _group(
        sub,
        "escrow",
        "organisation escrow: IT opens a profile with the organisation's key",
        description="When machine policy names an escrow key, every profile seals its data "
        "key to it. With the organisation's secret key, IT can open a profile whose passphrase "
        "and recovery key are both lost and set new ones (docs/deployment.md, 'Organisation "
        "escrow').",
    )
    add_escrow_commands(actions, _command)


def _add_report_command(sub: Commands) -> None:
    report = _command(
        sub,
        "report",
        "write a report of a case as a PDF: the full assessment, a share report for "
        "another agency, the young person's version, the ending report or the supervision "
        "record for the supervisor",
    )
    _case_argument(report)
    report.add_argument(
        "--audience",
        "--kind",
        dest="audience",
        choices=REPORT_KINDS,
        default="full",
        help="which report (default full); social-care, police, education, health and "
        "voluntary are share reports and need --recipient, --reason and --lawful-basis; "
        "supervision-record is the record of the supervision sessions for the supervisor",
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
        "--override-reason",
        metavar="TEXT",
        default="",
        help="why a share report of a version neither signed off nor passing the readiness "
        "check is shared anyway (recorded and shown)",
    )
    report.add_argument(
        "--not-shared",
        action="store_true",
        help="record a decision NOT to share with the audience (no file is written)",
    )
    report.add_argument(
        "--draft-ok",
        action="store_true",
        help="share a version that is not signed off: the report is a DRAFT on every page",
    )
    report.set_defaults(handler=cmd_report)


def _add_access_export_command(sub: Commands) -> None:
    access = _command(
        sub,
        "access-export",
        "write everything this profile holds about a case as one PDF for a subject access "
        "request, internal-only items marked for the reviewer (nothing redacted)",
    )
    _case_argument(access)
    access.add_argument(
        "--out", metavar="FILE.pdf", required=True, help="file (or folder) to write"
    )
    access.set_defaults(handler=cmd_access_export)


def _add_annual_return_command(sub: Commands) -> None:
    annual = _command(
        sub,
        "annual-return",
        "write the annual return (counts of assessments, no names) as CSV or PDF",
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


def _add_sync_command(sub: Commands) -> None:
    sync = _command(
        sub,
        "sync",
        "one round with the shared folder: deliver queued bundles, collect those for you",
        description="Deliver the bundles queued in this profile's outbox to the shared folder "
        "and import the bundles addressed to you there (a bad one is set aside in quarantine); "
        "colleagues' published cards are added as unconfirmed contacts. A missing, unmounted "
        "or unmarked folder, or one marked as another share, is offline: nothing is changed. "
        f"Exit codes: 0 delivered or nothing to do, 1 a delivery failed (retried later) or a "
        f"file was set aside, {EXIT_OFFLINE} offline.",
    )
    sync.add_argument(
        "--share", metavar="DIR", help="the shared folder (default: the share_folder setting)"
    )
    sync.add_argument("--json", action="store_true", help="print what the round did as JSON")
    sync.add_argument(
        "--init-share",
        action="store_true",
        help="first mark the folder as a share (writes aim3desk-share.json; a marked folder "
        "keeps its marker)",
    )
    sync.set_defaults(handler=cmd_sync)
