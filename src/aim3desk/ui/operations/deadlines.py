"""Operations across every case: the deadlines dashboard and the annual return."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.domain.annual_return import AnnualReturn
    from aim3desk.domain.deadlines import Deadline
    from aim3desk.services.profile import Session
    from aim3desk.ui.tasks import TaskRunner


def read_deadlines(runner: TaskRunner, session: Session, today: date) -> Query[list[Deadline]]:
    def read() -> list[Deadline]:
        from aim3desk.services.deadlines import dashboard

        return dashboard(session, today)

    return Query(runner, read, "reading the deadlines")


def count_annual_return(
    runner: TaskRunner, session: Session, start: date, end: date
) -> Query[AnnualReturn]:
    def read() -> AnnualReturn:
        from aim3desk.services.annual_return import compute

        return compute(session, start, end)

    return Query(runner, read, "counting the annual return")


def write_annual_return(
    runner: TaskRunner, session: Session, start: date, end: date, path: Path
) -> Change[AnnualReturn]:
    """Writes the file and its audit entry; no open view shows either."""

    def write() -> AnnualReturn:
        from aim3desk.services.annual_return import write_annual_return

        return write_annual_return(session, start, end, path)

    return Change(runner, write, "saving the annual return", Changes())
