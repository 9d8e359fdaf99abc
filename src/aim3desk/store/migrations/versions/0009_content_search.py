"""Search what you wrote: a full-text index of case content, inside the encrypted database.

- search_entries: one row per assessment item and per case record item (content free: the
  case, the assessment version ('' for a case record), the item's kind and key, and the
  domain it belongs to). Its integer id is the rowid of the item's text in search_text.
- search_text: an FTS5 table of the free text of each item (body) with the case's id
  (case_id, not indexed), so store/erase.py finds a case's rows by that column like any
  other table's. FTS5 and its shadow tables live in the SQLCipher file: no index on disk
  outside it, and temp_store is memory.
- Triggers on assessment_items and case_items keep both in step with every write, whatever
  code makes it: an insert or update (re)indexes the item, a delete (also by cascade) drops
  it. Only the fields people write in are indexed (FREE_TEXT below, written out here so this
  revision keeps meaning what it means when the codecs move on); choices such as a rating or
  an evidence source are not, and a supervision session's well-being responses never are.
- Every existing item is indexed, finished versions included (their items are read, never
  changed, so the read-only triggers of migration 0003 are untouched).

Revision ID: 0009
Revises: 0008
"""

# SQL here is built only from this file's constants and column names; no value is put in it.
# ruff: noqa: S608

from __future__ import annotations

import json

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# item kind -> the JSON keys holding text a person wrote (at any depth of the item's JSON)
FREE_TEXT: dict[str, tuple[str, ...]] = {
    # assessment items (domain/codec.py)
    "rating": ("rationale", "strength_note"),
    "domain_notes": ("concerns", "strengths"),
    "evidence": ("text",),
    "unknown": ("question", "how", "who"),
    "chronology": ("what", "source"),
    "screening": ("behaviour", "note"),
    "voice": ("speaker_name", "relationship", "words"),
    "formulation": ("text",),
    "safety_plan": ("risks", "who", "what", "where", "supervision_level"),
    "recommendations": ("intervention", "supervision_level", "who_does_what"),
    "sharing_notes": ("partner_summary", "text"),
    # case records (domain/case_codec.py)
    "supervision": ("notes", "response", "what"),
    "track": ("name",),
    "goal": ("text", "plain_words", "who_can_help", "note"),
    "risk_meeting": ("decisions", "safety_plan_changes"),
    "keeping_safe_plan": ("text", "agreed_with"),
    "ending": ("progress", "risk_and_change", "outstanding"),
    "escalation": ("barrier_or_delay", "reported_to", "outcome"),
    "consultation": ("service", "advice"),
    "sharing_decision": ("recipient", "reason", "what"),
}
NEVER_INDEXED_PATHS = ("$.wellbeing",)  # the practitioner's own well-being, in supervision


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def body_sql(data: str, kind: str) -> str:
    """The item's free text, one field a line ('' when none), from columns `data` and `kind`."""
    keys = " ".join(
        f"WHEN {_sql_text(k)} THEN {_sql_text(json.dumps(list(v)))}" for k, v in FREE_TEXT.items()
    )
    excluded = " ".join(f"AND fullkey NOT LIKE {_sql_text(p + '%')}" for p in NEVER_INDEXED_PATHS)
    return (
        f"(CASE WHEN json_valid({data}) THEN (SELECT coalesce(group_concat(value, char(10)), '') "
        f"FROM json_tree({data}) WHERE type = 'text' AND value <> '' {excluded} "
        f"AND key IN (SELECT value FROM json_each(CASE {kind} {keys} ELSE '[]' END))) "
        "ELSE '' END)"
    )


def domain_sql(data: str) -> str:
    """The domain an item belongs to (a rating's, evidence's, notes', an unknown's), or ''."""
    return (
        f"(CASE WHEN json_valid({data}) THEN coalesce(json_extract({data}, '$.domain_id'), "
        f"json_extract({data}, '$.about_domain'), '') ELSE '' END)"
    )


