"""The front sheet and the lead-agency rule.

- cases gains social_worker (the young person's social worker, empty when there is none),
  request_reason (why the assessment was requested), open_to_yos_for_sexual_offence (the
  lead-agency rule of seeds 001 and 003) and lead_agency_reason (why a lead other than the
  proposed one was chosen). Existing cases get empty values: nothing is inferred, except
  that a case requested by the criminal courts and led by another agency (the lead-agency
  rule asks for a reason) is marked as having no recorded reason, in the words an older
  export gets (domain/cases.py UNRECORDED_LEAD_REASON), so it is never refused a later save.

The recommendations and the sharing notes are assessment items (kinds "recommendations" and
"sharing_notes" in assessment_items) and need no table of their own.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("social_worker", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("request_reason", sa.Text, nullable=False, server_default=""))
        batch.add_column(
            sa.Column(
                "open_to_yos_for_sexual_offence",
                sa.Boolean,
                nullable=False,
                server_default=sa.false(),
            )
        )
        batch.add_column(
            sa.Column("lead_agency_reason", sa.Text, nullable=False, server_default="")
        )
    op.execute(
        "UPDATE cases SET lead_agency_reason = "
        "'Not recorded (the case was recorded before the reason was asked).' "
        "WHERE requested_by = 'criminal_court' AND lead_agency != 'yos'"
    )


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for name in (
            "lead_agency_reason",
            "open_to_yos_for_sexual_offence",
            "request_reason",
            "social_worker",
        ):
            batch.drop_column(name)
