"""`aim3desk contacts`: colleagues' cards. A card is added unconfirmed; only after its
fingerprint has been compared with its owner is it confirmed, and only then will bundles be
addressed to, or accepted from, that key."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.console import EXIT_OK, EXIT_USER_ERROR, say, say_table, warn
from aim3desk.cli.errors import carry_on_sentence
from aim3desk.cli.unlock import open_session

if TYPE_CHECKING:
    from aim3desk.domain.identity import Contact


def _who(contact: Contact) -> str:
    return f"{contact.identity.name} ({contact.identity.role.value})"


def cmd_contacts_add(args: argparse.Namespace) -> int:
    failed = False
    unconfirmed: list[Contact] = []
    with open_session(args) as session:
        for name in args.files:
            path = Path(name).expanduser()
            try:
                added = session.identity.add_card_file(path)
            except Exception as exc:  # a bad card is told and the others carry on
                sentence = carry_on_sentence(exc)
                if sentence is None:
                    raise
                warn(f"{path}: {sentence}")
                failed = True
                continue
            contact = added.contact
            what = "Added" if added.new else "Updated the card of"
            state = "confirmed" if contact.confirmed else "NOT confirmed yet"
            say(f"{what} {_who(contact)}, fingerprint {contact.fingerprint}: {state}.")
            if not contact.confirmed:
                unconfirmed.append(contact)
    for contact in unconfirmed:
        warn(
            f"Compare the fingerprint {contact.fingerprint} with {contact.identity.name} "
            "in person or on the phone (not by e-mail), then run 'aim3desk contacts confirm "
            f"{contact.fingerprint}'."
        )
    return EXIT_USER_ERROR if failed else EXIT_OK


def cmd_contacts_confirm(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        before = session.identity.contact(args.fingerprint)
        contact = session.identity.confirm(before.fingerprint)
    if before.confirmed:
        say(f"{_who(contact)}, fingerprint {contact.fingerprint}, was already confirmed.")
    else:
        say(
            f"Confirmed {_who(contact)}, fingerprint {contact.fingerprint}: bundles can now be "
            "sent to them and accepted from them."
        )
    return EXIT_OK


def _contact_document(contact: Contact, signing_key_pem: str) -> dict[str, object]:
    return {
        "name": contact.identity.name,
        "role": contact.identity.role.value,
        "fingerprint": contact.fingerprint,
        "confirmed": contact.confirmed,
        "supervisor": contact.supervisor,
        "added_at": contact.added_at.isoformat(timespec="seconds"),
        "confirmed_at": contact.confirmed_at.isoformat(timespec="seconds")
        if contact.confirmed_at
        else None,
        "age_recipient": contact.identity.age_recipient,
        "signing_key": contact.identity.signing_key_text,
        "signing_key_pem": signing_key_pem,
    }


def cmd_contacts_list(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        contacts = session.identity.contacts()
        if args.json:
            documents = [
                _contact_document(c, session.identity.signing_key_pem(c.fingerprint))
                for c in contacts
            ]
            say(json.dumps(documents, ensure_ascii=False, indent=2))
            return EXIT_OK
    if not contacts:
        say("No contacts yet. Add a colleague's card with 'aim3desk contacts add FILE'.")
        return EXIT_OK
    rows = [
        (
            c.identity.name,
            c.identity.role.value,
            c.fingerprint,
            "yes" if c.confirmed else "NO",
            "yes" if c.supervisor else "-",
        )
        for c in contacts
    ]
    say_table(("NAME", "ROLE", "FINGERPRINT", "CONFIRMED", "SUPERVISOR"), rows)
    return EXIT_OK


def cmd_contacts_supervisor(args: argparse.Namespace) -> int:
    with open_session(args) as session:
        contact = session.identity.set_supervisor(args.fingerprint, not args.remove)
    if args.remove:
        say(f"{_who(contact)} is no longer one of your supervisors.")
    else:
        say(f"{_who(contact)} is now one of your supervisors.")
    return EXIT_OK
