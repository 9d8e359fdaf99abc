"""`aim3desk identity`: who this profile is to colleagues: its name, role, fingerprint and
public keys (`show`), its card for them (`card`), its role (`role`), your contact details
printed in share reports (`contact`), and, for IT, its secret age identity
(`export-age-key`) so the standard `age` command can open its bundles."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, UserError, say, warn
from aim3desk.cli.outputs import output_file
from aim3desk.cli.unlock import open_session

if TYPE_CHECKING:
    from aim3desk.domain.identity import PublicIdentity

ROLES = ("practitioner", "supervisor", "manager")


def new_file(args: argparse.Namespace) -> Path:
    """The --out path, which must not exist yet: a card or key file is never replaced."""
    path = Path(args.out).expanduser()
    if path.exists() or path.is_symlink():
        raise UserError(f"{path} already exists; it was left as it is. Choose another name.")
    return output_file(args, args.out)


def identity_lines(person: PublicIdentity) -> list[str]:
    return [
        f"Name:         {person.name}",
        f"Role:         {person.role.value}",
        f"Fingerprint:  {person.fingerprint}",
        f"Age key:      {person.age_recipient}",
    ]


def cmd_identity_show(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        me = session.identity.me()
        pem = session.identity.signing_key_pem()
    if args.json:
        document = {
            "name": me.name,
            "role": me.role.value,
            "fingerprint": me.fingerprint,
            "age_recipient": me.age_recipient,
            "signing_key": me.signing_key_text,
            "signing_key_pem": pem,
        }
        say(json.dumps(document, ensure_ascii=False, indent=2))
        return EXIT_OK
    for line in identity_lines(me):
        say(line)
    return EXIT_OK


def cmd_identity_card(args: argparse.Namespace) -> int:
    out = new_file(args)
    with open_session(args) as session:
        me = session.identity.me()
        path = session.identity.write_card(out)
    say(f"Wrote the card of {me.name} ({me.role.value}) to {path}.")
    warn(
        f"Give it to your colleagues; each of them should compare the fingerprint {me.fingerprint} "
        "with you (in person or on the phone) before confirming it."
    )
    return EXIT_OK


def cmd_identity_export_age_key(args: argparse.Namespace) -> int:
    from aim3desk.services.identity import AGE_KEY_WARNING

    out = new_file(args)
    with open_session(args) as session:
        path = session.identity.export_age_key(out)
    say(f"Wrote your secret age identity to {path}.")
    warn(AGE_KEY_WARNING)
    return EXIT_OK


def cmd_identity_role(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        me = session.identity.set_role(args.role)
    say(f"Your role is now {me.role.value}; cards you give from now on say so.")
    return EXIT_OK


def cmd_identity_contact(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        if args.details is None:
            details = session.identity.contact_details()
            say(details or "No contact details recorded: set them with --set.")
            return EXIT_OK
        try:
            details = session.identity.set_contact_details(args.details)
        except ValueError as problem:
            raise UserError(str(problem)) from None
    say("Your contact details are now: " + details if details else "Contact details cleared.")
    return EXIT_OK
