"""The quarantine folder: a refused bundle is kept as received (still encrypted) beside a note
of why, for a person to look at; nothing in it is ever opened by the app."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path

from aim3desk.atomic_file import write_bytes_atomically, write_text_atomically
from aim3desk.domain.bundle import BundleRefused
from aim3desk.domain.limits import MAX_BUNDLE_BYTES
from aim3desk.services.errors import CaseFileError

log = logging.getLogger(__name__)

QUARANTINE_DIR_NAME = "quarantine"


def refusal_reason(refusal: BundleRefused | CaseFileError) -> str:
    """The short reason recorded in the audit trail and the note (no case data)."""
    return getattr(refusal, "reason", "case-file")


def keep_refused(
    folder: Path, source_name: str, data: bytes, refusal: BundleRefused | CaseFileError
) -> Path | None:
    """Copy a refused file's bytes into `folder` with a note of why; the copy, or None when
    there was nothing to keep (unreadable, too large) or it could not be written."""
    if not data or len(data) > MAX_BUNDLE_BYTES:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{stamp}-{uuid.uuid4().hex[:8]}{Path(source_name).suffix}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        copied = write_bytes_atomically(target, data)
        write_text_atomically(
            target.with_name(target.name + ".reason.txt"),
            f"file: {Path(source_name).name}\nreason: {refusal_reason(refusal)}\n{refusal}\n",
        )
    except OSError:
        log.warning("a refused bundle could not be copied into quarantine")
        return None
    return copied
