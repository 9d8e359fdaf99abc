"""What BundleService takes and hands back: a bundle prepared (read), built (written to
disk) and exported (recorded); a bundle opened and checked; what became of one import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.domain.bundle import (
    CASE_DOCUMENT_NAME,
    BundleKind,
    BundleRefused,
    Manifest,
    bundle_file_name,
)
from aim3desk.domain.cases import Case
from aim3desk.domain.identity import Contact, PublicIdentity
from aim3desk.security.identity import SecretIdentity
from aim3desk.services.errors import CaseFileError

if TYPE_CHECKING:
    from aim3desk.services.reports.request import ReportRequest


@dataclass(frozen=True)
class ExportedBundle:
    path: Path
    manifest: Manifest
    recipients: tuple[Contact, ...]


@dataclass(frozen=True)
class PreparedBundle:
    """What a bundle needs, read in one snapshot; building it needs no store."""

    template: Manifest  # every field but the members
    recipients: tuple[Contact, ...]
    reports: dict[str, ReportRequest]  # member name -> the report to render
    documents: dict[str, bytes]  # member name -> its bytes (the case document)
    secret: SecretIdentity
    out: Path | None  # a folder (the file is named from the manifest), a file, or None: the
    # bundle is sealed in memory and queued for the shared folder (seal, record_queued)
    action: str  # the audit action that records it


@dataclass(frozen=True)
class SealedBundle:
    """A bundle signed and encrypted in memory, not yet written or recorded."""

    manifest: Manifest
    manifest_json: bytes  # the signed bytes
    data: bytes  # the age-encrypted file
    sha256: str  # of `data`
    recipients: tuple[Contact, ...]
    action: str

    @property
    def file_name(self) -> str:
        return bundle_file_name(self.manifest)


@dataclass(frozen=True)
class BuiltBundle:
    """A sealed bundle and where it goes, not yet written: record() writes it with its
    record and audit entry, in one transaction."""

    path: Path
    data: bytes
    manifest: Manifest
    manifest_json: bytes  # the signed bytes
    recipients: tuple[Contact, ...]
    action: str
    sha256: str = ""  # of the file as written: a supervisor's sign-off names it


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle that passed every check: who signed it, and its members in memory."""

    manifest: Manifest
    members: dict[str, bytes]
    signer: PublicIdentity
    from_me: bool

    @property
    def case_document(self) -> bytes | None:
        return self.members.get(CASE_DOCUMENT_NAME)


@dataclass(frozen=True)
class ImportOutcome:
    """What became of one file in an import."""

    path: Path | None
    status: str  # "imported", "already-held" or "quarantined"
    manifest: Manifest | None = None
    case: Case | None = None
    refusal: BundleRefused | CaseFileError | None = None
    quarantined_as: Path | None = None
    note: str = ""  # what an import did beyond storing the bundle (a review's effect)

    @property
    def message(self) -> str:
        if self.status == "quarantined":
            return f"Set aside: {self.refusal}"
        assert self.manifest is not None
        title = self.manifest.title
        if self.status == "already-held":
            return f"{title}: already imported, nothing changed."
        if self.manifest.kind is BundleKind.HANDOVER:
            return f"{title} from {self.manifest.author.name}: the case is now in your profile."
        if self.manifest.kind is BundleKind.REVIEW and self.note:
            return f"{title} from {self.manifest.author.name}: {self.note}"
        return f"{title} from {self.manifest.author.name}: imported."
