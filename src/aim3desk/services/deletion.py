"""Deleting a case for good (`session.deletion`): issue 14, "deletion that deletes".

    result = session.deletion.delete_case(case_id, reason)            # on request
    result = session.deletion.delete_case(case_id, reason, DeletionRule.RETENTION)

In order, each step only once the one before it succeeded:
1. Refused, with nothing changed, while the case is on legal hold (domain.retention's one
   rule, asked inside the deleting transaction so a hold set meanwhile is seen). The reason is
   checked (a person says why) but kept nowhere: it may name the child, and free text never
   goes into the audit trail.
2. One transaction: every row of the case, its assessments, bundles and reviews is erased
   (store/erase.py); this profile's own files of its bundles on the shared folder are queued
   for withdrawal; who else holds copies (the people it sent bundles of the case to, the
   authors of bundles of it received) is listed; ONE audit entry `case.delete`, target the
   case id, detail the rule and the rows removed (who and when are in every entry). The
   store then overwrites and vacuums the freed pages and empties the WAL (UnitOfWork.erase).
3. Every encrypted backup in the profile's backups folder is cleaned the same way; a damaged
   one is deleted, one that cannot be reached is reported with what to do.
4. The withdrawn files are deleted from the share now if it is reachable; otherwise the next
   sync round does it. An offline share never holds up the deletion.

Left alone, and said so in the result: the quarantine folder (bundles set aside still
encrypted, which this profile could not open or verify and never opens, so they cannot be
told apart by case: a person reviews and deletes them there); report PDFs and exports a
person saved elsewhere (outside the profile, chosen by them); the logs (ids and events only).
There is no separate search index: searching is a query of the cases table, so the case is
gone from search with its row.

A supervisor holds no case record of a supervisee's case, only the bundles received and the
reviews written: the same deletion removes those copies, found by the case's id or reference
in the bundles (that is how a practitioner's "ask them to delete" is carried out).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from aim3desk.domain.retention import CaseOnHold, DeletionRule, check_reason, deletion_refusal
from aim3desk.services.bundles import QUARANTINE_DIR_NAME
from aim3desk.services.errors import CaseNotFound
from aim3desk.services.identity import IdentityService
from aim3desk.services.sync import SyncService
from aim3desk.services.sync.withdraw import withdrawal_path
from aim3desk.store.bundle_log import RECEIVED, SENT
from aim3desk.store.erase import BackupCleaning, clean_backups
from aim3desk.store.migrate import BACKUPS_DIR_NAME
from aim3desk.store.retention_log import HeldCopy
from aim3desk.store.unit_of_work import StoreReader, UnitOfWork

__all__ = [
    "AUDIT_DELETE",
    "BackupCleaning",
    "DeletionPreview",
    "DeletionResult",
    "DeletionService",
    "HeldCopy",
]

log = logging.getLogger(__name__)

AUDIT_DELETE = "case.delete"
AUDIT_ASKED = "case.copies-asked"


@dataclass(frozen=True)
class DeletionResult:
    """What a deletion did and what it could not do."""

    case_id: str
    reference: str
    rule: DeletionRule
    rows: dict[str, int]  # rows removed from the store, per table
    withdrawn: tuple[str, ...]  # own share files deleted now (paths relative to the share)
    waiting: tuple[str, ...]  # own share files queued for the next sync round
    copies: tuple[HeldCopy, ...]  # copies other people hold: ask them to delete
    backups: tuple[BackupCleaning, ...]  # each backup file and what became of it
    quarantined_files: int  # set-aside bundles left in the quarantine folder (see above)

    @property
    def rows_removed(self) -> int:
        return sum(self.rows.values())

    @property
    def backup_problems(self) -> tuple[BackupCleaning, ...]:
        return tuple(b for b in self.backups if b.outcome != "cleaned")


@dataclass(frozen=True)
class DeletionPreview:
    """What the Delete case dialog tells a person before they confirm."""

    case_id: str
    reference: str
    refusal: str | None  # the legal hold's message, or None when it may be deleted
    bundles: int  # bundles of the case sent or received
    share_files: int  # own files on the share that will be withdrawn
    holders: tuple[str, ...]  # names of people holding copies
    backups: int  # backup files that will be cleaned
    copies_only: bool = False  # no case record here: only bundles and reviews received


class DeletionService:
    def __init__(
        self,
        uow: UnitOfWork,
        actor: str,
        identity: IdentityService,
        sync: SyncService,
        profile_dir: Path,
        data_key: bytearray,
    ):
        """`data_key` is the session's key (a reference: wiped with it when the profile
        locks); the backups are encrypted with it."""
        self._uow = uow
        self.actor = actor
        self._identity = identity
        self._sync = sync
        self._profile_dir = profile_dir
        self._key = data_key

    @property
    def backups_dir(self) -> Path:
        return self._profile_dir / BACKUPS_DIR_NAME

    def _backup_files(self) -> list[Path]:
        folder = self.backups_dir
        return sorted(folder.glob("*.db")) if folder.is_dir() else []

    def _quarantined_files(self) -> int:
        folder = self._profile_dir / QUARANTINE_DIR_NAME
        if not folder.is_dir():
            return 0
        return sum(1 for p in folder.iterdir() if p.is_file() and not p.name.endswith(".txt"))

    # -- before --------------------------------------------------------------------------

    def preview(self, case_ref_or_id: str) -> DeletionPreview:
        """What deleting the case would remove and what it cannot (nothing changes)."""
        me = self._identity.me().fingerprint
        with self._uow.read() as tx:
            case_id, reference = _required_case(tx, case_ref_or_id)
            refusal = deletion_refusal(tx.retention.holds(case_id))
            bundles = tx.bundles.of_case(case_id)
            files = _withdrawals(tx, case_id, me)
            copies = _copies(tx, case_id, me, "")
            copies_only = tx.cases.get(case_id) is None
        return DeletionPreview(
            case_id,
            reference,
            refusal,
            len(bundles),
            len(files),
            tuple(sorted({c.holder_name for c in copies})),
            len(self._backup_files()),
            copies_only,
        )

    # -- the deletion --------------------------------------------------------------------

    def delete_case(
        self, case_id: str, reason: str, rule: DeletionRule = DeletionRule.REQUEST
    ) -> DeletionResult:
        """Delete the case (its id or reference) for good. CaseOnHold while it is on legal
        hold, RetentionError without a reason, CaseNotFound: in each, nothing changes."""
        with self._uow.read() as tx:  # refusal first: a held case is refused whatever else
            found = _named_case(tx, case_id)
            refusal = deletion_refusal(tx.retention.holds(found[0])) if found else None
        if refusal:
            raise CaseOnHold(refusal)
        check_reason(reason, "The reason for deleting")
        rule = DeletionRule(rule)
        me = self._identity.me().fingerprint
        with self._uow.erase() as tx:
            found_id, reference = _required_case(tx, case_id)
            refusal = deletion_refusal(tx.retention.holds(found_id))  # set since the read?
            if refusal:
                raise CaseOnHold(refusal)
            now = tx.now_text()
            files = _withdrawals(tx, found_id, me)
            copies = _copies(tx, found_id, me, now)
            erased = tx.erase_case(found_id)
            for path, bundle_id in files:
                tx.retention.add_withdrawal(path, bundle_id, now)
            for copy in copies:
                tx.retention.add_copy(copy)
            tx.audit(self.actor, AUDIT_DELETE, found_id, _audit_detail(rule, erased.rows))
        log.info("case deleted (%d rows)", erased.total)
        backups = clean_backups(self.backups_dir, self._key, found_id)
        withdrawn = self._sync.withdraw_now()
        ours = {path for path, _bundle in files}
        return DeletionResult(
            found_id,
            reference,
            rule,
            dict(erased.rows),
            tuple(p for p in withdrawn.done if p in ours),
            tuple(p for p in withdrawn.waiting if p in ours),
            tuple(copies),
            tuple(backups),
            self._quarantined_files(),
        )

    # -- afterwards ----------------------------------------------------------------------

    def copies(self, deleted_case_id: str | None = None) -> list[HeldCopy]:
        """Copies of deleted cases' bundles other people hold (of one deleted case, or all)."""
        with self._uow.read() as tx:
            return tx.retention.copies(deleted_case_id)

    def mark_asked(self, deleted_case_id: str, holder_fingerprint: str) -> int:
        """Record that the holder was asked to delete their copies of the deleted case; the
        number of copies marked (0 when already marked)."""
        with self._uow.write() as tx:
            marked = tx.retention.mark_asked(deleted_case_id, holder_fingerprint, tx.now_text())
            if marked:
                tx.audit(
                    self.actor,
                    AUDIT_ASKED,
                    deleted_case_id,
                    {"holder": holder_fingerprint, "copies": marked},
                )
        return marked

    def waiting_withdrawals(self) -> list[str]:
        """Own share files of deleted cases still to be deleted from the share."""
        with self._uow.read() as tx:
            return [w.path for w in tx.retention.withdrawals()]


