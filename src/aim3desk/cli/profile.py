"""`aim3desk init`: create a profile, refusing a passphrase that is easy to guess (the same
check guards the passphrase of an export file)."""

from __future__ import annotations

import argparse
import sys

from aim3desk.cli.console import EXIT_OK, UserError, say, warn
from aim3desk.cli.unlock import passphrase, profile_dir
from aim3desk.domain.identity import name_problem


def check_strength(passphrase: str, name: str) -> None:
    from aim3desk.services.passphrase_strength import assess

    strength = assess(passphrase, [name])
    if not strength.acceptable:
        raise UserError(strength.refusal())


def cmd_init(args: argparse.Namespace) -> int:
    from aim3desk.logs import setup_logging
    from aim3desk.services.profile import ProfileService

    folder = profile_dir(args)
    service = ProfileService(folder)
    if service.exists():
        raise UserError(f"A profile already exists at {folder}; it was left as it is.")
    name = (args.name or "").strip()
    if not name and sys.stdin.isatty():
        name = input("Your name (shown as the author of reports): ").strip()
    if not name:
        # No guess (such as the login name): the name is signed into the profile's card and
        # printed as the author of every report, so it is the person's own choice.
        raise UserError(
            "Give your name with --name (it is asked for only at a terminal); it is recorded "
            "as the author of reports and on your card."
        )
    problem = name_problem(name)
    if problem:  # before the passphrase is asked for
        raise UserError(problem)
    chosen = passphrase(args, confirm=True)
    check_strength(chosen, name)
    warn("Creating the profile; strengthening the passphrase takes a moment...")
    session, recovery_key = service.create(chosen, name, role=args.role)
    try:
        setup_logging(folder)
        me = session.identity.me()
        say(f"Created the profile for {name} ({me.role.value}) at {folder}.")
        say(
            f"Your fingerprint: {me.fingerprint} (give colleagues your card: 'aim3desk "
            "identity card --out FILE')."
        )
        say()
        say("RECOVERY KEY (shown only this once):")
        say()
        say(f"    {recovery_key}")
        say()
        say("Write it down or print it now and keep it somewhere safe, away from this computer.")
        say(
            "It is the only way into your records if you forget your passphrase, and anyone "
            "who has it and this profile can read them."
        )
    finally:
        session.close()
    return EXIT_OK
