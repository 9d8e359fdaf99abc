"""Operations across every case: the deadlines dashboard and the annual return."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.domain.annual_return import AnnualReturn
    from aim3desk.domain.deadlines import Deadline
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


def read_deadlines(runner: TaskRunner, session: Session, today: date) -> Query[list[Deadline]]:
    deadlines = session.deadlines
    return Query(runner, lambda: deadlines.dashboard(today), "reading the deadlines")


def count_annual_return(
    runner: TaskRunner, session: Session, start: date, end: date
) -> Query[AnnualReturn]:
    annual_return = session.annual_return
    return Query(runner, lambda: annual_return.compute(start, end), "counting the annual return")


def write_annual_return(
    runner: TaskRunner, session: Session, start: date, end: date, path: Path
) -> Change[AnnualReturn]:
    """Writes the file and its audit entry; no open view shows either."""

    annual_return = session.annual_return
    return Change(
        runner, lambda: annual_return.write(start, end, path), "saving the annual return", Changes()
    )
