"""Operations on a case's escalation and consultation logs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Query, Record

if TYPE_CHECKING:
    from aim3desk.domain.case_logs import ConsultationEntry, EscalationEntry
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

CaseLogs = tuple[list["EscalationEntry"], list["ConsultationEntry"]]


def _changed(case_id: str) -> Changes:
    return Changes(case_id=case_id, records=frozenset({Record.LOGS}))


def read_logs(runner: TaskRunner, session: Session, case_id: str) -> Query[CaseLogs]:
    service = session.logs
    return Query(runner, lambda: service.logs(case_id), "reading the logs")


def save_escalation(
    runner: TaskRunner, session: Session, case_id: str, entry: EscalationEntry, today: date
) -> Change[bool]:
    service = session.logs
    return Change(
        runner,
        lambda: service.save_escalation(case_id, entry, today),
        "saving the log entry",
        _changed(case_id),
    )


def save_consultation(
    runner: TaskRunner, session: Session, case_id: str, entry: ConsultationEntry, today: date
) -> Change[bool]:
    service = session.logs
    return Change(
        runner,
        lambda: service.save_consultation(case_id, entry, today),
        "saving the log entry",
        _changed(case_id),
    )


def delete_escalation(
    runner: TaskRunner, session: Session, case_id: str, entry_id: str
) -> Change[bool]:
    service = session.logs
    return Change(
        runner,
        lambda: service.delete_escalation(case_id, entry_id),
        "removing a log entry",
        _changed(case_id),
    )


def delete_consultation(
    runner: TaskRunner, session: Session, case_id: str, entry_id: str
) -> Change[bool]:
    service = session.logs
    return Change(
        runner,
        lambda: service.delete_consultation(case_id, entry_id),
        "removing a log entry",
        _changed(case_id),
    )
