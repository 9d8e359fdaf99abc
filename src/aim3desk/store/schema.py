"""Tables of the encrypted store at the head revision (SQLAlchemy Core).

Migrations under `migrations/versions/` are written out in full rather than derived from this
module, so an old revision keeps meaning what it meant; tests/test_store.py checks that
migrating from scratch gives exactly these tables.

Dates are ISO strings (`Date`), timestamps UTC ISO-8601 text, ids uuid4 hex.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

profile_info = Table(
    "profile_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("young_person_name", Text, nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("lead_agency", String(32), nullable=False),
    Column("lead_worker", Text, nullable=False),
    Column("co_workers", JSON, nullable=False),
    Column("requested_by", String(32), nullable=False),
    Column("request_date", Date, nullable=False),
    Column("joint_with_social_worker", Boolean, nullable=False),
    Column("status", String(32), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("not_completed_reason", Text, nullable=False, server_default=""),
    Column("not_completed_on", Date, nullable=True),
    # The day the case was closed (migration 0007): retention counts from it.
    Column("closed_on", Date, nullable=True),
    # The front sheet and the lead-agency rule (migration 0008).
    Column("social_worker", Text, nullable=False, server_default=""),
    Column("request_reason", Text, nullable=False, server_default=""),
    Column("open_to_yos_for_sexual_offence", Boolean, nullable=False, server_default=false()),
    Column("lead_agency_reason", Text, nullable=False, server_default=""),
    Index("ix_cases_status", "status"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), ForeignKey("cases.id"), nullable=False),
    Column("model", String(32), nullable=False),
    Column("request_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("finished", Boolean, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("based_on_id", String(32), ForeignKey("assessments.id"), nullable=True),
    Column("finished_at", String(32), nullable=True),
    UniqueConstraint("case_id", "version", name="uq_assessments_case_version"),
    Index("ix_assessments_due_date", "due_date"),
)

# One row per item of an assessment's content (domain/assessment.py), its JSON made by
# domain/codec.item_to_dict: an autosave rewrites one small row, never the whole content.
# item_id is domain.codec.item_key(item): the item's id, "domain:slot" for a rating, the
# domain id for domain notes, the kind itself for the formulation and the safety plan.
# Triggers (migration 0003) abort any change to the items of a finished assessment.
assessment_items = Table(
    "assessment_items",
    metadata,
    Column(
        "assessment_id",
        String(32),
        ForeignKey("assessments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("kind", Text, primary_key=True),
    Column("item_id", Text, primary_key=True),
    Column("data", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

# One row per record a case keeps beside its assessments (migration 0004): supervision
# sessions, the intervention plan's tracks, goals, risk management meetings, keeping-safe plan
# versions and ending summary, escalation and consultation entries. kind and item_id are
# domain/case_codec.case_item_kind / case_item_key; data is case_item_to_dict's JSON.
case_items = Table(
    "case_items",
    metadata,
    Column("case_id", String(32), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", Text, primary_key=True),
    Column("item_id", Text, primary_key=True),
    Column("data", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

# Search what you wrote (migration 0009): one row per assessment item and case record, content
# free; its id is the rowid of the item's text in the FTS5 table search_text (body, case_id),
# which SQLAlchemy Core cannot describe (FULL_TEXT_TABLES). Triggers on assessment_items and
# case_items keep both in step with every write; assessment_id is '' for a case record.
search_entries = Table(
    "search_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(32), nullable=False),
    Column("assessment_id", String(32), nullable=False, server_default=""),
    Column("kind", Text, nullable=False),
    Column("item_id", Text, nullable=False),
    Column("domain_id", Text, nullable=False, server_default=""),
    UniqueConstraint("assessment_id", "kind", "item_id", "case_id", name="uq_search_entries_item"),
    Index("ix_search_entries_case", "case_id"),
)
# Virtual (FTS5) tables made by migrations, each with its shadow tables "<name>_*".
FULL_TEXT_TABLES = ("search_text",)


def is_full_text_table(name: str) -> bool:
    """A full-text table or one of its shadow tables (not in `metadata`)."""
    return any(name == t or name.startswith(f"{t}_") for t in FULL_TEXT_TABLES)


# Append-only: triggers created by migration 0001 abort any UPDATE or DELETE.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# The profile's own secret keys (migration 0005): exactly one row.
identity = Table(
    "identity",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("signing_key", Text, nullable=False),
    Column("age_identity", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    CheckConstraint("id = 1", name="ck_identity_one_row"),
)

# Colleagues' cards by fingerprint; a contact is trusted only once confirmed_at is set.
contacts = Table(
    "contacts",
    metadata,
    Column("fingerprint", String(24), primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("signing_key", Text, nullable=False),
    Column("age_recipient", Text, nullable=False),
    Column("card", Text, nullable=False),
    Column("added_at", String(32), nullable=False),
    Column("confirmed_at", String(32), nullable=True),
    Column("supervisor", Boolean, nullable=False, server_default=false()),
)

# Every bundle this profile wrote (direction "sent") or took in ("received"): the signed
# manifest as it was, for idempotent imports and "what it supersedes".
bundles = Table(
    "bundles",
    metadata,
    Column("bundle_id", String(32), primary_key=True),
    Column("direction", String(8), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("case_id", String(32), nullable=False),
    Column("case_reference", String(40), nullable=False),
    Column("assessment_version", Integer, nullable=True),
    Column("author_fingerprint", String(24), nullable=False),
    Column("created", String(32), nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("manifest", Text, nullable=False),
    # SHA-256 of the bundle file as written or received (migration 0006): a sign-off names it.
    Column("file_sha256", String(64), nullable=True),
    Index("ix_bundles_case", "case_id", "direction"),
)

# The members of a received bundle (report PDFs, the case document), kept for review.
bundle_members = Table(
    "bundle_members",
    metadata,
    Column(
        "bundle_id",
        String(32),
        ForeignKey("bundles.bundle_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("name", Text, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)


# Bundle files waiting for (or done with) delivery to the shared folder, one row per
# recipient (migration 0006). data is the age-encrypted bundle file itself.
outbox = Table(
    "outbox",
    metadata,
    Column("bundle_id", String(32), primary_key=True),
    Column("recipient", String(24), primary_key=True),
    Column("file_name", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("queued_at", String(32), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", String(32), nullable=True),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("delivered_at", String(32), nullable=True),
    Index("ix_outbox_pending", "delivered_at"),
)

# Files seen in other people's share folders and what became of each (migration 0006).
share_files = Table(
    "share_files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("seen_at", String(32), nullable=False),
    Column("outcome", String(24), nullable=False),
    Column("bundle_id", String(32), nullable=True),
    Column("message", Text, nullable=False, server_default=""),
)

# Supervisors' reviews: drafts and sent ones at the supervisor, received ones at the
# practitioner (migration 0006). document is domain/review.py's JSON.
reviews = Table(
    "reviews",
    metadata,
    Column("review_id", String(32), primary_key=True),
    Column("direction", String(8), nullable=False),
    Column("case_id", String(32), nullable=False),
    Column("case_reference", String(40), nullable=False),
    Column("assessment_id", String(32), nullable=False),
    Column("assessment_version", Integer, nullable=False),
    Column("reviewed_bundle_id", String(32), nullable=False),
    Column("reviewed_bundle_sha256", String(64), nullable=False),
    Column("supervisor_fingerprint", String(24), nullable=False),
    Column("practitioner_fingerprint", String(24), nullable=False),
    Column("decision", String(16), nullable=True),
    Column("decided_at", String(32), nullable=True),
    Column("bundle_id", String(32), nullable=True),
    Column("document", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_reviews_assessment", "assessment_id", "direction"),
    Index("ix_reviews_reviewed_bundle", "reviewed_bundle_id"),
)

# A returned review's comments as things to do on the version that amends it (migration 0006).
review_todos = Table(
    "review_todos",
    metadata,
    Column("review_id", String(32), primary_key=True),
    Column("comment_id", String(32), primary_key=True),
    Column("assessment_id", String(32), nullable=False),
    Column("done_at", String(32), nullable=True),
    Column("note", Text, nullable=False, server_default=""),
)

# Reasons written where a gate was passed without the readiness check (migration 0006).
gate_overrides = Table(
    "gate_overrides",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("assessment_id", String(32), nullable=False),
    Column("gate", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
    Column("recorded_by", Text, nullable=False),
    Index("ix_gate_overrides_assessment", "assessment_id"),
)


# Legal holds on a case (migration 0007): lifted with a reason, never removed while the
# case exists. A case with an active hold is neither deleted nor reported as due.
legal_holds = Table(
    "legal_holds",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), nullable=False),
    Column("set_at", String(32), nullable=False),
    Column("set_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("lifted_at", String(32), nullable=True),
    Column("lifted_by", Text, nullable=True),
    Column("lift_reason", Text, nullable=True),
    Index("ix_legal_holds_case", "case_id"),
)

# A manager's decisions on cases past their retention date (migration 0007).
retention_decisions = Table(
    "retention_decisions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("case_id", String(32), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("authorised_by", Text, nullable=False),
    Column("keep_until", Date, nullable=True),
    Column("decided_at", String(32), nullable=False),
    Column("decided_by", Text, nullable=False),
    Index("ix_retention_decisions_case", "case_id"),
)

# Copies of a deleted case's bundles held by other people (migration 0007). Content free,
# and deliberately not keyed by a column named case_id: it outlives the case it lists.
deletion_copies = Table(
    "deletion_copies",
    metadata,
    Column("deleted_case_id", String(32), primary_key=True),
    Column("bundle_id", String(32), primary_key=True),
    Column("holder_fingerprint", String(24), primary_key=True),
    Column("holder_name", Text, nullable=False),
    Column("how", String(16), nullable=False),
    Column("listed_at", String(32), nullable=False),
    Column("asked_at", String(32), nullable=True),
)

# This profile's own files in the shared folder to withdraw (migration 0007).
share_withdrawals = Table(
    "share_withdrawals",
    metadata,
    Column("path", Text, primary_key=True),
    Column("bundle_id", String(32), nullable=False),
    Column("queued_at", String(32), nullable=False),
    Column("done_at", String(32), nullable=True),
)
