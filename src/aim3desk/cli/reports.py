"""`aim3desk report`: write a report of a case as a PDF, or record a decision not to share.

A share report leaves the practitioner's service, so it needs who receives it and why (in a
few words: domain/share_checks.py), and the lawful basis; the decision is logged with the
report. A share report of a version not signed off is refused without --draft-ok.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, UserError, say, warn, warn_if_name_in_file_name
from aim3desk.cli.unlock import open_session
from aim3desk.domain.share_checks import draft_share_warning, share_answer_problems

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.domain.sign_off import SignOff
    from aim3desk.services.session import Session

REPORT_KINDS = (
    "full",
    "social-care",
    "police",
    "education",
    "health",
    "voluntary",
    "young-person",
    "ending",
    "supervision-record",
)
SHARE_AUDIENCES = REPORT_KINDS[1:6]


def cmd_report(args: argparse.Namespace) -> int:
    share = args.audience in SHARE_AUDIENCES
    given = [args.recipient, args.reason, args.lawful_basis]
    if share and not all(value and value.strip() for value in given):
        raise UserError(
            f"A report for {args.audience} is shared outside your service: give --recipient "
            "(who receives it), --reason (why it is necessary) and --lawful-basis."
        )
    if share:
        problems = share_answer_problems(args.recipient, args.reason)
        if problems:
            raise UserError(" ".join(problems.values()) + " (--recipient, --reason)")
    if args.draft_ok and (not share or args.not_shared):
        raise UserError("--draft-ok is for writing a share report (see --audience).")
    if args.override_reason and not share:
        raise UserError("--override-reason is for a share report (see --audience).")
    if args.not_shared and not share:
        raise UserError("--not-shared records a decision about a share audience, not this report.")
    if not args.not_shared and not args.out:
        raise UserError("Give --out FILE.pdf (or a folder) for the report.")

    from aim3desk.services.errors import GateClosed
    from aim3desk.services.reports import ShareAnswers, default_filename

    with open_session(args) as session:
        answers = None
        if share:
            basis, basis_text = session.sharing.resolve_lawful_basis(args.lawful_basis)
            answers = ShareAnswers(
                args.recipient, args.reason, basis, basis_text, args.override_reason or ""
            )
        if args.not_shared:
            assert answers is not None
            done = session.reports.record_not_shared(args.case, args.audience, answers)
            say(
                f"Recorded a decision NOT to share case {done.case.reference} with "
                f"{args.audience}; nothing was written."
            )
            return EXIT_OK
        out = Path(args.out).expanduser()
        case = session.cases.find_case(args.case)
        state = session.cases.sign_off(case)
        if share and not args.draft_ok:
            _refuse_draft(session, case, args.audience, state)
        if out.is_dir():
            out = out / default_filename(case, args.audience, state)
        try:
            done = session.reports.produce(args.case, args.audience, out, answers)
        except GateClosed as exc:
            raise UserError(
                f"{exc} This version is not signed off and does not pass the readiness "
                "check: give --override-reason TEXT to share it anyway (the reason is "
                "recorded and printed in the report)."
            ) from None
    assert done.path is not None
    logged = " and logged the decision to share" if done.decision else ""
    say(f"Wrote the {args.audience} report of case {done.case.reference} to {done.path}{logged}.")
    warn(
        "Warning: the PDF is NOT encrypted and is marked OFFICIAL-SENSITIVE; store and share "
        "it securely."
    )
    warn_if_name_in_file_name(done.path, done.case.young_person_name)
    return EXIT_OK


def _refuse_draft(session: Session, case: Case, audience: str, state: SignOff) -> None:
    """UserError, saying what it is and who has not signed it, when the version is a draft."""
    version = case.current_assessment.version if case.current_assessment else None
    label = session.sharing.policy.audience(audience).label
    warning = draft_share_warning(case.reference, version, label, state)
    if warning:
        raise UserError(f"{warning} Give --draft-ok to share the draft anyway.")


def cmd_access_export(args: argparse.Namespace) -> int:
    """Write the subject access "records held" export of one case (like `report`, it
    writes over an existing file at the path, atomically)."""
    with open_session(args) as session:
        out = Path(args.out).expanduser()
        if out.is_dir():
            request = session.reports.prepare_access(args.case)
            data = session.reports.render_access(request)
            path = session.reports.save_access(request, data, out / request.filename)
        else:
            request, path = session.reports.access_export(args.case, out)
    say(
        f"Wrote the records held for case {request.case.reference} to {path} "
        f"({len(request.versions)} assessment version(s); internal-only items are marked for "
        "the reviewer, nothing is redacted)."
    )
    warn(
        "Warning: the PDF is NOT encrypted, is marked OFFICIAL-SENSITIVE and is not for "
        "disclosure until a reviewer has decided what to redact."
    )
    warn_if_name_in_file_name(path, request.case.young_person_name)
    return EXIT_OK
