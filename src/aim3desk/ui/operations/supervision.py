"""Operations on a case's supervision sessions (the notes pane)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Query, Record

if TYPE_CHECKING:
    from aim3desk.domain.forms import SupervisionForms
    from aim3desk.domain.supervision import SupervisionDue, SupervisionSession
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


@dataclass(frozen=True)
class SupervisionRecords:
    forms: SupervisionForms
    sessions: list[SupervisionSession]
    due: SupervisionDue


def _changed(case_id: str) -> Changes:
    return Changes(case_id=case_id, records=frozenset({Record.SUPERVISION}))


def read_supervision(
    runner: TaskRunner, session: Session, case_id: str, today: date
) -> Query[SupervisionRecords]:
    service = session.supervision
    return Query(
        runner,
        lambda: SupervisionRecords(
            service.forms, service.sessions(case_id), service.due(case_id, today)
        ),
        "reading the supervision sessions",
    )


def read_supervision_due(
    runner: TaskRunner, session: Session, case_id: str, today: date
) -> Query[SupervisionDue]:
    service = session.supervision
    return Query(runner, lambda: service.due(case_id, today), "working out when supervision is due")


def save_supervision_session(
    runner: TaskRunner, session: Session, case_id: str, record: SupervisionSession, today: date
) -> Change[bool]:
    service = session.supervision
    return Change(
        runner,
        lambda: service.save_session(case_id, record, today),
        "saving your supervision notes",
        _changed(case_id),
    )


def delete_supervision_session(
    runner: TaskRunner, session: Session, case_id: str, session_id: str
) -> Change[bool]:
    service = session.supervision
    return Change(
        runner,
        lambda: service.delete_session(case_id, session_id),
        "removing a supervision session",
        _changed(case_id),
    )
