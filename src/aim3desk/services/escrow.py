"""Organisation escrow, as the profile service uses it: keeping the key file's escrow slot
sealed to the key machine policy names, and the notice the practitioner gets after IT opened
their profile with the organisation's key (`aim3desk escrow recover`).

When policy names no escrow key (none set, or the policy file unreadable) an existing slot is
kept: a broken or missing policy file must not quietly take the organisation's access away.
Only a policy naming another key replaces it (a re-seal).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aim3desk.domain.dates import long_date
from aim3desk.security.escrow import (
    DamagedOrgIdentity,
    EscrowError,
    EscrowMismatch,
    NoEscrowSlot,
    SlotState,
    WrongEscrowKey,
)
from aim3desk.security.keyfile import KeyFile
from aim3desk.store.unit_of_work import StoreReader, StoreWriter

__all__ = [
    "ESCROW_ACTOR",
    "DamagedOrgIdentity",
    "EscrowError",
    "EscrowMismatch",
    "NoEscrowSlot",
    "SealOutcome",
    "WrongEscrowKey",
    "plan_seal",
    "record_recovery",
    "seal_at_creation",
    "seal_failed",
    "take_recovery_notice",
]

log = logging.getLogger(__name__)

ESCROW_ACTOR = "organisation escrow"
# Profile fact: when IT last recovered the profile, until its owner has been told ("" = told).
RECOVERED_ON_FACT = "escrow_recovered_on"

SEAL_FAILED_NOTICE = (
    "Your organisation's escrow key could not be added to this profile's key file this time; "
    "it is tried again each time you unlock. Your records are safe. If you see this again, "
    "tell your IT support."
)


@dataclass(frozen=True)
class SealOutcome:
    """What plan_seal found: a draft key file sealed to the policy's key with the audit detail
    of that seal, or a notice for the person, or nothing to do."""

    draft: KeyFile | None = None
    audit_detail: dict[str, Any] | None = None
    notice: str | None = None


def short_recipient(recipient: str) -> str:
    """Enough of a public key to tell two apart in the audit trail."""
    return f"{recipient[:12]}...{recipient[-6:]}"


def plan_seal(keyfile: KeyFile, data_key: bytes, recipient: str) -> SealOutcome:
    """A draft sealing the data key to the policy's escrow key if the slot is missing,
    altered or sealed to another key; the caller audits it and installs the draft
    (services/key_changes.py). Never raises: a failure must not stop the person unlocking,
    so it is logged (no key material) and returned as a notice."""
    if not recipient:
        return SealOutcome()
    try:
        state = keyfile.escrow_state(data_key, recipient)
        if state in (SlotState.CURRENT, SlotState.FOREIGN):
            return SealOutcome()
        if state is SlotState.ALTERED:
            log.warning("escrow slot did not verify against the data key; sealing it again")
        draft = keyfile.with_escrow(data_key, recipient)
    except Exception as exc:  # any failure: the unlock goes on and the person is told
        return seal_failed(exc)
    detail = {"recipient": short_recipient(recipient), "reseal": state is not SlotState.MISSING}
    return SealOutcome(draft, detail)


def seal_failed(exc: BaseException) -> SealOutcome:
    log.warning("escrow seal failed (%s)", type(exc).__name__)
    return SealOutcome(notice=SEAL_FAILED_NOTICE)


def seal_at_creation(
    keyfile: KeyFile, data_key: bytes, recipient: str
) -> tuple[KeyFile, SealOutcome]:
    """A new profile's seal, installed at once (there is no store yet to audit it in: the
    creation's transaction records it); the key file as it now is, and the outcome."""
    sealed = plan_seal(keyfile, data_key, recipient)
    if sealed.draft is None:
        return keyfile, sealed
    try:
        sealed.draft.install()
    except Exception as exc:
        return keyfile, seal_failed(exc)
    log.info("escrow slot sealed")
    return sealed.draft, sealed


def record_recovery(tx: StoreWriter, profile_id: str, os_user: str) -> None:
    """Audit an escrow recovery and leave the notice for the owner's next unlock."""
    tx.audit(ESCROW_ACTOR, "profile.escrow_recover", profile_id, {"os_user": os_user[:64]})
    tx.set_profile_fact(RECOVERED_ON_FACT, datetime.now(UTC).isoformat(timespec="seconds"))


def take_recovery_notice(tx: StoreWriter) -> str | None:
    """The notice of a recovery the owner has not been told about yet, cleared as it is taken
    (the caller's transaction saves the clearing with the unlock)."""
    recovered_on = pending_recovery(tx)
    if recovered_on is None:
        return None
    tx.set_profile_fact(RECOVERED_ON_FACT, "")
    return recovery_notice(recovered_on)


def pending_recovery(tx: StoreReader) -> datetime | None:
    text = tx.profile_facts().get(RECOVERED_ON_FACT, "")
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def recovery_notice(recovered_on: datetime) -> str:
    return (
        f"On {long_date(recovered_on)} your organisation opened this profile with its escrow "
        "key and set a new passphrase and a new recovery key; your old passphrase and recovery "
        "key no longer work. Ask IT for the new recovery key and keep it safe, then choose a "
        "passphrase only you know (Profile menu, Change passphrase)."
    )
