"""Moving a whole case: `export` and `import`.

An export is encrypted unless asked otherwise: handed over as a bundle to one confirmed
contact (`--to`), or an age file protected by a passphrase (which the standard `age -d`
opens). Plain JSON only with `--plaintext`, and then with a warning. `import` takes any of
the three: a bundle is imported as `bundle import` would, a protected file asks for its
passphrase, plain JSON as it is.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.bundles import tell_outcomes
from aim3desk.cli.console import EXIT_OK, EXIT_USER_ERROR, say, warn, warn_if_name_in_file_name
from aim3desk.cli.errors import user_error_sentence
from aim3desk.cli.unlock import export_passphrase, open_session

if TYPE_CHECKING:
    from aim3desk.services.exchange import ImportResult
    from aim3desk.services.session import Session


def cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    with open_session(args) as session:
        if args.to:
            handed = session.bundles.hand_over(args.case, args.to, out)
            recipient = handed.recipients[0].identity
            say(
                f"Handed over case {handed.manifest.case_reference} to {recipient.name} "
                f"({handed.recipients[0].fingerprint}) in {handed.path}."
            )
            warn(
                f"Only {recipient.name} (and you) can open it; they import it with "
                "'aim3desk import FILE'. The case also stays in your profile."
            )
            return EXIT_OK
        if args.plaintext:
            case, path = session.exchange.export_case(args.case, out)
            protection = "NOT encrypted"
        else:
            from aim3desk.cli.profile import check_strength

            chosen = export_passphrase(args, confirm=True)
            check_strength(chosen, session.practitioner)
            case, path = session.exchange.export_case(args.case, out, passphrase=chosen)
            protection = "protected by a passphrase"
    say(
        f"Exported case {case.reference} ({len(case.assessments)} assessment(s)) to {path} "
        f"({protection})."
    )
    if args.plaintext:
        from aim3desk.services.exchange import NOT_ENCRYPTED_WARNING

        warn(NOT_ENCRYPTED_WARNING)
    else:
        warn(
            "Give the passphrase to the person who imports the file by another route than the "
            "file itself (for example by phone)."
        )
    warn_if_name_in_file_name(path, case.young_person_name)
    return EXIT_OK


class _FilePassphrase:
    """The export file passphrase, asked for once, when the first protected file needs it."""

    def __init__(self, args: argparse.Namespace):
        self._args = args
        self._value: str | None = None

    def get(self) -> str:
        if self._value is None:
            self._value = export_passphrase(self._args)
        return self._value


def _import_case(session: Session, path: Path, passphrase: _FilePassphrase) -> ImportResult:
    from aim3desk.services.exchange import NeedsPassphrase

    try:
        return session.exchange.import_case(path)
    except NeedsPassphrase:
        return session.exchange.import_case(path, passphrase=passphrase.get())


def cmd_import(args: argparse.Namespace) -> int:
    from aim3desk.services.bundles import looks_like_bundle

    paths = [Path(name).expanduser() for name in args.files]
    passphrase = _FilePassphrase(args)
    all_taken = True
    with open_session(args) as session:
        for path in paths:
            if looks_like_bundle(path):
                all_taken &= tell_outcomes(session.bundles.import_files([path]))
                continue
            try:
                result = _import_case(session, path, passphrase)
            except Exception as exc:  # a bad file is told and the others carry on
                sentence = user_error_sentence(exc)
                if sentence is None:
                    raise
                warn(f"{path}: {sentence}" if len(paths) > 1 else sentence)
                all_taken = False
                continue
            where = f"{path}: " if len(paths) > 1 else ""
            say(
                f"{where}Imported case {result.case.reference} with {result.assessments} "
                "assessment(s)."
            )
    return EXIT_OK if all_taken else EXIT_USER_ERROR
