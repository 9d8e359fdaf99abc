"""The end of the audit trail kept outside the database: `<profile>/audit-head.json`.

The hash chain inside the store shows an edited or removed entry in the middle, but not the
last entries removed (once the guard triggers are dropped) nor an older copy of the whole
database put back. So after every write that appends audit entries, the chain's head (entry
count, last seq and hash, profile id, time) is written beside the store, signed with the
profile's Ed25519 identity key, and compared with the database as the profile opens and
whenever the trail is checked (AuditLog.verify).

Content free: counts, hashes, ids and a time only. A profile that has ever kept a head says so
(a profile fact, and its `audit.head_start` entry inside the chain), so a deleted head file is
noticed too. Someone who puts back an older head file together with the older database it
matches is not caught here: that needs a copy held off the laptop.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aim3desk.atomic_file import write_text_atomically
from aim3desk.domain.limits import MAX_SMALL_FILE_BYTES
from aim3desk.domain.outside_input import read_json
from aim3desk.security.identity import SecretIdentity, signature_matches
from aim3desk.store.audit import AuditHead, canonical_json
from aim3desk.store.unit_of_work import StoreReader

log = logging.getLogger(__name__)

HEAD_FILE_NAME = "audit-head.json"
HEAD_KEPT_FACT = "audit_head_kept"
HEAD_START_ACTION = "audit.head_start"
HEAD_MISMATCH_ACTION = "audit.head_mismatch"

_FORMAT = "aim3desk-audit-head/1"
_SIGNING_CONTEXT = b"AIM3 Desk audit head\n"  # a head signature cannot pass for another kind
_HASH = re.compile(r"[0-9a-f]{64}")

_DAMAGED = (
    f"The audit trail's signed head ({HEAD_FILE_NAME}) is damaged or has been altered: it "
    "does not carry this profile's signature."
)
_MISSING = (
    f"The audit trail's signed head ({HEAD_FILE_NAME}) is missing from the profile folder: it "
    "was deleted, or the folder was copied without it."
)
_REPLACED = (
    "The database is not the one this profile last wrote (an older copy was restored and used)."
)


@dataclass(frozen=True)
class HeadFinding:
    """What comparing the head file with the database found. `problem` is "" when all is
    well, else one of missing, damaged, removed, replaced."""

    ok: bool
    message: str
    problem: str = ""
    expected: int | None = None  # entries the head file says there were
    found: int | None = None  # entries the database holds

    def audit_detail(self) -> dict[str, Any]:
        """For the `audit.head_mismatch` entry: the kind of problem and the counts only."""
        return {"problem": self.problem, "expected": self.expected, "found": self.found}


def _removed_message(count: int) -> str:
    what = "audit entry has" if count == 1 else f"{count} audit entries have"
    return f"The last {what} been removed, or an older copy of the database has been restored."


def _signed_bytes(fields: dict[str, Any]) -> bytes:
    return _SIGNING_CONTEXT + canonical_json(fields).encode("utf-8")


def head_document(head: AuditHead, profile_id: str, signer: SecretIdentity, at: datetime) -> str:
    """The signed head file's text."""
    fields: dict[str, Any] = {
        "format": _FORMAT,
        "profile_id": profile_id,
        "count": head.count,
        "seq": head.seq,
        "hash": head.hash,
        "written_at": at.astimezone(UTC).isoformat(timespec="seconds"),
    }
    signature = base64.b64encode(signer.sign(_signed_bytes(fields))).decode("ascii")
    return json.dumps({**fields, "signature": signature}, indent=2) + "\n"


def read_head_document(data: bytes, public_key: bytes, profile_id: str) -> AuditHead | None:
    """The head a file holds if it is whole and signed by `public_key` for this profile;
    None if it is damaged, altered or someone else's."""
    try:
        document = read_json(data, "The signed audit head", MAX_SMALL_FILE_BYTES)
        fields = {k: v for k, v in document.items() if k != "signature"}
        signature = base64.b64decode(document["signature"], validate=True)
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        return None
    if not signature_matches(public_key, signature, _signed_bytes(fields)):
        return None
    count, seq, digest = fields.get("count"), fields.get("seq"), fields.get("hash")
    if (
        fields.get("format") != _FORMAT
        or fields.get("profile_id") != profile_id
        or not isinstance(count, int)
        or not isinstance(seq, int)
        or not isinstance(digest, str)
        or not _HASH.fullmatch(digest)
        or count < 1
    ):
        return None
    return AuditHead(count, seq, digest)


