"""Reading the full-text index of case content (migration 0009: search_entries, search_text).

The index is kept by triggers on assessment_items and case_items; this module only reads it.
Matches in an older version of an assessment are left out: the current (newest) version of
each case speaks for it, and a case record belongs to no version.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

SNIPPET_WORDS = 14

_QUERY = text(
    f"""
    SELECT e.case_id, c.reference, c.young_person_name, e.kind, e.domain_id,
           snippet(search_text, 0, :start, :end, '\u2026', {SNIPPET_WORDS}) AS snippet,
           bm25(search_text) AS score
    FROM search_text
    JOIN search_entries e ON e.id = search_text.rowid
    JOIN cases c ON c.id = e.case_id
    WHERE search_text MATCH :match
      AND (e.assessment_id = '' OR e.assessment_id = (
            SELECT a.id FROM assessments a WHERE a.case_id = e.case_id
            ORDER BY a.version DESC LIMIT 1))
    ORDER BY score
    LIMIT :limit
    """  # noqa: S608 - constants only; every value is bound
)


@dataclass(frozen=True)
class TextMatch:
    """One item whose text matched, best first (score: lower is better, FTS5's bm25)."""

    case_id: str
    reference: str
    young_person_name: str
    kind: str
    domain_id: str
    snippet: str
    score: float


def search_content(
    conn: Connection, match: str, limit: int, marks: tuple[str, str]
) -> list[TextMatch]:
    """Items matching an FTS5 query `match`, best first, each snippet's matched words between
    `marks`. A query FTS5 cannot parse matches nothing (the caller quotes what people type,
    so this is a last guard, not a path)."""
    values = {"match": match, "limit": limit, "start": marks[0], "end": marks[1]}
    try:
        rows = conn.execute(_QUERY, values).all()
    except OperationalError as exc:
        if "fts5" not in str(exc.orig).lower():
            raise
        return []
    return [TextMatch(*row) for row in rows]
