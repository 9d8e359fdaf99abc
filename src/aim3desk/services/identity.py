"""The profile's identity and its contacts (`session.identity`).

Your card is what you give colleagues; their cards become contacts, trusted only after you
have compared the fingerprint with them (`confirm`). A bundle is addressed only to confirmed
contacts and trusted only from them (services/bundles). Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aim3desk.atomic_file import write_bytes_atomically
from aim3desk.domain.identity import (
    CardError,
    Contact,
    PublicIdentity,
    Role,
    card_document,
    card_fields,
    card_signed_bytes,
    normalise_fingerprint,
    parse_role,
    read_card,
)
from aim3desk.domain.limits import MAX_SMALL_FILE_BYTES
from aim3desk.security.identity import SecretIdentity, public_key_pem, signature_matches
from aim3desk.services.recorded_file import write_recorded
from aim3desk.store.errors import DuplicateRecord
from aim3desk.store.unit_of_work import UnitOfWork

AGE_KEY_WARNING = (
    "Warning: this file is your SECRET decryption key. Anyone who has it can open every "
    "bundle addressed to you. Keep it on encrypted, access-controlled storage, give it only "
    "to your IT team for recovery, and delete it when it is no longer needed."
)

# The profile fact holding your contact details (phone, email) for share reports.
CONTACT_DETAILS_FACT = "contact_details"
MAX_CONTACT_DETAILS = 300


class ContactError(CardError):
    """A contact cannot be added, confirmed or used; str() is one sentence for a person."""


@dataclass(frozen=True)
class AddedCard:
    contact: Contact
    new: bool  # False: the same keys were already a contact (name and role refreshed)


class IdentityService:
    def __init__(self, uow: UnitOfWork, actor: str):
        self._uow = uow
        self.actor = actor

    # -- you ------------------------------------------------------------------------------

    def secret(self) -> SecretIdentity:
        with self._uow.read() as tx:
            signing, age_identity = tx.people.secret_identity_text()
        return SecretIdentity.from_stored(signing, age_identity)

    def me(self) -> PublicIdentity:
        secret = self.secret()
        with self._uow.read() as tx:
            facts = tx.profile_facts()
        role = parse_role(facts.get("role", Role.PRACTITIONER.value))
        return PublicIdentity(
            facts.get("practitioner_name", ""), role, secret.signing_public, secret.age_recipient
        )

    def contact_details(self) -> str:
        """How people reach you (phone, email: free text), printed in share reports where the
        reader is told to ask the lead worker. Kept in the encrypted store, never in
        settings.json."""
        with self._uow.read() as tx:
            return tx.profile_facts().get(CONTACT_DETAILS_FACT, "")

    def set_contact_details(self, text: str) -> str:
        """Change your contact details (the audit says they changed, never what they are)."""
        tidy = "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())
        if len(tidy) > MAX_CONTACT_DETAILS:
            raise ValueError(f"Keep your contact details under {MAX_CONTACT_DETAILS} characters.")
        with self._uow.write() as tx:
            if tx.profile_facts().get(CONTACT_DETAILS_FACT, "") == tidy:
                return tidy
            tx.set_profile_fact(CONTACT_DETAILS_FACT, tidy)
            tx.audit(self.actor, "identity.contact_details", "", {"set": bool(tidy)})
        return tidy

    def set_role(self, role: Role | str) -> PublicIdentity:
        role = parse_role(str(role))
        with self._uow.write() as tx:
            tx.set_profile_fact("role", role.value)
            tx.audit(self.actor, "identity.role", "", {"role": role.value})
        return self.me()

    def card_bytes(self) -> bytes:
        """Your card, signed with your key: name, role, both public keys, the fingerprint."""
        me, secret = self.me(), self.secret()
        created = datetime.now(UTC).isoformat(timespec="seconds")
        signature = secret.sign(card_signed_bytes(card_fields(me, created)))
        return card_document(me, created, signature)

    def write_card(self, out_path: Path) -> Path:
        return write_bytes_atomically(Path(out_path), self.card_bytes())

    def signing_key_pem(self, fingerprint: str | None = None) -> str:
        """A signing key as PEM for openssl: yours, or a contact's."""
        if fingerprint is None:
            return public_key_pem(self.secret().signing_public)
        return public_key_pem(self.contact(fingerprint).identity.signing_key)

    def export_age_key(self, out_path: Path) -> Path:
        """Write the secret age identity (the form the `age` command reads); audited."""
        secret = self.secret()
        me = self.me()
        text = (
            f"# AIM3 Desk age identity of {me.name} ({me.fingerprint}). SECRET.\n"
            f"# public key: {secret.age_recipient}\n{secret.age_identity_text}\n"
        )
        # The file and its entry in one transaction: neither is kept without the other.
        _entry, path = write_recorded(
            self._uow,
            Path(out_path),
            text.encode("utf-8"),
            lambda tx: tx.audit(self.actor, "identity.export-age-key", me.fingerprint),
        )
        return path

    # -- contacts -------------------------------------------------------------------------

    def contacts(self) -> list[Contact]:
        with self._uow.read() as tx:
            return tx.people.contacts()

    def contact(self, fingerprint: str) -> Contact:
        fingerprint = normalise_fingerprint(fingerprint)
        with self._uow.read() as tx:
            found = tx.people.contact(fingerprint)
        if found is None:
            raise ContactError(
                f"No contact has the fingerprint {fingerprint}; add their card first."
            )
        return found

    def read_card_file(self, path: Path) -> PublicIdentity:
        """Check a card file (format, fingerprint, its own signature) without adding it."""
        return self._checked_card(_card_file_bytes(path))[0]

    def _checked_card(self, data: bytes) -> tuple[PublicIdentity, str]:
        card = read_card(data)
        if not signature_matches(card.identity.signing_key, card.signature, card.signed_bytes):
            raise ContactError(
                "This contact card has been altered: its signature does not match its keys."
            )
        return card.identity, card.document

    def add_card(self, data: bytes) -> AddedCard:
        """Add a colleague's card as an unconfirmed contact (a newer card of a known
        fingerprint refreshes its name and role and keeps its trust)."""
        person, document = self._checked_card(data)
        if person.fingerprint == self.me().fingerprint:
            raise ContactError("This is your own card; give it to your colleagues instead.")
        now = datetime.now(UTC)
        with self._uow.write() as tx:
            try:
                tx.people.add_contact(person, document, now)
                new = True
            except DuplicateRecord:
                tx.people.replace_card(person, document)
                new = False
            tx.audit(
                self.actor,
                "contact.add" if new else "contact.update",
                person.fingerprint,
                {"role": person.role.value},
            )
            contact = tx.people.contact(person.fingerprint)
        assert contact is not None
        return AddedCard(contact, new)

    def add_card_file(self, path: Path) -> AddedCard:
        return self.add_card(_card_file_bytes(path))  # the CLI and GUI name the path

    def confirm(self, fingerprint: str) -> Contact:
        """Mark a contact trusted: call only after comparing the fingerprint with its owner."""
        contact = self.contact(fingerprint)
        if contact.confirmed:
            return contact
        with self._uow.write() as tx:
            tx.people.confirm(contact.fingerprint, datetime.now(UTC))
            tx.audit(self.actor, "contact.confirm", contact.fingerprint)
            confirmed = tx.people.contact(contact.fingerprint)
        assert confirmed is not None
        return confirmed

    def set_supervisor(self, fingerprint: str, supervisor: bool = True) -> Contact:
        """Name (or stop naming) a confirmed contact as one of your supervisors."""
        contact = self.contact(fingerprint)
        if supervisor and not contact.confirmed:
            raise ContactError(
                f"Confirm {contact.identity.name}'s fingerprint before naming them as your "
                "supervisor."
            )
        with self._uow.write() as tx:
            tx.people.set_supervisor(contact.fingerprint, supervisor)
            tx.audit(
                self.actor, "contact.supervisor", contact.fingerprint, {"supervisor": supervisor}
            )
            changed = tx.people.contact(contact.fingerprint)
        assert changed is not None
        return changed

    def supervisors(self) -> list[Contact]:
        return [c for c in self.contacts() if c.supervisor and c.confirmed]

    def confirmed_recipient(self, fingerprint: str) -> Contact:
        """The contact a bundle may be addressed to: known and confirmed."""
        contact = self.contact(fingerprint)
        if not contact.confirmed:
            raise ContactError(
                f"{contact.identity.name}'s card ({contact.fingerprint}) is not confirmed yet; "
                "compare the fingerprint with them and confirm it before sending them anything."
            )
        return contact


def _card_file_bytes(path: Path) -> bytes:
    """A card file's bytes, no further than one past the limit (read_card refuses more)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(MAX_SMALL_FILE_BYTES + 1)
    except OSError as exc:
        raise ContactError(f"The card {path} cannot be read ({exc.strerror}).") from None
