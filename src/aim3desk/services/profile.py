"""A practitioner's profile: create it, unlock it, and the open Session it gives.

Profile folder (0700; files 0600):
    profile.key            the wrapped data key (security.keyfile), profile.key.bak beside it
    store.db (-wal, -shm)  the SQLCipher database
    backups/               encrypted copies taken before each migration
    logs/                  diagnostic logs and crash reports (ids and events only)
    settings.json          the user's own settings (config.py)
    unlock-failures.json   times of failed unlocks, moved into the audit trail at next unlock
    audit-head.json        the audit trail's end, signed (services/audit_head.py)
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from aim3desk.atomic_file import TEMP_SUFFIX, write_text_atomically
from aim3desk.config import EffectiveSettings, busy_wait_seconds, load_settings
from aim3desk.domain.identity import name_problem, parse_role
from aim3desk.domain.limits import MAX_SMALL_FILE_BYTES
from aim3desk.domain.outside_input import OutsideInputError, read_json
from aim3desk.security.keyfile import (
    DEFAULT_KDF_FLOOR,
    KEY_FILE_NAME,
    KdfParams,
    KeyFile,
    WrongPassphrase,
    WrongRecoveryKey,
    calibrate_kdf,
    wipe,
)
from aim3desk.services.errors import ProfileExists
from aim3desk.services.escrow import (
    SEAL_FAILED_NOTICE,
    plan_seal,
    record_recovery,
    seal_at_creation,
    seal_failed,
    take_recovery_notice,
)
from aim3desk.services.key_changes import announce, install_announced, reconcile, record_installed
from aim3desk.services.session import Session, require_passphrase
from aim3desk.services.store_advice import with_advice
from aim3desk.store import migrate
from aim3desk.store.db import Store, StoreError
from aim3desk.store.migrate import BACKUPS_DIR_NAME
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

# KdfParams is shared so callers above (the UI, tests) can name the key-derivation cost
# without reaching into the key code.
__all__ = ["KdfParams", "ProfileExists", "ProfileService", "Session"]

log = logging.getLogger(__name__)

STORE_FILE_NAME = "store.db"
LOGS_DIR_NAME = "logs"
UNLOCK_FAILURES_FILE_NAME = "unlock-failures.json"
_MAX_RECORDED_FAILURES = 1000
_STALE_TEMP_SECONDS = 60


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)


class ProfileService:
    def __init__(
        self,
        profile_dir: Path,
        settings: EffectiveSettings | None = None,
        kdf: KdfParams | None = None,
    ):
        """`kdf` fixes the Argon2id cost for every new passphrase (tests, benchmarks);
        by default it is calibrated on this machine, never below the settings' floor."""
        self.profile_dir = Path(profile_dir)
        self.settings = settings or load_settings(self.profile_dir)
        self._kdf = kdf

    # -- paths -------------------------------------------------------------------------

    @property
    def key_path(self) -> Path:
        return self.profile_dir / KEY_FILE_NAME

    @property
    def store_path(self) -> Path:
        return self.profile_dir / STORE_FILE_NAME

    @property
    def backups_dir(self) -> Path:
        return self.profile_dir / BACKUPS_DIR_NAME

    @property
    def failures_path(self) -> Path:
        return self.profile_dir / UNLOCK_FAILURES_FILE_NAME

    def exists(self) -> bool:
        return self.key_path.exists()

    # -- KDF cost ----------------------------------------------------------------------

    def _floor(self) -> KdfParams:
        values = self.settings.values
        return KdfParams(
            values.kdf_min_memory_kib, values.kdf_min_iterations, DEFAULT_KDF_FLOOR.lanes
        )

    def _new_kdf(self, current: KdfParams | None = None) -> KdfParams:
        """Cost for a new passphrase: the fixed one, else the profile's current cost if it
        still meets the floor, else a fresh calibration."""
        if self._kdf is not None:
            return self._kdf
        floor = self._floor()
        if current is not None and current == current.at_least(floor):
            return current
        return calibrate_kdf(self.settings.values.kdf_target_seconds, floor)

    # -- create and unlock ---------------------------------------------------------------

    def create(
        self,
        passphrase: str,
        practitioner_name: str,
        kdf: KdfParams | None = None,
        role: str = "practitioner",
    ) -> tuple[Session, str]:
        """Make a new profile; return the open session and the recovery key to show once."""
        if self.exists() or self.store_path.exists():
            raise ProfileExists(
                f"There is already a profile in {self.profile_dir}; unlock it instead."
            )
        require_passphrase(passphrase)
        problem = name_problem(practitioner_name.strip())
        if problem:  # checked before anything is made: a card could not carry it
            raise ValueError(problem)
        for folder in (self.profile_dir, self.backups_dir, self.profile_dir / LOGS_DIR_NAME):
            _private_dir(folder)
        keyfile, data_key, recovery = KeyFile.create(
            self.key_path, passphrase, kdf or self._new_kdf()
        )
        keyfile, sealed = seal_at_creation(keyfile, data_key, self._escrow_recipient)
        try:
            store = Store(self.store_path, data_key, busy_wait_seconds(), create=True)
            try:
                migrate.upgrade(store, self.backups_dir)
                now = datetime.now(UTC).isoformat(timespec="seconds")
                uow = UnitOfWork.for_store(store)
                with uow.write() as tx:
                    tx.add_profile_facts(
                        {
                            "practitioner_name": practitioner_name.strip(),
                            "created": now,
                            "profile_id": keyfile.profile_id,
                        }
                    )
                    tx.set_profile_fact("role", parse_role(role).value)
                    record_installed(tx, keyfile)
                    tx.audit(practitioner_name.strip(), "profile.create", keyfile.profile_id)
                    if sealed.audit_detail:
                        tx.audit(
                            practitioner_name.strip(),
                            "escrow.seal",
                            keyfile.profile_id,
                            sealed.audit_detail,
                        )
            except BaseException:
                store.close()
                raise
        except BaseException:
            # Nothing was ever saved in this profile: remove the half-made files so a retry
            # is not refused as "a profile already exists".
            wipe(data_key)
            for leftover in (self.store_path, self.key_path):
                for suffix in ("", "-wal", "-shm", ".bak"):
                    with contextlib.suppress(OSError):
                        leftover.with_name(leftover.name + suffix).unlink()
            raise
        log.info("profile created")
        session = self._session(keyfile, data_key, store, uow)
        session.audit.check_head_on_open()  # starts the signed head outside the database
        if sealed.notice:
            session.unlock_notices.append(sealed.notice)
        return session, recovery

    def unlock(self, passphrase: str) -> Session:
        """Open the profile. A wrong passphrase is recorded (time only) and re-raised; it is
        written into the audit trail at the next successful unlock."""
        keyfile = KeyFile.load(self.key_path)
        try:
            data_key = keyfile.unlock(passphrase)
        except WrongPassphrase:
            self._record_failure()
            raise
        return self._open(keyfile, data_key, "passphrase")

    def unlock_with_recovery(self, recovery_key: str, new_passphrase: str) -> Session:
        """Open with the printed recovery key and set a new passphrase at once."""
        require_passphrase(new_passphrase)
        keyfile = KeyFile.load(self.key_path)
        try:
            data_key = keyfile.unlock_with_recovery(recovery_key)
        except WrongRecoveryKey:
            self._record_failure()
            raise
        session = self._open(keyfile, data_key, "recovery")
        try:
            current = KeyFile.load(self.key_path)  # as the unlock left it (an escrow seal)
            draft = current.with_passphrase(data_key, new_passphrase, self._new_kdf(current.kdf))
            session.change_key_file(draft, "passphrase.change", {"via": "recovery"})
        except BaseException:
            session.close()
            raise
        return session

    def recover_with_escrow(self, identity_text: str, new_passphrase: str, os_user: str) -> str:
        """IT opens the profile with the organisation's escrow key (the text of its age
        identity file) and sets a new passphrase and a new recovery key, both old ones being
        lost or compromised; return the recovery key to show once.

        Recorded in the audit trail as `profile.escrow_recover`, with a notice kept in the
        store for the owner's next unlock. The store is opened (and migrated) first, so a
        profile whose database cannot be opened keeps its old secrets.
        """
        require_passphrase(new_passphrase)
        keyfile = KeyFile.load(self.key_path)
        data_key = keyfile.unlock_with_escrow(identity_text)
        kdf = self._new_kdf(keyfile.kdf)
        recovery: list[str] = []

        def reset_and_record(tx: StoreWriter, base: KeyFile) -> KeyFile:
            draft, recovery_key = base.with_new_unlocking(data_key, new_passphrase, kdf)
            recovery.append(recovery_key)
            record_recovery(tx, keyfile.profile_id, os_user)
            return draft

        self._open(keyfile, data_key, "escrow", recovering=reset_and_record).close()
        log.info("profile recovered with the escrow key")
        return recovery[0]

    def check_escrow_key(self, identity_text: str) -> None:
        """Raise the escrow error a recovery with this organisation key would meet (no slot,
        another key, a damaged key file); change nothing."""
        wipe(KeyFile.load(self.key_path).unlock_with_escrow(identity_text))

    @property
    def _escrow_recipient(self) -> str:
        return self.settings.values.escrow_recipient

    def _open(
        self,
        keyfile: KeyFile,
        data_key: bytearray,
        method: str,
        recovering: Callable[[StoreWriter, KeyFile], KeyFile] | None = None,
    ) -> Session:
        """Open the store and audit the unlock. `recovering` (escrow recovery) runs inside the
        unlock's transaction and gives the key file to install; otherwise this is the owner's
        unlock and any notice waiting for them is moved into the session.

        The key file that opened is reconciled with the store's record of it and its stale
        copies are tidied (services/key_changes.py, security/key_copies.py); an escrow seal
        or recovery reset is audited before its key file is installed."""
        try:
            # Missing, empty or cut short is damage, never a new profile (store/damage.py).
            store = Store(self.store_path, data_key, busy_wait_seconds())
        except StoreError as exc:
            wipe(data_key)
            raise with_advice(exc, self.profile_dir) from exc
        except BaseException:
            wipe(data_key)
            raise
        try:
            migrate.upgrade(store, self.backups_dir)
            uow = UnitOfWork.for_store(store)
            session = self._session(keyfile, data_key, store, uow)
        except BaseException as exc:
            store.close()
            wipe(data_key)
            if isinstance(exc, StoreError):
                raise with_advice(exc, self.profile_dir) from exc
            raise
        self._remove_stale_temporary_files()
        sealed = plan_seal(keyfile, data_key, self._escrow_recipient)
        notices = [sealed.notice] if sealed.notice else []
        actor = session.practitioner
        try:
            session.audit.check_head_on_open()  # before this unlock's own entry moves the head
            with uow.write() as tx:  # the failed attempts and this unlock, saved together
                # Under the profile's write lock, where every key file change is installed:
                # never beside another window's change, whose temporary copy is not stale.
                keyfile.tidy_copies()
                self._flush_failures(tx, actor, session.profile_id)
                tx.audit(actor, "profile.unlock", keyfile.profile_id, {"method": method})
                reconcile(tx, keyfile, actor)
                draft = sealed.draft
                if sealed.audit_detail:
                    tx.audit(actor, "escrow.seal", keyfile.profile_id, sealed.audit_detail)
                if recovering is not None:
                    draft = recovering(tx, draft or keyfile)
                elif told := take_recovery_notice(tx):
                    notices.insert(0, told)
                if draft is not None:
                    announce(tx, draft)
            if draft is not None:
                self._install(uow, draft, actor, notices, recovering is not None)
        except BaseException:
            session.close()
            raise
        session.unlock_notices.extend(notices)
        self.failures_path.unlink(missing_ok=True)
        log.info("profile unlocked")
        return session

    def _remove_stale_temporary_files(self) -> None:
        """Temporary files of our atomic writes left in the profile folder by a killed process
        (settings, the audit head, the record of failed unlocks; the key file's own are
        removed by tidy_copies). Only ones older than a minute: a younger one may be another
        window's write in progress."""
        cutoff = time.time() - _STALE_TEMP_SECONDS
        for leftover in self.profile_dir.glob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                    leftover.unlink()

    @staticmethod
    def _install(
        uow: UnitOfWork, draft: KeyFile, actor: str, notices: list[str], required: bool
    ) -> None:
        """Install the unlock's audited key file change. An escrow seal that fails is told as
        a notice (the unlock goes on); a `required` change (a recovery reset) raises."""
        try:
            install_announced(uow, draft, actor)
        except Exception as exc:
            if required:
                raise
            seal_failed(exc)  # logged
            notices.append(SEAL_FAILED_NOTICE)
        else:
            log.info("key file changed at unlock")

    def _session(
        self, keyfile: KeyFile, data_key: bytearray, store: Store, uow: UnitOfWork
    ) -> Session:
        return Session(
            self.profile_dir, self.settings, keyfile, data_key, store, uow, self._new_kdf
        )

    # -- failed unlocks ------------------------------------------------------------------

    def pending_failures(self) -> list[str]:
        try:
            with self.failures_path.open("rb") as handle:
                raw = handle.read(MAX_SMALL_FILE_BYTES + 1)
            data = read_json(raw, "The record of failed unlocks", MAX_SMALL_FILE_BYTES)
        except (OSError, OutsideInputError):  # a lost record of failures never stops an unlock
            return []
        if not isinstance(data, list):
            return []
        return [t for t in data if isinstance(t, str)]

    def _record_failure(self) -> None:
        times = self.pending_failures()[-(_MAX_RECORDED_FAILURES - 1) :]
        times.append(datetime.now(UTC).isoformat(timespec="seconds"))
        with contextlib.suppress(OSError):  # a read-only folder must not hide the real error
            write_text_atomically(self.failures_path, json.dumps(times))
        log.info("unlock failed")

    def _flush_failures(self, tx: StoreWriter, practitioner: str, profile_id: str) -> None:
        for at in self.pending_failures():
            tx.audit(practitioner, "profile.unlock_failed", profile_id, {"failed_at": at[:32]})
