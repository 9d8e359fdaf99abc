"""Case export and import for the open profile (`session.exchange`): a case read in one unit
of work and written to a file, or a checked file added as a new case, each audited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aim3desk.domain.cases import Case, safe_reference
from aim3desk.domain.limits import MAX_EXPORT_FILE_BYTES
from aim3desk.security.identity import (
    AgeError,
    WrongFilePassphrase,
    decrypt_with_passphrase,
    encrypt_with_passphrase,
    is_age_file,
    is_passphrase_file,
)
from aim3desk.services.assessments import AssessmentService
from aim3desk.services.case_records import CaseRecordService
from aim3desk.services.cases import CaseService
from aim3desk.services.errors import CaseAlreadyExists, CaseFileError
from aim3desk.services.exchange.checking import parse_export_bytes
from aim3desk.services.exchange.document import SCHEMA_VERSION, CaseExport, case_to_document
from aim3desk.services.recorded_file import write_recorded
from aim3desk.store.errors import DuplicateRecord
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

AUDIT_EXPORT = "case.export"
AUDIT_IMPORT = "case.import"
NOT_ENCRYPTED_WARNING = (
    "Warning: the export file is NOT encrypted and holds a child's personal data; store it "
    "only on encrypted, access-controlled storage and delete it when it is no longer needed."
)


PROTECTED_SUFFIX = ".age"
PLAIN_SUFFIX = ".json"


def export_file_name(case: Case, protected: bool) -> str:
    """The name a case's export file is given by default: its reference, never the young
    person's name (anyone browsing the folder sees file names)."""
    suffix = PROTECTED_SUFFIX if protected else PLAIN_SUFFIX
    return f"{safe_reference(case.reference)}-case{suffix}"


class NeedsPassphrase(CaseFileError):  # noqa: N818 - reads as what the caller must do
    """The export file is protected by a passphrase and none was given, or the one given
    does not open it (str() says which)."""


@dataclass(frozen=True)
class ImportResult:
    case: Case
    assessments: int


class ExchangeService:
    """Case export and import for the open profile (`session.exchange`)."""

    def __init__(
        self,
        uow: UnitOfWork,
        actor: str,
        cases: CaseService,
        assessments: AssessmentService,
        case_records: CaseRecordService,
    ):
        self._uow = uow
        self.actor = actor
        self._cases = cases
        self._assessments = assessments
        self._case_records = case_records

    def document_bytes(self, ref_or_id: str) -> tuple[Case, bytes]:
        """The whole case as the bytes of an export document, read in one snapshot."""
        with self._uow.read():  # one snapshot: the reads below join it
            case = self._cases.find_case(ref_or_id)
            contents = {a.id: self._assessments.load(a.id) for a in case.assessments}
            records = self._case_records.load(case.id)
        document = case_to_document(case, self.actor, contents=contents, records=records)
        return case, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def export_case(
        self, ref_or_id: str, out_path: Path, passphrase: str | None = None
    ) -> tuple[Case, Path]:
        """Write the whole case to `out_path` atomically and audit it: an age file protected
        by `passphrase` (the standard `age -d` opens it), or, with no passphrase, plain JSON,
        for which the caller shows NOT_ENCRYPTED_WARNING."""
        case, data = self.document_bytes(ref_or_id)
        return case, self._write_export(case, data, Path(out_path), passphrase)

    def export_case_into(
        self, ref_or_id: str, folder: Path, passphrase: str | None = None
    ) -> tuple[Case, Path]:
        """Export the case as export_case does, into `folder` under export_file_name; a file
        of that name already there is left alone and the case is refused (CaseFileError),
        so exporting many cases into one folder never overwrites an earlier export."""
        case, data = self.document_bytes(ref_or_id)
        path = Path(folder) / export_file_name(case, protected=passphrase is not None)
        if path.exists():
            raise CaseFileError(
                f"{path.name} is already in {path.parent}, so case {case.reference} was not "
                "exported there; the file was left as it was."
            )
        return case, self._write_export(case, data, path, passphrase)

    def _write_export(self, case: Case, data: bytes, path: Path, passphrase: str | None) -> Path:
        if passphrase is not None:
            if not passphrase.strip():
                raise ValueError("Enter a passphrase to protect the export file.")
            data = encrypt_with_passphrase(data, passphrase)
        detail = {
            "schema_version": SCHEMA_VERSION,
            "assessments": len(case.assessments),
            "protection": "none" if passphrase is None else "passphrase",
        }
        # The file and its entry in one transaction: neither is kept without the other.
        _entry, written = write_recorded(
            self._uow,
            path,
            data,
            lambda tx: tx.audit(self.actor, AUDIT_EXPORT, case.reference, detail),
        )
        return written

    def import_case(
        self, path: Path, today: date | None = None, passphrase: str | None = None
    ) -> ImportResult:
        """Check the file (plain JSON, or an age file protected by `passphrase`), refuse a
        case already held, then add it with all its assessments and audit it, in one
        transaction."""
        path = Path(path)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_EXPORT_FILE_BYTES + 1)
        except OSError as exc:
            raise CaseFileError(f"The file {path} cannot be read ({exc.strerror}).") from None
        protection = "none"
        if is_age_file(raw):
            if not is_passphrase_file(raw):
                raise CaseFileError(
                    "This file is a bundle addressed to people, not a passphrase-protected "
                    "export; import it as a bundle."
                )
            if passphrase is None:
                raise NeedsPassphrase(
                    "This export file is protected by a passphrase; enter it to import."
                )
            try:
                raw = decrypt_with_passphrase(raw, passphrase)
            except WrongFilePassphrase as exc:  # the caller may ask for it again
                raise NeedsPassphrase(str(exc)) from None
            except AgeError as exc:
                raise CaseFileError(str(exc)) from None
            protection = "passphrase"
        exported = parse_export_bytes(raw, today, str(path))
        return self.add_export(exported, AUDIT_IMPORT, {"protection": protection}, today)

    def add_export(
        self,
        exported: CaseExport,
        action: str,
        detail: dict[str, object],
        today: date | None = None,
        also: Callable[[StoreWriter, Case], None] | None = None,
    ) -> ImportResult:
        """Add a checked case with its assessments and records, audit it as `action`, and
        run `also` (a bundle's own record), all in one transaction."""
        case = exported.case
        try:
            with self._uow.write() as tx:
                self._refuse_held(case)
                # The case arrives with its assessments, so none is started: all are stored
                # as they are (add_case joins this transaction).
                added = self._cases.add_case(
                    case, today=today, contents=exported.contents, records=exported.records
                )
                tx.audit(
                    self.actor,
                    action,
                    added.reference,
                    {
                        "schema_version": exported.schema_version,
                        "assessments": len(added.assessments),
                        **detail,
                    },
                )
                if also is not None:
                    also(tx, added)
        except DuplicateRecord:
            # Only ids can clash here (the reference was checked): an assessment id held.
            raise CaseAlreadyExists(
                "An assessment in this file is already in this profile under another case, "
                "so the file was not imported; nothing was changed."
            ) from None
        return ImportResult(added, len(added.assessments))

    def _refuse_held(self, case: Case) -> None:
        with self._uow.read() as tx:
            held = tx.cases.held_as(case.reference, case.id)
        if held is not None:
            raise CaseAlreadyExists(
                f"A case with reference {held} is already in this profile, so "
                "the file was not imported; nothing was changed."
            )
