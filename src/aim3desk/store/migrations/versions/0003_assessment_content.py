"""Assessment content as items; versions remember what they were based on and when finished.

- assessment_items: one row per item of an assessment's content (rating, evidence entry,
  unknown, chronology event, screening record, voice, domain notes, formulation, safety plan),
  its JSON as domain/codec.item_to_dict writes it, so an autosave rewrites one small row.
- assessments gains based_on_id (the finished version a new one started from) and finished_at.
- Each non-empty domain_evidence text becomes one evidence entry (id "notes-<domain id>"),
  recorded conservatively as internal only: source practitioner observation, category
  background, sharing class practitioner reflection, dated the day the text was last saved,
  text unchanged. domain_evidence is then dropped.
- Triggers abort any change to the items of a finished assessment, and the reopening of a
  finished assessment, whatever code asks for it.

The migration runner takes an encrypted backup before this runs (store/migrate.py).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _legacy_evidence(domain_id: str, text: str, updated_at: str) -> dict[str, object]:
    """The evidence item of codec.item_to_dict (content schema 1), written out in full so this
    revision keeps meaning what it means when the codec moves on."""
    return {
        "id": f"notes-{domain_id}",
        "domain_id": domain_id,
        "factor_slot": None,
        "text": text,
        "date": updated_at[:10],
        "source": "practitioner_observation",
        "category": "background",
        "sharing": "practitioner_reflection",
        "unknown_id": None,
    }


def upgrade() -> None:
    items = op.create_table(
        "assessment_items",
        sa.Column(
            "assessment_id",
            sa.String(32),
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("item_id", sa.Text, primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    # Native ADD COLUMN: no table copy. A REFERENCES clause is allowed on an added column
    # whose default is NULL.
    op.execute(
        "ALTER TABLE assessments ADD COLUMN based_on_id VARCHAR(32) REFERENCES assessments (id)"
    )
    op.execute("ALTER TABLE assessments ADD COLUMN finished_at VARCHAR(32)")

    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT assessment_id, domain_id, text, updated_at FROM domain_evidence "
            "ORDER BY assessment_id, domain_id"
        )
    ).all()
    moved = [
        {
            "assessment_id": assessment_id,
            "kind": "evidence",
            "item_id": f"notes-{domain_id}",
            "data": json.dumps(
                _legacy_evidence(domain_id, text, updated_at),
                ensure_ascii=False,
                separators=(",", ":"),
            ),
            "updated_at": updated_at,
        }
        for assessment_id, domain_id, text, updated_at in rows
        if text.strip()
    ]
    if moved:
        op.bulk_insert(items, moved)
    op.drop_table("domain_evidence")

    # Created after the data moved: evidence of finished versions had to be copied in first.
    for statement in _READ_ONLY_TRIGGERS:
        op.execute(statement)


_READ_ONLY_TRIGGERS = (
    """
    CREATE TRIGGER assessment_items_read_only_insert BEFORE INSERT ON assessment_items
    WHEN (SELECT finished FROM assessments WHERE id = NEW.assessment_id)
    BEGIN
        SELECT RAISE(ABORT, 'A finished assessment version is read-only: start a new version.');
    END
    """,
    """
    CREATE TRIGGER assessment_items_read_only_update BEFORE UPDATE ON assessment_items
    WHEN (SELECT finished FROM assessments WHERE id = OLD.assessment_id)
      OR (SELECT finished FROM assessments WHERE id = NEW.assessment_id)
    BEGIN
        SELECT RAISE(ABORT, 'A finished assessment version is read-only: start a new version.');
    END
    """,
    """
    CREATE TRIGGER assessment_items_read_only_delete BEFORE DELETE ON assessment_items
    WHEN (SELECT finished FROM assessments WHERE id = OLD.assessment_id)
    BEGIN
        SELECT RAISE(ABORT, 'A finished assessment version is read-only: start a new version.');
    END
    """,
    """
    CREATE TRIGGER assessments_stay_finished BEFORE UPDATE OF finished ON assessments
    WHEN OLD.finished AND NOT NEW.finished
    BEGIN
        SELECT RAISE(ABORT, 'A finished assessment version is read-only: start a new version.');
    END
    """,
)


def downgrade() -> None:
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
