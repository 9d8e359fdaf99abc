"""The shared-folder sync of the open profile (`session.sync`).

    session.sync.queue(data, file_name, bundle_id, [fingerprint])  # into the outbox
    result = session.sync.round()    # deliver what is due, collect what is addressed to us
    session.sync.withdraw_now()      # delete a deleted case's own files if the share is there
    session.sync.status()            # offline / queued N / delivered N, for the status bar

A round first looks at the folder: not set, missing, unmounted, unmarked, a damaged marker
or the marker of another share than the one this profile first synced with makes it offline
and it changes NOTHING local. Online, it publishes this profile's card, delivers each due
outbox entry write-once into people/<me>/to/<recipient>/, deletes the files a case deletion
withdrew (withdraw.py), then collects (collect.py). A failed delivery backs off
(values.retry_delay); a share that goes away mid-round stops the round without counting
against the entries, which are delivered by a later round.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from aim3desk.atomic_file import TEMP_SUFFIX as ATOMIC_TEMP_SUFFIX
from aim3desk.atomic_file import write_bytes_atomically
from aim3desk.config import EffectiveSettings
from aim3desk.domain.identity import CardError, PublicIdentity, normalise_fingerprint, read_card
from aim3desk.services.bundles import BundleService
from aim3desk.services.errors import CaseFileError
from aim3desk.services.identity import IdentityService
from aim3desk.services.sync.collect import Collector
from aim3desk.services.sync.layout import (
    CARD_NAME,
    PEOPLE,
    TO,
    ShareProbe,
    ShareState,
    init_share,
    is_bundle_name,
    list_entries,
    own_folder,
    person_folder,
    probe_share,
)
from aim3desk.services.sync.values import (
    Delivery,
    DeliveryFailure,
    RoundState,
    StatusState,
    SyncRound,
    SyncStatus,
    retry_delay,
)
from aim3desk.services.sync.withdraw import Withdrawn, pending_paths, withdraw_pending
from aim3desk.services.sync.write_once import (
    TEMP_SUFFIX,
    WriteFunction,
    WriteOnceError,
    is_temporary_name,
    write_all,
    write_once,
)
from aim3desk.store.sync_log import OutboxEntry
from aim3desk.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

SHARE_ID_FACT = "sync_share_id"
AUDIT_QUEUE = "sync.queue"
AUDIT_DELIVER = "sync.deliver"
AUDIT_SHARE = "sync.share"
STALE_TEMP_SECONDS = 15 * 60  # a temporary file this old was left by a round that died


class SyncBusyError(CaseFileError):
    """A round is already running for this profile."""


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _due(entry: OutboxEntry, now: datetime) -> bool:
    return entry.next_attempt_at is None or datetime.fromisoformat(entry.next_attempt_at) <= now


class SyncService:
    def __init__(
        self,
        uow: UnitOfWork,
        settings: Callable[[], EffectiveSettings],
        actor: str,
        identity: IdentityService,
        bundles: BundleService,
    ):
        """`settings` gives the current settings (Preferences may change the folder)."""
        self._uow = uow
        self._settings = settings
        self.actor = actor
        self._identity = identity
        self._bundles = bundles
        self._round_lock = threading.Lock()
        self._last: SyncRound | None = None
        # How bundle bytes reach a temporary file on the share; tests pass one that fails.
        self.file_writer: WriteFunction = write_all

    # -- the folder -------------------------------------------------------------------------

    def share_folder(self) -> Path | None:
        configured = self._settings().values.share_folder.strip()
        return Path(configured).expanduser() if configured else None

    def probe(self, share: Path | None = None) -> ShareProbe:
        """What the folder is now (nothing is changed)."""
        return probe_share(share if share is not None else self.share_folder())

    @staticmethod
    def init_share(share: Path) -> ShareProbe:
        """Mark a folder as a share, on a person's explicit request only."""
        return init_share(share)

    # -- the outbox -------------------------------------------------------------------------

    def queue(
        self,
        data: bytes,
        file_name: str,
        bundle_id: str,
        recipients: Sequence[str],
        now: datetime | None = None,
    ) -> list[str]:
        """Queue one bundle file for each recipient (fingerprints); the recipients newly
        queued (one already queued for that bundle is left as it is)."""
        if not is_bundle_name(file_name) or "/" in file_name or "\\" in file_name:
            raise CaseFileError("A bundle's file name must be a plain *.aim3bundle name.")
        wanted = list(dict.fromkeys(normalise_fingerprint(r) for r in recipients))
        if not wanted:
            raise CaseFileError("Choose at least one recipient for the bundle.")
        sha256 = hashlib.sha256(data).hexdigest()
        queued_at = _text(now or datetime.now(UTC))
        with self._uow.write() as tx:
            held = {e.recipient for e in tx.sync.entries(bundle_id)}
            new = [fp for fp in wanted if fp not in held]
            for fingerprint in new:
                tx.sync.queue(bundle_id, fingerprint, file_name, data, sha256, queued_at)
            if new:
                tx.audit(self.actor, AUDIT_QUEUE, "", {"bundle_id": bundle_id, "to": new})
        return new

    def outbox(self) -> list[OutboxEntry]:
        with self._uow.read() as tx:
            return tx.sync.entries()

    # -- status ---------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        """Cheap: one read of the outbox (no file data) and the last round in memory."""
        with self._uow.read() as tx:
            pending = tx.sync.pending()
        retries = sorted(e.next_attempt_at for e in pending if e.next_attempt_at)
        errors = [e.last_error for e in pending if e.last_error]
        last = self._last
        if last is None or last.state is RoundState.NOT_SET:
            state = StatusState.NOT_SET if self.share_folder() is None else StatusState.NEVER
        else:
            state = StatusState.OFFLINE if last.offline else StatusState.ONLINE
        return SyncStatus(
            state=state,
            queued=len(pending),
            delivered_last_round=len(last.delivered) if last else 0,
            last_round_at=last.at if last else None,
            message=(last.stopped or last.message) if last else "",
            last_error=errors[0] if errors else "",
            next_retry_at=retries[0] if retries else None,
        )

    @property
    def last_round(self) -> SyncRound | None:
        return self._last

    # -- one round ------------------------------------------------------------------------

    def round(
        self, share: Path | None = None, now: datetime | None = None, today: date | None = None
    ) -> SyncRound:
        """Deliver what is due and collect what is addressed to this profile; one round at a
        time per profile (SyncBusyError)."""
        if not self._round_lock.acquire(blocking=False):
            raise SyncBusyError("A sync round is already running; try again in a moment.")
        try:
            result = self._round(share, now or datetime.now(UTC), today)
            self._last = result
            return result
        finally:
            self._round_lock.release()

    def _round(self, share: Path | None, now: datetime, today: date | None) -> SyncRound:
        probe = self.probe(share)
        if probe.state is ShareState.NOT_SET:
            return SyncRound(RoundState.NOT_SET, None, probe.message, now)
        if not probe.ready or probe.path is None:
            return SyncRound(RoundState.OFFLINE, probe.path, probe.message, now)
        folder = probe.path
        with self._uow.read() as tx:
            known = tx.profile_facts().get(SHARE_ID_FACT, "")
        if known and known != probe.share_id:
            return SyncRound(
                RoundState.DIFFERENT_SHARE,
                folder,
                f"{folder} is marked as a different share from the one this profile uses; "
                "nothing was sent or taken in.",
                now,
            )
        if not known:
            with self._uow.write() as tx:
                tx.set_profile_fact(SHARE_ID_FACT, probe.share_id)
                tx.audit(self.actor, AUDIT_SHARE, "", {"share_id": probe.share_id})
        me = self._identity.me()
        result = SyncRound(RoundState.ONLINE, folder, probe.message, now)
        self._clean_leftovers(folder, me.fingerprint)
        self._publish_card(folder, me, result)
        self._deliver(folder, probe.share_id, me.fingerprint, now, result)
        if not result.stopped:
            withdrawn = withdraw_pending(self._uow, folder, me.fingerprint, self.actor)
            result.withdrawn += withdrawn.done
            result.skipped += withdrawn.problems
        if not result.stopped:
            Collector(self._uow, self._bundles, self._identity, folder, me.fingerprint).collect(
                result, today
            )
        log.info(
            "sync round: %d delivered, %d failed, %d collected",
            len(result.delivered),
            len(result.failures),
            len(result.collected),
        )
        return result

    def withdraw_now(self, share: Path | None = None) -> Withdrawn:
        """Delete this profile's withdrawn files from the share now if it is reachable (the
        share this profile uses, and no round running); else they wait for the next round."""
        waiting = Withdrawn(waiting=pending_paths(self._uow))
        if not waiting.waiting:
            return waiting
        probe = self.probe(share)
        if not probe.ready or probe.path is None:
            return waiting
        with self._uow.read() as tx:
            known = tx.profile_facts().get(SHARE_ID_FACT, "")
        if known != probe.share_id or not self._round_lock.acquire(blocking=False):
            return waiting
        try:
            return withdraw_pending(
                self._uow, probe.path, self._identity.me().fingerprint, self.actor
            )
        finally:
            self._round_lock.release()

    def _still_there(self, folder: Path, share_id: str) -> bool:
        probe = probe_share(folder)
        return probe.ready and probe.share_id == share_id

    def _publish_card(self, folder: Path, me: PublicIdentity, result: SyncRound) -> None:
        """people/<me>/card.aim3card, rewritten only when it no longer matches this profile
        (replaced atomically: a reader sees the old card or the new one, never a part)."""
        try:
            target = own_folder(folder, PEOPLE, me.fingerprint) / CARD_NAME
            with contextlib.suppress(OSError, CardError):
                if read_card(target.read_bytes()).identity == me:
                    return
            write_bytes_atomically(target, self._identity.card_bytes())
        except OSError as exc:
            result.skipped.append(f"Your card could not be published ({exc.strerror or exc}).")

    def _deliver(
        self, folder: Path, share_id: str, me: str, now: datetime, result: SyncRound
    ) -> None:
        with self._uow.read() as tx:
            due = [e for e in tx.sync.pending() if _due(e, now)]
        for entry in due:
            if not self._still_there(folder, share_id):
                result.stopped = "The shared folder went away during the round; the rest wait."
                return
            try:
                already_there = self._place(folder, me, entry)
            except OSError as exc:
                if not self._still_there(folder, share_id):
                    result.stopped = "The shared folder went away during the round; the rest wait."
                    return
                result.failures.append(self._failed(entry, exc, now))
                continue
            except ValueError as exc:  # a file name the share cannot take
                result.failures.append(self._failed(entry, exc, now))
                continue
            result.delivered.append(self._delivered(entry, now, already_there))

    def _place(self, folder: Path, me: str, entry: OutboxEntry) -> bool:
        with self._uow.read() as tx:
            data = tx.sync.data(entry.bundle_id, entry.recipient)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise ValueError("The queued copy of this bundle is damaged; send it again.")
        target = own_folder(folder, PEOPLE, me, TO, entry.recipient)
        return write_once(target, entry.file_name, data, self.file_writer).already_there

    def _delivered(self, entry: OutboxEntry, now: datetime, already: bool) -> Delivery:
        with self._uow.write() as tx:
            tx.sync.mark_delivered(entry.bundle_id, entry.recipient, _text(now))
            tx.sync.forget_delivered_data(entry.bundle_id, entry.recipient)
            tx.audit(
                self.actor,
                AUDIT_DELIVER,
                "",
                {
                    "bundle_id": entry.bundle_id,
                    "recipient": entry.recipient,
                    "sha256": entry.sha256,
                    "already_there": already,
                },
            )
        return Delivery(entry.bundle_id, entry.recipient, entry.file_name, already)

    def _failed(self, entry: OutboxEntry, exc: Exception, now: datetime) -> DeliveryFailure:
        if isinstance(exc, OSError) and exc.strerror and not isinstance(exc, WriteOnceError):
            # the system's words only: str(exc) would add the path
            message = f"Could not write to the shared folder ({exc.strerror})."
        else:
            message = str(exc)  # our own sentence
        next_at = _text(now + retry_delay(entry.attempts + 1))
        with self._uow.write() as tx:
            tx.sync.mark_failed(entry.bundle_id, entry.recipient, message, next_at)
        return DeliveryFailure(entry.bundle_id, entry.recipient, message, next_at)

    def _clean_leftovers(self, folder: Path, me: str) -> None:
        """Remove temporary files a round that died left in this profile's own folders (only
        old ones: another round of this profile in another process may be writing)."""
        mine = person_folder(folder, me)
        folders = [mine] + [mine / TO / e.name for e in list_entries(mine / TO) if e.is_dir()]
        cutoff = time.time() - STALE_TEMP_SECONDS
        for each in folders:
            for entry in list_entries(each):
                name = entry.name
                temporary = name.endswith((TEMP_SUFFIX, ATOMIC_TEMP_SUFFIX))
                if not (is_temporary_name(name) and temporary):
                    continue
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        Path(entry.path).unlink()
