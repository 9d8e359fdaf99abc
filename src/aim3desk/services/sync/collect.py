"""Taking in from the share what others wrote: bundles addressed to this profile and other
people's published cards. Reading only: nothing on the share is changed, and nothing local
is removed or altered because of what the share lists.

- A bundle file already dealt with (same path, size and SHA-256 in share_files) is skipped;
  a new one goes through BundleService.import_or_set_aside (a refused one is quarantined as
  an import of files would) and its outcome is recorded in share_files.
- A card of someone who is not a contact yet is added UNconfirmed; a known fingerprint is
  never changed because of the share; a bad card is skipped with a message.
- Symlinks, hidden and temporary files, anything over the size limit and anything outside
  the layout are left alone.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aim3desk.domain.identity import CardError, read_card
from aim3desk.domain.limits import MAX_BUNDLE_BYTES, MAX_SMALL_FILE_BYTES
from aim3desk.services.bundles import BundleService
from aim3desk.services.identity import IdentityService
from aim3desk.services.sync.layout import (
    CARD_NAME,
    PEOPLE,
    TO,
    fingerprint_folder_name,
    is_bundle_name,
    list_entries,
    relative,
)
from aim3desk.services.sync.values import CardSeen, SyncRound
from aim3desk.store.sync_log import ShareFile
from aim3desk.store.unit_of_work import UnitOfWork

CARD_OUTCOME = "card"
BAD_CARD_OUTCOME = "bad-card"
KNOWN_CARD_OUTCOME = "known-contact"


@dataclass(frozen=True)
class ShareFileData:
    path: Path
    relative: str
    data: bytes
    sha256: str


class Collector:
    """One round's collection for the profile whose fingerprint is `me`."""

    def __init__(
        self,
        uow: UnitOfWork,
        bundles: BundleService,
        identity: IdentityService,
        share: Path,
        me: str,
    ):
        self._uow = uow
        self._bundles = bundles
        self._identity = identity
        self._share = share
        self._me = me

    def people(self) -> list[tuple[str, Path]]:
        """Other profiles' folders under people/, by fingerprint (links and strays left)."""
        found = []
        for entry in list_entries(self._share / PEOPLE):
            fingerprint = fingerprint_folder_name(entry.name)
            if fingerprint is None or fingerprint == self._me:
                continue
            if entry.is_dir(follow_symlinks=False):
                found.append((fingerprint, Path(entry.path)))
        return found

    def collect(self, result: SyncRound, today: date | None = None) -> None:
        with self._uow.read() as tx:
            seen = tx.sync.seen_paths()
        for fingerprint, folder in self.people():
            self._card(fingerprint, folder, seen, result)
            for entry in list_entries(folder / TO / self._me):
                if not is_bundle_name(entry.name):
                    if not entry.name.startswith("."):
                        result.skipped.append(f"{self._rel(entry)}: not a bundle, left alone.")
                    continue
                read = self._read(entry, MAX_BUNDLE_BYTES, result)
                if read is None or _already_dealt_with(seen.get(read.relative), read):
                    continue
                self._bundle(read, result, today)

    def _bundle(self, read: ShareFileData, result: SyncRound, today: date | None) -> None:
        outcome = self._bundles.import_or_set_aside(read.data, read.path, today)
        result.collected.append(outcome)
        manifest = outcome.manifest
        self._record(
            read,
            outcome.status,
            manifest.bundle_id if manifest is not None else None,
            str(outcome.refusal or "") if outcome.status == "quarantined" else "",
        )

    def _card(
        self, fingerprint: str, folder: Path, seen: dict[str, ShareFile], result: SyncRound
    ) -> None:
        entries = [e for e in list_entries(folder) if e.name == CARD_NAME]
        if not entries:
            return
        read = self._read(entries[0], MAX_SMALL_FILE_BYTES, result)
        if read is None or _already_dealt_with(seen.get(read.relative), read):
            return
        with self._uow.read() as tx:
            known = tx.people.contact(fingerprint) is not None
        if known:  # never changed because of the share: a person updates a contact
            self._record(read, KNOWN_CARD_OUTCOME, None, "")
            return
        try:
            person = read_card(read.data).identity  # add_card checks its signature
            if person.fingerprint != fingerprint:
                raise CardError("The card's fingerprint is not the folder it was found in.")
            added = self._identity.add_card(read.data)
        except CardError as exc:
            message = f"{read.relative}: this card was not added ({exc})"
            result.cards.append(CardSeen(read.relative, fingerprint, False, message))
            self._record(read, BAD_CARD_OUTCOME, None, str(exc))
            return
        message = (
            f"{person.name} ({fingerprint}) was added to your contacts, not confirmed: compare "
            "the fingerprint with them before trusting what they send."
        )
        result.cards.append(CardSeen(read.relative, fingerprint, added.new, message))
        self._record(read, CARD_OUTCOME, None, "")

    def _read(self, entry: os.DirEntry[str], limit: int, result: SyncRound) -> ShareFileData | None:
        rel = self._rel(entry)
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                result.skipped.append(f"{rel}: not a plain file, left alone.")
                return None
            if info.st_size > limit:
                result.skipped.append(f"{rel}: too large, left alone.")
                return None
            flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(entry.path, flags)
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            result.skipped.append(f"{rel}: could not be read ({exc.strerror}).")
            return None
        if len(data) > limit:
            result.skipped.append(f"{rel}: too large, left alone.")
            return None
        return ShareFileData(Path(entry.path), rel, data, hashlib.sha256(data).hexdigest())

    def _rel(self, entry: os.DirEntry[str]) -> str:
        return relative(self._share, Path(entry.path))

    def _record(
        self, read: ShareFileData, outcome: str, bundle_id: str | None, message: str
    ) -> None:
        with self._uow.write() as tx:
            tx.sync.record_seen(
                ShareFile(
                    read.relative,
                    len(read.data),
                    read.sha256,
                    tx.now_text(),
                    outcome,
                    bundle_id,
                    message[:500],
                )
            )


def _already_dealt_with(seen: ShareFile | None, read: ShareFileData) -> bool:
    return seen is not None and seen.size == len(read.data) and seen.sha256 == read.sha256
