"""Shared-folder sync, supervisor review and the gates that keep the record honest.

- bundles gains file_sha256: the SHA-256 of the bundle file exactly as written or received.
  A supervisor's sign-off names this hash, so it covers that file and nothing edited later.
- outbox: one row per (bundle, recipient) waiting for, or done with, delivery to the shared
  folder. The bundle file itself (already age-encrypted) is kept here, inside the encrypted
  store, so the queue survives restarts and nothing waits on disk in a temporary folder.
- share_files: files seen in other people's share folders and what became of them, so a
  round never re-reads a file it has dealt with and nothing is taken in twice.
- reviews: a supervisor's reviews, drafts and sent (direction "draft" / "sent"), and the
  reviews a practitioner received ("received"); the review document is kept as JSON.
- review_todos: at the practitioner, each comment of a returned review as a thing to do.
- gate_overrides: a written reason recorded where a gate (finish a version, mark the case
  completed, share a report of an unsigned version, send for review) was passed without
  the readiness check; kept and shown, never edited.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bundles") as batch:
        batch.add_column(sa.Column("file_sha256", sa.String(64), nullable=True))
    op.create_table(
        "outbox",
        sa.Column("bundle_id", sa.String(32), primary_key=True),
        sa.Column("recipient", sa.String(24), primary_key=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("queued_at", sa.String(32), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.String(32), nullable=True),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.Column("delivered_at", sa.String(32), nullable=True),
        sa.Index("ix_outbox_pending", "delivered_at"),
    )
    op.create_table(
        "share_files",
        sa.Column("path", sa.Text, primary_key=True),  # relative to the share, "/" separated
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("bundle_id", sa.String(32), nullable=True),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "reviews",
        sa.Column("review_id", sa.String(32), primary_key=True),
        sa.Column("direction", sa.String(8), nullable=False),  # draft, sent, received
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("case_reference", sa.String(40), nullable=False),
        sa.Column("assessment_id", sa.String(32), nullable=False),
        sa.Column("assessment_version", sa.Integer, nullable=False),
        sa.Column("reviewed_bundle_id", sa.String(32), nullable=False),
        sa.Column("reviewed_bundle_sha256", sa.String(64), nullable=False),
        sa.Column("supervisor_fingerprint", sa.String(24), nullable=False),
        sa.Column("practitioner_fingerprint", sa.String(24), nullable=False),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("decided_at", sa.String(32), nullable=True),
        sa.Column("bundle_id", sa.String(32), nullable=True),  # the review bundle, once sent
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Index("ix_reviews_assessment", "assessment_id", "direction"),
        sa.Index("ix_reviews_reviewed_bundle", "reviewed_bundle_id"),
    )
    op.create_table(
        "review_todos",
        sa.Column("review_id", sa.String(32), primary_key=True),
        sa.Column("comment_id", sa.String(32), primary_key=True),
        sa.Column("assessment_id", sa.String(32), nullable=False),  # the version amending it
        sa.Column("done_at", sa.String(32), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "gate_overrides",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("assessment_id", sa.String(32), nullable=False),
        sa.Column("gate", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Index("ix_gate_overrides_assessment", "assessment_id"),
    )


def downgrade() -> None:
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
