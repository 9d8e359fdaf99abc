"""Opening and importing bundles (the reading half of BundleService): decrypt, verify and
check one in memory; import it (an assessment version, a handover, a review); set a refused
file aside in the quarantine folder with its reason.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from aim3desk.domain.bundle import (
    BundleKind,
    BundleRefused,
    DamagedBundle,
    Manifest,
    NotAddressedToYou,
    SignatureMismatch,
    UnconfirmedSigner,
    check_addressed_to,
    check_not_older,
    manifest_bytes,
)
from aim3desk.domain.cases import Case, safe_reference
from aim3desk.domain.identity import PublicIdentity
from aim3desk.domain.limits import MAX_BUNDLE_BYTES
from aim3desk.security.identity import DamagedAgeFile, NotForThisKey, signature_matches
from aim3desk.services.bundles.container import check_members, parse_manifest, unpack
from aim3desk.services.bundles.quarantine import (
    QUARANTINE_DIR_NAME,
    keep_refused,
    refusal_reason,
)
from aim3desk.services.bundles.values import ImportOutcome, OpenedBundle
from aim3desk.services.errors import CaseFileError
from aim3desk.services.exchange import BUNDLE_CASE_SOURCE, ExchangeService, parse_export_bytes
from aim3desk.services.identity import IdentityService
from aim3desk.services.recorded_file import write_all_recorded
from aim3desk.store.bundle_log import RECEIVED, BundleRecord
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

log = logging.getLogger(__name__)

AUDIT_IMPORT = "bundle.import"
AUDIT_QUARANTINE = "bundle.quarantine"
AUDIT_HANDOVER_RECEIVED = "case.handover.receive"

# Takes in a checked review bundle (services/review): the outcome, or a BundleRefused.
ReviewReceiver = Callable[[OpenedBundle, BundleRecord], ImportOutcome]


def bundle_record(
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


class BundleReceiving:
    """Open, import and quarantine; BundleService adds writing."""

    _uow: UnitOfWork
    _identity: IdentityService
    _exchange: ExchangeService
    _profile_dir: Path
    actor: str
    receive_review: ReviewReceiver | None = None  # without it a review bundle is refused

    @property
    def quarantine_dir(self) -> Path:
        return self._profile_dir / QUARANTINE_DIR_NAME

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
        detail = {"bundle_id": opened.manifest.bundle_id, "members": sorted(opened.members)}
        # The files and their entry in one transaction: none is kept without the others.
        _entry, written = write_all_recorded(
            self._uow,
            {targets[name]: data for name, data in opened.members.items()},
            lambda tx: tx.audit(self.actor, "bundle.open", opened.manifest.case_reference, detail),
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
        record = bundle_record(manifest, RECEIVED, signed, hashlib.sha256(data).hexdigest())
        if manifest.kind is BundleKind.HANDOVER:
            return self._receive_handover(opened, record, today)
        if manifest.kind is BundleKind.REVIEW:
            if self.receive_review is None:
                raise BundleRefused("This profile cannot take in reviews.")
            return self.receive_review(opened, record)
        if not self._same_base_held(manifest):  # a conflict is kept beside the other side
            check_not_older(manifest, newest)
        with self._uow.write() as tx:
            tx.bundles.add(record, opened.members)
            tx.audit(self.actor, AUDIT_IMPORT, manifest.case_reference, _import_detail(manifest))
        return ImportOutcome(None, "imported", manifest)

    def _same_base_held(self, manifest: Manifest) -> bool:
        """Whether a bundle already received of this case was built on the same base (the
        same `supersedes`): two versions made from one, which a person must choose between."""
        with self._uow.read() as tx:
            held = tx.bundles.of_case(manifest.case_id, RECEIVED)
        return any(
            parse_manifest(h.manifest.encode("ascii")).supersedes == manifest.supersedes
            for h in held
            if h.kind == manifest.kind.value
        )

    def _receive_handover(
        self, opened: OpenedBundle, record: BundleRecord, today: date | None
    ) -> ImportOutcome:
        document = opened.case_document
        if document is None:
            raise DamagedBundle("This handover bundle holds no case, so it was not imported.")
        exported = parse_export_bytes(document, today, BUNDLE_CASE_SOURCE)

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
