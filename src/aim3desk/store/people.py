"""The profile's own keys and its contacts (tables identity and contacts, migration 0005)."""

from __future__ import annotations

import base64
from datetime import datetime

from sqlalchemy import Connection, Row, insert, select, update

from aim3desk.domain.identity import Contact, PublicIdentity, parse_role
from aim3desk.store.errors import DuplicateRecord
from aim3desk.store.schema import contacts, identity


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _contact(row: Row) -> Contact:
    person = PublicIdentity(
        row.name, parse_role(row.role), base64.b64decode(row.signing_key), row.age_recipient
    )
    added = _time(row.added_at)
    assert added is not None
    return Contact(person, added, _time(row.confirmed_at), bool(row.supervisor))


class PeopleRepository:
    """Reads and changes on a caller's Connection (a change and its audit entry share one
    transaction)."""

    def __init__(self, conn: Connection):
        self._conn = conn

    def secret_identity_text(self) -> tuple[str, str]:
        """The stored (signing key, age identity) text of this profile."""
        row = self._conn.execute(select(identity.c.signing_key, identity.c.age_identity)).one()
        return row.signing_key, row.age_identity

    def contacts(self) -> list[Contact]:
        rows = self._conn.execute(select(contacts).order_by(contacts.c.name)).all()
        return [_contact(r) for r in rows]

    def contact(self, fingerprint: str) -> Contact | None:
        row = self._conn.execute(
            select(contacts).where(contacts.c.fingerprint == fingerprint)
        ).one_or_none()
        return _contact(row) if row else None

    def contact_card(self, fingerprint: str) -> str | None:
        return self._conn.execute(
            select(contacts.c.card).where(contacts.c.fingerprint == fingerprint)
        ).scalar_one_or_none()

    def add_contact(self, person: PublicIdentity, card: str, added_at: datetime) -> None:
        if self.contact(person.fingerprint) is not None:
            raise DuplicateRecord(f"contact {person.fingerprint}")
        self._conn.execute(
            insert(contacts).values(
                fingerprint=person.fingerprint,
                name=person.name,
                role=person.role.value,
                signing_key=person.signing_key_text,
                age_recipient=person.age_recipient,
                card=card,
                added_at=added_at.isoformat(timespec="seconds"),
                confirmed_at=None,
                supervisor=False,
            )
        )

    def replace_card(self, person: PublicIdentity, card: str) -> None:
        """A newer card of the same keys: name and role may change; trust does not."""
        self._conn.execute(
            update(contacts)
            .where(contacts.c.fingerprint == person.fingerprint)
            .values(name=person.name, role=person.role.value, card=card)
        )

    def confirm(self, fingerprint: str, at: datetime) -> None:
        self._conn.execute(
            update(contacts)
            .where(contacts.c.fingerprint == fingerprint)
            .values(confirmed_at=at.isoformat(timespec="seconds"))
        )

    def set_supervisor(self, fingerprint: str, supervisor: bool) -> None:
        self._conn.execute(
            update(contacts)
            .where(contacts.c.fingerprint == fingerprint)
            .values(supervisor=supervisor)
        )
