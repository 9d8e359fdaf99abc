"""The organisation's duties: retention, legal hold and deletion that deletes.

- cases gains closed_on: the day the case was closed, which retention counts from. Cases
  already closed get the day of their last change (never earlier than the real closure,
  so a retention date computed from it is never early).
- legal_holds: holds set on a case, each lifted (never removed) with a reason.
- retention_decisions: a manager's decision on a case past its retention date: delete, keep
  until a later day, or place on legal hold, with the reason and who authorised it.
- deletion_copies: after a case is deleted, the copies of its bundles held by other people
  (content free: the deleted case's id, bundle ids and the holders' fingerprints and
  names), so someone can ask each holder to delete theirs and tick it off.
- share_withdrawals: this profile's own bundle files in the shared folder to withdraw
  (delete) because their case was deleted; done at the next sync round that reaches the
  share, so an offline deletion still withdraws them.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("closed_on", sa.Date, nullable=True))
    op.execute(
        "UPDATE cases SET closed_on = substr(updated_at, 1, 10) "
        "WHERE status = 'closed' AND closed_on IS NULL"
    )
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("set_at", sa.String(32), nullable=False),
        sa.Column("set_by", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("lifted_at", sa.String(32), nullable=True),
        sa.Column("lifted_by", sa.Text, nullable=True),
        sa.Column("lift_reason", sa.Text, nullable=True),
        sa.Index("ix_legal_holds_case", "case_id"),
    )
    op.create_table(
        "retention_decisions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),  # delete, keep, hold
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("authorised_by", sa.Text, nullable=False),
        sa.Column("keep_until", sa.Date, nullable=True),
        sa.Column("decided_at", sa.String(32), nullable=False),
        sa.Column("decided_by", sa.Text, nullable=False),
        sa.Index("ix_retention_decisions_case", "case_id"),
    )
    op.create_table(
        "deletion_copies",
        sa.Column("deleted_case_id", sa.String(32), primary_key=True),
        sa.Column("bundle_id", sa.String(32), primary_key=True),
        sa.Column("holder_fingerprint", sa.String(24), primary_key=True),
        sa.Column("holder_name", sa.Text, nullable=False),
        sa.Column("how", sa.String(16), nullable=False),  # sent (we sent it), received
        sa.Column("listed_at", sa.String(32), nullable=False),
        sa.Column("asked_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "share_withdrawals",
        sa.Column("path", sa.Text, primary_key=True),  # relative to the share, "/" separated
        sa.Column("bundle_id", sa.String(32), nullable=False),
        sa.Column("queued_at", sa.String(32), nullable=False),
        sa.Column("done_at", sa.String(32), nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
