"""`aim3desk escrow recover`: IT opens a profile with the organisation's escrow key (the
secret key kept offline, an age identity file as `age-keygen` writes it) and sets a new
passphrase and a new recovery key. The practitioner is told at their next unlock."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, UserError, say, warn
from aim3desk.cli.profile import check_strength
from aim3desk.cli.unlock import passphrase, profile_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    MakeCommand = Callable[[Commands, str, str], argparse.ArgumentParser]

_MAX_IDENTITY_FILE_BYTES = 64 * 1024


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "unknown"


def _org_identity_text(name: str) -> str:
    path = Path(name).expanduser()
    data = path.read_bytes()  # a missing file is worded by the error table
    try:
        if len(data) > _MAX_IDENTITY_FILE_BYTES:
            raise ValueError("too large")
        return data.decode("utf-8")
    except ValueError:
        raise UserError(
            f"{path} is not an age identity file (the organisation's secret key as written by "
            "age-keygen, with a line starting AGE-SECRET-KEY-1)."
        ) from None


def cmd_escrow_recover(args: argparse.Namespace) -> int:
    from aim3desk.logs import setup_logging
    from aim3desk.services.profile import ProfileService

    folder = profile_dir(args)
    service = ProfileService(folder)
    if not service.exists():
        raise UserError(f"No profile at {folder}: check the folder given with --profile.")
    identity_text = _org_identity_text(args.org_identity)
    service.check_escrow_key(identity_text)  # before asking for a passphrase
    setup_logging(folder)
    os_user = _os_user()
    warn("The organisation's key opens this profile. Choose the practitioner's new passphrase.")
    chosen = passphrase(args, confirm=True)
    check_strength(chosen, os_user)
    warn("Setting the new passphrase and recovery key; strengthening takes a moment...")
    recovery_key = service.recover_with_escrow(identity_text, chosen, os_user)
    say(f"Recovered the profile at {folder} with the organisation's escrow key.")
    say("Its passphrase is now the one you gave; the old passphrase and recovery key no longer")
    say("open it.")
    say()
    say("NEW RECOVERY KEY (shown only this once):")
    say()
    say(f"    {recovery_key}")
    say()
    say(
        "Give the practitioner the new passphrase and this recovery key in person. At their "
        "next unlock they are told that the organisation opened the profile and asked to "
        "choose a passphrase of their own. This recovery is recorded in the audit trail."
    )
    return EXIT_OK


def add_escrow_commands(group: Commands, command: MakeCommand) -> None:
    """The actions under `aim3desk escrow` (`command` makes one, as parser.py does)."""
    recover = command(
        group,
        "recover",
        "open a profile with the organisation's escrow key and set a new passphrase and "
        "recovery key",
    )
    # Also accepted after the action, as IT's instructions write them; the global options
    # keep their values when these are not given.
    recover.add_argument(
        "--profile", metavar="DIR", default=argparse.SUPPRESS, help="the profile folder"
    )
    recover.add_argument(
        "--org-identity",
        required=True,
        metavar="FILE",
        help="the organisation's secret key: an age identity file written by age-keygen",
    )
    recover.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="read the NEW passphrase from the first line of FILE ('-' for standard input)",
    )
    recover.set_defaults(handler=cmd_escrow_recover)
