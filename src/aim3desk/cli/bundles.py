"""`aim3desk bundle`: signed, encrypted bundles between confirmed contacts.

`export` writes the current assessment version of a case for named contacts (prints only the
file written, for scripts), `verify` checks one and says who signed it and for whom, `open`
writes its members out (not encrypted), `import` takes them into this profile, setting a bad
one aside in the quarantine folder while the rest carry on.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, EXIT_USER_ERROR, say, warn
from aim3desk.cli.outputs import output_folder
from aim3desk.cli.unlock import open_session

if TYPE_CHECKING:
    from aim3desk.services.bundles import ImportOutcome, OpenedBundle
    from aim3desk.services.session import Session


def cmd_bundle_export(args: argparse.Namespace) -> int:
    out = output_folder(args, args.out or str(Path.cwd()))
    with open_session(args) as session:
        exported = session.bundles.export_assessment(
            args.case, args.to, out, share_audiences=args.share or (), note=args.note or ""
        )
    names = ", ".join(f"{c.identity.name} ({c.fingerprint})" for c in exported.recipients)
    warn(f"{exported.manifest.title}, signed by you and encrypted for {names}.")
    say(str(exported.path))
    return EXIT_OK


def _person(session: Session, fingerprint: str, me: str) -> str:
    if fingerprint == me:
        return f"you ({fingerprint})"
    from aim3desk.services.identity import ContactError

    try:
        contact = session.identity.contact(fingerprint)
    except ContactError:
        return f"someone not among your contacts ({fingerprint})"
    return f"{contact.identity.name}, {contact.identity.role.value} ({fingerprint})"


def describe(session: Session, opened: OpenedBundle) -> list[str]:
    """What a person checks before trusting a bundle: who signed it, for whom, what it holds."""
    manifest = opened.manifest
    me = session.identity.me().fingerprint
    signer = opened.signer
    if opened.from_me:
        signed = f"you ({signer.fingerprint}): the signature matches your key"
    else:
        signed = (
            f"{signer.name}, {signer.role.value} ({signer.fingerprint}): the signature "
            "matches the key you confirmed for them"
        )
    lines = [
        f"Bundle:       {manifest.title}",
        f"Signed by:    {signed}",
        "For:          " + "; ".join(_person(session, fp, me) for fp in manifest.recipients),
        f"Case:         {manifest.case_reference}",
    ]
    if manifest.assessment_version is not None:
        state = "finished" if manifest.finished else "in progress"
        lines.append(f"Version:      {manifest.assessment_version} ({state})")
    lines.append(f"Created:      {manifest.created}")
    if manifest.supersedes:
        lines.append(f"Supersedes:   bundle {manifest.supersedes}")
    if manifest.escrow_recipient:
        lines.append("Escrow:       also encrypted to the organisation's escrow key")
    if manifest.note:
        lines.append(f"Note:         {manifest.note}")
    lines.append("Members (each SHA-256 checked):")
    width = max((len(m.name) for m in manifest.members), default=0)
    lines += [
        f"  {m.name.ljust(width)}  {m.size:>12,} bytes  sha256 {m.sha256}" for m in manifest.members
    ]
    return lines


def cmd_bundle_verify(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        opened = session.bundles.open_file(Path(args.file).expanduser())
        lines = describe(session, opened)
    for line in lines:
        say(line)
    return EXIT_OK


def cmd_bundle_open(args: argparse.Namespace) -> int:
    from aim3desk.services.bundles import MEMBERS_NOT_ENCRYPTED_WARNING

    with open_session(args) as session:
        opened = session.bundles.open_file(Path(args.file).expanduser())
        written = session.bundles.write_members(opened, Path(args.out).expanduser())
    for path in written:
        say(str(path))
    warn(MEMBERS_NOT_ENCRYPTED_WARNING)
    return EXIT_OK


def tell_outcomes(outcomes: Iterable[ImportOutcome]) -> bool:
    """One line per file: imported or already held on stdout, set aside on stderr; True if
    none was set aside."""
    all_taken = True
    for outcome in outcomes:
        where = f"{outcome.path}: " if outcome.path else ""
        if outcome.status != "quarantined":
            say(where + outcome.message)
            continue
        all_taken = False
        kept = (
            f" A copy of the file as received is in {outcome.quarantined_as}."
            if outcome.quarantined_as
            else ""
        )
        warn(f"{where}set aside: {outcome.refusal}{kept}")
    return all_taken


def cmd_bundle_import(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        outcomes = session.bundles.import_files(Path(f).expanduser() for f in args.files)
    return EXIT_OK if tell_outcomes(outcomes) else EXIT_USER_ERROR
