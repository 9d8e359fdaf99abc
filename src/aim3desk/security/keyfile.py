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

import copy
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

from aim3desk.security import escrow as escrow_slot
from aim3desk.security import key_copies
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
from aim3desk.security.key_format import (
    DATA_KEY_BYTES,
    FORMAT_NAME,
    FORMAT_VERSION,
    NONCE_BYTES,
    PASSPHRASE_SLOT,
    RECOVERY_KDF,
    RECOVERY_SLOT,
    SALT_BYTES,
    WRAPPED_BYTES,
    b64,
    canonical,
    checksum,
    parse,
    serialise,
    unb64,
    usable,
)
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
BACKUP_SUFFIX = key_copies.BACKUP_SUFFIX
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


# -- key derivation -----------------------------------------------------------------


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
    return canonical(
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
    slot: dict[str, Any] = {"type": slot_type, "kdf": kdf_fields, "salt": b64(salt)}
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(kek).encrypt(nonce, bytes(data_key), _slot_associated_data(profile_id, slot))
    slot["nonce"] = b64(nonce)
    slot["wrapped_key"] = b64(wrapped)
    return slot


def _passphrase_slot(
    profile_id: str, passphrase: str, kdf: KdfParams, data_key: bytes
) -> dict[str, Any]:
    salt = os.urandom(SALT_BYTES)
    kek = kdf.derive(_passphrase_bytes(passphrase), salt)
    return _seal_slot(profile_id, PASSPHRASE_SLOT, kdf.to_header(), salt, kek, data_key)


def _recovery_slot(profile_id: str, data_key: bytes) -> tuple[dict[str, Any], bytes]:
    """A recovery slot under a new random secret; returns (slot, secret)."""
    secret = new_recovery_secret()
    salt = os.urandom(SALT_BYTES)
    kek = _recovery_kek(secret, salt)
    return _seal_slot(profile_id, RECOVERY_SLOT, dict(RECOVERY_KDF), salt, kek, data_key), secret


def _open_slot(profile_id: str, slot: dict[str, Any], kek: bytes) -> bytearray | None:
    """Return the data key, or None if the key-encryption key is not the right one."""
    try:
        plain = AESGCM(kek).decrypt(
            unb64(slot["nonce"], NONCE_BYTES),
            unb64(slot["wrapped_key"], WRAPPED_BYTES),
            _slot_associated_data(profile_id, slot),
        )
    except InvalidTag:
        return None
    return bytearray(plain)


backup_path = key_copies.backup_path


# -- the key file ---------------------------------------------------------------------


class KeyFile:
    """One profile's key file. Create with ``create`` or ``load``; never holds the data key."""

    def __init__(self, path: Path, document: dict[str, Any], raw: bytes | None = None) -> None:
        self.path = Path(path)
        self._document = document
        self._raw = raw  # the bytes read by load(): what tidy_copies keeps as the backup

    def _draft(self) -> KeyFile:
        """A copy to change and install(); this object keeps describing the file on disk."""
        return KeyFile(self.path, copy.deepcopy(self._document))

    @property
    def fingerprint(self) -> str:
        """What identifies each secret-bearing part of the header (passphrase slot, recovery
        slot, escrow seal): short hashes of public fields, so the store can record which key
        file it last saw installed (services/key_changes.py). Reveals nothing secret."""

        def short(value: object) -> str:
            return hashlib.sha256(canonical(value)).hexdigest()[:16]

        parts = {
            "passphrase": short(self._slot(PASSPHRASE_SLOT)),
            "recovery": short(self._slot(RECOVERY_SLOT)),
            "escrow": short(self._document["escrow"]),
        }
        return json.dumps(parts, sort_keys=True, separators=(",", ":"))

    # Read-only views of the header.
    @property
    def profile_id(self) -> str:
        return self._document["profile_id"]

    @property
    def created(self) -> str:
        return self._document["created"]

    @property
    def kdf(self) -> KdfParams:
        return KdfParams.from_header(self._slot(PASSPHRASE_SLOT)["kdf"])

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
            "key_check": b64(_key_check(data_key, profile_id)),
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
        return cls(path, parse(raw), raw)

    def tidy_copies(self) -> None:
        """Once this file has opened: remove temporary copies of it left by a killed write and
        make profile.key.bak the same file (key_copies.tidy), so no copy beside it opens with
        a retired passphrase, recovery key or escrow seal."""
        if self._raw is not None:
            key_copies.tidy(self.path, self._raw)

    def unlock(self, passphrase: str) -> bytearray:
        """Return the data key (wipe it when done); raise WrongPassphrase."""
        slot = self._slot(PASSPHRASE_SLOT)
        kek = self.kdf.derive(_passphrase_bytes(passphrase), unb64(slot["salt"], SALT_BYTES))
        data_key = _open_slot(self.profile_id, slot, kek)
        if data_key is None:
            raise WrongPassphrase(detail="passphrase slot did not open")
        return self._checked(data_key)

    def unlock_with_recovery(self, recovery_key: str) -> bytearray:
        """Return the data key; raise MistypedRecoveryKey or WrongRecoveryKey."""
        secret = parse_recovery_key(recovery_key)
        slot = self._slot(RECOVERY_SLOT)
        kek = _recovery_kek(secret, unb64(slot["salt"], SALT_BYTES))
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
        expected = unb64(self._document["key_check"], 32)
        return hmac.compare_digest(_key_check(data_key, self.profile_id), expected)

    def _require_own_key(self, data_key: bytes) -> None:
        if not self.verify_data_key(data_key):
            raise ValueError("data_key is not this profile's data key")

    def with_passphrase(
        self, data_key: bytes, new_passphrase: str, kdf: KdfParams | None = None
    ) -> KeyFile:
        """A draft (not yet on disk: install() it) with the data key re-wrapped under a new
        passphrase; the recovery slot stays. ``kdf`` defaults to the current parameters."""
        self._require_own_key(data_key)
        draft = self._draft()
        draft._replace_slot(
            _passphrase_slot(self.profile_id, new_passphrase, kdf or self.kdf, data_key)
        )
        return draft

    def with_new_unlocking(
        self, data_key: bytes, new_passphrase: str, kdf: KdfParams
    ) -> tuple[KeyFile, str]:
        """A draft with a new passphrase and a new recovery key at once (organisation escrow
        recovery: both old ones are lost or compromised), and the recovery key to print once
        the draft is installed."""
        self._require_own_key(data_key)
        draft = self._draft()
        recovery_slot, secret = _recovery_slot(self.profile_id, data_key)
        draft._replace_slot(_passphrase_slot(self.profile_id, new_passphrase, kdf, data_key))
        draft._replace_slot(recovery_slot)
        return draft, format_recovery_key(secret)

    def with_escrow(self, data_key: bytes, recipient: str) -> KeyFile:
        """A draft with the data key sealed to the organisation's age key ``recipient``
        (replacing any earlier seal)."""
        self._require_own_key(data_key)
        draft = self._draft()
        draft.escrow = escrow_slot.seal(self.profile_id, data_key, recipient)
        return draft

    def install(self) -> None:
        """Write this header as profile.key and as its backup, so a retired passphrase,
        recovery key or escrow seal opens no copy left here (key_copies.install: the order
        of writes and what a kill at each moment leaves)."""
        self._document["checksum"] = checksum(self._document)
        self._raw = serialise(self._document)
        key_copies.install(self.path, self._raw)

    # Unaudited one-step changes (the services audit each change: services/key_changes.py).
    def change_passphrase(
        self, data_key: bytes, new_passphrase: str, kdf: KdfParams | None = None
    ) -> None:
        self._adopt(self.with_passphrase(data_key, new_passphrase, kdf))

    def reset_unlocking(self, data_key: bytes, new_passphrase: str, kdf: KdfParams) -> str:
        draft, recovery = self.with_new_unlocking(data_key, new_passphrase, kdf)
        self._adopt(draft)
        return recovery

    def seal_escrow(self, data_key: bytes, recipient: str) -> None:
        self._adopt(self.with_escrow(data_key, recipient))

    def _adopt(self, draft: KeyFile) -> None:
        draft.install()
        self._document, self._raw = draft._document, draft._raw

    def _replace_slot(self, new_slot: dict[str, Any]) -> None:
        slots = self._document["slots"]
        slots[slots.index(self._slot(new_slot["type"]))] = new_slot

    # -- the organisation's escrow slot ---------------------------------------------------

    def escrow_state(self, data_key: bytes, recipient: str) -> escrow_slot.SlotState:
        """Whether the slot is missing, current, or sealed to another key than ``recipient``."""
        return escrow_slot.state(self.escrow, self.profile_id, data_key, recipient)

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
        self._document["checksum"] = checksum(self._document)
        self._raw = serialise(self._document)
        key_copies.save_keeping_previous(self.path, self._raw, usable)
