"""Who a person is to the app: their public keys, their card and the fingerprint they compare.

A profile holds two key pairs (security/identity.py keeps the secret halves): an Ed25519 key
that signs what the person sends, and an age X25519 key that bundles are encrypted to. The
public halves travel on a **card** (a small JSON file). A card proves nothing by itself; a
colleague trusts it only after comparing its **fingerprint** with its owner, aloud or on the
phone. The fingerprint covers both keys, so neither can be swapped without it changing; the
name and role on a card are bound to the keys by the card's own signature.

Pure: hashing and JSON only. The card's signature is checked by the services with the
security layer; this module only says which bytes are signed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from aim3desk.domain.limits import MAX_SMALL_FILE_BYTES
from aim3desk.domain.outside_input import OutsideInputError, read_json

CARD_FORMAT = "aim3desk-card"
CARD_VERSION = 1
CARD_SUFFIX = ".aim3card"
SIGNING_KEY_BYTES = 32
SIGNATURE_BYTES = 64
MAX_NAME_CHARS = 200

# Crockford's base32: no I, L, O or U, so what is read aloud cannot be misheard as another
# character; 20 characters in groups of four carry 100 bits of the hash.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_FINGERPRINT_CHARS = 20
_GROUP = 4
_FINGERPRINT_DOMAIN = b"aim3desk identity fingerprint v1\x00"
_MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0"})
# An age X25519 recipient: "age1" and 58 bech32 characters.
_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")


class CardError(ValueError):
    """A card or fingerprint cannot be used; str() is one sentence for a person."""


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise CardError(f"'{text}' is not a role; choose one of {choices}.") from None


def fingerprint_of(signing_key: bytes, age_recipient: str) -> str:
    """The short, speakable fingerprint of a pair of public keys: 'ABCD-EFGH-JKMN-PQRS-TVWX'."""
    digest = hashlib.sha256(
        _FINGERPRINT_DOMAIN + signing_key + age_recipient.encode("ascii")
    ).digest()
    bits = int.from_bytes(digest, "big") >> (256 - 5 * _FINGERPRINT_CHARS)
    chars = [_ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(_FINGERPRINT_CHARS))]
    return "-".join("".join(chars[i : i + _GROUP]) for i in range(0, _FINGERPRINT_CHARS, _GROUP))


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed (any case, with or without dashes or spaces, O for 0 and I or L
    for 1) in its printed form; CardError if it cannot be one."""
    compact = re.sub(r"[\s\-]", "", text).upper().translate(_MISREAD)
    if len(compact) != _FINGERPRINT_CHARS or any(c not in _ALPHABET for c in compact):
        raise CardError(
            f"'{text.strip()}' is not a fingerprint: a fingerprint is 20 letters and digits "
            "in five groups of four, for example 7K3Q-M2XA-9DPC-R4TW-HB6N."
        )
    return "-".join(compact[i : i + _GROUP] for i in range(0, _FINGERPRINT_CHARS, _GROUP))


@dataclass(frozen=True)
class PublicIdentity:
    """A person as others see them: a name and role, and their two public keys."""

    name: str
    role: Role
    signing_key: bytes  # Ed25519 public key, 32 raw bytes
    age_recipient: str  # "age1..."

    def __post_init__(self) -> None:
        if len(self.signing_key) != SIGNING_KEY_BYTES:
            raise CardError("The card's signing key is not an Ed25519 public key.")
        if not _AGE_RECIPIENT.fullmatch(self.age_recipient):
            raise CardError("The card's encryption key is not an age X25519 recipient.")
        if not self.name.strip() or len(self.name) > MAX_NAME_CHARS:
            raise CardError("The card has no name, or one too long to be a name.")

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.signing_key, self.age_recipient)

    @property
    def signing_key_text(self) -> str:
        return base64.b64encode(self.signing_key).decode("ascii")


@dataclass(frozen=True)
class Contact:
    """A colleague's card held in this profile. Trusted only once confirmed."""

    identity: PublicIdentity
    added_at: datetime
    confirmed_at: datetime | None = None
    supervisor: bool = False  # one of this practitioner's supervisors

    @property
    def fingerprint(self) -> str:
        return self.identity.fingerprint

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


# -- the card file -------------------------------------------------------------------


def canonical_json(value: object) -> bytes:
    """The one byte form of a signed JSON value: sorted keys, no spaces, ASCII."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def card_fields(identity: PublicIdentity, created: str) -> dict[str, object]:
    """Everything on a card except its signature; the signature covers these bytes."""
    return {
        "format": CARD_FORMAT,
        "version": CARD_VERSION,
        "name": identity.name,
        "role": identity.role.value,
        "signing_key": identity.signing_key_text,
        "age_recipient": identity.age_recipient,
        "fingerprint": identity.fingerprint,
        "created": created,
    }


def card_signed_bytes(fields: dict[str, object]) -> bytes:
    return canonical_json({k: v for k, v in fields.items() if k != "signature"})


def card_document(identity: PublicIdentity, created: str, signature: bytes) -> bytes:
    document = {
        **card_fields(identity, created),
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )


@dataclass(frozen=True)
class ReadCard:
    """A card as read from a file: its identity, and what its signature must cover."""

    identity: PublicIdentity
    signed_bytes: bytes
    signature: bytes
    document: str


def read_card(data: bytes, source: str = "This file") -> ReadCard:
    """Parse a card file (`source`: its name as the user gave it); CardError naming what is
    wrong. The signature is not checked here."""
    if len(data) > MAX_SMALL_FILE_BYTES:
        raise CardError(f"{source} is too large to be a contact card.")
    try:
        document = read_json(data, source, MAX_SMALL_FILE_BYTES)
    except OutsideInputError as exc:
        raise CardError(
            f"{source} is not a contact card: {exc.problem}{exc.place_words}."
        ) from None
    if not isinstance(document, dict) or document.get("format") != CARD_FORMAT:
        raise CardError("This file is not an AIM3 Desk contact card.")
    if document.get("version") != CARD_VERSION:
        raise CardError(
            "This card was made by a newer version of AIM3 Desk; install the latest version."
        )
    try:
        name, role, key_text = document["name"], document["role"], document["signing_key"]
        recipient, stated, signature_text = (
            document["age_recipient"],
            document["fingerprint"],
            document["signature"],
        )
        if not all(
            isinstance(v, str) for v in (name, role, key_text, recipient, stated, signature_text)
        ):
            raise TypeError
        signing_key = base64.b64decode(key_text, validate=True)
        signature = base64.b64decode(signature_text, validate=True)
    except (KeyError, TypeError, ValueError):  # binascii.Error, and text that is not ASCII
        raise CardError("This contact card is damaged: a field is missing or unreadable.") from None
    identity = PublicIdentity(name.strip(), parse_role(role), signing_key, recipient)
    if normalise_fingerprint(stated) != identity.fingerprint:
        raise CardError(
            "This contact card is damaged or altered: its fingerprint does not match its keys."
        )
    if len(signature) != SIGNATURE_BYTES:
        raise CardError("This contact card is damaged: its signature is unreadable.")
    return ReadCard(identity, card_signed_bytes(document), signature, data.decode("utf-8"))
