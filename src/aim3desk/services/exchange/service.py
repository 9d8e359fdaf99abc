"""Case export and import for the open profile (`session.exchange`): a case read in one unit
of work and written to a file, or a checked file added as a new case, each audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aim3desk.atomic_file import write_bytes_atomically
from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import Case
from aim3desk.services.assessments import AssessmentService
from aim3desk.services.case_records import CaseRecordService
from aim3desk.services.cases import CaseService
from aim3desk.services.errors import CaseAlreadyExists, CaseNotFound
from aim3desk.services.exchange.checking import read_export
from aim3desk.services.exchange.document import SCHEMA_VERSION, case_to_document
from aim3desk.store.errors import DuplicateRecord
from aim3desk.store.unit_of_work import UnitOfWork

AUDIT_EXPORT = "case.export"
AUDIT_IMPORT = "case.import"
NOT_ENCRYPTED_WARNING = (
    "Warning: the export file is NOT encrypted and holds a child's personal data; store it "
    "only on encrypted, access-controlled storage and delete it when it is no longer needed."
)


@dataclass(frozen=True)
class ImportResult:
    case: Case
    assessments: int


def write_export(
    case: Case,
    out_path: Path,
    exported_by: str = "",
    contents: Mapping[str, AssessmentContent] | None = None,
    records: CaseRecords | None = None,
) -> Path:
    document = case_to_document(case, exported_by, contents=contents, records=records)
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return write_bytes_atomically(Path(out_path), data)


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

    def export_case(self, ref_or_id: str, out_path: Path) -> tuple[Case, Path]:
        """Write the whole case to `out_path` atomically and audit it. Not encrypted: the
        caller shows NOT_ENCRYPTED_WARNING."""
        with self._uow.read():  # one snapshot: the reads below join it
            case = self._cases.find_case(ref_or_id)
            contents = {a.id: self._assessments.load(a.id) for a in case.assessments}
            records = self._case_records.load(case.id)
        path = write_export(
            case, out_path, exported_by=self.actor, contents=contents, records=records
        )
        with self._uow.write() as tx:
            tx.audit(
                self.actor,
                AUDIT_EXPORT,
                case.reference,
                {"schema_version": SCHEMA_VERSION, "assessments": len(case.assessments)},
            )
        return case, path

    def import_case(self, path: Path, today: date | None = None) -> ImportResult:
        """Check the file, refuse a case already held, then add it with all its assessments
        and audit it, in one transaction."""
        exported = read_export(path, today)
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
                    AUDIT_IMPORT,
                    added.reference,
                    {
                        "schema_version": exported.schema_version,
                        "assessments": len(added.assessments),
                    },
                )
        except DuplicateRecord:
            # Only ids can clash here (the reference was checked): an assessment id held.
            raise CaseAlreadyExists(
                "An assessment in this file is already in this profile under another case, "
                "so the file was not imported; nothing was changed."
            ) from None
        return ImportResult(added, len(added.assessments))

    def _refuse_held(self, case: Case) -> None:
        for key in (case.reference, case.id):
            try:
                existing = self._cases.find_case(key)
            except CaseNotFound:
                continue
            raise CaseAlreadyExists(
                f"A case with reference {existing.reference} is already in this profile, so "
                "the file was not imported; nothing was changed."
            )
