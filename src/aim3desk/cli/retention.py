"""`aim3desk retention` and `aim3desk hold`: the cases due for a retention decision, the
decision itself, and legal holds set and lifted with a reason, for managers and IT scripts.

The rule (N years after closure or until an age, whichever is later) comes from the settings
that machine policy may set and lock; see docs/deployment.md.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, say, say_table, warn
from aim3desk.cli.deletion import result_lines
from aim3desk.cli.unlock import open_session

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from aim3desk.domain.retention import LegalHold, RetentionDecision, RetentionStatus

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    MakeCommand = Callable[[Commands, str, str], argparse.ArgumentParser]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _decision_document(decision: RetentionDecision | None) -> dict | None:
    if decision is None:
        return None
    return {
        "id": decision.id,
        "decision": decision.decision.value,
        "reason": decision.reason,
        "authorised_by": decision.authorised_by,
        "decided_at": decision.decided_at.isoformat(),
        "decided_by": decision.decided_by,
        "keep_until": _day(decision.keep_until),
    }


def _status_document(status: RetentionStatus) -> dict:
    return {
        "reference": status.reference,
        "case_id": status.case_id,
        "status": status.status.value,
        "closed_on": _day(status.closed_on),
        "retain_until": _day(status.retain_until),
        "due": status.due,
        "on_hold": status.on_hold,
        "latest_decision": _decision_document(status.latest_decision),
        "explanation": status.explanation,
    }


def cmd_retention_list(args: argparse.Namespace) -> int:
    from aim3desk.domain.cases import CaseStatus

    with open_session(args) as session:
        rule = session.retention.rule()
        statuses = session.retention.statuses()
    if args.all:
        shown = [s for s in statuses if s.status is CaseStatus.CLOSED]
    else:
        shown = [s for s in statuses if s.due]
    if args.json:
        say(json.dumps([_status_document(s) for s in shown], ensure_ascii=False, indent=2))
        return EXIT_OK
    warn(f"Retention rule: a closed case is {rule.describe()}.")
    if not shown:
        say("No closed cases." if args.all else "No case is due for a retention decision.")
        return EXIT_OK
    rows = [
        (
            s.reference,
            _day(s.closed_on) or "-",
            _day(s.retain_until) or "-",
            "due" if s.due else "on hold" if s.on_hold else "kept",
            s.explanation,
        )
        for s in shown
    ]
    say_table(("CASE", "CLOSED", "KEPT UNTIL", "STATE", "WHY"), rows)
    return EXIT_OK


def cmd_retention_decide(args: argparse.Namespace) -> int:
    from aim3desk.domain.retention import Decision

    decision = Decision(args.decision)
    with open_session(args) as session:
        case = session.cases.find_case(args.case)
        decided = session.retention.decide(
            case.id, decision, args.reason, args.authorised_by, args.keep_until
        )
    recorded = decided.decision
    if decided.deletion is not None:
        for line in result_lines(decided.deletion):
            warn(line)
        if decided.deletion.backup_problems:
            warn("Some backups need attention: see above.")
    elif decision is Decision.KEEP:
        warn(f"Case {case.reference} is kept until {recorded.keep_until:%d %b %Y}.")
    else:
        warn(f"Case {case.reference} is on legal hold until the hold is lifted with a reason.")
    say(recorded.id)
    return EXIT_OK


def _hold_line(hold: LegalHold) -> str:
    line = f"  set {hold.set_at:%Y-%m-%d %H:%M} UTC by {hold.set_by}: {hold.reason}"
    if hold.lifted_at is not None:
        line += f"\n  lifted {hold.lifted_at:%Y-%m-%d %H:%M} UTC by {hold.lifted_by}: "
        line += hold.lift_reason or ""
    return line


def cmd_hold_set(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        case = session.cases.find_case(args.case)
        hold = session.retention.set_hold(case.id, args.reason)
    warn(
        f"Case {case.reference} is on legal hold: it cannot be deleted or fall due for review "
        "until the hold is lifted ('aim3desk hold lift')."
    )
    say(hold.id)
    return EXIT_OK


def cmd_hold_lift(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        case = session.cases.find_case(args.case)
        hold = session.retention.lift_hold(case.id, args.reason)
    warn(f"The legal hold on case {case.reference} is lifted.")
    say(hold.id)
    return EXIT_OK


def cmd_hold_list(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        if args.case:
            case = session.cases.find_case(args.case)
            holds = session.retention.holds(case.id)
            held = [(case.reference, hold) for hold in holds]
        else:
            held = [(h.reference, h.hold) for h in session.retention.held_cases()]
    if args.json:
        documents = [
            {
                "reference": reference,
                "case_id": hold.case_id,
                "hold_id": hold.id,
                "active": hold.active,
                "set_at": hold.set_at.isoformat(),
                "set_by": hold.set_by,
                "reason": hold.reason,
                "lifted_at": hold.lifted_at.isoformat() if hold.lifted_at else None,
                "lifted_by": hold.lifted_by,
                "lift_reason": hold.lift_reason,
            }
            for reference, hold in held
        ]
        say(json.dumps(documents, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not held:
        say("No legal holds." if args.case else "No case is on legal hold.")
        return EXIT_OK
    for reference, hold in held:
        say(f"{reference} ({'on hold' if hold.active else 'lifted'})")
        say(_hold_line(hold))
    return EXIT_OK


def add_retention_commands(
    retention: Commands, hold: Commands, command: MakeCommand, day: Callable[[str], date]
) -> None:
    """The actions under `aim3desk retention` and `aim3desk hold` (`command` makes one and
    `day` reads a YYYY-MM-DD argument, as parser.py does)."""
    listing = command(
        retention,
        "list",
        "list the closed cases past their retention date, which need a decision",
    )
    listing.add_argument(
        "--all", action="store_true", help="every closed case with its retention date"
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_retention_list)

    decide = command(
        retention,
        "decide",
        "record a decision on a case past its retention date: delete it, keep it until a "
        "later day, or place it on legal hold; prints the decision id",
    )
    decide.add_argument("case", metavar="CASE", help="case reference or id")
    decide.add_argument(
        "--decision",
        required=True,
        choices=("delete", "keep", "hold"),
        help="delete the case now (refused under legal hold), keep it until --keep-until, "
        "or place it on legal hold",
    )
    decide.add_argument(
        "--reason", required=True, metavar="TEXT", help="why (kept with the decision)"
    )
    decide.add_argument(
        "--authorised-by", required=True, metavar="NAME", help="the manager who decided"
    )
    decide.add_argument(
        "--keep-until",
        type=day,
        metavar="YYYY-MM-DD",
        help="with --decision keep: the new retention date",
    )
    decide.set_defaults(handler=cmd_retention_decide)

    set_hold = command(
        hold,
        "set",
        "place a case on legal hold: it cannot be deleted or fall due until lifted",
    )
    set_hold.add_argument("case", metavar="CASE", help="case reference or id")
    set_hold.add_argument(
        "--reason", required=True, metavar="TEXT", help="why the case is held (kept with it)"
    )
    set_hold.set_defaults(handler=cmd_hold_set)

    lift = command(hold, "lift", "lift a case's legal hold, saying why")
    lift.add_argument("case", metavar="CASE", help="case reference or id")
    lift.add_argument(
        "--reason", required=True, metavar="TEXT", help="why the hold is lifted (kept with it)"
    )
    lift.set_defaults(handler=cmd_hold_lift)

    listing = command(hold, "list", "list the cases on legal hold, or one case's hold history")
    listing.add_argument(
        "case", metavar="CASE", nargs="?", help="a case reference or id: its holds, lifted too"
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_hold_list)
