"""The `aim3desk` command: the GUI by default, and headless commands for set-up, support and
moving records.

Exit codes: 0 done; 1 a problem the user can fix (wrong passphrase, missing case, bad file,
no profile, disk full), told in one sentence on stderr; 2 wrong usage; 3 an internal error
(a crash report without any case data goes to the profile's logs folder); 130 interrupted.

Heavy modules (Qt, SQLAlchemy, reportlab, jsonschema) are imported inside the commands so
that `aim3desk --version` and `--help` answer at once.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aim3desk import __version__

if TYPE_CHECKING:
    from aim3desk.services.profile import Session

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

PASSPHRASE_ENV = "AIM3DESK_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret
PROFILE_ENV = "AIM3DESK_PROFILE"
DEBUG_ENV = "AIM3DESK_DEBUG"  # set to 1 to see the full traceback of an internal error
MIN_PASSPHRASE_SCORE = 3  # zxcvbn 0-4: 3 is "safely unguessable", as NIST-style guidance asks
_ZXCVBN_MAX_CHARS = 100  # zxcvbn slows down sharply on long input; the start is enough


class UserError(Exception):
    """A problem the user can fix; str() is the one sentence shown."""


# -- input and output -------------------------------------------------------------------------


def _say(message: str = "") -> None:
    print(message, file=sys.stdout)


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


def _profile_dir(args: argparse.Namespace) -> Path:
    if args.profile:
        return Path(args.profile).expanduser()
    from aim3desk.config import default_profile_dir  # honours AIM3DESK_PROFILE

    return default_profile_dir()


def _read_passphrase_file(name: str) -> str:
    if name == "-":
        text = sys.stdin.readline()
    else:
        try:
            with open(name, encoding="utf-8") as handle:
                text = handle.readline()
        except UnicodeDecodeError:
            raise UserError(f"The passphrase file {name} is not UTF-8 text.") from None
    # Only the line ending is removed: spaces can be part of a passphrase.
    passphrase = text.rstrip("\r\n")
    if not passphrase:
        raise UserError(f"The passphrase file {name} is empty.")
    return passphrase


def _prompt_passphrase(confirm: bool) -> str:
    import getpass

    passphrase = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Type the passphrase again: ") != passphrase:
        raise UserError("The two passphrases are different; nothing was changed.")
    if not passphrase:
        raise UserError("No passphrase was typed.")
    return passphrase


def _passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    """From --passphrase-file, else AIM3DESK_PASSPHRASE, else a prompt on a terminal."""
    if args.passphrase_file:
        return _read_passphrase_file(args.passphrase_file)
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return _prompt_passphrase(confirm)
    raise UserError(f"No passphrase was given: use --passphrase-file FILE or set {PASSPHRASE_ENV}.")


def _practitioner_name(session: Session) -> str:
    practitioner = session.practitioner
    return str(getattr(practitioner, "name", practitioner))


def _warn_if_name_in_file_name(path: Path, young_person_name: str) -> None:
    stem = path.name.casefold()
    parts = [p for p in young_person_name.casefold().split() if len(p) > 2]
    if parts and any(part in stem for part in parts):
        _warn(
            "Warning: the file name seems to contain the young person's name; file names are "
            "seen by anyone browsing the folder, so use the case reference instead."
        )


@contextmanager
def _open_session(args: argparse.Namespace) -> Iterator[Session]:
    """Unlock the profile for one command and always close it."""
    from aim3desk.logs import setup_logging
    from aim3desk.services.profile import ProfileService

    profile_dir = _profile_dir(args)
    service = ProfileService(profile_dir)
    if not service.exists():
        raise UserError(f"No profile at {profile_dir}. Run 'aim3desk init' first.")
    setup_logging(profile_dir)
    session = service.unlock(_passphrase(args))
    try:
        for problem in session.settings.problems:
            _warn(f"Note: {problem}")
        yield session
    finally:
        session.close()


# -- commands ---------------------------------------------------------------------------------


def _check_strength(passphrase: str, name: str) -> None:
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:_ZXCVBN_MAX_CHARS], user_inputs=[*name.split(), "aim3desk", "aim3"])
    if result["score"] >= MIN_PASSPHRASE_SCORE:
        return
    feedback = result.get("feedback") or {}
    hints = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    advice = " ".join(h.strip().rstrip(".") + "." for h in hints if h and h.strip())
    raise UserError(
        f"That passphrase is too easy to guess (strength {result['score']} of 4, at least "
        f"{MIN_PASSPHRASE_SCORE} is needed). {advice} A few unrelated words make a strong "
        "passphrase that is easy to remember."
    )


def cmd_init(args: argparse.Namespace) -> int:
    from aim3desk.logs import setup_logging
    from aim3desk.services.profile import ProfileService

    profile_dir = _profile_dir(args)
    service = ProfileService(profile_dir)
    if service.exists():
        raise UserError(f"A profile already exists at {profile_dir}; it was left as it is.")
    name = (args.name or "").strip()
    if not name and sys.stdin.isatty():
        name = input("Your name (shown as the author of reports): ").strip()
    if not name:
        raise UserError("Give your name with --name; it is recorded as the author of reports.")
    passphrase = _passphrase(args, confirm=True)
    _check_strength(passphrase, name)
    _warn("Creating the profile; strengthening the passphrase takes a moment...")
    session, recovery_key = service.create(passphrase, name)
    try:
        setup_logging(profile_dir)
        _say(f"Created the profile for {name} at {profile_dir}.")
        _say()
        _say("RECOVERY KEY (shown only this once):")
        _say()
        _say(f"    {recovery_key}")
        _say()
        _say("Write it down or print it now and keep it somewhere safe, away from this computer.")
        _say(
            "It is the only way into your records if you forget your passphrase, and anyone "
            "who has it and this profile can read them."
        )
    finally:
        session.close()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from aim3desk.services.demo import add_demo_cases

    with _open_session(args) as session:
        added = add_demo_cases(session, count=args.count, seed=args.seed)
    if added:
        _say(
            f"Added {len(added)} invented demo case(s): {added[0].reference} to "
            f"{added[-1].reference}."
        )
    else:
        _say("Added no demo cases.")
    return EXIT_OK


def _summary_dict(summary: Any, today: Any) -> dict[str, object]:
    return {
        "id": summary.id,
        "reference": summary.reference,
        "young_person_name": summary.young_person_name,
        "status": summary.status.value,
        "model": summary.model.value if summary.model else None,
        "due_date": summary.due_date.isoformat() if summary.due_date else None,
        "lead_worker": summary.lead_worker,
        "overdue": bool(summary.is_overdue(today)) if hasattr(summary, "is_overdue") else False,
    }


def cmd_cases(args: argparse.Namespace) -> int:
    from datetime import date

    today = date.today()
    with _open_session(args) as session:
        summaries = session.cases.list_cases()
    rows = [_summary_dict(s, today) for s in summaries]
    if args.json:
        _say(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        _say("No cases yet. Add one in the app, or try 'aim3desk demo'.")
        return EXIT_OK
    headings = ("REFERENCE", "YOUNG PERSON", "STATUS", "MODEL", "DUE", "LEAD WORKER")
    table = [
        (
            r["reference"],
            r["young_person_name"],
            r["status"],
            r["model"] or "-",
            (r["due_date"] or "-") + (" OVERDUE" if r["overdue"] else ""),
            r["lead_worker"],
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in [headings, *table]) for i in range(len(headings))]
    for row in [headings, *table]:
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        _say("  ".join(cells).rstrip())
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from aim3desk.services.exchange import NOT_ENCRYPTED_WARNING

    out = Path(args.out).expanduser()
    with _open_session(args) as session:
        case, path = session.exchange.export_case(args.case, out)
    _say(f"Exported case {case.reference} ({len(case.assessments)} assessment(s)) to {path}.")
    _warn(NOT_ENCRYPTED_WARNING)
    _warn_if_name_in_file_name(path, case.young_person_name)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    with _open_session(args) as session:
        result = session.exchange.import_case(Path(args.file).expanduser())
    _say(f"Imported case {result.case.reference} with {result.assessments} assessment(s).")
    return EXIT_OK


REPORT_KINDS = (
    "full",
    "social-care",
    "police",
    "education",
    "health",
    "voluntary",
    "young-person",
    "ending",
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
    if args.not_shared and not share:
        raise UserError("--not-shared records a decision about a share audience, not this report.")
    if not args.not_shared and not args.out:
        raise UserError("Give --out FILE.pdf (or a folder) for the report.")

    from aim3desk.domain.sign_off import sign_off
    from aim3desk.services.reports import ShareAnswers, default_filename

    with _open_session(args) as session:
        answers = None
        if share:
            basis, basis_text = session.sharing.resolve_lawful_basis(args.lawful_basis)
            answers = ShareAnswers(args.recipient, args.reason, basis, basis_text)
        if args.not_shared:
            assert answers is not None
            done = session.reports.record_not_shared(args.case, args.audience, answers)
            _say(
                f"Recorded a decision NOT to share case {done.case.reference} with "
                f"{args.audience}; nothing was written."
            )
            return EXIT_OK
        out = Path(args.out).expanduser()
        if out.is_dir():
            case = session.cases.find_case(args.case)
            state = sign_off(case.current_assessment, session.supervision.sessions(case.id))
            out = out / default_filename(case, args.audience, state)
        done = session.reports.produce(args.case, args.audience, out, answers)
    assert done.path is not None
    logged = " and logged the decision to share" if done.decision else ""
    _say(f"Wrote the {args.audience} report of case {done.case.reference} to {done.path}{logged}.")
    _warn(
        "Warning: the PDF is NOT encrypted and is marked OFFICIAL-SENSITIVE; store and share "
        "it securely."
    )
    _warn_if_name_in_file_name(done.path, done.case.young_person_name)
    return EXIT_OK


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
    with _open_session(args) as session:
        result = session.annual_return.write(args.date_from, args.date_to, out)
    _say(
        f"Annual return {args.date_from.isoformat()} to {args.date_to.isoformat()}: "
        f"{result.completed} completed, {result.ongoing} ongoing or outstanding, "
        f"{result.not_completed} not completed. Written to {out}."
    )
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from aim3desk.services.selftest import run_selftest

    checks = run_selftest()
    if args.audit:
        checks.append(_audit_check(args))
    ok = all(c.ok for c in checks)
    if args.json:
        document = {"ok": ok, "version": __version__, "checks": [c.as_dict() for c in checks]}
        _say(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for check in checks:
            _say(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
        _say("All checks passed." if ok else "Some checks FAILED.")
    return EXIT_OK if ok else EXIT_USER_ERROR


def _audit_check(args: argparse.Namespace) -> Any:
    """Unlock the profile and walk its audit trail; a profile that cannot be opened fails
    the check with the same sentence the other commands give."""
    from aim3desk.services.selftest import Check, check_audit_trail

    try:
        with _open_session(args) as session:
            return check_audit_trail(session)
    except Exception as exc:
        sentence = _user_error_sentence(exc)
        if sentence is None:
            raise
        return Check("audit", False, sentence)


def cmd_gui(args: argparse.Namespace) -> int:
    from aim3desk.app import run_gui

    return int(run_gui(_profile_dir(args), [sys.argv[0] if sys.argv else "aim3desk"]) or 0)


# -- parser and error handling ----------------------------------------------------------------


def _positive_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("give a number from 1 to 100000")
    return value


def _iso_date(text: str) -> Any:
    from datetime import date

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

    init = sub.add_parser("init", help="create a new encrypted profile")
    init.add_argument("--name", help="your name, shown as the author of reports")
    init.set_defaults(handler=cmd_init)

    demo = sub.add_parser("demo", help="add invented demo cases")
    demo.add_argument("--count", type=_positive_count, default=8, help="how many (default 8)")
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

    annual = sub.add_parser(
        "annual-return",
        help="write the annual return (counts of assessments, no names) as CSV or PDF",
    )
    annual.add_argument(
        "--from",
        dest="date_from",
        required=True,
        type=_iso_date,
        metavar="DATE",
        help="first day of the period (YYYY-MM-DD)",
    )
    annual.add_argument(
        "--to",
        dest="date_to",
        required=True,
        type=_iso_date,
        metavar="DATE",
        help="last day of the period (YYYY-MM-DD)",
    )
    annual.add_argument("--out", required=True, metavar="FILE", help="file to write: .csv or .pdf")
    annual.set_defaults(handler=cmd_annual_return)

    selftest = sub.add_parser("selftest", help="check that this machine can run AIM3 Desk")
    selftest.add_argument("--json", action="store_true", help="print JSON")
    selftest.add_argument(
        "--audit",
        action="store_true",
        help="also unlock the profile and check that its audit trail has not been altered",
    )
    selftest.set_defaults(handler=cmd_selftest)
    return parser


_ERRNO_WORDS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.ENOENT: "no such file or folder",
    errno.EROFS: "the disk is read-only",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "part of the path is not a folder",
    errno.EEXIST: "it already exists",
    errno.ENAMETOOLONG: "the name is too long",
}


def _os_error_sentence(exc: OSError) -> str:
    if exc.errno is None and str(exc):  # raised by our code with its own sentence
        return str(exc)
    reason = _ERRNO_WORDS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()
    if exc.filename:
        return f"Could not use {exc.filename}: {reason}."
    return f"A file operation failed: {reason}."


def _user_error_sentence(exc: BaseException) -> str | None:
    """The sentence for an error the user can act on, or None if it is an internal error.
    Our error classes are imported only now, so a fast command never pays for them."""
    if isinstance(exc, UserError):
        return str(exc)
    from aim3desk.domain.cases import ValidationError
    from aim3desk.security.errors import KeyFileError

    if isinstance(exc, KeyFileError):  # before OSError: a missing key file is both
        return str(exc)
    if isinstance(exc, ValidationError):
        return f"The case is not valid: {exc}."
    known: list[type[BaseException]] = []
    for module, names in (
        ("aim3desk.services.errors", ("CaseNotFound", "CaseFileError", "StoreError")),
        ("aim3desk.services.reports.style", ("ReportError", "ReportCancelled")),
        ("aim3desk.domain.forms", ("FormError",)),
        ("aim3desk.services.profile", ("ProfileError",)),
    ):
        loaded = sys.modules.get(module)  # an error from a module means it was imported
        known += [getattr(loaded, n) for n in names if loaded and hasattr(loaded, n)]
    if isinstance(exc, tuple(known)):
        text = str(exc).strip() or type(exc).__name__
        return text if text.endswith((".", "!", "?")) else text + "."
    if isinstance(exc, OSError):
        return _os_error_sentence(exc)
    return None


def _internal_error(exc: BaseException) -> int:
    from aim3desk import logs

    path = None
    with suppress(OSError):
        path = logs.write_crash_report(type(exc), exc, exc.__traceback__)
    where = f" A report without any case data is in {path}." if path else ""
    _warn(f"AIM3 Desk stopped because of an internal error ({type(exc).__name__}).{where}")
    return EXIT_INTERNAL


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
        _warn("Stopped.")
        return EXIT_INTERRUPTED
    except Exception as exc:
        sentence = _user_error_sentence(exc)
        if sentence is not None:
            _warn(sentence)
            return EXIT_USER_ERROR
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        return _internal_error(exc)


if __name__ == "__main__":
    sys.exit(main())
