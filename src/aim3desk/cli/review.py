"""`aim3desk review`: send a version for review, and a supervisor's inbox, comments and
decision, for IT scripts and the tests.

Bundles made here are queued for the shared folder (`aim3desk sync` delivers them); a
review coming back is taken in by the same import as every bundle. IDs are the inbox's bundle
ids; a unique prefix is enough.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, UserError, say, say_table, warn
from aim3desk.cli.unlock import open_session

if TYPE_CHECKING:
    from collections.abc import Callable

    from aim3desk.domain.review import Review
    from aim3desk.services.review import InboxEntry

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    MakeCommand = Callable[[Commands, str, str], argparse.ArgumentParser]

ID_WIDTH = 8  # the short id shown; any unique prefix is accepted back


def _names(contacts) -> str:
    return ", ".join(f"{c.identity.name} ({c.fingerprint})" for c in contacts)


def cmd_review_send(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        sent = session.review.send_for_review(args.case, args.to, args.reason or "")
    if sent.finished_now:
        warn(f"Version {sent.version} of case {sent.case_reference} is now finished (read-only).")
    if sent.override_reason:
        warn("It does not pass the readiness check; your reason is recorded and sent with it.")
    warn(
        f"Queued for {_names(sent.recipients)}; it is delivered at the next sync ('aim3desk sync')."
    )
    say(sent.bundle_id)
    return EXIT_OK


def _entry_document(entry: InboxEntry) -> dict:
    document = asdict(entry)
    document["state"] = entry.state.value
    document["conflict_with"] = list(entry.conflict_with)
    return document


def cmd_review_inbox(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        entries = session.review.inbox()
    if args.json:
        say(json.dumps([_entry_document(e) for e in entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not entries:
        say("Nothing to review: no assessment bundles have reached you yet.")
        return EXIT_OK
    rows = [
        (
            e.bundle_id[:ID_WIDTH],
            e.case_reference,
            e.version,
            e.author_name,
            e.created[:16].replace("T", " "),
            e.state.value,
            "first" if e.changes is None else e.changes,
            "yes" if e.sent_with_reason else "",
        )
        for e in entries
    ]
    say_table(("ID", "CASE", "VERSION", "FROM", "MADE (UTC)", "STATE", "CHANGES", "REASON"), rows)
    return EXIT_OK


def _review_lines(review: Review) -> list[str]:
    lines = ["Checklist:"]
    lines += [f"  [{'x' if i.done else ' '}] {i.id}: {i.text}" for i in review.checklist]
    lines.append(f"Comments ({len(review.comments)}):")
    for comment in review.comments:
        anchor = comment.anchor
        where = anchor.label or anchor.kind.label
        lines.append(f"  {comment.id[:ID_WIDTH]} on {anchor.kind.value} {where}: {comment.text}")
    if review.decision:
        lines.append(f"Decision: {review.decision.label}")
    if review.reasons:
        lines.append(f"Reasons: {review.reasons}")
    return lines


def cmd_review_show(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        material = session.review.material(args.id)
        review = session.review.draft(material.entry.bundle_id) if args.draft else None
    entry = material.entry
    lines = [
        f"Bundle:   {entry.bundle_id}",
        f"Case:     {entry.case_reference}, version {entry.version}",
        f"From:     {entry.author_name} ({entry.author_fingerprint})",
        f"Made:     {entry.created}",
        f"State:    {entry.state.value}",
    ]
    if entry.sent_with_reason:
        lines.append(f"Sent without passing the readiness check: {entry.sent_with_reason}")
    if entry.conflict_with:
        lines.append("Built on the same base as: " + ", ".join(entry.conflict_with))
    if entry.changes is not None:
        lines.append(f"Changes since the previous version ({len(material.changes)}):")
        lines += [f"  {c.area} {c.key}: {c.old!r} -> {c.new!r}" for c in material.changes]
    if review is not None:
        lines += _review_lines(review)
    for line in lines:
        say(line)
    return EXIT_OK


def _anchor_argument(text: str) -> tuple[str, str]:
    kind, _, ref = text.partition(":")
    return kind.strip().lower(), ref.strip()


def cmd_review_comment(args: argparse.Namespace) -> int:
    from aim3desk.domain.review import AnchorKind

    kind, ref = _anchor_argument(args.on)
    try:
        anchor_kind = AnchorKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in AnchorKind)
        raise UserError(f"--on takes one of {kinds}, then ':' and the item.") from None
    with open_session(args) as session:
        bundle_id = session.review.resolve(args.id)
        review = session.review.draft(bundle_id)
        anchor = session.review.anchor(bundle_id, anchor_kind, ref)
        review = session.review.add_comment(review.review_id, anchor, args.text)
    say(review.comments[-1].id)
    return EXIT_OK


def cmd_review_decide(args: argparse.Namespace) -> int:
    from aim3desk.domain.review import AnchorKind, Decision, ReviewProblem

    decision = Decision.SIGN_OFF if args.sign_off else Decision.RETURN
    if args.comment and decision is Decision.SIGN_OFF:
        raise UserError("Comments go with --return; a sign-off takes --reason only.")
    with open_session(args) as session:
        bundle_id = session.review.resolve(args.id)
        review = session.review.draft(bundle_id)
        if review.decided:
            raise ReviewProblem("This version has already been decided.")
        for text in args.comment or ():
            anchor = session.review.anchor(bundle_id, AnchorKind.GENERAL)
            review = session.review.add_comment(review.review_id, anchor, text)
        if decision is Decision.SIGN_OFF and args.all_checked:
            for item in review.checklist:
                review = session.review.check_item(review.review_id, item.id)
        decided = session.review.decide(review.review_id, decision, args.reason or "")
    warn(
        f"{decided.review.decision.label}: case {decided.review.reviewed.case_reference}, "
        f"version {decided.review.reviewed.assessment_version}. The signed review is queued "
        "for the practitioner; it is delivered at the next sync ('aim3desk sync')."
    )
    say(decided.bundle_id)
    return EXIT_OK


def add_review_commands(group: Commands, command: MakeCommand) -> None:
    """The review actions under `aim3desk review` (`command` makes one, as parser.py does)."""
    send = command(
        group,
        "send",
        "send a case's current version to your supervisors for review; prints the bundle id",
    )
    send.add_argument("case", metavar="CASE", help="case reference or id")
    send.add_argument(
        "--to",
        required=True,
        nargs="+",
        action="extend",
        metavar="FINGERPRINT",
        help="your supervisors (confirmed contacts named as supervisor)",
    )
    send.add_argument(
        "--reason",
        metavar="TEXT",
        help="why a version that does not pass the readiness check is sent (kept and shown)",
    )
    send.set_defaults(handler=cmd_review_send)
    inbox = command(group, "inbox", "list the versions sent to you for review, by case and date")
    inbox.add_argument("--json", action="store_true", help="print JSON")
    inbox.set_defaults(handler=cmd_review_inbox)
    show = command(group, "show", "say what a version sent for review holds and what changed")
    show.add_argument("id", metavar="ID", help="the bundle id (a unique start is enough)")
    show.add_argument("--draft", action="store_true", help="also show your review of it")
    show.set_defaults(handler=cmd_review_show)
    comment = command(group, "comment", "add a comment to your draft review of a version")
    comment.add_argument("id", metavar="ID", help="the bundle id (a unique start is enough)")
    comment.add_argument(
        "--on",
        required=True,
        metavar="KIND[:REF]",
        help="general, domain:ID, factor:DOMAIN:SLOT, evidence:ID, formulation:PART or "
        "report_section:TITLE",
    )
    comment.add_argument("text", metavar="TEXT")
    comment.set_defaults(handler=cmd_review_comment)
    decide = command(group, "decide", "sign off a version, or return it for amendments")
    decide.add_argument("id", metavar="ID", help="the bundle id (a unique start is enough)")
    which = decide.add_mutually_exclusive_group(required=True)
    which.add_argument("--sign-off", action="store_true", help="sign the version off")
    which.add_argument("--return", dest="return_", action="store_true", help="return it")
    decide.add_argument(
        "--comment",
        action="append",
        metavar="TEXT",
        help="a comment on the assessment as a whole (repeat for more); with --return",
    )
    decide.add_argument("--reason", metavar="TEXT", help="the reasons for the decision")
    decide.add_argument(
        "--all-checked",
        action="store_true",
        help="with --sign-off: you have gone through every item of the session-three checklist",
    )
    decide.set_defaults(handler=cmd_review_decide)
