"""The command line's side of the output-path rule (aim3desk/output_path.py): the path given
with --out is checked before the passphrase is asked for and before any work, and an existing
file is replaced only with --force. The services check again as they write."""

from __future__ import annotations

import argparse
from pathlib import Path

from aim3desk.cli.console import UserError
from aim3desk.cli.unlock import profile_dir
from aim3desk.output_path import (
    OutputExists,
    OutputRefused,
    check_output_file,
    check_output_folder,
    make_output_folder,
)

FORCE_HINT = "Give --force to replace it."


def refusal_sentence(exc: OutputRefused) -> str:
    """The refusal as the command line says it: how to agree to replace an existing file."""
    return f"{exc} {FORCE_HINT}" if isinstance(exc, OutputExists) else str(exc)


def output_file(args: argparse.Namespace, name: str) -> Path:
    """The file named by --out, checked: a new name, or an ordinary file with --force."""
    path = Path(name).expanduser()
    try:
        return check_output_file(path, profile_dir(args), replace=getattr(args, "force", False))
    except OutputRefused as exc:
        raise UserError(refusal_sentence(exc)) from None


def output_file_or_folder(args: argparse.Namespace, name: str) -> Path:
    """--out naming a folder (the file is named later, from the case) or a file."""
    path = Path(name).expanduser()
    if path.is_dir():
        try:
            return check_output_folder(path, profile_dir(args))
        except OutputRefused as exc:
            raise UserError(str(exc)) from None
    return output_file(args, name)


def output_folder(args: argparse.Namespace, name: str, *, make: bool = False) -> Path:
    """The folder named by --out or --out-dir, outside the profile folder; made if `make`."""
    path = Path(name).expanduser()
    try:
        if make:
            return make_output_folder(path, profile_dir(args))
        return check_output_folder(path, profile_dir(args))
    except OutputRefused as exc:
        raise UserError(str(exc)) from None