# The statements that index one item (NEW) and drop one (OLD), for each source table:
# (table, owner column -> the case id of the row, the assessment id of the row or '').
_SOURCES = {
    "assessment_items": (
        "(SELECT case_id FROM assessments WHERE id = {row}.assessment_id)",
        "{row}.assessment_id",
    ),
    "case_items": ("{row}.case_id", "''"),
}


def _drop(table: str, row: str) -> str:
    case_id, assessment_id = (part.format(row=row) for part in _SOURCES[table])
    where = (
        f"assessment_id = {assessment_id} AND kind = {row}.kind AND item_id = {row}.item_id "
        f"AND case_id = {case_id}"
    )
    return (
        f"DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_entries WHERE {where});\n"
        f"DELETE FROM search_entries WHERE {where};\n"
    )


def _index(table: str, row: str) -> str:
    case_id, assessment_id = (part.format(row=row) for part in _SOURCES[table])
    return (
        "INSERT INTO search_entries (case_id, assessment_id, kind, item_id, domain_id) "
        f"VALUES ({case_id}, {assessment_id}, {row}.kind, {row}.item_id, "
        f"{domain_sql(row + '.data')});\n"
        "INSERT INTO search_text (rowid, body, case_id) "
        f"SELECT last_insert_rowid(), body, {case_id} "
        f"FROM (SELECT {body_sql(row + '.data', row + '.kind')} AS body) WHERE body <> '';\n"
    )


def triggers() -> list[str]:
    statements = []
    for table in _SOURCES:
        # The insert drops first too: an index row left by anything is replaced, never doubled.
        statements += [
            f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN\n"
            f"{_drop(table, 'NEW')}{_index(table, 'NEW')}END",
            f"CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} BEGIN\n"
            f"{_drop(table, 'OLD')}{_drop(table, 'NEW')}{_index(table, 'NEW')}END",
            f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN\n"
            f"{_drop(table, 'OLD')}END",
        ]
    return statements


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE search_entries (
            id INTEGER NOT NULL PRIMARY KEY,
            case_id VARCHAR(32) NOT NULL,
            assessment_id VARCHAR(32) NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            item_id TEXT NOT NULL,
            domain_id TEXT NOT NULL DEFAULT '',
            CONSTRAINT uq_search_entries_item UNIQUE (assessment_id, kind, item_id, case_id)
        )
        """
    )
    op.execute("CREATE INDEX ix_search_entries_case ON search_entries (case_id)")
    op.execute(
        "CREATE VIRTUAL TABLE search_text USING fts5("
        "body, case_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
    )
    # Existing content, finished versions included.
    op.execute(
        "INSERT INTO search_entries (case_id, assessment_id, kind, item_id, domain_id) "
        f"SELECT a.case_id, i.assessment_id, i.kind, i.item_id, {domain_sql('i.data')} "
        "FROM assessment_items i JOIN assessments a ON a.id = i.assessment_id"
    )
    op.execute(
        "INSERT INTO search_entries (case_id, assessment_id, kind, item_id, domain_id) "
        f"SELECT i.case_id, '', i.kind, i.item_id, {domain_sql('i.data')} FROM case_items i"
    )
    for table, owner in (("assessment_items", "assessment_id"), ("case_items", "case_id")):
        joined = "e.assessment_id" if owner == "assessment_id" else "e.case_id"
        extra = "" if owner == "assessment_id" else " AND e.assessment_id = ''"
        op.execute(
            "INSERT INTO search_text (rowid, body, case_id) "
            "SELECT id, body, case_id FROM ("
            f"SELECT e.id AS id, e.case_id AS case_id, {body_sql('i.data', 'i.kind')} AS body "
            f"FROM search_entries e JOIN {table} i ON i.{owner} = {joined} "
            f"AND i.kind = e.kind AND i.item_id = e.item_id{extra}) WHERE body <> ''"
        )
    for statement in triggers():
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("The store is never downgraded; restore a backup instead.")
