"""The deadlines dashboard across all cases, built from three queries in all (cases with
their assessments, the case records deadlines come from, and the unanswered unknowns of
unfinished assessments), never one query per case."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Connection, Engine, select

from aim3desk.config import EffectiveSettings
from aim3desk.domain.assessment import Unknown
from aim3desk.domain.cases import Case
from aim3desk.domain.codec import item_from_dict
from aim3desk.domain.deadlines import CaseDeadlineData, Deadline, deadlines
from aim3desk.store.case_items import CaseItemRepository
from aim3desk.store.repository import _case_from_row, assessment_from_row
from aim3desk.store.schema import assessment_items, assessments, cases

DEADLINE_KINDS = ("supervision", "track", "goal", "risk_meeting")


def all_cases(conn: Connection) -> list[Case]:
    """Every case with every assessment version, in two queries, ordered by reference."""
    rows = conn.execute(select(cases).order_by(cases.c.reference)).all()
    versions: dict[str, list] = {}
    for row in conn.execute(select(assessments).order_by(assessments.c.version)).all():
        versions.setdefault(row.case_id, []).append(assessment_from_row(row))
    return [_case_from_row(row, tuple(versions.get(row.id, ()))) for row in rows]


def _open_unknowns(conn: Connection) -> dict[str, list[Unknown]]:
    """assessment id -> unknowns of unfinished assessments (one query)."""
    rows = conn.execute(
        select(
            assessment_items.c.assessment_id, assessment_items.c.item_id, assessment_items.c.data
        )
        .join(assessments, assessments.c.id == assessment_items.c.assessment_id)
        .where(assessment_items.c.kind == "unknown", assessments.c.finished.is_(False))
    ).all()
    found: dict[str, list[Unknown]] = {}
    for assessment_id, item_id, data in rows:
        unknown = item_from_dict("unknown", json.loads(data), f"unknown[{item_id}]")
        found.setdefault(assessment_id, []).append(unknown)
    return found


def deadline_data(conn: Connection) -> list[CaseDeadlineData]:
    found_cases = all_cases(conn)
    records = CaseItemRepository(conn).load_all(DEADLINE_KINDS)
    unknowns = _open_unknowns(conn)
    result = []
    for case in found_cases:
        current = case.current_assessment
        case_records = records.get(case.id)
        result.append(
            CaseDeadlineData(
                case=case,
                sessions=case_records.sessions if case_records else (),
                plan=case_records.plan if case_records else CaseDeadlineData(case).plan,
                unknowns=tuple(unknowns.get(current.id, ())) if current else (),
            )
        )
    return result


class DeadlineService:
    """The deadlines dashboard (`session.deadlines`)."""

    def __init__(self, engine: Engine, settings: EffectiveSettings):
        self._engine = engine
        self._settings = settings

    def dashboard(self, today: date | None = None) -> list[Deadline]:
        """Every deadline of every case in the profile: overdue first, then soonest."""
        with self._engine.connect() as conn:
            data = deadline_data(conn)
        return deadlines(data, self._settings.values, today or date.today())
