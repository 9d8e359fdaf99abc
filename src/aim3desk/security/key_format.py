"""The key file's format: constants, canonical encoding, and the parser that accepts only
our own writer's exact bytes (security/keyfile.py explains the format and its invariant).

Kept apart from keyfile.py (the keys and the changes to them) so each stays readable.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from aim3desk.domain.limits import MAX_SMALL_FILE_BYTES
from aim3desk.domain.outside_input import OutsideInputError, read_json
from aim3desk.security import escrow as escrow_slot
from aim3desk.security.errors import DamagedKeyFile, KeyFileError, UnsupportedKeyFile
from aim3desk.security.kdf import KdfParams

FORMAT_NAME = "aim3desk-keyfile"
FORMAT_VERSION = 1

DATA_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
WRAPPED_BYTES = DATA_KEY_BYTES + 16  # AES-GCM tag
_TOP_LEVEL_FIELDS = frozenset(
    {
        "format",
        "version",
        "profile_id",
        "created",
        "slots",
        "key_check",
        "escrow",
        "identity",
        "checksum",
    }
)
_SLOT_FIELDS = frozenset({"type", "kdf", "salt", "nonce", "wrapped_key"})
PASSPHRASE_SLOT = "passphrase"  # noqa: S105 - a slot type name, not a secret
RECOVERY_SLOT = "recovery"
RECOVERY_KDF = {"algorithm": "hkdf-sha256"}


# -- encoding helpers ---------------------------------------------------------------


def canonical(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def serialise(document: dict[str, Any]) -> bytes:
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=True, allow_nan=False)
    return (text + "\n").encode("ascii")


def checksum(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k != "checksum"}
    return "sha256:" + hashlib.sha256(canonical(body)).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(value: object, length: int) -> bytes:
    if not isinstance(value, str):
        raise ValueError("expected base64 text")
    data = base64.b64decode(value.encode("ascii"), validate=True)
    if len(data) != length or b64(data) != value:
        raise ValueError("wrong length or non-canonical base64")
    return data


def _validate_slot(slot: object) -> None:
    if not isinstance(slot, dict) or not isinstance(slot.get("type"), str):
        raise ValueError("slot is not an object with a type")
    if slot["type"] not in (PASSPHRASE_SLOT, RECOVERY_SLOT):
        return  # a slot type from a later 1.x app: kept untouched, never used here
    if set(slot) != _SLOT_FIELDS:
        raise ValueError("slot fields")
    if slot["type"] == PASSPHRASE_SLOT:
        KdfParams.from_header(slot["kdf"])
    elif slot["kdf"] != RECOVERY_KDF:
        raise ValueError("recovery kdf")
    unb64(slot["salt"], SALT_BYTES)
    unb64(slot["nonce"], NONCE_BYTES)
    unb64(slot["wrapped_key"], WRAPPED_BYTES)


# -- parsing --------------------------------------------------------------------------


def parse(raw: bytes) -> dict[str, Any]:
    """Return the validated document; raise DamagedKeyFile or UnsupportedKeyFile."""
    if not raw:
        raise DamagedKeyFile(detail="empty file")
    try:
        document = read_json(raw, "The key file", MAX_SMALL_FILE_BYTES)
    except OutsideInputError as exc:
        raise DamagedKeyFile(detail=f"not readable: {exc.problem}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise DamagedKeyFile(detail="not an aim3desk key file")
    try:
        checksum_ok = hmac.compare_digest(str(document.get("checksum")), checksum(document))
    except (TypeError, ValueError):  # e.g. a float that cannot be re-serialised
        checksum_ok = False
    if not checksum_ok:
        raise DamagedKeyFile(detail="checksum mismatch")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DamagedKeyFile(detail="bad version")
    if version > FORMAT_VERSION:
        raise UnsupportedKeyFile(detail=f"format version {version}")
    # Only our own writer's exact bytes are accepted, so any edit at all reads as damage.
    if serialise(document) != raw:
        raise DamagedKeyFile(detail="not in canonical form")
    try:
        _validate_document(document)
    except (ValueError, TypeError, KeyError, binascii.Error) as exc:
        raise DamagedKeyFile(detail=f"invalid header: {exc}") from None
    return document


def _validate_document(document: dict[str, Any]) -> None:
    if set(document) != _TOP_LEVEL_FIELDS:
        raise ValueError("top-level fields")
    profile_id = document["profile_id"]
    if not isinstance(profile_id, str) or not 0 < len(profile_id) <= 100:
        raise ValueError("profile_id")
    if not isinstance(document["created"], str):
        raise ValueError("created")
    unb64(document["key_check"], 32)
    escrow_slot.validate_field(document["escrow"])
    if document["identity"] is not None and not isinstance(document["identity"], dict):
        raise ValueError("identity")
    slots = document["slots"]
    if not isinstance(slots, list):
        raise ValueError("slots")
    for slot in slots:
        _validate_slot(slot)
    for slot_type in (PASSPHRASE_SLOT, RECOVERY_SLOT):
        if sum(1 for slot in slots if slot["type"] == slot_type) != 1:
            raise ValueError(f"need exactly one {slot_type} slot")


def usable(raw: bytes) -> bool:
    try:
        parse(raw)
    except KeyFileError:
        return False
    return True
