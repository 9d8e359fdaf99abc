"""The encrypted store against an independent plain baseline, reads and writes apart.

The baseline is a plaintext copy of the same database (SQLCipher's `sqlcipher_export` into a
database attached with an empty key, in the run's temp folder; the data is invented and the
folder is deleted with the run), driven by Python's own sqlite3 with hand-written SQL: no
SQLAlchemy, no services, no domain objects, no cipher. Each workload does the same reads and
the same fsync'd write on both sides, alternating, so drift on the machine hits both:

- list: every case with its current assessment (ours: `cases.list_cases()`);
- find: the cases whose reference, name or lead worker contain a word (`list_cases(search=)`);
- open: one case, its assessment versions and its current assessment's items, each item's JSON
  parsed (ours: `cases.get_case` + `assessments.load`);
- content search: the full-text index for a word, best 200 matches of current versions
  (ours: `session.search.search`, which groups them into places);
- save: one evidence entry written in its own transaction, WAL with synchronous=FULL, the
  full-text triggers firing on both sides (ours: `assessments.save_item`, which also checks
  the assessment is editable and may audit the edit).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 24)
PAIRED_ROUNDS = 15
SAVE_ROUNDS = 40


def kdf_ms(profile_dir: Path, passphrase: str) -> float:
    """The key derivation alone (KeyFile.unlock: Argon2id at the profile's cost, unwrap)."""
    from aim3desk.security.keyfile import KeyFile, wipe

    keyfile = KeyFile.load(profile_dir / "profile.key")
    start = time.perf_counter()
    key = keyfile.unlock(passphrase)
    elapsed = (time.perf_counter() - start) * 1000
    wipe(key)
    return elapsed


def export_plain_copy(profile_dir: Path, passphrase: str, dest: Path) -> Path:
    """A plaintext copy of the profile's store at `dest` (synthetic data, temp folder only)."""
    from aim3desk.security.keyfile import KeyFile, wipe
    from aim3desk.store.db import connect_keyed

    key = KeyFile.load(profile_dir / "profile.key").unlock(passphrase)
    try:
        conn = connect_keyed(profile_dir / "store.db", key)
    finally:
        wipe(key)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(dest),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    return dest


def open_plain(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


_LIST = """
    SELECT c.id, c.reference, c.young_person_name, c.status, c.lead_worker,
           a.model, a.due_date, a.finished
    FROM cases c
    LEFT JOIN assessments a ON a.case_id = c.id
         AND a.version = (SELECT max(version) FROM assessments WHERE case_id = c.id)
    {where}
    ORDER BY c.reference
"""
_FIND = "WHERE instr(lower(c.reference), :w) OR instr(lower(c.young_person_name), :w) " + (
    "OR instr(lower(c.lead_worker), :w)"
)
_SEARCH = """
    SELECT e.case_id, c.reference, c.young_person_name, e.kind, e.domain_id,
           snippet(search_text, 0, '[', ']', '...', 14), bm25(search_text) AS score
    FROM search_text
    JOIN search_entries e ON e.id = search_text.rowid
    JOIN cases c ON c.id = e.case_id
    WHERE search_text MATCH ?
      AND (e.assessment_id = '' OR e.assessment_id = (
            SELECT a.id FROM assessments a WHERE a.case_id = e.case_id
            ORDER BY a.version DESC LIMIT 1))
    ORDER BY score LIMIT 200
"""
_SAVE = """
    INSERT INTO assessment_items (assessment_id, kind, item_id, data, updated_at)
    VALUES (?, 'evidence', ?, ?, ?)
    ON CONFLICT (assessment_id, kind, item_id)
    DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
"""


def plain_list(conn: sqlite3.Connection) -> list[tuple]:
    held = {r[0] for r in conn.execute("SELECT case_id FROM legal_holds WHERE lifted_at IS NULL")}
    return [(*row, row[0] in held) for row in conn.execute(_LIST.format(where=""))]


def plain_find(conn: sqlite3.Connection, word: str) -> list[tuple]:
    return conn.execute(_LIST.format(where=_FIND), {"w": word.casefold()}).fetchall()


def plain_open(conn: sqlite3.Connection, case_id: str) -> tuple:
    case = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
    versions = conn.execute(
        "SELECT * FROM assessments WHERE case_id = ? ORDER BY version", (case_id,)
    ).fetchall()
    items = [
        (kind, item_id, json.loads(data))
        for kind, item_id, data in conn.execute(
            "SELECT kind, item_id, data FROM assessment_items WHERE assessment_id = ?",
            (versions[-1][0],),
        )
    ]
    return case, versions, items


def plain_search(conn: sqlite3.Connection, word: str) -> list[tuple]:
    return conn.execute(_SEARCH, (f'"{word}"*',)).fetchall()


def plain_save(conn: sqlite3.Connection, assessment_id: str, text: str) -> None:
    data = json.dumps(_evidence_fields(text), sort_keys=True)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(_SAVE, (assessment_id, "bench-entry", data, time.strftime("%Y-%m-%dT%H:%M:%S")))
    conn.execute("COMMIT")


def _evidence_fields(text: str) -> dict[str, object]:
    return {
        "id": "bench-entry",
        "domain_id": "developmental",
        "factor_slot": None,
        "text": text,
        "date": TODAY.isoformat(),
        "source": "practitioner_observation",
        "category": "background",
        "sharing": "practitioner_reflection",
    }


def evidence_entry(text: str):
    """The same evidence entry as the plain side writes, as our domain object."""
    from aim3desk.domain.assessment import EvidenceEntry

    fields = _evidence_fields(text)
    fields["date"] = TODAY
    return EvidenceEntry(**fields)


@dataclass
class Paired:
    encrypted: list[float]
    plain: list[float]

    def figures(self, name: str) -> dict[str, float]:
        ours, base = statistics.median(self.encrypted), statistics.median(self.plain)
        return {f"{name}_ms": ours, f"{name}_plain_ms": base, f"{name}_ratio": ours / base}


def paired(ours: Callable[[], object], plain: Callable[[], object], rounds: int) -> Paired:
    """Alternate the two sides, one run each per round (a first run of each warms caches)."""
    ours()
    plain()
    result = Paired([], [])
    for _ in range(rounds):
        for side, fn in ((result.encrypted, ours), (result.plain, plain)):
            start = time.perf_counter()
            fn()
            side.append((time.perf_counter() - start) * 1000)
    return result


def editable_case(conn: sqlite3.Connection) -> tuple[str, str]:
    """A case (id, current assessment id) in the middle of the list whose current assessment
    is not finished and holds items: where a practitioner is typing."""
    rows = conn.execute(
        """SELECT c.id, a.id FROM cases c JOIN assessments a ON a.case_id = c.id
           WHERE a.finished = 0 AND a.version = (
                 SELECT max(version) FROM assessments WHERE case_id = c.id)
             AND EXISTS (SELECT 1 FROM assessment_items i WHERE i.assessment_id = a.id)
           ORDER BY c.reference"""
    ).fetchall()
    return rows[len(rows) // 2]


def surname_in_the_middle(plain_db: Path) -> str:
    """The surname of the case in the middle of the list: a word to find cases by."""
    conn = sqlite3.connect(str(plain_db))
    try:
        names = [r[0] for r in conn.execute("SELECT young_person_name FROM cases ORDER BY id")]
    finally:
        conn.close()
    return names[len(names) // 2].split()[-1].casefold()


def bench_encrypted_vs_plain(
    session, plain_db: Path, find_word: str, search_word: str, rounds: int = PAIRED_ROUNDS
) -> dict[str, float]:
    """Every paired workload on an open session and the plain copy of the same store."""
    conn = open_plain(plain_db)
    case_id, assessment_id = editable_case(conn)
    cases, assessments = session.cases, session.assessments

    def open_ours() -> object:
        case = cases.get_case(case_id)
        return assessments.load(case.current_assessment.id)

    results: dict[str, float] = {}
    results |= paired(cases.list_cases, lambda: plain_list(conn), rounds).figures("list")
    results |= paired(
        lambda: cases.list_cases(search=find_word), lambda: plain_find(conn, find_word), rounds
    ).figures("find")
    results |= paired(open_ours, lambda: plain_open(conn, case_id), rounds).figures("open")
    results |= paired(
        lambda: session.search.search(search_word), lambda: plain_search(conn, search_word), rounds
    ).figures("content_search")
    counter = iter(range(10**9))
    saves = paired(
        lambda: assessments.save_item(
            assessment_id, evidence_entry(f"bench edit {next(counter)} " * 20)
        ),
        lambda: plain_save(conn, assessment_id, f"bench edit {next(counter)} " * 20),
        SAVE_ROUNDS,
    )
    results |= saves.figures("save")
    ordered = sorted(saves.encrypted)
    results["save_p95_ms"] = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    conn.close()
    return results
