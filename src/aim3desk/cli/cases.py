"""The case commands: `demo` and `cases` (moving a case is in `exchange`)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, say, say_table
from aim3desk.cli.unlock import open_session

if TYPE_CHECKING:
    from datetime import date

    from aim3desk.services.cases import CaseSummary


def cmd_demo(args: argparse.Namespace) -> int:
    from aim3desk.services.demo import add_demo_cases

    with open_session(args) as session:
        added = add_demo_cases(session, count=args.count, seed=args.seed)
    if added:
        say(
            f"Added {len(added)} invented demo case(s): {added[0].reference} to "
            f"{added[-1].reference}."
        )
    else:
        say("Added no demo cases.")
    return EXIT_OK


def _summary_dict(summary: CaseSummary, today: date) -> dict[str, object]:
    return {
        "id": summary.id,
        "reference": summary.reference,
        "young_person_name": summary.young_person_name,
        "status": summary.status.value,
        "model": summary.model.value if summary.model else None,
        "due_date": summary.due_date.isoformat() if summary.due_date else None,
        "lead_worker": summary.lead_worker,
        "overdue": bool(summary.is_overdue(today)),
    }


def cmd_cases(args: argparse.Namespace) -> int:
    from datetime import date

    today = date.today()
    with open_session(args) as session:
        summaries = session.cases.list_cases()
    if args.json:  # machine values (status and model codes) for scripts
        rows = [_summary_dict(s, today) for s in summaries]
        say(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not summaries:
        say("No cases yet. Add one in the app, or try 'aim3desk demo'.")
        return EXIT_OK
    headings = ("REFERENCE", "YOUNG PERSON", "STATUS", "MODEL", "DUE", "LEAD WORKER")
    table = [  # words for people: the status and model labels the app shows
        (
            s.reference,
            s.young_person_name,
            s.status.label,
            s.model.label if s.model else "-",
            (s.due_date.isoformat() if s.due_date else "-")
            + (" OVERDUE" if s.is_overdue(today) else ""),
            s.lead_worker,
        )
        for s in summaries
    ]
    say_table(headings, table)
    return EXIT_OK