def compare_with_store(head: AuditHead, tx: StoreReader) -> HeadFinding:
    """The signed head against the chain the database holds now."""
    stored = tx.audit_head()
    found = stored.count if stored is not None else 0
    if found < head.count:
        return HeadFinding(
            False, _removed_message(head.count - found), "removed", head.count, found
        )
    if tx.audit_hash_at(head.seq) != head.hash:
        return HeadFinding(False, _REPLACED, "replaced", head.count, found)
    return HeadFinding(True, "The audit trail matches its signed head.", "", head.count, found)


@dataclass(frozen=True)
class HeadRead:
    """The head file's bytes as read (None if missing or unreadable)."""

    data: bytes | None
    missing: bool = False


class AuditHeadFile:
    """The profile's signed head file: written after each audited commit (the unit of work's
    after-audit hook) and checked against the store."""

    def __init__(self, path: Path, profile_id: str, signer: SecretIdentity):
        self.path = Path(path)
        self._profile_id = profile_id
        self._signer = signer

    def write(self, head: AuditHead) -> None:
        """Sign and save `head`. The commit it follows has already happened, so a failure to
        write is logged, not raised: the file then lags behind, which the check accepts. For
        the same reason the rename is not made durable (one fsync fewer on every save): after
        a power cut the previous head is a lagging head, never a false alarm."""
        text = head_document(head, self._profile_id, self._signer, datetime.now(UTC))
        try:
            write_text_atomically(self.path, text, durable_rename=False)
        except OSError as exc:
            log.warning("audit head not written (%s)", exc.strerror or type(exc).__name__)

    def kept(self, tx: StoreReader) -> bool:
        """Whether this profile has ever kept a head file."""
        return bool(tx.profile_facts().get(HEAD_KEPT_FACT)) or tx.audit_has_action(
            HEAD_START_ACTION
        )

    def read(self) -> HeadRead:
        """The file's bytes as they are now. Read before the snapshot it is compared with
        (check): a head is written only after its commit, so a snapshot taken later holds
        that commit too, whatever another process commits in between."""
        try:
            with self.path.open("rb") as handle:
                return HeadRead(handle.read(MAX_SMALL_FILE_BYTES + 1))
        except FileNotFoundError:
            return HeadRead(None, missing=True)
        except OSError:
            return HeadRead(None)

    def check(self, tx: StoreReader, read: HeadRead | None = None) -> HeadFinding:
        """The head file (`read` before `tx` began, else read now) against the database
        inside `tx` (one snapshot)."""
        found = read or self.read()
        data = found.data
        if found.missing:
            if self.kept(tx) and not _started_last(tx):
                return HeadFinding(False, _MISSING, "missing", None, _stored_count(tx))
            return HeadFinding(True, "No signed head has been kept yet.", "", None, None)
        if data is None:
            return HeadFinding(False, _DAMAGED, "damaged", None, _stored_count(tx))
        head = read_head_document(data, self._signer.signing_public, self._profile_id)
        if head is None:
            return HeadFinding(False, _DAMAGED, "damaged", None, _stored_count(tx))
        return compare_with_store(head, tx)


def _started_last(tx: StoreReader) -> bool:
    """Whether the newest entry is the head's start: its file is written just after that
    commit, so a process killed in between leaves no file, and nothing since needs hiding."""
    newest = tx.audit_entries(1, newest_first=True)
    return bool(newest) and newest[0].action == HEAD_START_ACTION


def _stored_count(tx: StoreReader) -> int:
    stored = tx.audit_head()
    return stored.count if stored is not None else 0
