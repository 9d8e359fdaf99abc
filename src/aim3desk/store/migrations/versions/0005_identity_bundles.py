"""The profile's identity, its contacts, and the bundles it has sent and received.

- identity: one row, the profile's secret keys (an Ed25519 signing key, base64 of its 32 raw
  bytes, and an age X25519 identity, "AGE-SECRET-KEY-1..."). Made here for every profile,
  new or existing, so no profile is ever without one; they are as secret as the data key
  and never leave the encrypted store except on an explicit `identity export-age-key`.
- contacts: colleagues' cards, by fingerprint; trusted only once confirmed_at is set.
- bundles: every bundle this profile wrote or took in (idempotent imports, "what it
  supersedes", "older than one you have"); bundle_members keeps the members of a received
  bundle for review, inside the encrypted store.
- profile_info gains role = practitioner where none is set.

The migration runner takes an encrypted backup before this runs (store/migrate.py).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pyrage
import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    identity = op.create_table(
        "identity",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("signing_key", sa.Text, nullable=False),
        sa.Column("age_identity", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_identity_one_row"),
    )
    op.create_table(
        "contacts",
        sa.Column("fingerprint", sa.String(24), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("signing_key", sa.Text, nullable=False),
        sa.Column("age_recipient", sa.Text, nullable=False),
        sa.Column("card", sa.Text, nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.Column("confirmed_at", sa.String(32), nullable=True),
        sa.Column("supervisor", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "bundles",
        sa.Column("bundle_id", sa.String(32), primary_key=True),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("case_reference", sa.String(40), nullable=False),
        sa.Column("assessment_version", sa.Integer, nullable=True),
        sa.Column("author_fingerprint", sa.String(24), nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Index("ix_bundles_case", "case_id", "direction"),
    )
    op.create_table(
        "bundle_members",
        sa.Column(
            "bundle_id",
            sa.String(32),
            sa.ForeignKey("bundles.bundle_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    signing = base64.b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode("ascii")
    op.bulk_insert(
        identity,
        [
            {
                "id": 1,
                "signing_key": signing,
                "age_identity": str(pyrage.x25519.Identity.generate()),
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        ],
    )
    op.execute(
        "INSERT INTO profile_info (key, value) SELECT 'role', 'practitioner' "
        "WHERE NOT EXISTS (SELECT 1 FROM profile_info WHERE key = 'role')"
    )


def downgrade() -> None:
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
