"""Which profile a command uses and where its passphrase comes from, and the one way a
command opens (and always closes) a session; also where the passphrase protecting an export
file comes from (never the profile's own passphrase, never an argument)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.console import UserError, warn

if TYPE_CHECKING:
    from aim3desk.services.session import Session

PASSPHRASE_ENV = "AIM3DESK_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret
PROFILE_ENV = "AIM3DESK_PROFILE"
EXPORT_PASSPHRASE_ENV = "AIM3DESK_EXPORT_PASSPHRASE"  # noqa: S105 - a name, not a secret


def profile_dir(args: argparse.Namespace) -> Path:
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


def _prompt_passphrase(confirm: bool, prompt: str = "Passphrase: ") -> str:
    import getpass

    passphrase = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type the passphrase again: ") != passphrase:
        raise UserError("The two passphrases are different; nothing was changed.")
    if not passphrase:
        raise UserError("No passphrase was typed.")
    return passphrase


def passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    """From --passphrase-file, else AIM3DESK_PASSPHRASE, else a prompt on a terminal."""
    if args.passphrase_file:
        return _read_passphrase_file(args.passphrase_file)
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return _prompt_passphrase(confirm)
    raise UserError(f"No passphrase was given: use --passphrase-file FILE or set {PASSPHRASE_ENV}.")


def export_passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    """The passphrase of an export file: from --export-passphrase-file, else
    AIM3DESK_EXPORT_PASSPHRASE, else a prompt on a terminal (twice when writing one)."""
    name = getattr(args, "export_passphrase_file", None)
    if name:
        if name == "-" and args.passphrase_file == name:
            raise UserError(
                "Only one passphrase can come from standard input: give the profile's or the "
                "export file's passphrase in a file instead."
            )
        return _read_passphrase_file(name)
    from_env = os.environ.get(EXPORT_PASSPHRASE_ENV)
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return _prompt_passphrase(confirm, "Passphrase for the export file: ")
    raise UserError(
        "No passphrase for the export file was given: use --export-passphrase-file FILE or "
        f"set {EXPORT_PASSPHRASE_ENV}."
    )


@contextmanager
def open_session(args: argparse.Namespace) -> Iterator[Session]:
    """Unlock the profile for one command and always close it."""
    from aim3desk.logs import setup_logging
    from aim3desk.services.profile import ProfileService

    folder = profile_dir(args)
    service = ProfileService(folder)
    if not service.exists():
        raise UserError(f"No profile at {folder}. Run 'aim3desk init' first.")
    setup_logging(folder)
    session = service.unlock(passphrase(args))
    try:
        for problem in session.settings.problems:
            warn(f"Note: {problem}")
        for notice in session.unlock_notices:  # told once, like the app's message box
            warn(notice)
        session.unlock_notices.clear()
        yield session
    finally:
        session.close()
