"""Evidence per domain in its own table; meta becomes profile_info; indexes for the case list.

Moves each assessment's JSON evidence into domain_evidence rows (one row per domain, so an
autosave rewrites one small row), drops the JSON column, and indexes what the case list filters
on (status, due date).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.rename_table("meta", "profile_info")
    evidence = op.create_table(
        "domain_evidence",
        sa.Column(
            "assessment_id", sa.String(32), sa.ForeignKey("assessments.id"), primary_key=True
        ),
        sa.Column("domain_id", sa.String(64), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, evidence, updated_at FROM assessments")).all()
    moved = []
    for assessment_id, raw, updated_at in rows:
        by_domain = json.loads(raw) if isinstance(raw, str) else (raw or {})
        moved += [
            {
                "assessment_id": assessment_id,
                "domain_id": domain_id,
                "text": text,
                "updated_at": updated_at,
            }
            for domain_id, text in by_domain.items()
        ]
    if moved:
        op.bulk_insert(evidence, moved)
    # Native ALTER TABLE DROP COLUMN (SQLite >= 3.35): no table copy, foreign keys untouched.
    op.execute("ALTER TABLE assessments DROP COLUMN evidence")
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_index("ix_assessments_due_date", "assessments", ["due_date"])


def downgrade() -> None:
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
