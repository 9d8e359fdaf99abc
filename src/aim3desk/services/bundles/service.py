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
An import then refuses an older version than one held (OlderVersion); the same bundle twice
changes nothing. All of it happens in memory: nothing is written until every check passed.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.atomic_file import write_bytes_atomically
from aim3desk.config import EffectiveSettings
from aim3desk.domain.bundle import (
    CASE_DOCUMENT_NAME,
    MAX_BUNDLE_BYTES,
    Author,
    BundleKind,
    BundleRefused,
    DamagedBundle,
    Manifest,
    Member,
    MemberKind,
    NotAddressedToYou,
    SignatureMismatch,
    UnconfirmedSigner,
    bundle_file_name,
    check_addressed_to,
    check_not_older,
    manifest_bytes,
    report_member_name,
)
from aim3desk.domain.cases import Case, safe_reference
from aim3desk.domain.identity import Contact, PublicIdentity
from aim3desk.security.identity import (
    DamagedAgeFile,
    NotForThisKey,
    encrypt_to,
    is_age_file,
    signature_matches,
)
from aim3desk.services.bundles.container import (
    check_members,
    pack,
    parse_manifest,
    sha256_hex,
    unpack,
)
from aim3desk.services.bundles.quarantine import (
    QUARANTINE_DIR_NAME,
    keep_refused,
    refusal_reason,
)
from aim3desk.services.bundles.values import (
    BuiltBundle,
    ExportedBundle,
    ImportOutcome,
    OpenedBundle,
    PreparedBundle,
)
from aim3desk.services.errors import CaseFileError
from aim3desk.services.exchange import ExchangeService, parse_export_bytes
from aim3desk.services.identity import IdentityService
from aim3desk.store.bundle_log import RECEIVED, SENT, BundleRecord
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

if TYPE_CHECKING:
    from aim3desk.services.reports.document import CancelCheck, ProgressCallback
    from aim3desk.services.reports.service import ReportService

log = logging.getLogger(__name__)

AUDIT_EXPORT = "bundle.export"
AUDIT_IMPORT = "bundle.import"
AUDIT_QUARANTINE = "bundle.quarantine"
AUDIT_HANDOVER = "case.handover"
AUDIT_HANDOVER_RECEIVED = "case.handover.receive"
# Said wherever a bundle's members are written out (the command line and the app).
MEMBERS_NOT_ENCRYPTED_WARNING = (
    "Warning: these files are NOT encrypted and hold a child's personal data; keep them only "
    "on encrypted, access-controlled storage and delete them when they are no longer needed."
)


