"""`aim3desk annual-return`: the counts of assessments in a period (no names), as CSV or PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from aim3desk.cli.console import EXIT_OK, UserError, say
from aim3desk.cli.outputs import output_file
from aim3desk.cli.unlock import open_session


def cmd_annual_return(args: argparse.Namespace) -> int:
    from aim3desk.services.annual_return import FORMATS

    if args.date_from > args.date_to:
        raise UserError(
            f"The period starts ({args.date_from.isoformat()}) after it ends "
            f"({args.date_to.isoformat()}); give --from on or before --to."
        )
    out = Path(args.out).expanduser()
    if out.suffix.lower() not in FORMATS:
        raise UserError("Name the output file .csv or .pdf: the extension chooses the format.")
    out = output_file(args, args.out)
    with open_session(args) as session:
        result = session.annual_return.write(args.date_from, args.date_to, out, replace=args.force)
    say(
        f"Annual return {args.date_from.isoformat()} to {args.date_to.isoformat()}: "
        f"{result.completed} completed (signed off), {result.completed_without_sign_off} "
        f"completed without sign-off, {result.ongoing} ongoing or outstanding, "
        f"{result.not_completed} not completed. Written to {out}."
    )
    return EXIT_OK
