"""`aim3desk case`: delete a case for good, and the copies of deleted cases others hold.

aim3desk case delete CASE --reason TEXT   refused (exit 1) while the case is on legal hold
aim3desk case copies [--json]             who holds copies of deleted cases' bundles
aim3desk case asked CASE_ID FINGERPRINT   record that they were asked to delete them
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, say, say_table, warn
from aim3desk.cli.unlock import open_session

if TYPE_CHECKING:
    from collections.abc import Callable

    from aim3desk.services.deletion import DeletionResult

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    MakeCommand = Callable[[Commands, str, str], argparse.ArgumentParser]


def result_lines(result: DeletionResult) -> list[str]:
    """What a deletion did and what is left for a person to do, one line each."""
    lines = [
        f"Case {result.reference} ({result.case_id}) deleted: {result.rows_removed} records "
        "removed; the audit trail keeps one entry (case id, who, when, rule).",
    ]
    lines += [f"Withdrawn from the shared folder: {path}" for path in result.withdrawn]
    lines += [
        f"Queued for withdrawal from the shared folder at the next sync: {path}"
        for path in result.waiting
    ]
    for backup in result.backups:
        if backup.outcome == "cleaned":
            lines.append(f"Backup {backup.name}: cleaned.")
        else:
            lines.append(f"Backup {backup.name}: {backup.message}")
    lines += [
        f"Copy held by {c.holder_name} ({c.holder_fingerprint}), bundle {c.bundle_id} "
        f"({'you sent it to them' if c.how == 'sent' else 'they sent it to you'}): ask them "
        "to delete it."
        for c in result.copies
    ]
    if result.quarantined_files:
        lines.append(
            f"The quarantine folder holds {result.quarantined_files} set-aside bundle file(s) "
            "that could not be opened, so cannot be matched to a case: check and delete them "
            "there."
        )
    return lines


def cmd_case_delete(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        result = session.deletion.delete_case(args.case, args.reason)
    for line in result_lines(result):
        say(line)
    if result.backup_problems:
        warn("Some backups need attention: see above.")
    return EXIT_OK


def cmd_case_copies(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        copies = session.deletion.copies()
    if args.json:
        say(json.dumps([asdict(c) for c in copies], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not copies:
        say("No copies of deleted cases are held by others.")
        return EXIT_OK
    rows = [
        (
            c.deleted_case_id,
            c.holder_name,
            c.holder_fingerprint,
            c.how,
            c.bundle_id,
            (c.asked_at or "not yet")[:10],
        )
        for c in copies
    ]
    say_table(("DELETED CASE", "HOLDER", "FINGERPRINT", "HOW", "BUNDLE", "ASKED"), rows)
    return EXIT_OK


def cmd_case_asked(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        marked = session.deletion.mark_asked(args.case_id, args.fingerprint)
    say(f"Marked {marked} cop{'y' if marked == 1 else 'ies'} as asked to delete.")
    return EXIT_OK


def add_case_commands(group: Commands, command: MakeCommand) -> None:
    """The actions under `aim3desk case` (`command` makes one, as parser.py does)."""
    delete = command(
        group,
        "delete",
        "delete a case for good: its records, its pages in the database and backups, and "
        "your files of it on the shared folder (refused while it is on legal hold)",
    )
    delete.add_argument("case", metavar="CASE", help="case reference or id")
    delete.add_argument(
        "--reason",
        required=True,
        metavar="TEXT",
        help="why the case is deleted (checked, not kept: it could name the young person)",
    )
    delete.set_defaults(handler=cmd_case_delete)
    copies = command(group, "copies", "list the copies of deleted cases that others hold")
    copies.add_argument("--json", action="store_true", help="print JSON")
    copies.set_defaults(handler=cmd_case_copies)
    asked = command(
        group, "asked", "record that a holder was asked to delete their copies of a deleted case"
    )
    asked.add_argument("case_id", metavar="CASE_ID", help="the deleted case's id")
    asked.add_argument("fingerprint", metavar="FINGERPRINT", help="the holder's fingerprint")
    asked.set_defaults(handler=cmd_case_asked)