def _members(members: dict[str, bytes]) -> tuple[Member, ...]:
    return tuple(
        Member(
            name=name,
            kind=MemberKind.CASE_DOCUMENT if name == CASE_DOCUMENT_NAME else MemberKind.REPORT,
            sha256=sha256_hex(data),
            size=len(data),
            audience=None
            if name == CASE_DOCUMENT_NAME
            else name.removeprefix("report-").removesuffix(".pdf"),
        )
        for name, data in members.items()
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


class BundleService:
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

    @property
    def quarantine_dir(self) -> Path:
        return self._profile_dir / QUARANTINE_DIR_NAME

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
        out_dir: Path,
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
                self._manifest(BundleKind.ASSESSMENT, case, recipients, note),
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
            Path(out_dir),
            AUDIT_EXPORT,
        )

    def prepare_handover(self, case_ref_or_id: str, to: str, out: Path) -> PreparedBundle:
        """The whole case (every version and record) for one confirmed contact, who imports
        it into their profile; recorded here as a handover."""
        with self._uow.read():
            recipients = self._recipients([to])
            case, document = self._exchange.document_bytes(case_ref_or_id)
            template = self._manifest(BundleKind.HANDOVER, case, recipients)
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

    def _manifest(
        self, kind: BundleKind, case: Case, recipients: tuple[Contact, ...], note: str = ""
    ) -> Manifest:
        """The manifest without its members (build adds them once they are made)."""
        me = self._identity.me()
        with self._uow.read() as tx:
            sent = tx.bundles.of_case(case.id, SENT)
        escrow = self._settings.values.escrow_recipient or None
        return Manifest(
            bundle_id=uuid.uuid4().hex,
            kind=kind,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            author=Author(me.name, me.role.value, me.fingerprint, me.signing_key_text),
            recipients=tuple(dict.fromkeys([*(c.fingerprint for c in recipients), me.fingerprint])),
            case_id=case.id,
            case_reference=case.reference,
            members=(),
            supersedes=sent[-1].bundle_id if sent else None,
            escrow_recipient=escrow,
            note=note.strip(),
        )

    def build(
        self,
        prepared: PreparedBundle,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> BuiltBundle:
        """Render the reports, sign, pack, encrypt to the recipients, the author and escrow,
        and write the file atomically. No store access: it may run beside the store worker.
        Nothing is written if `cancelled()` says so (ReportCancelled)."""
        reports = self._reports()
        members: dict[str, bytes] = {}
        for n, (name, request) in enumerate(prepared.reports.items()):
            if progress is not None:
                progress(n / (len(prepared.reports) + 1), f"Making {name}")
            members[name] = reports.render(request, cancelled=cancelled)
        members.update(prepared.documents)
        if progress is not None:
            progress(0.95, "Signing and encrypting")
        manifest = replace(prepared.template, members=_members(members))
        signed = manifest_bytes(manifest)
        secret = prepared.secret
        plain = pack(signed, secret.sign(signed), members)
        keys = [c.identity.age_recipient for c in prepared.recipients] + [secret.age_recipient]
        if manifest.escrow_recipient:
            keys.append(manifest.escrow_recipient)
        sealed = encrypt_to(plain, keys)
        out = prepared.out
        path = write_bytes_atomically(
            out / bundle_file_name(manifest) if out.is_dir() else out, sealed
        )
        log.info("bundle written (%d members)", len(members))
        return BuiltBundle(
            path,
            manifest,
            signed,
            prepared.recipients,
            prepared.action,
            hashlib.sha256(sealed).hexdigest(),
        )

    def record(self, built: BuiltBundle) -> ExportedBundle:
        """Record the written bundle and audit it in one transaction; the file is removed if
        that fails, so no bundle exists that the profile does not know it sent."""
        manifest = built.manifest
        try:
            with self._uow.write() as tx:
                tx.bundles.add(self._record(manifest, SENT, built.manifest_json, built.sha256))
                tx.audit(
                    self.actor,
                    built.action,
                    manifest.case_reference,
                    {
                        "bundle_id": manifest.bundle_id,
                        "version": manifest.assessment_version,
                        "to": [c.fingerprint for c in built.recipients],
                        "escrow": bool(manifest.escrow_recipient),
                        "members": [m.name for m in manifest.members],
                    },
                )
        except BaseException:
            with contextlib.suppress(OSError):
                built.path.unlink()
            raise
        return ExportedBundle(built.path, manifest, built.recipients)

    @staticmethod
    def _record(
        manifest: Manifest, direction: str, signed: bytes, file_sha256: str | None = None
    ) -> BundleRecord:
        return BundleRecord(
            bundle_id=manifest.bundle_id,
            direction=direction,
            kind=manifest.kind.value,
            case_id=manifest.case_id,
            case_reference=manifest.case_reference,
            assessment_version=manifest.assessment_version,
            author_fingerprint=manifest.author.fingerprint,
            created=manifest.created,
            recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
            manifest=signed.decode("ascii"),
            file_sha256=file_sha256 or None,
        )

    # -- open -----------------------------------------------------------------------------

    def open_file(self, path: Path) -> OpenedBundle:
        return self.open(_read_bundle_file(path))

    def open(self, data: bytes) -> OpenedBundle:
        """Decrypt and check a bundle in memory; BundleRefused (a subclass per reason)."""
        if len(data) > MAX_BUNDLE_BYTES:
            raise DamagedBundle("This file is too large to be a bundle.")
        secret = self._identity.secret()
        try:
            plain = secret.decrypt(data)
        except NotForThisKey as exc:
            raise NotAddressedToYou(str(exc)) from None
        except DamagedAgeFile as exc:
            raise DamagedBundle(str(exc)) from None
        unpacked = unpack(plain)
        manifest = parse_manifest(unpacked.manifest_json)
        me = self._identity.me()
        signer, from_me = self._signer(manifest, me)
        if not signature_matches(signer.signing_key, unpacked.signature, unpacked.manifest_json):
            raise SignatureMismatch(
                f"The signature on this bundle does not match {signer.name}'s key "
                f"({signer.fingerprint}): it was altered or not made by them, so it was not "
                "opened."
            )
        check_members(manifest, unpacked.members)
        check_addressed_to(manifest, me.fingerprint)
        return OpenedBundle(manifest, unpacked.members, signer, from_me)

    def _signer(self, manifest: Manifest, me: PublicIdentity) -> tuple[PublicIdentity, bool]:
        author = manifest.author
        if author.fingerprint == me.fingerprint:
            return me, True
        with self._uow.read() as tx:
            contact = tx.people.contact(author.fingerprint)
        if contact is None or not contact.confirmed:
            what = "not one of your contacts" if contact is None else "not confirmed yet"
            raise UnconfirmedSigner(
                f"This bundle is signed by a key you have not confirmed: '{author.name}' "
                f"({author.fingerprint}) is {what}. Add their card and compare the "
                "fingerprint with them before opening what they send."
            )
        return contact.identity, False

    def write_members(self, opened: OpenedBundle, out_dir: Path) -> list[Path]:
        """Write a checked bundle's members into `out_dir` (each atomically, mode 0600),
        never replacing a file already there; audited."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        reference = safe_reference(opened.manifest.case_reference)  # may hold slashes
        targets = {name: out_dir / f"{reference}-{name}" for name in opened.members}
        clashes = [p.name for p in targets.values() if p.exists()]
        if clashes:
            raise CaseFileError(
                f"{out_dir} already holds {', '.join(sorted(clashes))}; choose an empty folder."
            )
        written = [write_bytes_atomically(targets[n], d) for n, d in opened.members.items()]
        with self._uow.write() as tx:
            tx.audit(
                self.actor,
                "bundle.open",
                opened.manifest.case_reference,
                {"bundle_id": opened.manifest.bundle_id, "members": sorted(opened.members)},
            )
        return written

    # -- import ---------------------------------------------------------------------------

    def import_bundle(self, data: bytes, today: date | None = None) -> ImportOutcome:
        """Check and import one bundle; BundleRefused or CaseFileError if it cannot be."""
        opened = self.open(data)
        manifest = opened.manifest
        with self._uow.read() as tx:
            held = tx.bundles.get(manifest.bundle_id)
            newest = tx.bundles.newest_version_received(
                manifest.case_id, manifest.author.fingerprint
            )
        if held is not None:  # imported before, or one this profile wrote itself
            return ImportOutcome(None, "already-held", manifest)
        if opened.from_me:
            raise BundleRefused("This bundle was made by this profile but is not in its records.")
        signed = manifest_bytes(manifest)
        record = self._record(manifest, RECEIVED, signed, hashlib.sha256(data).hexdigest())
        if manifest.kind is BundleKind.HANDOVER:
            return self._receive_handover(opened, record, today)
        check_not_older(manifest, newest)
        with self._uow.write() as tx:
            tx.bundles.add(record, opened.members)
            tx.audit(self.actor, AUDIT_IMPORT, manifest.case_reference, _import_detail(manifest))
        return ImportOutcome(None, "imported", manifest)

    def _receive_handover(
        self, opened: OpenedBundle, record: BundleRecord, today: date | None
    ) -> ImportOutcome:
        document = opened.case_document
        if document is None:
            raise DamagedBundle("This handover bundle holds no case, so it was not imported.")
        exported = parse_export_bytes(document, today)

        def also(tx: StoreWriter, _case: Case) -> None:
            tx.bundles.add(record)

        result = self._exchange.add_export(
            exported,
            AUDIT_HANDOVER_RECEIVED,
            {**_import_detail(opened.manifest)},
            today,
            also,
        )
        return ImportOutcome(None, "imported", opened.manifest, result.case)

    def import_files(self, paths: Iterable[Path], today: date | None = None) -> list[ImportOutcome]:
        """Import each file; a refused one is moved aside into the quarantine folder with
        its reason, and the rest carry on."""
        outcomes = []
        for path in paths:
            path = Path(path)
            try:
                data = _read_bundle_file(path)
            except (BundleRefused, CaseFileError) as refusal:
                outcomes.append(self.set_aside(path, b"", refusal))
                continue
            outcomes.append(self.import_or_set_aside(data, path, today))
        return outcomes

    def import_or_set_aside(
        self, data: bytes, source: Path, today: date | None = None
    ) -> ImportOutcome:
        """Import one bundle read from `source`; a refused one is set aside in quarantine
        (the import of files and the shared-folder sync both come here)."""
        try:
            return replace(self.import_bundle(data, today), path=source)
        except (BundleRefused, CaseFileError) as refusal:
            return self.set_aside(source, data, refusal)

    def set_aside(
        self, source: Path, data: bytes, refusal: BundleRefused | CaseFileError
    ) -> ImportOutcome:
        """Keep a copy of the refused bytes (still encrypted) and a note of why; audited."""
        copied = keep_refused(self.quarantine_dir, source.name, data, refusal)
        with self._uow.write() as tx:
            tx.audit(self.actor, AUDIT_QUARANTINE, "", {"reason": refusal_reason(refusal)})
        return ImportOutcome(source, "quarantined", refusal=refusal, quarantined_as=copied)

    def received(self) -> list[BundleRecord]:
        with self._uow.read() as tx:
            return tx.bundles.received()


def _import_detail(manifest: Manifest) -> dict[str, object]:
    return {
        "bundle_id": manifest.bundle_id,
        "kind": manifest.kind.value,
        "version": manifest.assessment_version,
        "from": manifest.author.fingerprint,
        "members": [m.name for m in manifest.members],
    }


def _read_bundle_file(path: Path) -> bytes:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BUNDLE_BYTES + 1)
    except OSError as exc:
        raise CaseFileError(f"The file {path} cannot be read ({exc.strerror}).") from None
    if len(data) > MAX_BUNDLE_BYTES:
        raise DamagedBundle("This file is too large to be a bundle.")
    return data
