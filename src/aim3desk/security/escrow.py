"""The organisation's escrow slot of a key file: the data key sealed to an age public key.

The council is the data controller: when a practitioner leaves, or forgets both passphrase
and recovery key, IT opens the slot with the secret key it keeps offline. What is sealed is
not the bare key but a small canonical JSON naming the format and the profile, so a slot
copied into another profile's key file is recognised and refused.

The header field (``escrow`` in profile.key)::

    {"type": "age-x25519", "recipient": "age1...", "sealed": "<base64 age file>",
     "sealed_at": "<UTC ISO time>", "mac": "<base64 HMAC-SHA256>"}

The key file's checksum is not keyed, so anyone who can write the file could rewrite the
recipient to make a stale slot look current. ``mac`` is keyed by the data key: at unlock a
slot whose mac does not verify is treated as missing and sealed again. A field whose ``type``
this version does not know (a later app's) is kept untouched and never used or replaced.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pyrage
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from aim3desk.domain.limits import MAX_SMALL_FILE_BYTES
from aim3desk.domain.outside_input import read_json
from aim3desk.security.errors import DamagedKeyFile, KeyFileError
from aim3desk.security.identity import AGE_HEADER

ESCROW_TYPE = "age-x25519"
PAYLOAD_FORMAT = "aim3desk-escrow"
PAYLOAD_VERSION = 1
SECRET_KEY_PREFIX = "AGE-SECRET-KEY-1"  # noqa: S105 - the line marker, not a key
_FIELDS = frozenset({"type", "recipient", "sealed", "sealed_at", "mac"})
_MAC_INFO = b"aim3desk-keyfile v1 escrow mac "
_MAC_BYTES = 32
_MAX_SEALED_BYTES = 16 * 1024
_MAX_IDENTITY_FILE_BYTES = 64 * 1024


# ruff: noqa: N818  (the error names read as what happened, like those in errors.py)


class EscrowError(KeyFileError):
    """The escrow slot cannot be used to open this profile; str() is one sentence."""


class NoEscrowSlot(EscrowError):
    default_message = (
        "This profile was never sealed to your organisation's key, so the escrow key cannot "
        "open it (its machine policy had no escrow_recipient when it was last unlocked)."
    )


class WrongEscrowKey(EscrowError):
    def __init__(self, recipient: str) -> None:
        super().__init__(
            "This key is not the one the profile was sealed to; it was sealed to "
            f"{recipient}. Use the secret key whose public key that is.",
            detail="no matching age recipient",
        )


class EscrowMismatch(EscrowError):
    default_message = (
        "The escrow slot opened but belongs to another profile or to an older copy of this "
        "one, so it was not used. Restore this profile's own profile.key and try again."
    )


class DamagedEscrowSlot(EscrowError, DamagedKeyFile):
    default_message = (
        "The escrow slot of this profile's key file is damaged, so it cannot be opened; "
        "restore profile.key from a backup (profile.key.bak) and try again."
    )


class DamagedOrgIdentity(EscrowError):
    default_message = (
        "The organisation key file is not an age identity file: it needs a line starting "
        "AGE-SECRET-KEY-1 (as written by age-keygen); other lines may only be comments "
        "starting with #."
    )


class SlotState(Enum):
    """What the escrow slot is, seen from a machine whose policy names ``recipient``."""

    MISSING = "missing"  # no slot: seal one
    CURRENT = "current"  # sealed to this recipient, and the mac verifies: nothing to do
    OTHER_KEY = "other_key"  # sealed to another recipient: policy changed, re-seal
    ALTERED = "altered"  # the mac does not verify (edited, or copied from elsewhere): re-seal
    FOREIGN = "foreign"  # a later app's kind of slot: left as it is


# -- the header field -----------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, max_length: int) -> bytes:
    if not isinstance(value, str) or len(value) > max_length * 2:
        raise ValueError("expected base64 text")
    data = base64.b64decode(value.encode("ascii"), validate=True)
    if _b64(data) != value or not 0 < len(data) <= max_length:
        raise ValueError("wrong length or non-canonical base64")
    return data


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def validate_field(value: object) -> None:
    """Raise ValueError if the header's ``escrow`` value is not a well-formed slot.

    None (no slot) and a slot of an unknown ``type`` pass: the latter is kept untouched.
    """
    if value is None:
        return
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ValueError("escrow is not an object with a type")
    if value["type"] != ESCROW_TYPE:
        return
    if set(value) != _FIELDS:
        raise ValueError("escrow fields")
    try:
        pyrage.x25519.Recipient.from_str(value["recipient"])
    except (pyrage.RecipientError, TypeError):
        raise ValueError("escrow recipient") from None
    if not _unb64(value["sealed"], _MAX_SEALED_BYTES).startswith(AGE_HEADER):
        raise ValueError("escrow sealed is not an age file")
    if not isinstance(value["sealed_at"], str):
        raise ValueError("escrow sealed_at")
    datetime.fromisoformat(value["sealed_at"])
    if len(_unb64(value["mac"], _MAC_BYTES)) != _MAC_BYTES:
        raise ValueError("escrow mac length")


def _mac(data_key: bytes, profile_id: str, field: dict[str, Any]) -> bytes:
    mac_key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=_MAC_INFO + profile_id.encode("utf-8"),
    ).derive(bytes(data_key))
    body = {k: field[k] for k in ("type", "recipient", "sealed", "sealed_at")}
    body["profile_id"] = profile_id
    return hmac.new(mac_key, _canonical(body), hashlib.sha256).digest()


def seal(profile_id: str, data_key: bytes, recipient: str) -> dict[str, Any]:
    """A new escrow field: the data key, bound to ``profile_id``, sealed to ``recipient``."""
    payload = _canonical(
        {
            "format": PAYLOAD_FORMAT,
            "version": PAYLOAD_VERSION,
            "profile_id": profile_id,
            "data_key": _b64(bytes(data_key)),
        }
    )
    sealed = pyrage.encrypt(payload, [pyrage.x25519.Recipient.from_str(recipient)])
    field: dict[str, Any] = {
        "type": ESCROW_TYPE,
        "recipient": recipient,
        "sealed": _b64(sealed),
        "sealed_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    field["mac"] = _b64(_mac(data_key, profile_id, field))
    return field


def state(
    field: dict[str, Any] | None, profile_id: str, data_key: bytes, recipient: str
) -> SlotState:
    if field is None:
        return SlotState.MISSING
    if field.get("type") != ESCROW_TYPE:
        return SlotState.FOREIGN
    expected = _mac(data_key, profile_id, field)
    if not hmac.compare_digest(expected, base64.b64decode(field["mac"])):
        return SlotState.ALTERED
    return SlotState.CURRENT if field["recipient"] == recipient else SlotState.OTHER_KEY


# -- opening with the organisation's key ---------------------------------------------


def read_identities(text: str) -> list[pyrage.x25519.Identity]:
    """The secret keys of an age identity file (``age-keygen`` output; # comments allowed)."""
    if len(text) > _MAX_IDENTITY_FILE_BYTES:
        raise DamagedOrgIdentity(detail="file too large")
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith(SECRET_KEY_PREFIX):
            raise DamagedOrgIdentity(detail="a line that is neither a key nor a comment")
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise DamagedOrgIdentity(detail="a secret key line does not parse") from None
    if not identities:
        raise DamagedOrgIdentity(detail="no secret key line")
    return identities


def open_sealed(
    field: dict[str, Any] | None, profile_id: str, identities: list[pyrage.x25519.Identity]
) -> bytearray:
    """The data key the slot holds for ``profile_id`` (the caller then checks it against the
    key file's key check). Raises NoEscrowSlot, WrongEscrowKey, EscrowMismatch or
    DamagedEscrowSlot."""
    if field is None:
        raise NoEscrowSlot(detail="escrow field is empty")
    if field.get("type") != ESCROW_TYPE:
        raise NoEscrowSlot(
            "This profile's escrow slot was written by a newer version of AIM3 Desk; use that "
            "version to open it.",
            detail=f"escrow type {field.get('type')!r}",
        )
    sealed = base64.b64decode(field["sealed"])
    try:
        payload = pyrage.decrypt(sealed, identities)
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise WrongEscrowKey(field["recipient"]) from None
        raise DamagedEscrowSlot(detail="age decrypt failed") from None
    return payload_data_key(payload, profile_id)


def payload_data_key(payload: bytes, profile_id: str) -> bytearray:
    """The data key a decrypted escrow payload holds for ``profile_id``; DamagedEscrowSlot or
    EscrowMismatch otherwise."""
    try:
        if not payload.isascii():
            raise ValueError("not ASCII")
        document = read_json(payload, "The escrow payload", MAX_SMALL_FILE_BYTES)
        if document.get("format") != PAYLOAD_FORMAT or document.get("version") != 1:
            raise ValueError("format")
        bound_to = document["profile_id"]
        data_key = bytearray(base64.b64decode(document["data_key"], validate=True))
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        raise DamagedEscrowSlot(detail="escrow payload unreadable") from None
    if bound_to != profile_id:
        data_key[:] = bytes(len(data_key))
        raise EscrowMismatch(detail="sealed for another profile id")
    return data_key
