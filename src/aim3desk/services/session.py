"""The open session of an unlocked profile and the services it owns.

Every service of the profile hangs off the session as a typed attribute, so a caller (the UI's
operations, the CLI, a test) reaches each read or change by name: `session.cases.add_case(...)`,
`session.reports.prepare(...)`. close() locks the profile: the store is closed and the key wiped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.config import EffectiveSettings
from aim3desk.domain.forms import FormError, FormSet
from aim3desk.security.identity import SecretIdentity
from aim3desk.security.keyfile import KdfParams, KeyFile, wipe
from aim3desk.services.annual_return import AnnualReturnService
from aim3desk.services.assessments import AssessmentService
from aim3desk.services.audit_head import HEAD_FILE_NAME, AuditHeadFile
from aim3desk.services.audit_log import AuditLog
from aim3desk.services.bundles import BundleService
from aim3desk.services.case_logs import CaseLogService
from aim3desk.services.case_records import CaseRecordService
from aim3desk.services.cases import CaseService
from aim3desk.services.deadlines import DeadlineService
from aim3desk.services.deletion import DeletionService
from aim3desk.services.exchange import ExchangeService
from aim3desk.services.identity import IdentityService
from aim3desk.services.intervention import InterventionService
from aim3desk.services.key_changes import change_key_file
from aim3desk.services.retention import RetentionService
from aim3desk.services.review import ReviewService
from aim3desk.services.search import SearchService
from aim3desk.services.sharing import SharingService
from aim3desk.services.store_advice import with_advice
from aim3desk.services.supervision import SupervisionService
from aim3desk.services.sync import SyncService
from aim3desk.store.db import Store, StoreCorrupt, StoreError
from aim3desk.store.unit_of_work import UnitOfWork

if TYPE_CHECKING:  # reportlab is imported only when a report is first asked for
    from aim3desk.services.reports.service import ReportService

log = logging.getLogger(__name__)

NewKdf = Callable[[KdfParams | None], KdfParams]


def require_passphrase(passphrase: str) -> None:
    if not passphrase or not passphrase.strip():
        raise ValueError("Enter a passphrase.")


class Session:
    """An unlocked profile. close() locks it: the store is closed and the key wiped."""

    cases: CaseService
    assessments: AssessmentService
    case_records: CaseRecordService
    supervision: SupervisionService
    intervention: InterventionService
    logs: CaseLogService
    sharing: SharingService
    deadlines: DeadlineService
    annual_return: AnnualReturnService
    exchange: ExchangeService
    identity: IdentityService
    bundles: BundleService
    review: ReviewService
    sync: SyncService
    deletion: DeletionService
    retention: RetentionService

    def __init__(
        self,
        profile_dir: Path,
        settings: EffectiveSettings,
        keyfile: KeyFile,
        data_key: bytearray,
        store: Store,
        uow: UnitOfWork,
        new_kdf: NewKdf,
    ):
        """`uow` is the store's one unit of work, which every service reads and writes
        through; `new_kdf` gives the Argon2id cost for a new passphrase from the current
        one."""
        self._keyfile = keyfile
        self._key = data_key
        self._new_kdf = new_kdf
        self.store = store
        self.profile_dir = profile_dir
        self.settings = settings
        self.profile_id = keyfile.profile_id
        self._uow = uow
        with uow.read() as tx:
            facts = tx.profile_facts()
            signer = SecretIdentity.from_stored(*tx.people.secret_identity_text())
        self.practitioner: str = facts.get("practitioner_name", "")
        # The signed end of the trail, rewritten after every audited commit.
        head = AuditHeadFile(profile_dir / HEAD_FILE_NAME, self.profile_id, signer)
        self.audit = AuditLog(uow, head, self.practitioner, self.profile_id)
        args = (uow, settings, self.practitioner)
        self.cases = CaseService(*args)
        self.assessments = AssessmentService(*args, self._load_forms)
        self.case_records = CaseRecordService(*args)
        self.supervision = SupervisionService(*args)
        self.intervention = InterventionService(*args)
        self.logs = CaseLogService(*args)
        self.sharing = SharingService(*args)
        self.deadlines = DeadlineService(uow, settings)
        # Search what you wrote; domain titles from the forms the assessments use.
        self.search = SearchService(uow, lambda: self.assessments.form_set)
        self.annual_return = AnnualReturnService(*args)
        self.exchange = ExchangeService(
            uow, self.practitioner, self.cases, self.assessments, self.case_records
        )
        self.identity = IdentityService(uow, self.practitioner)
        self.bundles = BundleService(
            uow,
            settings,
            self.practitioner,
            self.identity,
            self.exchange,
            lambda: self.reports,
            profile_dir,
        )
        self.sync = SyncService(
            uow, lambda: self.settings, self.practitioner, self.identity, self.bundles
        )
        # Also takes in the review bundles that session.bundles imports.
        self.review = ReviewService(
            uow,
            self.practitioner,
            self.identity,
            self.bundles,
            self.cases,
            self.assessments,
            lambda: self.supervision.forms,
        )
        self.deletion = DeletionService(
            uow, self.practitioner, self.identity, self.sync, profile_dir, data_key
        )
        # A decision to delete goes to session.deletion, which refuses under legal hold.
        self.retention = RetentionService(
            uow, lambda: self.settings, self.practitioner, self.deletion
        )
        # Things the person must be told as the profile opens (set by ProfileService: for
        # example that the organisation opened it with its escrow key). Shown once.
        self.unlock_notices: list[str] = []
        self._closed = False

    @cached_property
    def reports(self) -> ReportService:
        from aim3desk.services.reports.service import ReportService

        return ReportService(
            self._uow,
            self.settings,
            self.practitioner,
            self.cases,
            self.assessments,
            self.case_records,
            self.sharing,
        )

    def _load_forms(self) -> FormSet:
        """The organisation's licensed forms when set and readable, else the shipped ones
        (compare() only needs their labels)."""
        from aim3desk.services.forms_loader import load_form_set

        licensed = self.settings.values.licensed_form_file
        if licensed:
            try:
                return load_form_set(licensed_file=Path(licensed))
            except FormError:
                log.warning("licensed form file unreadable; using the shipped forms")
        return load_form_set()

    @property
    def closed(self) -> bool:
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("The profile is locked; unlock it to continue.")

    @property
    def integrity_checked(self) -> bool:
        """Whether the whole database has passed its integrity check since this unlock (at
        open after an unclean shutdown, around a migration, or by check_integrity)."""
        return self.store.integrity_checked

    def check_integrity(self) -> None:
        """The whole-database integrity check (selftest; the GUI runs it once per unlock in
        the background). It reads on a connection of its own, beside the unit of work, so
        saves go on meanwhile. Raises StoreCorrupt (saying whether a backup can restore it),
        or StoreClosed if the profile is locked while it runs."""
        self._check_open()
        try:
            self.store.check_integrity()
        except StoreCorrupt as exc:
            raise with_advice(exc, self.profile_dir) from exc

    def change_passphrase(self, current: str, new: str) -> None:
        """Check the current passphrase, re-wrap the data key under the new one, audit it."""
        self._check_open()
        require_passphrase(new)
        keyfile = KeyFile.load(self._keyfile.path)
        probe = keyfile.unlock(current)  # raises WrongPassphrase
        wipe(probe)
        draft = keyfile.with_passphrase(self._key, new, self._new_kdf(keyfile.kdf))
        self.change_key_file(draft, "passphrase.change", {"via": "passphrase"})
        log.info("passphrase changed")

    def change_key_file(self, draft: KeyFile, action: str, detail: dict[str, str]) -> None:
        """Audit `action` and install `draft` as the key file (services/key_changes.py)."""
        self._check_open()
        change_key_file(
            self._uow,
            draft,
            self.practitioner,
            lambda tx: tx.audit(self.practitioner, action, self.profile_id, detail),
        )
        self._keyfile = draft

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._uow.close()  # waits for a running read or write, then closes the store
        finally:
            wipe(self._key)
        log.info("profile locked")

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
