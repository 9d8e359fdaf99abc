"""Supervisors' reviews, a returned review's things to do, and gate overrides (tables
reviews, review_todos and gate_overrides, migration 0006)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from aim3desk.domain.gates import Gate, GateOverride
from aim3desk.domain.review import Review, document_to_review, review_to_document
from aim3desk.store.schema import assessments, gate_overrides, review_todos, reviews

DRAFT = "draft"
SENT = "sent"
RECEIVED = "received"


@dataclass(frozen=True)
class StoredReview:
    review: Review
    direction: str  # draft, sent, received
    bundle_id: str | None  # the review bundle once sent or received
    updated_at: str


@dataclass(frozen=True)
class ReviewTodo:
    review_id: str
    comment_id: str
    assessment_id: str
    done_at: str | None
    note: str


def _stored(row) -> StoredReview:
    return StoredReview(
        document_to_review(json.loads(row.document)), row.direction, row.bundle_id, row.updated_at
    )


class ReviewLog:
    def __init__(self, conn: Connection):
        self._conn = conn

    # -- reviews --------------------------------------------------------------------------

    def save(self, review: Review, direction: str, updated_at: str, bundle_id: str | None = None):
        """Insert or replace one review (a draft is saved again and again; sent and received
        ones are written once)."""
        reviewed = review.reviewed
        values = {
            "review_id": review.review_id,
            "direction": direction,
            "case_id": reviewed.case_id,
            "case_reference": reviewed.case_reference,
            "assessment_id": reviewed.assessment_id,
            "assessment_version": reviewed.assessment_version,
            "reviewed_bundle_id": reviewed.bundle_id,
            "reviewed_bundle_sha256": reviewed.bundle_sha256,
            "supervisor_fingerprint": review.supervisor.fingerprint,
            "practitioner_fingerprint": reviewed.practitioner_fingerprint,
            "decision": review.decision.value if review.decision else None,
            "decided_at": review.decided_at.isoformat() if review.decided_at else None,
            "bundle_id": bundle_id,
            "document": json.dumps(review_to_document(review), sort_keys=True),
            "updated_at": updated_at,
        }
        self._conn.execute(delete(reviews).where(reviews.c.review_id == review.review_id))
        self._conn.execute(insert(reviews).values(**values))

    def get(self, review_id: str) -> StoredReview | None:
        row = self._conn.execute(
            select(reviews).where(reviews.c.review_id == review_id)
        ).one_or_none()
        return _stored(row) if row else None

    def of_reviewed_bundle(self, bundle_id: str) -> list[StoredReview]:
        rows = self._conn.execute(
            select(reviews)
            .where(reviews.c.reviewed_bundle_id == bundle_id)
            .order_by(reviews.c.updated_at)
        ).all()
        return [_stored(r) for r in rows]

    def of_case(self, case_id: str, direction: str | None = None) -> list[StoredReview]:
        query = select(reviews).where(reviews.c.case_id == case_id)
        if direction:
            query = query.where(reviews.c.direction == direction)
        rows = self._conn.execute(query.order_by(reviews.c.updated_at)).all()
        return [_stored(r) for r in rows]

    def of_assessment(self, assessment_id: str, direction: str | None = None) -> list[StoredReview]:
        query = select(reviews).where(reviews.c.assessment_id == assessment_id)
        if direction:
            query = query.where(reviews.c.direction == direction)
        rows = self._conn.execute(query.order_by(reviews.c.updated_at)).all()
        return [_stored(r) for r in rows]

    def all(self, direction: str | None = None) -> list[StoredReview]:
        query = select(reviews)
        if direction:
            query = query.where(reviews.c.direction == direction)
        rows = self._conn.execute(query.order_by(reviews.c.updated_at.desc())).all()
        return [_stored(r) for r in rows]

    def remove_draft(self, review_id: str) -> None:
        self._conn.execute(
            delete(reviews).where(reviews.c.review_id == review_id, reviews.c.direction == DRAFT)
        )

    # -- a returned review's things to do -------------------------------------------------

    def add_todos(self, review_id: str, comment_ids: list[str], assessment_id: str) -> None:
        if comment_ids:
            self._conn.execute(
                insert(review_todos),
                [
                    {"review_id": review_id, "comment_id": c, "assessment_id": assessment_id}
                    for c in comment_ids
                ],
            )

    def todos(self, assessment_id: str) -> list[ReviewTodo]:
        rows = self._conn.execute(
            select(review_todos).where(review_todos.c.assessment_id == assessment_id)
        ).all()
        return [ReviewTodo(**r._mapping) for r in rows]

    def todo(self, review_id: str, comment_id: str) -> ReviewTodo | None:
        row = self._conn.execute(
            select(review_todos).where(
                review_todos.c.review_id == review_id, review_todos.c.comment_id == comment_id
            )
        ).one_or_none()
        return ReviewTodo(**row._mapping) if row else None

    def set_todo(self, review_id: str, comment_id: str, done_at: str | None, note: str) -> None:
        self._conn.execute(
            update(review_todos)
            .where(review_todos.c.review_id == review_id, review_todos.c.comment_id == comment_id)
            .values(done_at=done_at, note=note)
        )

    # -- gate overrides -------------------------------------------------------------------

    def add_override(self, override: GateOverride) -> None:
        self._conn.execute(
            insert(gate_overrides).values(
                id=override.id,
                assessment_id=override.assessment_id,
                gate=override.gate.value,
                reason=override.reason,
                recorded_at=override.recorded_at.isoformat(timespec="seconds"),
                recorded_by=override.recorded_by,
            )
        )

    def overrides(
        self, assessment_id: str | None = None, *, case_id: str | None = None
    ) -> list[GateOverride]:
        """Overrides of one version, of every version of one case, or all; oldest first."""
        query = select(gate_overrides).order_by(gate_overrides.c.recorded_at)
        if assessment_id is not None:
            query = query.where(gate_overrides.c.assessment_id == assessment_id)
        if case_id is not None:
            of_case = select(assessments.c.id).where(assessments.c.case_id == case_id)
            query = query.where(gate_overrides.c.assessment_id.in_(of_case))
        return [
            GateOverride(
                r.id,
                r.assessment_id,
                Gate(r.gate),
                r.reason,
                datetime.fromisoformat(r.recorded_at),
                r.recorded_by,
            )
            for r in self._conn.execute(query).all()
        ]
