"""Bundles for the open profile (`session.bundles`): write one to confirmed contacts, open and
check one, import one (or many, setting bad ones aside).

    exported = bundles.export_assessment("DEMO-0004", [fingerprint], out_dir)
    opened = bundles.open_file(path)           # decrypt, verify, check: no store change
    outcomes = bundles.import_files([path...]) # each imported, already held, or quarantined

Order of checks when opening, each refusal its own class (domain/bundle.py): decrypt with this
profile's key (NotAddressedToYou, DamagedBundle), read the ZIP and the manifest against its
schema (DamagedBundle), find the signer among confirmed contacts (UnconfirmedSigner), check
the signature with the key held for them (SignatureMismatch), check every member's hash
(DamagedBundle), and check the signed recipient list names us (NotAddressedToYou: forwarded).
An import then refuses an older version than one held (OlderVersion), unless it was built on
the same base as one held (a conflict: both are kept for a person to choose); the same bundle
twice changes nothing. All of it happens in memory: nothing is written until every check
passed. Opening and importing live in receiving.py; sealing in memory in sealing.py.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.config import EffectiveSettings
from aim3desk.domain.bundle import (
    CASE_DOCUMENT_NAME,
    Author,
    BundleKind,
    Manifest,
    report_member_name,
)
from aim3desk.domain.identity import Contact
from aim3desk.security.identity import (
    is_age_file,
)
from aim3desk.services.bundles.receiving import (
    BundleReceiving,
    bundle_record,
)
from aim3desk.services.bundles.sealing import seal
from aim3desk.services.bundles.values import (
    BuiltBundle,
    ExportedBundle,
    PreparedBundle,
    SealedBundle,
)
from aim3desk.services.errors import CaseFileError
from aim3desk.services.exchange import ExchangeService
from aim3desk.services.identity import IdentityService
from aim3desk.services.recorded_file import write_recorded
from aim3desk.store.bundle_log import SENT
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

if TYPE_CHECKING:
    from aim3desk.services.reports.document import CancelCheck, ProgressCallback
    from aim3desk.services.reports.service import ReportService

log = logging.getLogger(__name__)

AUDIT_EXPORT = "bundle.export"
AUDIT_HANDOVER = "case.handover"
# Said wherever a bundle's members are written out (the command line and the app).
MEMBERS_NOT_ENCRYPTED_WARNING = (
    "Warning: these files are NOT encrypted and hold a child's personal data; keep them only "
    "on encrypted, access-controlled storage and delete them when they are no longer needed."
)


def looks_like_bundle(path: Path) -> bool:
    """An age file addressed to keys (not a passphrase-protected export)."""
    from aim3desk.security.identity import is_passphrase_file

    try:
        with Path(path).open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return is_age_file(head) and not is_passphrase_file(head)


class BundleService(BundleReceiving):
    def __init__(
        self,
        uow: UnitOfWork,
        settings: EffectiveSettings,
        actor: str,
        identity: IdentityService,
        exchange: ExchangeService,
        reports: Callable[[], ReportService],
        profile_dir: Path,
    ):
        self._uow = uow
        self._settings = settings
        self.actor = actor
        self._identity = identity
        self._exchange = exchange
        self._reports = reports
        self._profile_dir = profile_dir

    # -- write: prepare (one read), build (no store), record (one write) --------------------

    def export_assessment(
        self,
        case_ref_or_id: str,
        to: Sequence[str],
        out_dir: Path,
        share_audiences: Iterable[str] = (),
        note: str = "",
    ) -> ExportedBundle:
        """Prepare, build and record an assessment bundle in one call (the CLI, tests)."""
        prepared = self.prepare_assessment(case_ref_or_id, to, out_dir, share_audiences, note)
        return self.record(self.build(prepared))

    def hand_over(self, case_ref_or_id: str, to: str, out: Path) -> ExportedBundle:
        """Prepare, build and record a handover bundle in one call (the CLI, tests)."""
        return self.record(self.build(self.prepare_handover(case_ref_or_id, to, out)))

    def prepare_assessment(
        self,
        case_ref_or_id: str,
        to: Sequence[str],
        out_dir: Path | None,
        share_audiences: Iterable[str] = (),
        note: str = "",
    ) -> PreparedBundle:
        """Everything a bundle of the case's current assessment version needs, read in one
        snapshot: the full report, the chosen share reports (for the supervisor to read, not
        a decision to share) and the case document, to confirmed contacts."""
        reports = self._reports()
        with self._uow.read():  # one snapshot: the reads below join it
            recipients = self._recipients(to)
            full = reports.prepare(case_ref_or_id, "full")
            case = full.case
            assessment = case.current_assessment
            if assessment is None:
                raise CaseFileError(f"Case {case.reference} has no assessment to send yet.")
            requests = {report_member_name("full"): full}
            for audience in dict.fromkeys(share_audiences):
                share = reports.prepare(case.id, audience)
                requests[report_member_name(share.kind.value)] = share
            _, document = self._exchange.document_bytes(case.id)
            template = replace(
                self._manifest(BundleKind.ASSESSMENT, case.id, case.reference, recipients, note),
                assessment_id=assessment.id,
                assessment_version=assessment.version,
                finished=assessment.finished,
            )
            secret = self._identity.secret()
        return PreparedBundle(
            template,
            recipients,
            requests,
            {CASE_DOCUMENT_NAME: document},
            secret,
            None if out_dir is None else Path(out_dir),
            AUDIT_EXPORT,
        )

    def prepare_handover(self, case_ref_or_id: str, to: str, out: Path) -> PreparedBundle:
        """The whole case (every version and record) for one confirmed contact, who imports
        it into their profile; recorded here as a handover."""
        with self._uow.read():
            recipients = self._recipients([to])
            case, document = self._exchange.document_bytes(case_ref_or_id)
            template = self._manifest(BundleKind.HANDOVER, case.id, case.reference, recipients)
            secret = self._identity.secret()
        return PreparedBundle(
            template,
            recipients,
            {},
            {CASE_DOCUMENT_NAME: document},
            secret,
            Path(out),
            AUDIT_HANDOVER,
        )

    def _recipients(self, to: Sequence[str]) -> tuple[Contact, ...]:
        if not to:
            raise CaseFileError("Choose at least one confirmed contact to send the bundle to.")
        found = [self._identity.confirmed_recipient(fp) for fp in to]
        return tuple({c.fingerprint: c for c in found}.values())

    def prepare_document(
        self,
        kind: BundleKind,
        about: Manifest,
        to: Sequence[str],
        documents: dict[str, bytes],
        action: str,
    ) -> PreparedBundle:
        """A bundle of documents only (a review) to confirmed contacts, to be sealed in
        memory; `about` is the bundle it answers (its case and assessment version)."""
        with self._uow.read():
            recipients = self._recipients(to)
            template = replace(
                self._manifest(kind, about.case_id, about.case_reference, recipients),
                assessment_id=about.assessment_id,
                assessment_version=about.assessment_version,
                finished=about.finished,
            )
            secret = self._identity.secret()
        return PreparedBundle(template, recipients, {}, documents, secret, None, action)

    def _manifest(
        self,
        kind: BundleKind,
        case_id: str,
        case_reference: str,
        recipients: tuple[Contact, ...],
        note: str = "",
    ) -> Manifest:
        """The manifest without its members (build adds them once they are made)."""
        me = self._identity.me()
        with self._uow.read() as tx:
            sent = tx.bundles.of_case(case_id, SENT)
        # The newest sent by version first: times are kept to the second, so two bundles made
        # in one second must not be ordered by their random ids alone.
        latest = max(sent, key=lambda b: (b.assessment_version or 0, b.created), default=None)
        escrow = self._settings.values.escrow_recipient or None
        return Manifest(
            bundle_id=uuid.uuid4().hex,
            kind=kind,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            author=Author(me.name, me.role.value, me.fingerprint, me.signing_key_text),
            recipients=tuple(dict.fromkeys([*(c.fingerprint for c in recipients), me.fingerprint])),
            case_id=case_id,
            case_reference=case_reference,
            members=(),
            supersedes=latest.bundle_id if latest else None,
            escrow_recipient=escrow,
            note=note.strip(),
        )

    def seal(
        self,
        prepared: PreparedBundle,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> SealedBundle:
        """Render the reports, sign, pack and encrypt to the recipients, the author and
        escrow, all in memory. No store access: it may run beside the store worker. Nothing
        is made if `cancelled()` says so (ReportCancelled)."""
        reports = self._reports()
        members: dict[str, bytes] = {}
        for n, (name, request) in enumerate(prepared.reports.items()):
            if progress is not None:
                progress(n / (len(prepared.reports) + 1), f"Making {name}")
            members[name] = reports.render(request, cancelled=cancelled)
        members.update(prepared.documents)
        if progress is not None:
            progress(0.95, "Signing and encrypting")
        return seal(prepared, members)

    def build(
        self,
        prepared: PreparedBundle,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> BuiltBundle:
        """Seal the bundle (as seal) for the file record() writes. No store access."""
        if prepared.out is None:
            raise ValueError("This bundle is queued for the shared folder, not written.")
        sealed = self.seal(prepared, progress, cancelled)
        out = prepared.out
        return BuiltBundle(
            out / sealed.file_name if out.is_dir() else out,
            sealed.data,
            sealed.manifest,
            sealed.manifest_json,
            sealed.recipients,
            sealed.action,
            sealed.sha256,
        )

    def record(self, built: BuiltBundle) -> ExportedBundle:
        """Write the bundle atomically, record it and audit it, in one transaction
        (services/recorded_file.py): no bundle exists that the profile does not know it
        sent, and none is recorded that was not written."""
        manifest = built.manifest

        def record(tx: StoreWriter) -> None:
            tx.bundles.add(bundle_record(manifest, SENT, built.manifest_json, built.sha256))
            tx.audit(
                self.actor,
                built.action,
                manifest.case_reference,
                _sent_detail(manifest, built.recipients),
            )

        _none, path = write_recorded(self._uow, built.path, built.data, record)
        log.info("bundle written (%d members)", len(manifest.members))
        return ExportedBundle(path, manifest, built.recipients)

    def record_queued(
        self,
        sealed: SealedBundle,
        detail: dict[str, object] | None = None,
        also: Callable[[StoreWriter], None] | None = None,
    ) -> None:
        """Record a sealed bundle, queue its file once per recipient for the shared folder
        and audit it, in one transaction; `also` adds its own writes to that transaction."""
        manifest = sealed.manifest
        with self._uow.write() as tx:
            tx.bundles.add(bundle_record(manifest, SENT, sealed.manifest_json, sealed.sha256))
            now = datetime.now(UTC).isoformat(timespec="seconds")  # as sync queues
            for contact in sealed.recipients:
                tx.sync.queue(
                    manifest.bundle_id,
                    contact.fingerprint,
                    sealed.file_name,
                    sealed.data,
                    sealed.sha256,
                    now,
                )
            if also is not None:
                also(tx)
            tx.audit(
                self.actor,
                sealed.action,
                manifest.case_reference,
                {**_sent_detail(manifest, sealed.recipients), "queued": True, **(detail or {})},
            )


def _sent_detail(manifest: Manifest, recipients: tuple[Contact, ...]) -> dict[str, object]:
    """What the audit trail says of a bundle sent: ids and fingerprints, never content."""
    return {
        "bundle_id": manifest.bundle_id,
        "version": manifest.assessment_version,
        "to": [c.fingerprint for c in recipients],
        "escrow": bool(manifest.escrow_recipient),
        "members": [m.name for m in manifest.members],
    }