def _named_case(tx: StoreReader, ref_or_id: str) -> tuple[str, str] | None:
    """(case id, reference): a case of this profile, else one it holds only as received
    copies (a supervisor's bundles and reviews of a supervisee's case), else None."""
    case = tx.cases.by_reference(ref_or_id) or tx.cases.get(ref_or_id)
    return (case.id, case.reference) if case else tx.bundles.case_named(ref_or_id)


def _required_case(tx: StoreReader, ref_or_id: str) -> tuple[str, str]:
    found = _named_case(tx, ref_or_id)
    if found is None:
        raise CaseNotFound(f"No case with the reference or id '{ref_or_id}'.")
    return found


def _audit_detail(rule: DeletionRule, rows: dict[str, int]) -> dict[str, object]:
    """Content free: the rule, and the rows removed as "table:count" (the audit trail keeps
    flat field names and counts only)."""
    return {
        "rule": rule.value,
        "rows": sum(rows.values()),
        "tables": [f"{table}:{count}" for table, count in sorted(rows.items())],
    }


def _withdrawals(tx: StoreReader, case_id: str, me: str) -> list[tuple[str, str]]:
    """(share path, bundle id) of every file of the case's bundles this profile queued for
    the share, delivered or not (a round may have placed one it did not get to record)."""
    found = []
    for bundle in tx.bundles.of_case(case_id, SENT):
        for entry in tx.sync.entries(bundle.bundle_id):
            found.append((withdrawal_path(me, entry.recipient, entry.file_name), bundle.bundle_id))
    return found


def _copies(tx: StoreReader, case_id: str, me: str, now: str) -> list[HeldCopy]:
    """Who holds a copy of a bundle of the case: everyone this profile addressed one to
    (the signed recipient list), and the author of each one received."""
    people = tx.people
    copies: dict[tuple[str, str], HeldCopy] = {}
    for bundle in tx.bundles.of_case(case_id):
        if bundle.direction == RECEIVED:
            holders = [(bundle.author_fingerprint, RECEIVED)]
        else:
            recipients = json.loads(bundle.manifest).get("recipients") or []
            holders = [(fp, SENT) for fp in recipients]
        for fingerprint, how in holders:
            if fingerprint == me:
                continue
            contact = people.contact(fingerprint)
            name = contact.identity.name if contact else f"Unknown person ({fingerprint})"
            key = (bundle.bundle_id, fingerprint)
            copies[key] = HeldCopy(case_id, bundle.bundle_id, fingerprint, name, how, now, None)
    return sorted(copies.values(), key=lambda c: (c.holder_name, c.bundle_id))
