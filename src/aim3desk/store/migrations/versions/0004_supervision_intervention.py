"""Supervision, the intervention plan and process logs; why an assessment was not completed.

- case_items: one row per record a case keeps beside its assessments (supervision session,
  intervention track, goal, risk management meeting, keeping-safe plan version, ending
  summary, escalation, consultation), its JSON as domain/case_codec.case_item_to_dict writes it.
- cases gains not_completed_reason (text, "" by default) and not_completed_on (date). Cases
  already marked not completed get the reason "Reason not recorded" and, as the day they
  were marked, the day the case was last changed.

The migration runner takes an encrypted backup before this runs (store/migrate.py).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_items",
        sa.Column(
            "case_id",
            sa.String(32),
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("item_id", sa.Text, primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    # Native ADD COLUMN: no table copy.
    op.execute("ALTER TABLE cases ADD COLUMN not_completed_reason TEXT DEFAULT '' NOT NULL")
    op.execute("ALTER TABLE cases ADD COLUMN not_completed_on DATE")
    op.execute(
        "UPDATE cases SET not_completed_reason = 'Reason not recorded', "
        "not_completed_on = substr(updated_at, 1, 10) WHERE status = 'not_completed'"
    )


def downgrade() -> None:
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
