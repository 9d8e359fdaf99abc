"""The supervisor's inbox: each assessment bundle received, with its state worked out from
the reviews held, the later versions received and the conflicts chosen. Pure functions over
what the store holds (the service reads it in one snapshot)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aim3desk.domain.bundle import BundleKind, Manifest, document_to_manifest
from aim3desk.domain.gates import Gate
from aim3desk.domain.limits import MAX_NOTE_CHARS
from aim3desk.domain.review import Decision
from aim3desk.services.review.values import InboxEntry, InboxState
from aim3desk.store.bundle_log import BundleRecord
from aim3desk.store.review_log import DRAFT, StoredReview

# The manifest note of a version sent without passing the readiness check starts so; the
# rest is the practitioner's reason, which the supervisor sees.
SEND_REASON_PREFIX = f"{Gate.SEND.label}: "
# The most that reason may hold, so the note stays within the manifest's limit.
MAX_SEND_REASON_CHARS = MAX_NOTE_CHARS - len(SEND_REASON_PREFIX)
# A profile fact per bundle set aside when a person chose the other side of a conflict.
SUPERSEDED_FACT_PREFIX = "superseded-bundle:"


def send_note(reason: str) -> str:
    return f"{SEND_REASON_PREFIX}{reason}" if reason else ""


def sent_with_reason(manifest: Manifest) -> str:
    note = manifest.note
    return note.removeprefix(SEND_REASON_PREFIX) if note.startswith(SEND_REASON_PREFIX) else ""


@dataclass(frozen=True)
class Received:
    """An assessment bundle received, with its signed manifest read."""

    record: BundleRecord
    manifest: Manifest

    @property
    def bundle_id(self) -> str:
        return self.record.bundle_id


def received_assessments(records: Iterable[BundleRecord]) -> list[Received]:
    found = []
    for record in records:
        if record.kind != BundleKind.ASSESSMENT.value:
            continue
        manifest = document_to_manifest(json.loads(record.manifest))
        found.append(Received(record, manifest))
    return found


def _order(item: Received) -> tuple[int, str, str]:
    """Versions in the order they were made: by number, then time (to the second), then id."""
    manifest = item.manifest
    return (manifest.assessment_version or 0, manifest.created, item.bundle_id)


def same_base(a: Manifest, b: Manifest) -> bool:
    """Two versions of one case made from the same base: a conflict for a person to settle."""
    return (
        a.bundle_id != b.bundle_id
        and a.case_id == b.case_id
        and a.supersedes == b.supersedes
        and (a.supersedes is not None or a.author.fingerprint == b.author.fingerprint)
    )


def previous_of(item: Received, everything: Iterable[Received]) -> Received | None:
    """The version received of the same case just before this one (its conflict's other
    side excluded), against which the supervisor sees what changed."""
    earlier = [
        other
        for other in everything
        if other.manifest.case_id == item.manifest.case_id
        and other.bundle_id != item.bundle_id
        and not same_base(other.manifest, item.manifest)
        and _order(other) < _order(item)
    ]
    return max(earlier, key=_order, default=None)


def _state(
    item: Received,
    everything: list[Received],
    reviews: list[StoredReview],
    superseded: Mapping[str, str],
    conflicts: tuple[str, ...],
) -> InboxState:
    decided = [r for r in reviews if r.review.decided]
    if decided:
        latest = max(decided, key=lambda r: r.updated_at).review
        return (
            InboxState.SIGNED_OFF if latest.decision is Decision.SIGN_OFF else InboxState.RETURNED
        )
    if item.bundle_id in superseded:
        return InboxState.SUPERSEDED
    if any(c not in superseded for c in conflicts):
        return InboxState.CONFLICT
    later = [
        other
        for other in everything
        if other.manifest.case_id == item.manifest.case_id
        and other.bundle_id not in conflicts
        and other.bundle_id != item.bundle_id
        and _order(other) > _order(item)
    ]
    if later:
        return InboxState.SUPERSEDED
    if any(r.direction == DRAFT for r in reviews):
        return InboxState.IN_REVIEW
    return InboxState.NEW


def inbox_entry(
    item: Received,
    everything: list[Received],
    reviews: list[StoredReview],
    superseded: Mapping[str, str],
    changes: int | None,
) -> InboxEntry:
    manifest = item.manifest
    conflicts = tuple(o.bundle_id for o in everything if same_base(o.manifest, manifest))
    latest_review = max(reviews, key=lambda r: r.updated_at, default=None)
    return InboxEntry(
        bundle_id=item.bundle_id,
        case_id=manifest.case_id,
        case_reference=manifest.case_reference,
        version=manifest.assessment_version or 0,
        assessment_id=manifest.assessment_id or "",
        author_name=manifest.author.name,
        author_fingerprint=manifest.author.fingerprint,
        created=manifest.created,
        received_at=item.record.recorded_at,
        state=_state(item, everything, reviews, superseded, conflicts),
        sent_with_reason=sent_with_reason(manifest),
        changes=changes,
        conflict_with=conflicts,
        review_id=latest_review.review.review_id if latest_review else None,
    )
