"""Signed, encrypted bundles: an assessment version for review, or a whole case handed over.

- container.py: the ZIP inside the age encryption, built and read in memory, and the
  manifest's published JSON schema (bundle-manifest-v1.schema.json)
- service.py: BundleService (session.bundles): export, hand over, open, import, quarantine

docs/bundle-format.md describes the file for anyone who must open one without the app.
"""

from aim3desk.services.bundles.service import (
    AUDIT_EXPORT,
    AUDIT_HANDOVER,
    AUDIT_HANDOVER_RECEIVED,
    AUDIT_IMPORT,
    AUDIT_QUARANTINE,
    MEMBERS_NOT_ENCRYPTED_WARNING,
    QUARANTINE_DIR_NAME,
    BundleService,
    ExportedBundle,
    ImportOutcome,
    OpenedBundle,
    looks_like_bundle,
)

__all__ = [
    "AUDIT_EXPORT",
    "AUDIT_HANDOVER",
    "AUDIT_HANDOVER_RECEIVED",
    "AUDIT_IMPORT",
    "AUDIT_QUARANTINE",
    "MEMBERS_NOT_ENCRYPTED_WARNING",
    "QUARANTINE_DIR_NAME",
    "BundleService",
    "ExportedBundle",
    "ImportOutcome",
    "OpenedBundle",
    "looks_like_bundle",
]
