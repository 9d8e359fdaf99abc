"""Signed, encrypted bundles: an assessment version for review, or a whole case handed over.

- container.py: the ZIP inside the age encryption, built and read in memory, and the
  manifest's published JSON schema (bundle-manifest-v1.schema.json)
- service.py: BundleService (session.bundles): write (prepare: one read; build or seal: no
  store; record or record_queued: one write)
- receiving.py: open, import (a review goes to services/review), set aside
- quarantine.py: refused bundles kept aside with the reason
- sealing.py: sign, pack and encrypt in memory
- values.py: what it takes and hands back

docs/bundle-format.md describes the file for anyone who must open one without the app.
"""

from aim3desk.services.bundles.quarantine import QUARANTINE_DIR_NAME
from aim3desk.services.bundles.receiving import (
    AUDIT_HANDOVER_RECEIVED,
    AUDIT_IMPORT,
    AUDIT_QUARANTINE,
)
from aim3desk.services.bundles.service import (
    AUDIT_EXPORT,
    AUDIT_HANDOVER,
    MEMBERS_NOT_ENCRYPTED_WARNING,
    BundleService,
    looks_like_bundle,
)
from aim3desk.services.bundles.values import (
    BuiltBundle,
    ExportedBundle,
    ImportOutcome,
    OpenedBundle,
    PreparedBundle,
    SealedBundle,
)

__all__ = [
    "AUDIT_EXPORT",
    "AUDIT_HANDOVER",
    "AUDIT_HANDOVER_RECEIVED",
    "AUDIT_IMPORT",
    "AUDIT_QUARANTINE",
    "MEMBERS_NOT_ENCRYPTED_WARNING",
    "QUARANTINE_DIR_NAME",
    "BuiltBundle",
    "BundleService",
    "ExportedBundle",
    "ImportOutcome",
    "OpenedBundle",
    "PreparedBundle",
    "SealedBundle",
    "looks_like_bundle",
]
