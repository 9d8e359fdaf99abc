"""Operations on your identity and your contacts, through `session.identity`.

Nothing an open case view shows depends on them, so the changes they publish are empty; the
contacts page reads the people again after each of its own changes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.domain.identity import CardError
from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.domain.identity import Contact, PublicIdentity, Role
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

NOTHING_SHOWN = Changes()


@dataclass(frozen=True)
class People:
    """You and the colleagues whose cards you hold."""

    me: PublicIdentity
    contacts: list[Contact]

    @property
    def confirmed(self) -> list[Contact]:
        return [c for c in self.contacts if c.confirmed]


@dataclass(frozen=True)
class CardAdded:
    """What became of one card file: the contact it made or refreshed, or why it was not
    added (a sentence for a person)."""

    path: Path
    contact: Contact | None = None
    new: bool = False
    problem: str = ""


def read_people(runner: TaskRunner, session: Session) -> Query[People]:
    identity = session.identity
    return Query(
        runner, lambda: People(identity.me(), identity.contacts()), "reading your contacts"
    )


def set_role(runner: TaskRunner, session: Session, role: Role) -> Change[PublicIdentity]:
    identity = session.identity
    return Change(runner, lambda: identity.set_role(role), "changing your role", NOTHING_SHOWN)


def save_card(
    runner: TaskRunner, session: Session, path: Path, replace: bool = False
) -> Query[Path]:
    """Write your card to a file (it holds no secret; nothing in the store changes); an
    existing file is replaced only with `replace` (the person agreed)."""
    identity = session.identity
    return Query(runner, lambda: identity.write_card(path, replace=replace), "saving your card")


def add_cards(runner: TaskRunner, session: Session, paths: list[Path]) -> Change[list[CardAdded]]:
    """Add each card file as an unconfirmed contact; a card that cannot be used is reported
    and the others are still added."""
    identity = session.identity

    def add() -> list[CardAdded]:
        results = []
        for path in paths:
            try:
                added = identity.add_card_file(path)
            except CardError as exc:  # the services' ContactError too
                results.append(CardAdded(path, problem=str(exc)))
            else:
                results.append(CardAdded(path, added.contact, added.new))
        return results

    return Change(runner, add, "adding cards", NOTHING_SHOWN)


def confirm_contact(runner: TaskRunner, session: Session, fingerprint: str) -> Change[Contact]:
    identity = session.identity
    return Change(
        runner, lambda: identity.confirm(fingerprint), "confirming the contact", NOTHING_SHOWN
    )


def set_supervisor(
    runner: TaskRunner, session: Session, fingerprint: str, supervisor: bool
) -> Change[Contact]:
    identity = session.identity
    return Change(
        runner,
        lambda: identity.set_supervisor(fingerprint, supervisor),
        "naming your supervisor",
        NOTHING_SHOWN,
    )


def read_contact_details(runner: TaskRunner, session: Session) -> Query[str]:
    identity = session.identity
    return Query(runner, identity.contact_details, "reading your contact details")


def set_contact_details(runner: TaskRunner, session: Session, text: str) -> Change[str]:
    """Your phone and email for share reports (kept in the encrypted store)."""
    identity = session.identity
    return Change(
        runner,
        lambda: identity.set_contact_details(text),
        "saving your contact details",
        NOTHING_SHOWN,
    )
