"""A profile's key file: the random data key, wrapped once per way of unlocking it.

Why this shape: the data key never changes (so the encrypted store is never re-keyed),
a passphrase change re-wraps 32 bytes, and the recovery key is a second independent
wrapping. A plain SHA-256 checksum of the header sits beside the keyed AES-GCM check so
that a damaged file ("restore a backup") and a wrong passphrase ("try again") are told
apart - the checksum is not a defence against a deliberate edit; AES-GCM is.

File: UTF-8 JSON, keys sorted, 2-space indent. Format invariant for every version:
``checksum`` is ``"sha256:" + hex(SHA-256(canonical JSON of all other top-level
fields))``, so damage is reported as damage even in a file from a newer version.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import unicodedata
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from aim3desk.atomic_file import write_bytes_atomically
from aim3desk.domain.limits import MAX_SMALL_FILE_BYTES
from aim3desk.domain.outside_input import OutsideInputError, read_json
from aim3desk.security import escrow as escrow_slot
from aim3desk.security.errors import (
    DamagedKeyFile,
    KeyFileError,
    MissingKeyFile,
    MistypedRecoveryKey,
    UnsupportedKeyFile,
    WrongPassphrase,
    WrongRecoveryKey,
)
from aim3desk.security.kdf import DEFAULT_KDF_FLOOR, KdfParams, calibrate_kdf
from aim3desk.security.recovery import (
    format_recovery_key,
    new_recovery_secret,
    parse_recovery_key,
)

__all__ = [
    "DEFAULT_KDF_FLOOR",
    "KEY_FILE_NAME",
    "DamagedKeyFile",
    "KdfParams",
    "KeyFile",
    "KeyFileError",
    "MissingKeyFile",
    "MistypedRecoveryKey",
    "UnsupportedKeyFile",
    "WrongPassphrase",
    "WrongRecoveryKey",
    "calibrate_kdf",
    "format_recovery_key",
    "wipe",
]

KEY_FILE_NAME = "profile.key"
BACKUP_SUFFIX = ".bak"
FORMAT_NAME = "aim3desk-keyfile"
FORMAT_VERSION = 1

DATA_KEY_BYTES = 32
_SALT_BYTES = 16
_NONCE_BYTES = 12
_WRAPPED_BYTES = DATA_KEY_BYTES + 16  # AES-GCM tag
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
_PASSPHRASE_SLOT = "passphrase"  # noqa: S105 - a slot type name, not a secret
_RECOVERY_SLOT = "recovery"
_RECOVERY_KDF = {"algorithm": "hkdf-sha256"}
_RECOVERY_INFO = b"aim3desk-keyfile v1 recovery slot"
_KEY_CHECK_INFO = b"aim3desk-keyfile v1 key check "


def wipe(buf: bytearray) -> None:
    """Overwrite ``buf`` with zeros in place.

    Best effort only: Python gives no control over copies. The ``bytes`` returned by the
    cryptography library (derived keys, decrypted plaintext) are immutable and stay in
    memory until the allocator reuses them; wiping the bytearray we hand out shortens the
    life of the copy the app holds, nothing more.
    """
    buf[:] = bytes(len(buf))


# -- encoding helpers ---------------------------------------------------------------


def _canonical(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def _serialise(document: dict[str, Any]) -> bytes:
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=True, allow_nan=False)
    return (text + "\n").encode("ascii")


def _checksum(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k != "checksum"}
    return "sha256:" + hashlib.sha256(_canonical(body)).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, length: int) -> bytes:
    if not isinstance(value, str):
        raise ValueError("expected base64 text")
    data = base64.b64decode(value.encode("ascii"), validate=True)
    if len(data) != length or _b64(data) != value:
        raise ValueError("wrong length or non-canonical base64")
    return data


def _passphrase_bytes(passphrase: str) -> bytes:
    # NFC so that the same passphrase typed on another keyboard layout/OS still matches.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def _key_check(data_key: bytes, profile_id: str) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=_KEY_CHECK_INFO + profile_id.encode("utf-8"),
    )
    return hkdf.derive(bytes(data_key))


def _recovery_kek(secret: bytes, salt: bytes) -> bytes:
    # The recovery secret has 160 random bits: no need for a slow KDF.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_RECOVERY_INFO).derive(secret)


# -- slots ----------------------------------------------------------------------------


def _slot_associated_data(profile_id: str, slot: dict[str, Any]) -> bytes:
    public = {k: v for k, v in slot.items() if k not in ("nonce", "wrapped_key")}
    return _canonical(
        {"format": FORMAT_NAME, "version": FORMAT_VERSION, "profile_id": profile_id, "slot": public}
    )


def _seal_slot(
    profile_id: str,
    slot_type: str,
    kdf_fields: dict[str, object],
    salt: bytes,
    kek: bytes,
    data_key: bytes,
) -> dict[str, Any]:
    slot: dict[str, Any] = {"type": slot_type, "kdf": kdf_fields, "salt": _b64(salt)}
    nonce = os.urandom(_NONCE_BYTES)
    wrapped = AESGCM(kek).encrypt(nonce, bytes(data_key), _slot_associated_data(profile_id, slot))
    slot["nonce"] = _b64(nonce)
    slot["wrapped_key"] = _b64(wrapped)
    return slot


def _passphrase_slot(
    profile_id: str, passphrase: str, kdf: KdfParams, data_key: bytes
) -> dict[str, Any]:
    salt = os.urandom(_SALT_BYTES)
    kek = kdf.derive(_passphrase_bytes(passphrase), salt)
    return _seal_slot(profile_id, _PASSPHRASE_SLOT, kdf.to_header(), salt, kek, data_key)


def _recovery_slot(profile_id: str, data_key: bytes) -> tuple[dict[str, Any], bytes]:
    """A recovery slot under a new random secret; returns (slot, secret)."""
    secret = new_recovery_secret()
    salt = os.urandom(_SALT_BYTES)
    kek = _recovery_kek(secret, salt)
    return _seal_slot(profile_id, _RECOVERY_SLOT, dict(_RECOVERY_KDF), salt, kek, data_key), secret


def _open_slot(profile_id: str, slot: dict[str, Any], kek: bytes) -> bytearray | None:
    """Return the data key, or None if the key-encryption key is not the right one."""
    try:
        plain = AESGCM(kek).decrypt(
            _unb64(slot["nonce"], _NONCE_BYTES),
            _unb64(slot["wrapped_key"], _WRAPPED_BYTES),
            _slot_associated_data(profile_id, slot),
        )
    except InvalidTag:
        return None
    return bytearray(plain)


def _validate_slot(slot: object) -> None:
    if not isinstance(slot, dict) or not isinstance(slot.get("type"), str):
        raise ValueError("slot is not an object with a type")
    if slot["type"] not in (_PASSPHRASE_SLOT, _RECOVERY_SLOT):
        return  # a slot type from a later 1.x app: kept untouched, never used here
    if set(slot) != _SLOT_FIELDS:
        raise ValueError("slot fields")
    if slot["type"] == _PASSPHRASE_SLOT:
        KdfParams.from_header(slot["kdf"])
    elif slot["kdf"] != _RECOVERY_KDF:
        raise ValueError("recovery kdf")
    _unb64(slot["salt"], _SALT_BYTES)
    _unb64(slot["nonce"], _NONCE_BYTES)
    _unb64(slot["wrapped_key"], _WRAPPED_BYTES)


# -- parsing --------------------------------------------------------------------------


def _parse(raw: bytes) -> dict[str, Any]:
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
        checksum_ok = hmac.compare_digest(str(document.get("checksum")), _checksum(document))
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
    if _serialise(document) != raw:
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
    _unb64(document["key_check"], 32)
    escrow_slot.validate_field(document["escrow"])
    if document["identity"] is not None and not isinstance(document["identity"], dict):
        raise ValueError("identity")
    slots = document["slots"]
    if not isinstance(slots, list):
        raise ValueError("slots")
    for slot in slots:
        _validate_slot(slot)
    for slot_type in (_PASSPHRASE_SLOT, _RECOVERY_SLOT):
        if sum(1 for slot in slots if slot["type"] == slot_type) != 1:
            raise ValueError(f"need exactly one {slot_type} slot")


# -- atomic writing -------------------------------------------------------------------


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


# -- the key file ---------------------------------------------------------------------


class KeyFile:
    """One profile's key file. Create with ``create`` or ``load``; never holds the data key."""

    def __init__(self, path: Path, document: dict[str, Any]) -> None:
        self.path = Path(path)
        self._document = document

    # Read-only views of the header.
    @property
    def profile_id(self) -> str:
        return self._document["profile_id"]

    @property
    def created(self) -> str:
        return self._document["created"]

    @property
    def kdf(self) -> KdfParams:
        return KdfParams.from_header(self._slot(_PASSPHRASE_SLOT)["kdf"])

    # The organisation's escrow slot (security/escrow.py; its shape is checked at load).
    @property
    def escrow(self) -> dict | None:
        return self._document["escrow"]

    @escrow.setter
    def escrow(self, value: dict | None) -> None:
        self._document["escrow"] = value

    # Reserved for a later issue: in the header and covered by the checksum, but not by any
    # keyed check here (whoever fills it in must sign or seal what matters).
    @property
    def identity(self) -> dict | None:
        return self._document["identity"]

    @identity.setter
    def identity(self, value: dict | None) -> None:
        self._document["identity"] = value

    def _slot(self, slot_type: str) -> dict[str, Any]:
        return next(slot for slot in self._document["slots"] if slot["type"] == slot_type)

    @classmethod
    def create(cls, path: Path, passphrase: str, kdf: KdfParams) -> tuple[KeyFile, bytearray, str]:
        """Make a new profile key; return (key file, data key, recovery key to print once).

        Refuses to overwrite an existing file (FileExistsError): that would lock the
        profile's data away for ever.
        """
        path = Path(path)
        if path.exists():
            raise FileExistsError(f"{path} already exists")
        path.parent.mkdir(parents=True, exist_ok=True)
        profile_id = str(uuid.uuid4())
        data_key = bytearray(os.urandom(DATA_KEY_BYTES))
        recovery_slot, recovery_secret = _recovery_slot(profile_id, data_key)
        slots = [_passphrase_slot(profile_id, passphrase, kdf, data_key), recovery_slot]
        document: dict[str, Any] = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "profile_id": profile_id,
            "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "slots": slots,
            "key_check": _b64(_key_check(data_key, profile_id)),
            "escrow": None,
            "identity": None,
        }
        keyfile = cls(path, document)
        keyfile.save()
        return keyfile, data_key, format_recovery_key(recovery_secret)

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Read and check a key file.

        Raises MissingKeyFile (a DamagedKeyFile *and* a FileNotFoundError) if it is not
        there: callers opening a profile show the damage message, callers asking "is
        there a profile yet?" catch FileNotFoundError or test ``path.exists()`` first.
        Anything unreadable, truncated or edited raises DamagedKeyFile; a newer format
        UnsupportedKeyFile.
        """
        path = Path(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise MissingKeyFile(detail=str(path)) from None
        except IsADirectoryError:
            raise DamagedKeyFile(detail="path is a directory") from None
        return cls(path, _parse(raw))

    def unlock(self, passphrase: str) -> bytearray:
        """Return the data key (wipe it when done); raise WrongPassphrase."""
        slot = self._slot(_PASSPHRASE_SLOT)
        kek = self.kdf.derive(_passphrase_bytes(passphrase), _unb64(slot["salt"], _SALT_BYTES))
        data_key = _open_slot(self.profile_id, slot, kek)
        if data_key is None:
            raise WrongPassphrase(detail="passphrase slot did not open")
        return self._checked(data_key)

    def unlock_with_recovery(self, recovery_key: str) -> bytearray:
        """Return the data key; raise MistypedRecoveryKey or WrongRecoveryKey."""
        secret = parse_recovery_key(recovery_key)
        slot = self._slot(_RECOVERY_SLOT)
        kek = _recovery_kek(secret, _unb64(slot["salt"], _SALT_BYTES))
        data_key = _open_slot(self.profile_id, slot, kek)
        if data_key is None:
            raise WrongRecoveryKey(detail="recovery slot did not open")
        return self._checked(data_key)

    def _checked(self, data_key: bytearray) -> bytearray:
        # A slot that opens but disagrees with the key check means an inconsistent file.
        if not self.verify_data_key(data_key):
            wipe(data_key)
            raise DamagedKeyFile(detail="slot opened but key check differs")
        return data_key

    def verify_data_key(self, data_key: bytes) -> bool:
        """True if ``data_key`` is this profile's data key (constant-time compare)."""
        if len(data_key) != DATA_KEY_BYTES:
            return False
        expected = _unb64(self._document["key_check"], 32)
        return hmac.compare_digest(_key_check(data_key, self.profile_id), expected)

    def _require_own_key(self, data_key: bytes) -> None:
        if not self.verify_data_key(data_key):
            raise ValueError("data_key is not this profile's data key")

    def change_passphrase(
        self, data_key: bytes, new_passphrase: str, kdf: KdfParams | None = None
    ) -> None:
        """Re-wrap the data key under a new passphrase and save; the recovery slot stays.

        ``kdf`` defaults to the current parameters. The backup copy is refreshed too, so
        the retired passphrase does not still open a profile.key.bak left beside it.
        """
        self._require_own_key(data_key)
        new_slot = _passphrase_slot(self.profile_id, new_passphrase, kdf or self.kdf, data_key)
        self._replace_slot(new_slot)
        self._save_retiring_backup()

    def reset_unlocking(self, data_key: bytes, new_passphrase: str, kdf: KdfParams) -> str:
        """A new passphrase and a new recovery key at once (organisation escrow recovery:
        both old ones are lost or compromised); return the recovery key to print once.

        One save, and the backup refreshed, so neither old secret opens any copy left here.
        """
        self._require_own_key(data_key)
        recovery_slot, secret = _recovery_slot(self.profile_id, data_key)
        self._replace_slot(_passphrase_slot(self.profile_id, new_passphrase, kdf, data_key))
        self._replace_slot(recovery_slot)
        self._save_retiring_backup()
        return format_recovery_key(secret)

    def _replace_slot(self, new_slot: dict[str, Any]) -> None:
        slots = self._document["slots"]
        slots[slots.index(self._slot(new_slot["type"]))] = new_slot

    def _save_retiring_backup(self) -> None:
        """Save, and make profile.key.bak the same file: a retired passphrase, recovery key
        or escrow seal must not still open (or be trusted in) a backup left beside it."""
        self.save()
        write_bytes_atomically(backup_path(self.path), _serialise(self._document))

    # -- the organisation's escrow slot ---------------------------------------------------

    def escrow_state(self, data_key: bytes, recipient: str) -> escrow_slot.SlotState:
        """Whether the slot is missing, current, or sealed to another key than ``recipient``."""
        return escrow_slot.state(self.escrow, self.profile_id, data_key, recipient)

    def seal_escrow(self, data_key: bytes, recipient: str) -> None:
        """Seal the data key to the organisation's age key ``recipient`` (replacing any
        earlier seal, also in the backup) and save."""
        self._require_own_key(data_key)
        before = self.escrow
        self.escrow = escrow_slot.seal(self.profile_id, data_key, recipient)
        try:
            self._save_retiring_backup()
        except BaseException:
            self.escrow = before  # this object stays what the file on disk says
            raise

    def unlock_with_escrow(self, identity_text: str) -> bytearray:
        """Return the data key, opened with the organisation's age identity file text.

        Raises DamagedOrgIdentity, NoEscrowSlot, WrongEscrowKey, DamagedEscrowSlot or
        EscrowMismatch (a slot copied from another profile, or a stale one).
        """
        identities = escrow_slot.read_identities(identity_text)
        data_key = escrow_slot.open_sealed(self.escrow, self.profile_id, identities)
        if not self.verify_data_key(data_key):
            wipe(data_key)
            raise escrow_slot.EscrowMismatch(detail="escrow data key differs from key check")
        return data_key

    def save(self) -> None:
        """Write the header atomically, first keeping the current file as profile.key.bak.

        The backup is only replaced by a file that itself passes the checks, so a damaged
        file never overwrites a good backup.
        """
        self._document["checksum"] = _checksum(self._document)
        data = _serialise(self._document)
        try:
            previous = self.path.read_bytes()
        except FileNotFoundError:
            previous = None
        if previous is not None and previous != data:
            try:
                _parse(previous)
            except KeyFileError:
                pass
            else:
                write_bytes_atomically(backup_path(self.path), previous)
        write_bytes_atomically(self.path, data)
