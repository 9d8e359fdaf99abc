"""Export a whole case to a JSON file and import it again (docs/export-format.md).

For subject-access requests and for moving a case to another practitioner or device. The
file is an age file protected by a passphrase, or, asked for explicitly, plain JSON that the
caller must say is NOT encrypted. A case handed over to a contact travels as a bundle
(services/bundles), which uses the same document. Nothing here logs content.

- document.py: the case document codec (case <-> JSON document, every schema version)
- checking.py: schema and domain checks of a file before anything is written
- service.py: ExchangeService (session.exchange): export_case (one file), export_case_into
  (a folder, never overwriting), import_case; export_file_name
"""

from aim3desk.services.errors import CaseAlreadyExists, CaseFileError
from aim3desk.services.exchange.checking import (
    BUNDLE_CASE_SOURCE,
    SCHEMA_FILE,
    SCHEMA_FILES,
    check_document,
    load_schema,
    parse_export_bytes,
    read_export,
)
from aim3desk.services.exchange.document import (
    FORMAT_NAME,
    SCHEMA_VERSION,
    CaseExport,
    case_to_document,
    document_to_case,
    document_to_export,
)
from aim3desk.services.exchange.service import (
    AUDIT_EXPORT,
    AUDIT_IMPORT,
    NOT_ENCRYPTED_WARNING,
    PLAIN_SUFFIX,
    PROTECTED_SUFFIX,
    ExchangeService,
    ImportResult,
    NeedsPassphrase,
    export_file_name,
)

__all__ = [
    "AUDIT_EXPORT",
    "AUDIT_IMPORT",
    "BUNDLE_CASE_SOURCE",
    "FORMAT_NAME",
    "NOT_ENCRYPTED_WARNING",
    "PLAIN_SUFFIX",
    "PROTECTED_SUFFIX",
    "SCHEMA_FILE",
    "SCHEMA_FILES",
    "SCHEMA_VERSION",
    "CaseAlreadyExists",
    "CaseExport",
    "CaseFileError",
    "ExchangeService",
    "ImportResult",
    "NeedsPassphrase",
    "case_to_document",
    "check_document",
    "document_to_case",
    "document_to_export",
    "export_file_name",
    "load_schema",
    "parse_export_bytes",
    "read_export",
]
