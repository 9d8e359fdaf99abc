"""A profile's secret identity, signatures, and age encryption.

Ed25519 (`cryptography`) signs; age (`pyrage`, the maintained binding of rage, the Rust age
implementation) encrypts, so a bundle opens with the standard `age` command and its
signature verifies with `openssl pkeyutl -verify -rawin`. Nothing here is hand-rolled.

The secret halves live only inside the encrypted store (migration 0005 makes them); this
module turns their stored text into keys and back.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

AGE_HEADER = b"age-encryption.org/v1\n"
_PASSPHRASE_STANZA = b"\n-> scrypt "


class AgeError(Exception):
    """An age file cannot be opened; str() is one sentence for a person."""


class NotForThisKey(AgeError):  # noqa: N818 - reads as what happened
    """None of the file's recipients is this key (or its own stanza was damaged)."""


class DamagedAgeFile(AgeError):  # noqa: N818 - reads as what happened
    """The file is not a whole, unaltered age file."""


class WrongFilePassphrase(AgeError):  # noqa: N818 - reads as what happened
    """A passphrase-protected file did not open with the passphrase given."""


@dataclass(frozen=True)
class SecretIdentity:
    """The secret halves of a profile's identity. Never written outside the encrypted store,
    except the age identity on explicit request (`identity export-age-key`)."""

    signing: Ed25519PrivateKey
    age_identity: pyrage.x25519.Identity

    @classmethod
    def generate(cls) -> SecretIdentity:
        return cls(Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate())

    @classmethod
    def from_stored(cls, signing_key_text: str, age_identity_text: str) -> SecretIdentity:
        raw = base64.b64decode(signing_key_text, validate=True)
        return cls(
            Ed25519PrivateKey.from_private_bytes(raw),
            pyrage.x25519.Identity.from_str(age_identity_text),
        )

    def stored(self) -> tuple[str, str]:
        """The (signing key, age identity) text kept in the encrypted store."""
        raw = self.signing.private_bytes_raw()
        return base64.b64encode(raw).decode("ascii"), str(self.age_identity)

    @property
    def signing_public(self) -> bytes:
        return self.signing.public_key().public_bytes_raw()

    @property
    def age_recipient(self) -> str:
        return str(self.age_identity.to_public())

    @property
    def age_identity_text(self) -> str:
        """The secret age identity ("AGE-SECRET-KEY-1..."), the form the age command reads."""
        return str(self.age_identity)

    def sign(self, data: bytes) -> bytes:
        return self.signing.sign(data)

    def decrypt(self, data: bytes) -> bytes:
        return decrypt_with(data, self.age_identity)


def signature_matches(public_key: bytes, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def public_key_pem(public_key: bytes) -> str:
    """The signing key as SubjectPublicKeyInfo PEM, the form openssl reads."""
    key = Ed25519PublicKey.from_public_bytes(public_key)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def check_age_recipient(text: str) -> str:
    """`text` if it is an age X25519 recipient; ValueError otherwise."""
    try:
        pyrage.x25519.Recipient.from_str(text.strip())
    except pyrage.RecipientError:
        raise ValueError(f"'{text}' is not an age public key (age1...).") from None
    return text.strip()


def encrypt_to(data: bytes, recipients: list[str]) -> bytes:
    """`data` as an age file that any of `recipients` (age1... strings) can open."""
    keys = [pyrage.x25519.Recipient.from_str(r) for r in dict.fromkeys(recipients)]
    return pyrage.encrypt(data, keys)


def decrypt_with(data: bytes, identity: pyrage.x25519.Identity) -> bytes:
    if not data.startswith(AGE_HEADER):
        raise DamagedAgeFile("This is not an encrypted AIM3 Desk file (no age header).")
    try:
        return pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise NotForThisKey(
                "This file is not addressed to you: none of its recipients is this profile's "
                "key (or the part addressed to you was damaged)."
            ) from None
        raise DamagedAgeFile(
            "This file is damaged or has been altered, so it was not opened."
        ) from None


def is_age_file(head: bytes) -> bool:
    return head.startswith(AGE_HEADER)


def is_passphrase_file(data: bytes) -> bool:
    """An age file protected by a passphrase (its one stanza is scrypt)."""
    return is_age_file(data) and _PASSPHRASE_STANZA in data[: data.find(b"\n---") + 1]


def encrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    return pyrage.passphrase.encrypt(data, passphrase)


def decrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    if not is_age_file(data):
        raise DamagedAgeFile("This is not an encrypted AIM3 Desk file (no age header).")
    try:
        return pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as exc:
        if "Decryption failed" in str(exc):
            raise WrongFilePassphrase(
                "That passphrase does not open this file; check it with the person who "
                "exported it (if it is right, the file itself may be damaged)."
            ) from None
        raise DamagedAgeFile(
            "This file is damaged or has been altered, so it was not opened."
        ) from None
