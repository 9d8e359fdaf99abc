"""Reads that span tables or cases: the ones the services need beyond one repository (a case's
reference, every case at once for the annual return and retention, the profile's own facts;
the deadlines' read is deadline_rows.py). Each works on the caller's Connection inside a unit
of work."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from aim3desk.domain.cases import Assessment, Case
from aim3desk.domain.sign_off import SignOffRecords
from aim3desk.store.bundle_log import BundleLog
from aim3desk.store.repository import assessment_from_row, case_from_row
from aim3desk.store.review_log import RECEIVED, ReviewLog
from aim3desk.store.schema import assessments, cases, profile_info


def case_reference(conn: Connection, case_id: str) -> str | None:
    return conn.execute(select(cases.c.reference).where(cases.c.id == case_id)).scalar()


def assessment_with_reference(
    conn: Connection, assessment_id: str
) -> tuple[Assessment, str] | None:
    """The assessment and its case's reference, in one query."""
    row = conn.execute(
        select(assessments, cases.c.reference)
        .join(cases, cases.c.id == assessments.c.case_id)
        .where(assessments.c.id == assessment_id)
    ).first()
    return None if row is None else (assessment_from_row(row), row.reference)


def all_cases(conn: Connection) -> list[Case]:
    """Every case with every assessment version, in two queries, ordered by reference."""
    rows = conn.execute(select(cases).order_by(cases.c.reference)).all()
    versions: dict[str, list[Assessment]] = {}
    for row in conn.execute(select(assessments).order_by(assessments.c.version)).all():
        versions.setdefault(row.case_id, []).append(assessment_from_row(row))
    return [case_from_row(row, tuple(versions.get(row.id, ()))) for row in rows]


def sign_off_records(conn: Connection, case_id: str | None = None) -> SignOffRecords:
    """What the sign-off rule and the gates need of one case (or of every case): the reviews
    received, the assessment bundles sent with their hashes, the gate overrides."""
    log = ReviewLog(conn)
    received = log.of_case(case_id, RECEIVED) if case_id is not None else log.all(RECEIVED)
    return SignOffRecords(
        reviews=tuple(r.review for r in received),
        sent=tuple(BundleLog(conn).sent_versions(case_id)),
        overrides=tuple(log.overrides(case_id=case_id)),
    )


def profile_facts(conn: Connection) -> dict[str, str]:
    """The profile's own facts (practitioner_name, created, profile_id)."""
    return dict(conn.execute(select(profile_info.c.key, profile_info.c.value)).all())


def add_profile_facts(conn: Connection, facts: dict[str, str]) -> None:
    conn.execute(insert(profile_info), [{"key": k, "value": v} for k, v in facts.items()])


def set_profile_fact(conn: Connection, key: str, value: str) -> None:
    """Change one of the profile's facts, adding it if it is not there yet."""
    done = conn.execute(
        update(profile_info).where(profile_info.c.key == key).values(value=value)
    ).rowcount
    if not done:
        add_profile_facts(conn, {key: value})
