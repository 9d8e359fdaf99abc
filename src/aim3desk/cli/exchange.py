"""Moving a whole case: `export` and `import`.

An export is encrypted unless asked otherwise: handed over as a bundle to one confirmed
contact (`--to`), or an age file protected by a passphrase (which the standard `age -d`
opens). Plain JSON only with `--plaintext`, and then with a warning. `import` takes any of
the three: a bundle is imported as `bundle import` would, a protected file asks for its
passphrase, plain JSON as it is.
"""

from __future__ import annotations

import argparse
import glob
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.bundles import tell_outcomes
from aim3desk.cli.console import (
    EXIT_OK,
    EXIT_USER_ERROR,
    UserError,
    say,
    warn,
    warn_if_name_in_file_name,
)
from aim3desk.cli.errors import carry_on_sentence
from aim3desk.cli.unlock import export_passphrase, open_session

if TYPE_CHECKING:
    from aim3desk.services.exchange import ImportResult
    from aim3desk.services.session import Session


def _cases_to_export(args: argparse.Namespace, session: Session) -> list[str]:
    if args.all:
        return [summary.reference for summary in session.cases.list_cases()]
    return list(args.cases)


def _check_export_arguments(args: argparse.Namespace) -> None:
    if args.all == bool(args.cases):
        raise UserError("Name the case(s) to export, or use --all (not both).")
    if args.out is None and args.out_dir is None:
        raise UserError("Say where to write: --out FILE for one case, --out-dir FOLDER for any.")
    if args.out is not None and (args.all or len(args.cases) > 1):
        raise UserError("--out names one file; use --out-dir FOLDER to export several cases.")


def _tell_protection_once(plaintext: bool) -> None:
    if plaintext:
        from aim3desk.services.exchange import NOT_ENCRYPTED_WARNING

        warn(NOT_ENCRYPTED_WARNING)
    else:
        warn(
            "Give the passphrase to the person who imports the file by another route than the "
            "file itself (for example by phone)."
        )


def _hand_over(session: Session, asked: str, to: str, out: Path) -> str:
    """Hand the case over in a bundle in the folder `out`; the recipient's name."""
    handed = session.bundles.hand_over(asked, to, out)
    recipient = handed.recipients[0].identity
    say(
        f"Handed over case {handed.manifest.case_reference} to {recipient.name} "
        f"({handed.recipients[0].fingerprint}) in {handed.path}."
    )
    return recipient.name


def cmd_export(args: argparse.Namespace) -> int:
    """One case to --out FILE as before, or the named cases (or --all) into --out-dir, in
    one unlock: each file written atomically, a case that fails is told and the rest carry
    on, and an export already in the folder is never overwritten."""
    _check_export_arguments(args)
    out = Path(args.out_dir or args.out).expanduser()
    protection = "NOT encrypted" if args.plaintext else "protected by a passphrase"
    done = failed = 0
    recipient = ""
    with open_session(args) as session:
        asked_for = _cases_to_export(args, session)
        chosen = None
        if not args.to and not args.plaintext:
            from aim3desk.cli.profile import check_strength

            chosen = export_passphrase(args, confirm=True)
            check_strength(chosen, session.practitioner)
        if args.out_dir is not None:
            out.mkdir(parents=True, exist_ok=True)
        for asked in asked_for:
            try:
                if args.to:
                    recipient = _hand_over(session, asked, args.to, out)
                elif args.out_dir is None:
                    case, path = session.exchange.export_case(asked, out, passphrase=chosen)
                    warn_if_name_in_file_name(path, case.young_person_name)
                else:
                    case, path = session.exchange.export_case_into(asked, out, chosen)
            except Exception as exc:  # a case that cannot be exported is told; the rest go on
                sentence = carry_on_sentence(exc)
                if sentence is None or len(asked_for) == 1:
                    raise
                warn(f"{asked}: {sentence}")
                failed += 1
                continue
            done += 1
            if not args.to:
                say(
                    f"Exported case {case.reference} ({len(case.assessments)} assessment(s)) "
                    f"to {path} ({protection})."
                )
    if len(asked_for) != 1:
        say(f"Exported {done} of {len(asked_for)} case(s); {failed} could not be exported.")
    if recipient:
        warn(
            f"Only {recipient} (and you) can open it; they import it with "
            "'aim3desk import FILE'. The case also stays in your profile."
        )
    elif done:
        _tell_protection_once(args.plaintext)
    return EXIT_OK if failed == 0 else EXIT_USER_ERROR


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


_IMPORTABLE_SUFFIXES = (".json", ".age", ".aim3bundle")  # what File > Import offers


def _files_to_import(names: list[str]) -> list[Path]:
    """Each name as a file; a folder as its case files and bundles (not hidden ones), a
    pattern the shell left alone (Windows shells expand none) as its matches, in name order."""
    paths: list[Path] = []
    for name in names:
        path = Path(name).expanduser()
        if path.is_dir():
            paths += sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in _IMPORTABLE_SUFFIXES
                and not p.name.startswith(".")
                and p.is_file()
            )
        elif not path.exists() and glob.has_magic(name):
            matches = sorted(Path(m) for m in glob.glob(str(path)))
            paths += matches or [path]  # no match: told as a file that cannot be read
        else:
            paths.append(path)
    return paths


def cmd_import(args: argparse.Namespace) -> int:
    from aim3desk.services.bundles import looks_like_bundle

    paths = _files_to_import(args.files)
    if not paths:
        raise UserError("There is no case file or bundle to import there.")
    passphrase = _FilePassphrase(args)
    taken = 0
    with open_session(args) as session:
        for path in paths:
            if looks_like_bundle(path):
                taken += tell_outcomes(session.bundles.import_files([path]))
                continue
            try:
                result = _import_case(session, path, passphrase)
            except Exception as exc:  # a bad file is told and the others carry on
                sentence = carry_on_sentence(exc)
                if sentence is None:
                    raise
                warn(f"{path}: {sentence}" if len(paths) > 1 else sentence)
                continue
            taken += 1
            where = f"{path}: " if len(paths) > 1 else ""
            say(
                f"{where}Imported case {result.case.reference} with {result.assessments} "
                "assessment(s)."
            )
    if len(paths) > 1:
        say(f"Imported {taken} of {len(paths)} file(s); {len(paths) - taken} not imported.")
    return EXIT_OK if taken == len(paths) else EXIT_USER_ERROR
